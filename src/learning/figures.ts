// What learning adds to the 月报 / 季报 (composed in src/digests/figures.ts): hours credited in the period (learning
// activities that started in it, imported credits dated in it), the people they went to, loans and reading check-ins.
import { sql } from 'kysely'
import type { Db } from '../db/schema.js'
import { localDate } from '../time.js'
import type { LearningFigures } from './model.js'

/** Over [from, to); imported credits, loans and check-ins by their local dates in `timeZone`. */
export async function learningFigures(db: Db, from: Date, to: Date, timeZone: string): Promise<LearningFigures> {
  const first = localDate(from, timeZone)
  const last = localDate(new Date(to.getTime() - 1), timeZone)
  const res = await sql<{ minutes: string | null; people: string }>`
    with credited as (
      select s.open_id, l.minutes from activity_signups s
        join learning_activities l on l.activity_id = s.activity_id
        join activities a on a.id = s.activity_id
        where s.checked_in_at is not null and a.status <> 'cancelled' and a.starts_at >= ${from} and a.starts_at < ${to}
      union all
      select open_id, minutes from learning_credits where on_date >= ${first} and on_date <= ${last}
    )
    select sum(minutes)::text as minutes, count(distinct open_id)::text as people from credited`.execute(db)
  const loans = await db.selectFrom('library_loans').select((eb) => eb.fn.countAll<string>().as('n')).where('borrowed_on', '>=', first).where('borrowed_on', '<=', last).executeTakeFirstOrThrow()
  const reads = await db.selectFrom('reading_checkins').select((eb) => eb.fn.countAll<string>().as('n')).where('day', '>=', first).where('day', '<=', last).executeTakeFirstOrThrow()
  return { totalMinutes: Number(res.rows[0]?.minutes ?? 0), participants: Number(res.rows[0]?.people ?? 0), loans: Number(loans.n), readingCheckins: Number(reads.n) }
}
