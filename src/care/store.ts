// Care events, the imported roster and the reminder ledger: queries and rows mapped to objects. Amounts stay
// integer fen from the column to the card; sums are taken in SQL as bigint and read back as exact integers.
import { sql, type Selectable, type Transaction } from 'kysely'
import type { Database, Db } from '../db/schema.js'
import { claimOnce, type ClaimLedger } from '../kit/periodic.js'
import type { CareEventsTable } from './tables.js'
import { CARE_KINDS, type CareEvent, type CareKind, type CareStatus, type LedgerView, type ReminderKind } from './model.js'

export const toCareEvent = (r: Selectable<CareEventsTable>): CareEvent => ({
  id: Number(r.id),
  openId: r.open_id,
  name: r.name,
  department: r.department ?? undefined,
  kind: r.kind as CareKind,
  amountFen: r.amount_fen,
  gift: r.gift ?? undefined,
  occurredOn: r.occurred_on,
  status: r.status as CareStatus,
  overCap: r.over_cap ?? undefined,
  recordedBy: r.recorded_by,
})

/** What this person received (or awaits) of this kind in this year, in fen: the yearly cap counts both. */
export async function usedThisYear(db: Db, openId: string, kind: CareKind, year: number): Promise<number> {
  const r = await db
    .selectFrom('care_events')
    .select(sql<string>`coalesce(sum(amount_fen), 0)::bigint::text`.as('fen'))
    .where('open_id', '=', openId)
    .where('kind', '=', kind)
    .where('year', '=', year)
    .where('status', 'in', ['recorded', 'pending'])
    .executeTakeFirstOrThrow()
  return Number(r.fen)
}

export interface NewCareEvent {
  openId: string
  name: string
  department: string | undefined
  kind: CareKind
  amountFen: number
  gift: string | undefined
  occurredOn: string
  status: 'recorded' | 'pending'
  overCap: string | undefined
  recordedBy: string
  eventId: string
  at: Date
}

