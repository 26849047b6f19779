// Test helpers for labour-dispute mediation: the committee's members, applying through every step, and the cards
// each person got about a case (the generic chat, card and click helpers are in ./chat.ts).
import { expect } from 'vitest'
import type { DeliveredMessage } from '../../devtools/fake-open-api.js'
import { CHAIR, type TestBot } from '../rig/test-bot.js'
import { buttonValue, cardTitle, cardsTo, clickOn, say, type ClickOptions, type Who } from './chat.js'

export const MEDIATOR = { openId: 'ou_mediator_sun', name: '孙调解' }
export const MEMBER_2 = { openId: 'ou_mediation_member_zhou', name: '周委员' }
export const EMPLOYER = { openId: 'ou_employer_qian', name: '钱经理' }

export const APPLICATION = {
  facts: '我在生产部工作，2026年1月到3月每月加班约三十小时，公司没有支付加班费。',
  request: '请公司补发三个月的加班费共三千元。',
  reasons: '劳动合同约定加班按工资的一点五倍支付，考勤记录可以证明。',
  knew: '2026-03-05',
  party: '生产部',
}

/** Names the fake contact API knows, and the committee's two members (added by the chair through chat). */
export async function setUpCommittee(t: TestBot): Promise<void> {
  for (const p of [CHAIR, MEDIATOR, MEMBER_2, EMPLOYER]) t.fake.users.set(p.openId, { name: p.name })
  await say(t, CHAIR, '委员会 劳动争议调解委员会 添加', [MEDIATOR, MEMBER_2])
}

/** Applies by typing every step; returns the case number from the bot's confirmation. */
export async function applyForMediation(t: TestBot, who: Who, a: Partial<typeof APPLICATION> = {}): Promise<string> {
  const x = { ...APPLICATION, ...a }
  await say(t, who, '申请调解')
  for (const answer of [x.facts, x.request, x.reasons, x.knew, x.party, '确认']) await say(t, who, answer)
  const number = cardsTo(t, who)
    .concat()
    .reverse()
    .map((m) => JSON.stringify(m.content).match(/M-\d{4}-\d{3}/)?.[0])
    .find(Boolean)
  expect(number).toBeDefined()
  return number!
}

/** The latest card to a person whose title names the case (committee card `调解案件 …`, party card `我的调解 …`). */
export function caseCardTo(t: TestBot, who: Who, number: string, title = '调解案件'): DeliveredMessage {
  const m = [...cardsTo(t, who)].reverse().find((c) => cardTitle(c) === `${title} ${number}`)
  expect(m, `${title} ${number} card`).toBeDefined()
  return m!
}

const STEP_OF: Record<string, string> = { 'mediation.accept': 'accept', 'mediation.decline': 'decline', 'mediation.session': 'session', 'mediation.succeed': 'succeed', 'mediation.fail': 'fail' }

/**
 * A member's step as people take it (QA F9): the step's button on the case card opens its form in place of the
 * card, then the form is submitted. Other actions are clicked on the card directly.
 */
export async function stepOn(t: TestBot, who: Who, message: DeliveredMessage, action: string, opts: ClickOptions = {}): Promise<{ status: number; body: any }> {
  const step = STEP_OF[action]
  // The form is open already (a refused submit leaves it in place): submit it again.
  if (!step || buttonValue(t.fake.currentCard(message.messageId), action)) return clickOn(t, who, message, action, opts)
  const opened = await clickOn(t, who, message, 'mediation.step', { match: { step } })
  if (!opened.body.card || opened.body.toast) return opened
  return clickOn(t, who, message, action, opts)
}
