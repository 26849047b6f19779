// The mediation clocks, every scheduler minute from 09:00 local on any day (the period is in calendar days): on day
// 12 the mediator and the committee's members are reminded; once the 15 days of 劳动争议调解仲裁法第十四条 are over
// without agreement the worker is told plainly that they may apply for arbitration now, with the one-year date of
// 第二十七条; on an agreement's performance date the worker (with the payment-order hint of 第十六条 where it applies)
// and the mediator are asked whether it was performed. Each reminder once per case (claimOnce, src/kit/periodic.ts).
import { buildArbitrationCard, buildDayReminderCard } from '../../cards/mediation/case.js'
import type { PeriodicContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { errorCode } from '../../src/errors.js'
import { MORNING } from '../../src/kit/periodic.js'
import { MEDIATION_COMMITTEE, PAYMENT_ORDER_KINDS, arbitrationHint, reminderDue } from '../../src/mediation/model.js'
import { agreementsDueForPerformance, casesWithRunningClock, claimReminder, markReminderSent, type MediationCase } from '../../src/mediation/store.js'
import type { MediationReminderKind } from '../../src/mediation/tables.js'
import { committeeMembers } from '../../src/organisation/store.js'
import { localParts } from '../../src/time.js'
import { clockLine, clockOf, tell, today } from './shared.js'

/** A claimed reminder not marked sent within this time (crash, Feishu down) may be sent by a later run. */
const CLAIM_MS = 5 * 60_000

/** 第十六条 for the wage, injury-medical and compensation kinds, said on the performance date. */
const PERFORM_ORDER_HINT = '如用人单位未按协议履行，您可以持调解协议书依法向人民法院申请支付令（《劳动争议调解仲裁法》第十六条）。'

export function registerMediationReminders(router: BotRouter): void {
  router.periodic({
    name: 'mediation.clocks',
    async run(ctx) {
      const p = localParts(ctx.runAt, ctx.config.timezone)
      if (`${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}` < MORNING) return
      const day = today(ctx)
      for (const c of await casesWithRunningClock(ctx.db)) {
        const clock = clockOf(ctx, c)
        if (reminderDue(clock, day)) await once(ctx, c, 'day_reminder', () => remindDay(ctx, c))
        if (clock.expired) await once(ctx, c, 'period_over', () => periodOver(ctx, c))
      }
      for (const c of await agreementsDueForPerformance(ctx.db, day)) await once(ctx, c, 'perform', () => performanceDue(ctx, c))
    },
  })
}

async function once(ctx: PeriodicContext, c: MediationCase, kind: MediationReminderKind, work: () => Promise<void>): Promise<void> {
  if (!(await claimReminder(ctx.db, c.id, kind, ctx.runAt, CLAIM_MS))) return
  try {
    await work()
    await markReminderSent(ctx.db, c.id, kind, ctx.runAt)
    ctx.log.info({ task: ctx.taskName, mediation: c.number, kind }, 'mediation reminder sent')
  } catch (err) {
    // The claim lapses and a later run tries again (the sends' uuids are keyed, so nobody gets two).
    ctx.log.warn({ task: ctx.taskName, mediation: c.number, kind, code: errorCode(err) }, 'mediation reminder not sent')
  }
}

async function remindDay(ctx: PeriodicContext, c: MediationCase): Promise<void> {
  const card = { card: buildDayReminderCard({ number: c.number, clock: clockLine(ctx, c) }) }
  const people = new Set([...(c.mediator_open_id ? [c.mediator_open_id] : []), ...(await committeeMembers(ctx.db, MEDIATION_COMMITTEE))])
  for (const openId of people) await tell(ctx, c, openId, card, 'day-reminder')
}

async function periodOver(ctx: PeriodicContext, c: MediationCase): Promise<void> {
  const days = ctx.config.mediation.periodDays
  await tell(
    ctx,
    c,
    c.applicant_open_id,
    {
      card: buildArbitrationCard({
        number: c.number,
        headline: `您的调解申请 ${c.number} 自 ${c.applied_on} 提出，已满 ${days} 日仍未达成调解协议。**您现在就可以申请劳动争议仲裁**（《劳动争议调解仲裁法》第十四条），也可以继续调解。`,
        hint: arbitrationHint(c.knew_on, today(ctx)),
      }),
    },
    'period-over',
  )
  await tell(ctx, c, c.mediator_open_id, { text: `调解案件 ${c.number} 已满 ${days} 日未达成协议，已告知申请人可以申请仲裁。` }, 'period-over')
}

async function performanceDue(ctx: PeriodicContext, c: MediationCase): Promise<void> {
  const order = c.claim_kind && PAYMENT_ORDER_KINDS.includes(c.claim_kind)
  await tell(
    ctx,
    c,
    c.applicant_open_id,
    {
      text: `调解协议 ${c.number} 约定的履行期限（${c.perform_on}）已到。${order ? PERFORM_ORDER_HINT : '如对方未按协议履行，您可以依法申请仲裁（《劳动争议调解仲裁法》第十五条）。'}如有问题，请联系调解员。`,
    },
    'perform',
  )
  await tell(ctx, c, c.mediator_open_id, { text: `调解协议 ${c.number} 约定的履行期限（${c.perform_on}）已到，请跟进履行情况。` }, 'perform')
}
