// One satisfaction vocabulary (issue #11 §3, src/kit/satisfaction.ts): proposals said basic/unsatisfied where
// grievances say basically_satisfied/dissatisfied. Stored proposal ratings and the rating steps on their timelines
// take the grievance words, and proposals get the CHECK constraint grievances already have.
import { sql, type Kysely } from 'kysely'

const RENAMES = [
  ['basic', 'basically_satisfied'],
  ['unsatisfied', 'dissatisfied'],
] as const

export async function up(db: Kysely<any>): Promise<void> {
  for (const [from, to] of RENAMES) {
    await sql`update proposals set satisfaction = ${to} where satisfaction = ${from}`.execute(db)
    await sql`
      update proposal_timeline set detail = jsonb_set(detail, '{satisfaction}', to_jsonb(${to}::text))
      where kind = 'rated' and detail->>'satisfaction' = ${from}`.execute(db)
  }
  await sql`alter table proposals add constraint proposals_satisfaction_check
    check (satisfaction is null or satisfaction in ('satisfied', 'basically_satisfied', 'dissatisfied'))`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table proposals drop constraint proposals_satisfaction_check`.execute(db)
  for (const [from, to] of RENAMES) {
    await sql`update proposals set satisfaction = ${from} where satisfaction = ${to}`.execute(db)
    await sql`
      update proposal_timeline set detail = jsonb_set(detail, '{satisfaction}', to_jsonb(${from}::text))
      where kind = 'rated' and detail->>'satisfaction' = ${to}`.execute(db)
  }
}
