// The figures mediation contributes to the 月报 / 季报: applications, acceptances, agreements, failures, the median
// calendar days to an agreement and how many agreements came within the period of Art. 14. Counts and days only:
// never facts, names or terms.
import { sql } from 'kysely'
import type { Db } from '../db/schema.js'
import { median, type MediationFigures } from './model.js'

export async function mediationFigures(db: Db, from: Date, to: Date, opts: { periodDays: number; timeZone: string }): Promise<MediationFigures> {
  const r = await sql<{ applications: number; accepted: number; agreements: number; failed: number }>`
    select
      (select count(*)::int from mediation_cases where applied_at >= ${from} and applied_at < ${to}) as applications,
      (select count(*)::int from mediation_cases where accepted_at >= ${from} and accepted_at < ${to}) as accepted,
      (select count(*)::int from mediation_cases where agreed_at >= ${from} and agreed_at < ${to}) as agreements,
      (select count(*)::int from mediation_cases where status = 'failed' and closed_at >= ${from} and closed_at < ${to}) as failed`.execute(db)
  // Calendar days from the application's local date to the agreement's (the clock of Art. 14 counts so).
  const days = await sql<{ days: number }>`
    select ((agreed_at at time zone ${opts.timeZone})::date - applied_on::date)::int as days
    from mediation_cases where agreed_at >= ${from} and agreed_at < ${to}`.execute(db)
  const values = days.rows.map((d) => Number(d.days))
  const row = r.rows[0]!
  return { ...row, medianDays: median(values), withinPeriod: values.filter((d) => d <= opts.periodDays).length }
}
