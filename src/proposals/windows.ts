// Collection windows (征集期) of the proposal desk. Functions take `db` or a transaction first.
import { sql, type Selectable } from 'kysely'
import type { Db } from './store.js'
import type { ProposalWindowsTable } from './tables.js'

export interface ProposalWindow {
  id: number
  name: string
  openedAt: Date
  closedAt: Date | null
}

const toWindow = (r: Selectable<ProposalWindowsTable>): ProposalWindow => ({ id: r.id, name: r.name, openedAt: r.opened_at, closedAt: r.closed_at })

export async function openWindow(db: Db, w: { name: string; by: string; at: Date }): Promise<ProposalWindow | undefined> {
  // The partial unique index admits one open window; a concurrent second opening inserts nothing.
  const row = await sql<Selectable<ProposalWindowsTable>>`
    insert into proposal_windows (name, opened_at, opened_by) values (${w.name}, ${w.at}, ${w.by})
    on conflict ((true)) where closed_at is null do nothing
    returning *`.execute(db)
  return row.rows[0] ? toWindow(row.rows[0]) : undefined
}

export async function currentWindow(db: Db): Promise<ProposalWindow | undefined> {
  const row = await db.selectFrom('proposal_windows').selectAll().where('closed_at', 'is', null).executeTakeFirst()
  return row ? toWindow(row) : undefined
}

/** The open window, or else the one closed last: what 提案列表 shows. */
export async function latestWindow(db: Db): Promise<ProposalWindow | undefined> {
  const row = await db.selectFrom('proposal_windows').selectAll().orderBy(sql`closed_at is null`, 'desc').orderBy('opened_at', 'desc').orderBy('id', 'desc').executeTakeFirst()
  return row ? toWindow(row) : undefined
}

export async function getWindow(db: Db, id: number): Promise<ProposalWindow | undefined> {
  const row = await db.selectFrom('proposal_windows').selectAll().where('id', '=', id).executeTakeFirst()
  return row ? toWindow(row) : undefined
}

export async function closeWindow(db: Db, id: number, by: string, at: Date): Promise<boolean> {
  const res = await db.updateTable('proposal_windows').set({ closed_at: at, closed_by: by }).where('id', '=', id).where('closed_at', 'is', null).executeTakeFirst()
  return Number(res.numUpdatedRows) > 0
}
