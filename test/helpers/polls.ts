// Helpers for the poll and congress tests: start a poll through the real form, click a vote, seed members and
// representatives (the organisation's own flows are tested in test/organisation).
import { expect } from 'vitest'
import type { DeliveredMessage } from '../../devtools/fake-open-api.js'
import { CHAIR, type TestBot } from '../rig/test-bot.js'
import { button, buttonsOf, cardTitle, cardsTitled } from './chat.js'

export const OFFICER = CHAIR.openId
export const GROUP = 'oc_union_members'

export interface PollInput {
  title?: string
  options?: string
  mode?: 'single' | 'multiple'
  secrecy?: 'anonymous' | 'named'
  audience?: string
  audienceValue?: string
  closesAt?: string
  results?: 'after' | 'live'
  freeQuestion?: string
}

export function pollFormValue(p: PollInput): Record<string, unknown> {
  return {
    title: p.title ?? '职工食堂午餐时间调整',
    options: p.options ?? '11:30 开饭\n12:00 开饭\n维持现状',
    mode: p.mode ?? 'single',
    secrecy: p.secrecy ?? 'anonymous',
    audience: p.audience ?? 'all',
    audience_value: p.audienceValue ?? '',
    closes_at: p.closesAt ?? '2026-06-05 18:00 +0800',
    results: p.results ?? 'after',
    free_question: p.freeQuestion ?? '',
  }
}

export async function openPollForm(t: TestBot, chatId = GROUP, sender = OFFICER): Promise<DeliveredMessage> {
  const before = t.fake.messages.length
  await t.sendMessage({ sender, chatId, chatType: chatId.startsWith('oc_p2p') ? 'p2p' : 'group', text: '发起投票', mentionBot: !chatId.startsWith('oc_p2p') })
  await t.settle()
  const form = t.fake.messages.slice(before).find((m) => cardTitle(m) === '发起投票')
  expect(form, 'form card').toBeDefined()
  return form!
}

export async function submitPollForm(t: TestBot, form: DeliveredMessage, input: PollInput, operator = OFFICER) {
  const submit = button(form.content, '发起投票')
  const res = await t.click({ operator, value: submit.value, formValue: pollFormValue(input), messageId: form.messageId, ...(form.chatId ? { chatId: form.chatId } : {}) })
  await t.settle()
  return res
}

export interface StartedPoll {
  id: string
  number: string
  card: DeliveredMessage
}

/** Starts a poll in the group and returns its live card. */
export async function startPoll(t: TestBot, input: PollInput = {}, chatId = GROUP): Promise<StartedPoll> {
  const form = await openPollForm(t, chatId)
  const res = await submitPollForm(t, form, input)
  expect(res.body.toast?.type, JSON.stringify(res.body.toast)).toBe('success')
  const number = /V-\d{3,}/.exec(res.body.toast.content)![0]
  const card = cardsTitled(t.fake.messagesInChat(chatId), `投票 · ${number}`).at(-1)
  expect(card, 'vote card').toBeDefined()
  const row = await t.bot.services.db.selectFrom('polls').select('id').where('number', '=', number).executeTakeFirstOrThrow()
  return { id: String(row.id), number, card: card! }
}

/** Clicks a single-choice option button (by its text) or, for multiple choice, submits the checked options. */
export async function vote(t: TestBot, who: string, card: DeliveredMessage, choice: string | number[], extra: Record<string, unknown> = {}, via: TestBot = t) {
  const current = t.fake.currentCard(card.messageId)
  const value = typeof choice === 'string' ? buttonsOf(current).find((b) => b.text === choice)?.value : buttonsOf(current).find((b) => b.text === '提交')?.value
  expect(value, `vote button ${String(choice)}`).toBeDefined()
  const formValue: Record<string, unknown> = { ...extra }
  if (Array.isArray(choice)) for (const i of choice) formValue[`opt_${i}`] = true
  const res = await via.click({ operator: who, value: value!, messageId: card.messageId, chatId: card.chatId ?? GROUP, formValue })
  expect(res.status).toBe(200)
  return res.body.toast as { type: string; content: string }
}

/** Union members (status member) with a department, written directly: membership has its own tests. */
export async function seedMembers(t: TestBot, people: Array<{ openId: string; name: string; department?: string }>): Promise<void> {
  const at = new Date('2026-01-01T00:00:00Z')
  await t.bot.services.db
    .insertInto('members')
    .values(people.map((p) => ({ open_id: p.openId, name: p.name, department: p.department ?? null, status: 'member', source: 'import', joined_on: '2026-01-01', updated_at: at })))
    .onConflict((oc) => oc.column('open_id').doNothing())
    .execute()
}

/** Congress representatives of a term (and constituency), written directly. */
export async function seedRepresentatives(t: TestBot, people: Array<{ openId: string; name: string; constituency?: string; term?: string }>): Promise<void> {
  const at = new Date('2026-01-01T00:00:00Z')
  await t.bot.services.db
    .insertInto('proposal_representatives')
    .values(people.map((p) => ({ open_id: p.openId, name: p.name, added_by: OFFICER, added_at: at, constituency: p.constituency ?? null, term: p.term ?? null })))
    .onConflict((oc) => oc.column('open_id').doNothing())
    .execute()
}
