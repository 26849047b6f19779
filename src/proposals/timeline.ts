// The timeline of each proposal: one step per kind and causing event, shown on its card.
import { bumpCardVersion, type Db } from './store.js'

export interface TimelineEntry {
  at: Date
  kind: string
  actorOpenId: string | null
  note: string | null
  detail: Record<string, unknown>
  eventId: string
}

export async function addTimeline(
  db: Db,
  e: { proposalId: number; at: Date; kind: string; actorOpenId: string | null; note?: string | null; detail?: Record<string, unknown>; eventId: string },
): Promise<boolean> {
  const row = await db
    .insertInto('proposal_timeline')
    .values({
      proposal_id: e.proposalId,
      at: e.at,
      kind: e.kind,
      actor_open_id: e.actorOpenId,
      note: e.note ?? null,
      detail: e.detail ? JSON.stringify(e.detail) : null,
      event_id: e.eventId,
    })
    .onConflict((oc) => oc.columns(['proposal_id', 'kind', 'event_id']).doNothing())
    .returning('id')
    .executeTakeFirst()
  // Every card shows the timeline.
  if (row) await bumpCardVersion(db, e.proposalId)
  return row !== undefined
}

/** The step this event already wrote, if any: a re-run of the event finds its own change. */
export async function timelineStepOfEvent(db: Db, proposalId: number, kind: string, eventId: string): Promise<TimelineEntry | undefined> {
  const row = await db.selectFrom('proposal_timeline').selectAll().where('proposal_id', '=', proposalId).where('kind', '=', kind).where('event_id', '=', eventId).executeTakeFirst()
  return row ? { at: row.at, kind: row.kind, actorOpenId: row.actor_open_id, note: row.note, detail: row.detail ?? {}, eventId: row.event_id } : undefined
}

export async function listTimeline(db: Db, proposalId: number): Promise<TimelineEntry[]> {
  const rows = await db.selectFrom('proposal_timeline').selectAll().where('proposal_id', '=', proposalId).orderBy('at').orderBy('id').execute()
  return rows.map((r) => ({ at: r.at, kind: r.kind, actorOpenId: r.actor_open_id, note: r.note, detail: r.detail ?? {}, eventId: r.event_id }))
}