/** Inserts the event once per causing event; returns the row (the existing one on a re-run). */
export async function insertCareEvent(trx: Transaction<Database>, e: NewCareEvent): Promise<{ event: CareEvent; replay: boolean }> {
  const existing = await trx.selectFrom('care_events').selectAll().where('event_id', '=', e.eventId).executeTakeFirst()
  if (existing) return { event: toCareEvent(existing), replay: true }
  const row = await trx
    .insertInto('care_events')
    .values({
      open_id: e.openId,
      name: e.name,
      department: e.department ?? null,
      kind: e.kind,
      amount_fen: e.amountFen,
      gift: e.gift ?? null,
      occurred_on: e.occurredOn,
      year: Number(e.occurredOn.slice(0, 4)),
      status: e.status,
      over_cap: e.overCap ?? null,
      recorded_by: e.recordedBy,
      event_id: e.eventId,
      created_at: e.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return { event: toCareEvent(row), replay: false }
}

export async function lockCareEvent(trx: Transaction<Database>, id: number): Promise<CareEvent | undefined> {
  const row = await trx.selectFrom('care_events').selectAll().where('id', '=', String(id)).forUpdate().executeTakeFirst()
  return row ? toCareEvent(row) : undefined
}

export async function decideCareEvent(trx: Transaction<Database>, id: number, d: { status: 'recorded' | 'refused'; by: string; at: Date }): Promise<CareEvent> {
  const row = await trx.updateTable('care_events').set({ status: d.status, decided_by: d.by, decided_at: d.at }).where('id', '=', String(id)).returningAll().executeTakeFirstOrThrow()
  return toCareEvent(row)
}

export async function setApprovalMessage(db: Db, id: number, messageId: string): Promise<void> {
  await db.updateTable('care_events').set({ approval_message_id: messageId }).where('id', '=', String(id)).execute()
}

export async function approvalMessage(db: Db, id: number): Promise<string | undefined> {
  return (await db.selectFrom('care_events').select('approval_message_id').where('id', '=', String(id)).executeTakeFirst())?.approval_message_id ?? undefined
}

/** Every recorded event of a year, by date (the ledger's CSV). */
export async function ledgerRows(db: Db, year: number): Promise<CareEvent[]> {
  const rows = await db.selectFrom('care_events').selectAll().where('year', '=', year).where('status', '=', 'recorded').orderBy('occurred_on').orderBy('id').execute()
  return rows.map(toCareEvent)
}

/** The year's totals by kind and department (recorded events), and how many still await the chair. */
export async function ledger(db: Db, year: number): Promise<LedgerView> {
  const rows = await ledgerRows(db, year)
  const kinds = new Map<CareKind, { count: number; fen: number }>()
  const departments = new Map<string | undefined, { count: number; fen: number }>()
  let totalFen = 0
  for (const e of rows) {
    totalFen += e.amountFen
    const k = kinds.get(e.kind) ?? { count: 0, fen: 0 }
    kinds.set(e.kind, { count: k.count + 1, fen: k.fen + e.amountFen })
    const d = departments.get(e.department) ?? { count: 0, fen: 0 }
    departments.set(e.department, { count: d.count + 1, fen: d.fen + e.amountFen })
  }
  const pending = await db.selectFrom('care_events').select(sql<number>`count(*)::int`.as('n')).where('year', '=', year).where('status', '=', 'pending').executeTakeFirstOrThrow()
  return {
    year,
    totalFen,
    count: rows.length,
    byKind: CARE_KINDS.filter((k) => kinds.has(k)).map((kind) => ({ kind, ...kinds.get(kind)! })),
    byDepartment: [...departments].map(([department, v]) => ({ department, ...v })).sort((a, b) => b.fen - a.fen || (a.department ?? '').localeCompare(b.department ?? '')),
    pending: pending.n,
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The roster and its reminders.

export interface RosterRow {
  openId: string
  name: string
  department: string | undefined
  birthday: string | undefined
  retiresOn: string | undefined
}

export async function upsertRoster(trx: Transaction<Database>, rows: RosterRow[], by: string, at: Date): Promise<void> {
  for (const r of rows) {
    const values = { open_id: r.openId, name: r.name, department: r.department ?? null, birthday: r.birthday ?? null, retires_on: r.retiresOn ?? null, imported_by: by, imported_at: at }
    await trx
      .insertInto('care_roster')
      .values(values)
      .onConflict((oc) => oc.column('open_id').doUpdateSet({ name: values.name, department: values.department, birthday: values.birthday, retires_on: values.retires_on, imported_by: by, imported_at: at }))
      .execute()
  }
}

/** People whose birthday (MM-DD) or retirement date falls on the local date `date`. */
/**
 * The birthday dates `date` stands for: its own MM-DD, and on 02-28 of a year with no 02-29 also 02-29 (those
 * born on 29 February are remembered on the 28th then, not skipped for three years).
 */
export function birthdaysOn(date: string): string[] {
  const year = Number(date.slice(0, 4))
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  return date.slice(5) === '02-28' && !leap ? ['02-28', '02-29'] : [date.slice(5)]
}

export async function dueOn(db: Db, date: string): Promise<Array<RosterRow & { kind: ReminderKind }>> {
  const birthdays = birthdaysOn(date)
  const rows = await db
    .selectFrom('care_roster')
    .selectAll()
    .where((eb) => eb.or([eb('birthday', 'in', birthdays), eb('retires_on', '=', date)]))
    .orderBy('name')
    .execute()
  const out: Array<RosterRow & { kind: ReminderKind }> = []
  for (const r of rows) {
    const base = { openId: r.open_id, name: r.name, department: r.department ?? undefined, birthday: r.birthday ?? undefined, retiresOn: r.retires_on ?? undefined }
    if (r.birthday && birthdays.includes(r.birthday)) out.push({ ...base, kind: 'birthday' })
    if (r.retires_on === date) out.push({ ...base, kind: 'retirement' })
  }
  return out
}

const REMINDER_LEDGER: ClaimLedger = { table: 'care_reminders', keyColumns: ['kind', 'open_id', 'on_date'], unfinished: sql`care_reminders.sent_at is null` }

export async function claimReminder(db: Db, key: { kind: ReminderKind; openId: string; onDate: string }, now: Date, leaseMs: number): Promise<boolean> {
  return (await claimOnce(db, REMINDER_LEDGER, { kind: key.kind, open_id: key.openId, on_date: key.onDate }, { now, leaseMs })) !== undefined
}

export async function markReminderSent(db: Db, key: { kind: ReminderKind; openId: string; onDate: string }, now: Date): Promise<void> {
  await db.updateTable('care_reminders').set({ sent_at: now }).where('kind', '=', key.kind).where('open_id', '=', key.openId).where('on_date', '=', key.onDate).execute()
}
