// Test helpers for the grievance desk: workers with names the fake contact API knows, filing through every step,
// and the committee's review card of a case (the generic chat, card and click helpers are in ./chat.ts).
import { expect } from 'vitest'
import type { DeliveredMessage } from '../../devtools/fake-open-api.js'
import type { TestBot } from '../rig/test-bot.js'
import { clickOn, committeeMessages, inbox, lastTo, say } from './chat.js'

export const OFFICER_2 = { openId: 'ou_officer_zhao', name: '赵委员' }
export const OFFICERS_ENV = { UNION_OFFICER_OPEN_IDS: `ou_chair,${OFFICER_2.openId}` }

/** A worker of these tests always has a display name. */
export interface Person {
  openId: string
  name: string
}

let seq = 0
/** A fresh worker with a display name the fake contact API knows. */
export function newWorker(t: TestBot, name = '李四'): Person {
  const p = { openId: `ou_worker_${++seq}_${Math.random().toString(36).slice(2, 8)}`, name }
  t.fake.users.set(p.openId, { name })
  return p
}

export const DESCRIPTION = '车间连续三个月加班没有按规定支付加班费，每月约有三十个小时。'

export interface FilingOptions {
  category?: string
  description?: string
  anonymous?: boolean
}

/** Files a grievance by typing every step; returns its number (from the bot's confirmation). */
export async function fileGrievance(t: TestBot, who: Person, opts: FilingOptions = {}): Promise<string> {
  await say(t, who, '投诉')
  await say(t, who, opts.category ?? '1')
  await say(t, who, opts.description ?? DESCRIPTION)
  await say(t, who, opts.anonymous === false ? '实名' : '匿名')
  await say(t, who, '确认')
  const number = grievanceNumberIn(lastTo(t, who))
  expect(number).toBeDefined()
  return number!
}

export function grievanceNumberIn(m: DeliveredMessage | undefined): string | undefined {
  return m ? JSON.stringify(m.content).match(/G-\d{4}-\d{4}/)?.[0] : undefined
}

/** The committee's review card of a case (the latest content, after patches and callback answers). */
export function reviewCard(t: TestBot, number: string): { messageId: string; card: any } {
  const m = committeeMessages(t).find((x) => x.msgType === 'interactive' && x.content?.header?.title?.content === `维权诉求 ${number}`)
  expect(m, `review card of ${number}`).toBeDefined()
  return { messageId: m!.messageId, card: t.fake.currentCard(m!.messageId) }
}

/**
 * An officer acts on the review card of a case, as on a phone (QA F9): a step without input is one click; a step
 * with input is its button on the committee group's card, which sends the officer the step's form privately, and
 * then the form's submit button there with `formValue`. Answers the submit (its card is the officer's private copy).
 */
export async function officerAct(t: TestBot, officer: string, number: string, action: string, formValue?: Record<string, unknown>, opts: { match?: Record<string, unknown> } = {}) {
  const { messageId } = reviewCard(t, number)
  if (!formValue) return clickOn(t, officer, messageId, action, opts.match ? { match: opts.match } : {})
  const form = await openForm(t, officer, messageId, action)
  return clickOn(t, officer, form, action, { formValue })
}

/** Clicks a step's button on a review card (group copy or private copy) and returns the message with its form. */
export async function openForm(t: TestBot, officer: string, messageId: string, action: string): Promise<DeliveredMessage> {
  const before = inbox(t, officer).length
  const res = await clickOn(t, officer, messageId, action)
  const sent = inbox(t, officer).slice(before).filter((m) => m.msgType === 'interactive')
  // In the committee group the form comes privately; on a private copy it replaces the card.
  const form = sent.at(-1) ?? t.fake.messages.find((m) => m.messageId === messageId)
  expect(res.body.toast?.type === 'warning' ? res.body.toast.content : 'ok', 'opening the form').toBe('ok')
  expect(cardFormOf(t, form!.messageId), `form of ${action}`).toBe(true)
  return form!
}

const cardFormOf = (t: TestBot, messageId: string) => JSON.stringify(t.fake.currentCard(messageId)).includes('"tag":"form"')
