// The only code that reads who raised an objection during 公示 (anonymous ones included): used to tell the objector
// the chair's answer. Officer-facing cards, messages, audit entries and logs never call it; they read
// src/recognition/store.ts, where an anonymous objection names nobody (the rule of src/grievances/reporters.ts).
import type { Transaction } from 'kysely'
import type { Database, Db } from '../db/schema.js'

export async function linkObjector(trx: Transaction<Database>, objectionId: number, openId: string): Promise<void> {
  await trx.insertInto('award_objectors').values({ objection_id: objectionId, open_id: openId }).onConflict((oc) => oc.column('objection_id').doNothing()).execute()
}

/** Where to send the answer (never shown, never logged). */
export async function objectorOf(db: Db, objectionId: number): Promise<string | undefined> {
  return (await db.selectFrom('award_objectors').select('open_id').where('objection_id', '=', objectionId).executeTakeFirst())?.open_id
}

/**
 * Files an objection once per filing key (a random draft id, never a Feishu id): the row for the officers and the
 * sealed link, in the caller's transaction. Returns the objection's id and whether this call created it.
 */
export async function fileObjection(
  trx: Transaction<Database>,
  o: { roundId: number; nominationId: number; anonymous: boolean; openId: string; name: string; body: string; raisedOn: string; filingKey: string },
): Promise<{ id: number; created: boolean }> {
  const again = await trx.selectFrom('award_objections').select('id').where('filing_key', '=', o.filingKey).executeTakeFirst()
  if (again) return { id: again.id, created: false }
  const row = await trx
    .insertInto('award_objections')
    .values({
      round_id: o.roundId,
      nomination_id: o.nominationId,
      anonymous: o.anonymous,
      objector_open_id: o.anonymous ? null : o.openId,
      objector_name: o.anonymous ? null : o.name,
      body: o.body,
      raised_on: o.raisedOn,
      filing_key: o.filingKey,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await linkObjector(trx, row.id, o.openId)
  return { id: row.id, created: true }
}
