// The mediation clocks through the scheduler (issue #16): the day-12 reminder to the mediator and the committee's
// members, and after the 15 calendar days of 劳动争议调解仲裁法第十四条 the worker told they may apply for arbitration
// now, with the one-year date of 第二十七条 — on weekends and through the 国庆 holidays alike (calendar days), each
// once however often the scheduler ticks; none for an agreed case, whose performance date is followed up instead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { OFFICERS_ENV, newWorker } from '../helpers/grievances.js'
import { cardText, cardTitle, cardsTo, clickOn, committeeMessages, say, textsTo, type Person } from '../helpers/chat.js'
import { EMPLOYER, MEDIATOR, MEMBER_2, applyForMediation, caseCardTo, setUpCommittee, stepOn } from '../helpers/mediation.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-04-07T01:30:00Z') // Tuesday 09:30 in Shanghai

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock, env: OFFICERS_ENV })
  await setUpCommittee(t)
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

/** Runs the scheduler tick at a Shanghai wall-clock time. */
async function tickAt(local: string): Promise<void> {
  const at = new Date(`${local}+08:00`)
  clock.set(at)
  await t.bot.runPeriodic(at)
  await t.settle()
}

const reminders = (who: Person | { openId: string }, number: string) => cardsTo(t, who).filter((m) => cardTitle(m) === `调解期限提醒 ${number}`)
const periodOver = (who: Person, number: string) => cardsTo(t, who).filter((m) => cardTitle(m) === `调解 ${number}` && cardText(m.content).includes('您现在就可以申请劳动争议仲裁'))

async function acceptedAt(local: string, knew: string): Promise<{ worker: Person; number: string }> {
  clock.set(new Date(`${local}+08:00`))
  const worker = newWorker(t)
  const number = await applyForMediation(t, worker, { knew })
  await stepOn(t, MEMBER_2, caseCardTo(t, MEMBER_2, number), 'mediation.accept', { formValue: { mediator: MEDIATOR.openId } })
  return { worker, number }
}

describe('the 15-day clock', () => {
  it('reminds on day 12 (a Sunday: calendar days), from 09:00, once; then tells the worker on day 16, once', async () => {
    const { worker, number } = await acceptedAt('2026-04-07T09:30:00', '2026-03-05')
    await tickAt('2026-04-18T10:00:00')
    expect(reminders(MEDIATOR, number)).toHaveLength(0)
    await tickAt('2026-04-19T08:30:00')
    expect(reminders(MEDIATOR, number)).toHaveLength(0)
    await tickAt('2026-04-19T09:05:00')
    expect(reminders(MEDIATOR, number)).toHaveLength(1)
    expect(reminders(MEMBER_2, number)).toHaveLength(1)
    expect(cardText(reminders(MEDIATOR, number)[0]!.content)).toContain('第 12 天 / 共 15 天，2026-04-22 届满（还剩 3 天）')
    await tickAt('2026-04-19T09:06:00')
    await tickAt('2026-04-20T09:06:00')
    expect(reminders(MEDIATOR, number)).toHaveLength(1)
    // Nothing of it in the committee group (number and status only ever go there).
    expect(committeeMessages(t).filter((m) => JSON.stringify(m.content).includes('调解期限提醒'))).toHaveLength(0)

    await tickAt('2026-04-22T23:30:00')
    expect(periodOver(worker, number)).toHaveLength(0)
    await tickAt('2026-04-23T09:00:00')
    expect(periodOver(worker, number)).toHaveLength(1)
    const told = cardText(periodOver(worker, number)[0]!.content)
    expect(told).toContain('自 2026-04-07 提出，已满 15 日仍未达成调解协议')
    expect(told).toContain('请最迟在 2027-03-05 前提出')
    expect(textsTo(t, MEDIATOR)).toContain(`调解案件 ${number} 已满 15 日未达成协议，已告知申请人可以申请仲裁。`)
    await tickAt('2026-04-23T09:01:00')
    await tickAt('2026-04-24T09:01:00')
    expect(periodOver(worker, number)).toHaveLength(1)
    // The card shows the period as over.
    await say(t, worker, `调解 ${number}`)
    expect(cardText(cardsTo(t, worker).at(-1)!.content)).toContain('2026-04-22 已届满')
  })

  it('runs through the 国庆 holidays day by day, and across a leap-year February', async () => {
    const autumn = await acceptedAt('2026-09-28T10:00:00', '2026-09-01')
    await tickAt('2026-10-13T20:00:00')
    expect(periodOver(autumn.worker, autumn.number)).toHaveLength(0)
    expect(reminders(MEDIATOR, autumn.number)).toHaveLength(1) // day 12 was 10-10: calendar days
    await tickAt('2026-10-14T09:00:00')
    expect(periodOver(autumn.worker, autumn.number)).toHaveLength(1)

    const leap = await acceptedAt('2028-02-20T10:00:00', '2027-02-28')
    await tickAt('2028-03-06T12:00:00')
    expect(periodOver(leap.worker, leap.number)).toHaveLength(0)
    await tickAt('2028-03-07T09:00:00')
    expect(periodOver(leap.worker, leap.number)).toHaveLength(1)
    // The one-year date (2028-02-28, 民法典第二百零二条) is already past on day 16: said so, never as a day ahead (QA F22).
    const over = cardText(periodOver(leap.worker, leap.number)[0]!.content)
    expect(over).toContain('已于 2028-02-28 届满，时效可能已过')
    expect(over).toContain('第二十七条第四款')
    expect(over).not.toContain('请最迟在 2028-02-28 前提出')
  })

  it('an agreed case gets no arbitration notice; its performance date is followed up once, with the payment-order hint', async () => {
    const { worker, number } = await acceptedAt('2026-05-06T10:00:00', '2026-04-01')
    await say(t, MEDIATOR, `调解 ${number} 企业代表`, [EMPLOYER])
    await stepOn(t, MEDIATOR, caseCardTo(t, MEDIATOR, number), 'mediation.succeed', { formValue: { terms: '补发加班费 3000 元。', perform_on: '2026-05-15 +0800', claim_kind: 'wages' } })
    await clickOn(t, worker, caseCardTo(t, worker, number, '我的调解'), 'mediation.confirm')
    await clickOn(t, EMPLOYER, caseCardTo(t, EMPLOYER, number, '我的调解'), 'mediation.confirm')
    await clickOn(t, MEDIATOR, caseCardTo(t, MEDIATOR, number), 'mediation.confirm')
    await tickAt('2026-05-14T10:00:00')
    const performTexts = () => textsTo(t, worker).filter((x) => x.startsWith(`调解协议 ${number} 约定的履行期限`))
    expect(performTexts()).toHaveLength(0)
    await tickAt('2026-05-15T09:00:00')
    expect(performTexts()).toEqual([`调解协议 ${number} 约定的履行期限（2026-05-15）已到。如用人单位未按协议履行，您可以持调解协议书依法向人民法院申请支付令（《劳动争议调解仲裁法》第十六条）。如有问题，请联系调解员。`])
    await tickAt('2026-05-22T09:00:00')
    await tickAt('2026-05-23T09:00:00')
    expect(performTexts()).toHaveLength(1)
    expect(periodOver(worker, number)).toHaveLength(0)
  })
})
