// The outbound surface handlers depend on, so the bot can run without Feishu credentials (calls then fail clearly).
import type { Card } from './card.js'
import { FeishuApiError } from './api-errors.js'
import type { OutgoingContent, SendOptions, SentMessage, UploadFileType } from './outbound.js'

/** What the contact API says about a person, as far as the app's scopes allow. */
export interface UserProfile {
  name?: string
  department?: string
  employeeNo?: string
}

export interface OutboundPort {
  sendToChat(chatId: string, content: OutgoingContent, opts?: SendOptions): Promise<SentMessage>
  sendToUser(openId: string, content: OutgoingContent, opts?: SendOptions): Promise<SentMessage>
  reply(messageId: string, content: OutgoingContent, opts?: SendOptions & { chatId?: string }): Promise<SentMessage>
  patchCard(messageId: string, card: Card, opts?: SendOptions): Promise<void>
  sendFileToUser(openId: string, fileName: string, data: Buffer, opts?: SendOptions): Promise<SentMessage>
  /** 应用内加急 of one of the bot's own messages to these people (scope im:message.urgent); the ids Feishu refused. */
  urgentApp(messageId: string, openIds: readonly string[], opts?: SendOptions): Promise<{ invalidOpenIds: string[] }>
  fetchBotOpenId(): Promise<string>
  fetchUserName(openId: string): Promise<string | undefined>
  /**
   * A user's department name (the first of their departments) and employee number from the contact API, each
   * undefined when the app may not read it (contact:user.department:readonly, contact:user.employee_id:readonly).
   */
  fetchUserProfile?(openId: string): Promise<UserProfile | undefined>
  /** The person whose Feishu user_id (用户ID, often the 工号) is `userId`; undefined when unknown or not readable. */
  fetchUserByEmployeeId?(userId: string): Promise<{ openId: string; name?: string } | undefined>
  /** A file someone sent the bot (message resource), at most maxBytes; longer ones are refused (FILE_TOO_LARGE). */
  downloadMessageFile(messageId: string, fileKey: string, maxBytes: number, type?: 'file' | 'image', opts?: SendOptions): Promise<Buffer>
  /** Uploads an image as the bot (im/v1/images, image_type=message); its image_key. */
  uploadImage(data: Buffer, opts?: SendOptions): Promise<string>
  /** Uploads a file as the bot (im/v1/files) under fileName; its file_key. */
  uploadFile(fileName: string, data: Buffer, fileType?: UploadFileType, opts?: SendOptions): Promise<string>
  /** Sends an image or file the bot uploaded to a user privately. */
  sendUploadedToUser(openId: string, item: { kind: 'image' | 'file'; key: string }, opts?: SendOptions): Promise<SentMessage>
  /** The open_ids of a group's members, every page (Feishu leaves bots out); needs im:chat:readonly or im:chat.members:read. */
  listChatMembers(chatId: string): Promise<string[]>
  /** A group's name (GET /open-apis/im/v1/chats/:chat_id), or undefined when the app may not read it. */
  fetchChatName(chatId: string): Promise<string | undefined>
  /**
   * Who has read one of the bot's own messages (GET /open-apis/im/v1/messages/:message_id/read_users, open_ids,
   * every page): Feishu answers only for messages the bot sent within the last 7 days, and only while the bot is
   * in the chat — undefined when it will not say (too old, not in the chat, no scope).
   * https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/read_users
   */
  listMessageReaders?(messageId: string): Promise<string[] | undefined>
}

/** Used when FEISHU_APP_ID/FEISHU_APP_SECRET are unset: every call fails as a permanent, explained error. */
export class UnconfiguredOutbound implements OutboundPort {
  private fail(method: string): never {
    throw new FeishuApiError(method, -1, undefined, undefined, 'permanent', undefined, 'FEISHU_APP_ID / FEISHU_APP_SECRET are not set')
  }
  async sendToChat(): Promise<SentMessage> {
    return this.fail('message.create')
  }
  async sendToUser(): Promise<SentMessage> {
    return this.fail('message.create')
  }
  async reply(): Promise<SentMessage> {
    return this.fail('message.reply')
  }
  async patchCard(): Promise<void> {
    return this.fail('message.patch')
  }
  async sendFileToUser(): Promise<SentMessage> {
    return this.fail('file.create')
  }
  async urgentApp(): Promise<{ invalidOpenIds: string[] }> {
    return this.fail('message.urgent_app')
  }
  async fetchBotOpenId(): Promise<string> {
    return this.fail('bot.info')
  }
  async fetchUserName(): Promise<string | undefined> {
    return undefined
  }
  async downloadMessageFile(): Promise<Buffer> {
    return this.fail('message.resource.get')
  }
  async uploadImage(): Promise<string> {
    return this.fail('image.create')
  }
  async uploadFile(): Promise<string> {
    return this.fail('file.create')
  }
  async sendUploadedToUser(): Promise<SentMessage> {
    return this.fail('message.create')
  }
  async listChatMembers(): Promise<string[]> {
    return this.fail('chat.members.get')
  }
  async fetchChatName(): Promise<string | undefined> {
    return undefined
  }
}
