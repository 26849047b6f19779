// The bot's own types for what Feishu sends, after normalization: handlers see these, never raw Feishu JSON.

export interface Mention {
  /** Placeholder in the text, e.g. `@_user_1` (Feishu replaces each @ by a placeholder, docs/feishu-platform.md#mentions). */
  key: string
  openId: string | undefined
  name: string
}

export interface Attachment {
  kind: 'image' | 'file'
  /** Feishu's image_key or file_key, kept so officers can open the original. */
  key: string
  name?: string
}

export interface IncomingMessage {
  messageId: string
  chatId: string
  chatType: 'p2p' | 'group'
  senderOpenId: string
  messageType: string
  /** Text with mention placeholders still in place (see Mention.key); '' for non-text messages. */
  rawText: string
  mentions: Mention[]
  attachments: Attachment[]
  /** Milliseconds since epoch, from message.create_time. */
  createTime: number
  parentId?: string
}

export interface CardAction {
  operatorOpenId: string
  /** Our action name, carried in the button's callback value as `value.action`. */
  name: string
  value: Record<string, unknown>
  formValue: Record<string, unknown>
  option?: string
  inputValue?: string
  messageId: string | undefined
  chatId: string | undefined
  /** Card update token (valid 30 min, 2 uses). */
  token: string | undefined
}

export type Update =
  | { kind: 'message'; eventId: string; message: IncomingMessage }
  | { kind: 'card_action'; eventId: string; action: CardAction }
  | { kind: 'bot_menu'; eventId: string; operatorOpenId: string; eventKey: string }
  | { kind: 'bot_added'; eventId: string; chatId: string; chatName: string; operatorOpenId: string | undefined }
  /**
   * Someone opened their private chat with the bot (v2 im.chat.access_event.bot_p2p_chat_entered_v1, or v1
   * p2p_chat_create). `firstTime`: the chat has no message yet (v1: always), when the welcome card goes out.
   */
  | { kind: 'p2p_entered'; eventId: string; openId: string; chatId: string; firstTime: boolean }
  /** Someone left the company (contact.user.deleted_v3): every role they hold ends (docs/feishu-platform.md#other-events). */
  | { kind: 'user_left'; eventId: string; openId: string }

export type UpdateKind = Update['kind']
