// Helpers for the notice tests: members on the roll, publishing through the real form (the generic chat, card and
// click helpers are in ./chat.ts).
import { expect } from 'vitest'
import type { DeliveredMessage } from '../../devtools/fake-open-api.js'
import { CHAIR, type TestBot } from '../rig/test-bot.js'
import { button, cardTitle, cardsTitled } from './chat.js'
import { until } from './drills.js'

export const OFFICER = CHAIR.openId
export const NOTICE_GROUP = 'oc_notice_members'

export interface NoticeFormInput {
  title?: string
  body?: string
  category?: string
  audience?: 'here' | 'members'
  chats?: string
  confirm?: 'yes' | 'no'
  opinions?: 'yes' | 'no'
  until?: string
}

export function noticeFormValue(f: NoticeFormInput): Record<string, unknown> {
  return {
    title: f.title ?? '2026 年职工福利费使用情况',
    body: f.body ?? '一、福利费总额 120 万元\n二、**体检** 45 万元\n- 节日慰问 30 万元',
    category: f.category ?? '福利',
    audience: f.audience ?? 'here',
    chats: f.chats ?? '',
    confirm_reading: f.confirm ?? 'no',
    opinions: f.opinions ?? 'no',
    ...(f.until !== undefined ? { opinions_until: f.until } : {}),
  }
}

/** Puts people on the member roll (the organisation feature's table), with their departments. */
export async function enrol(t: TestBot, people: Array<{ openId: string; name: string; department?: string }>): Promise<void> {
  for (const p of people) t.fake.users.set(p.openId, { name: p.name })
  await t.bot.services.db
    .insertInto('members')
    .values(people.map((p) => ({ open_id: p.openId, name: p.name, department: p.department ?? null, status: 'member', source: 'import', joined_on: '2026-01-01', updated_at: new Date() })))
    .onConflict((oc) => oc.column('open_id').doNothing())
    .execute()
}

/** Sends 发布公开 as the officer in `chatId` and returns the form card. */
export async function openNoticeForm(t: TestBot, chatId = NOTICE_GROUP, sender = OFFICER): Promise<DeliveredMessage> {
  const before = t.fake.messages.length
  const group = !chatId.startsWith('oc_p2p')
  await t.sendMessage({ sender, chatId, chatType: group ? 'group' : 'p2p', text: '发布公开', mentionBot: group })
  await t.settle()
  const form = t.fake.messages.slice(before).find((m) => cardTitle(m) === '发布厂务公开')
  expect(form, 'form card').toBeDefined()
  return form!
}

export async function submitNoticeForm(t: TestBot, form: DeliveredMessage, input: NoticeFormInput, operator = OFFICER) {
  const res = await t.click({ operator, value: button(form.content, '发布公开').value, formValue: noticeFormValue(input), messageId: form.messageId, ...(form.chatId ? { chatId: form.chatId } : {}) })
  await t.settle()
  return res
}

export interface PublishedNotice {
  id: string
  number: string
  /** The card in the group (when posted to one). */
  card: DeliveredMessage | undefined
}

/** Publishes a notice through the form in `chatId`; returns its id, number and the card posted there. */
export async function publishNotice(t: TestBot, input: NoticeFormInput = {}, chatId = NOTICE_GROUP): Promise<PublishedNotice> {
  const form = await openNoticeForm(t, chatId)
  const res = await submitNoticeForm(t, form, input)
  expect(res.body.toast?.type, JSON.stringify(res.body.toast)).toBe('success')
  const number = /N-\d{3,}/.exec(res.body.toast.content)![0]
  const row = await t.bot.services.db.selectFrom('notices').select('id').where('number', '=', number).executeTakeFirstOrThrow()
  return { id: row.id, number, card: cardsTitled(t.fake.messagesInChat(chatId), `厂务公开 · ${number}`).at(-1) }
}

/** Waits until the notice's mass send to every member has finished (every instance's loop drains it). */
export async function massSendFinished(t: TestBot, noticeId: string, timeoutMs = 30_000): Promise<void> {
  await until('the mass send finishes', async () => {
    const row = await t.bot.services.db.selectFrom('mass_sends').select('status').where('subject_type', '=', 'notice').where('subject_id', '=', noticeId).executeTakeFirst()
    return row?.status === 'done'
  }, timeoutMs)
  await t.settle()
}
