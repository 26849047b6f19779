// The groups the bot has been added to (bot_chats): recorded when Feishu reports the bot added, named in digests.
import type { Db } from '../db/schema.js'

/** Records (or re-records, after a removal) that the bot is in the group, under its current name. */
export async function recordBotAdded(db: Db, chat: { chatId: string; name: string; addedBy: string | undefined }): Promise<void> {
  await db
    .insertInto('bot_chats')
    .values({ chat_id: chat.chatId, name: chat.name, added_by: chat.addedBy ?? null })
    .onConflict((oc) => oc.column('chat_id').doUpdateSet({ name: chat.name, removed_at: null }))
    .execute()
}
