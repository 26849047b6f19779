// Records and queries of scheduled digests: subscriptions, the per-period delivery keys, and the aggregate
// queries over grievances and proposals a digest is built from. Digest queries select counts, numbers,
// categories, statuses and times only: never descriptions, names, reasons or answers.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../db/schema.js'
import type { DigestDeliveryStatus, DigestSubscriptionKind } from './tables.js'
import type { GrievanceStatus } from '../grievances/tables.js'

export type Db = Kysely<Database> | Transaction<Database>

// ---- subscriptions ----

export interface Subscription {
  chatId: string
  kind: DigestSubscriptionKind
  createdBy: string
  createdAt: Date
  active: boolean
  disabledAt: Date | null
  disabledReason: string | null
  /** The chat's name as Feishu gave it when the bot was added (user text: escape before showing). */
  chatName: string | null
}

/** Subscribes a chat; 'exists' when already active (nothing changes), 'restored' when it had been stopped. */
export async function subscribe(db: Db, s: { chatId: string; kind: DigestSubscriptionKind; by: string; at: Date }): Promise<'created' | 'restored' | 'exists'> {
  const before = await db.selectFrom('digest_subscriptions').select('disabled_at').where('chat_id', '=', s.chatId).where('kind', '=', s.kind).executeTakeFirst()
  const row = await db
    .insertInto('digest_subscriptions')
    .values({ chat_id: s.chatId, kind: s.kind, created_by: s.by, created_at: s.at })
    .onConflict((oc) =>
      oc
        .columns(['chat_id', 'kind'])
        .doUpdateSet({ created_by: s.by, created_at: s.at, disabled_at: null, disabled_by: null, disabled_reason: null })
        .where('digest_subscriptions.disabled_at', 'is not', null),
    )
    .returning('chat_id')
    .executeTakeFirst()
  if (!row) return 'exists'
  return before ? 'restored' : 'created'
}

/** Stops the chat's active subscriptions of the given kinds; returns the kinds that were active. */
export async function unsubscribe(db: Db, u: { chatId: string; kinds: readonly DigestSubscriptionKind[]; by: string; at: Date }): Promise<DigestSubscriptionKind[]> {
  if (u.kinds.length === 0) return []
  const rows = await db
    .updateTable('digest_subscriptions')
    .set({ disabled_at: u.at, disabled_by: u.by, disabled_reason: 'unsubscribed' })
    .where('chat_id', '=', u.chatId)
    .where('kind', 'in', [...u.kinds])
    .where('disabled_at', 'is', null)
    .returning('kind')
    .execute()
  return rows.map((r) => r.kind)
}

/**
 * Stops every active subscription of a chat Feishu no longer lets the bot post to. Returns the kinds stopped: empty
 * when another instance (or an earlier run) already did, so the committee is told once.
 */
export async function disableChat(db: Db, chatId: string, at: Date): Promise<DigestSubscriptionKind[]> {
  const rows = await db
    .updateTable('digest_subscriptions')
    .set({ disabled_at: at, disabled_by: null, disabled_reason: 'recipient_gone' })
    .where('chat_id', '=', chatId)
    .where('disabled_at', 'is', null)
    .returning('kind')
    .execute()
  return rows.map((r) => r.kind)
}

function subscriptionsQuery(db: Db) {
  return db
    .selectFrom('digest_subscriptions as s')
    .leftJoin('bot_chats as c', 'c.chat_id', 's.chat_id')
    .select(['s.chat_id', 's.kind', 's.created_by', 's.created_at', 's.disabled_at', 's.disabled_reason', 'c.name'])
    .orderBy('s.chat_id')
    .orderBy(sql`case s.kind when 'weekly' then 0 else 1 end`)
}

type SubscriptionRow = { chat_id: string; kind: DigestSubscriptionKind; created_by: string; created_at: Date; disabled_at: Date | null; disabled_reason: string | null; name: string | null }

const toSubscription = (r: SubscriptionRow): Subscription => ({
  chatId: r.chat_id,
  kind: r.kind,
  createdBy: r.created_by,
  createdAt: r.created_at,
  active: r.disabled_at === null,
  disabledAt: r.disabled_at,
  disabledReason: r.disabled_reason,
  chatName: r.name || null,
})

/** A chat's subscriptions, active and stopped. */
export async function chatSubscriptions(db: Db, chatId: string): Promise<Subscription[]> {
  return (await subscriptionsQuery(db).where('s.chat_id', '=', chatId).execute()).map(toSubscription)
}

/** Every active subscription, for the officers' overview in private chat. */
export async function activeSubscriptions(db: Db, limit = 100): Promise<Subscription[]> {
  return (await subscriptionsQuery(db).where('s.disabled_at', 'is', null).limit(limit).execute()).map(toSubscription)
}

export async function chatName(db: Db, chatId: string): Promise<string | undefined> {
  const row = await db.selectFrom('bot_chats').select('name').where('chat_id', '=', chatId).executeTakeFirst()
  return row?.name || undefined
}

// ---- delivery keys ----

export interface DeliveryKey {
  chatId: string
  kind: DigestSubscriptionKind
  period: string
}

/**
 * Chats whose `kind` digest of `period` is still to be sent at `now`: subscribed before it was due, no key that is
 * finished (sent, skipped, failed) and no live claim.
 */
export async function chatsDue(db: Db, kind: DigestSubscriptionKind, period: string, dueAt: Date, now: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('digest_subscriptions as s')
    .select('s.chat_id')
    .where('s.kind', '=', kind)
    .where('s.disabled_at', 'is', null)
    .where('s.created_at', '<=', dueAt)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('digest_deliveries as d')
            .select('d.chat_id')
            .whereRef('d.chat_id', '=', 's.chat_id')
            .where('d.kind', '=', kind)
            .where('d.period', '=', period)
            .where((eb) => eb.or([eb('d.status', '<>', 'claimed'), eb('d.claimed_until', '>=', now)])),
        ),
      ),
    )
    .orderBy('s.chat_id')
    .execute()
  return rows.map((r) => r.chat_id)
}

/**
 * Claims the delivery of one digest for this run, in one transaction: the subscription must still be active
 * (locked, so an unsubscribe or a second instance waits), and the key must be new or a claim whose lease has lapsed.
 * Returns the attempt number, or undefined when someone else has it or it is done.
 */
export async function claimDelivery(db: Kysely<Database>, key: DeliveryKey, now: Date, leaseMs: number): Promise<number | undefined> {
  return db.transaction().execute(async (trx) => {
    const active = await trx
      .selectFrom('digest_subscriptions')
      .select('chat_id')
      .where('chat_id', '=', key.chatId)
      .where('kind', '=', key.kind)
      .where('disabled_at', 'is', null)
      .forUpdate()
      .executeTakeFirst()
    if (!active) return undefined
    const until = new Date(now.getTime() + leaseMs)
    const res = await sql<{ attempts: number }>`
      insert into digest_deliveries (chat_id, kind, period, status, claimed_at, claimed_until)
      values (${key.chatId}, ${key.kind}, ${key.period}, 'claimed', ${now}, ${until})
      on conflict (chat_id, kind, period) do update
        set claimed_at = excluded.claimed_at, claimed_until = excluded.claimed_until, attempts = digest_deliveries.attempts + 1
        where digest_deliveries.status = 'claimed' and digest_deliveries.claimed_until < ${now}
      returning attempts`.execute(trx)
    return res.rows[0]?.attempts
  })
}

/** Records how a claimed delivery ended; later ticks leave a finished key alone. */
export async function finishDelivery(
  db: Db,
  key: DeliveryKey,
  f: { status: Exclude<DigestDeliveryStatus, 'claimed'>; at: Date; audience?: 'public' | 'committee'; messageId?: string | null; outcome?: string | null },
): Promise<void> {
  await db
    .updateTable('digest_deliveries')
    .set({ status: f.status, finished_at: f.at, audience: f.audience ?? null, message_id: f.messageId ?? null, outcome: f.outcome ?? null })
    .where('chat_id', '=', key.chatId)
    .where('kind', '=', key.kind)
    .where('period', '=', key.period)
    .execute()
}

export async function getDelivery(db: Db, key: DeliveryKey) {
  return db.selectFrom('digest_deliveries').selectAll().where('chat_id', '=', key.chatId).where('kind', '=', key.kind).where('period', '=', key.period).executeTakeFirst()
}

// ---- grievance figures ----

export interface GrievanceFigures {
  filed: number
  accepted: number
  resolved: number
  declined: number
  /** Medians over the cases accepted / resolved in the period, in seconds since filing; null when none. */
  medianAcceptSeconds: number | null
  medianResolveSeconds: number | null
  rated: { satisfied: number; basicallySatisfied: number; dissatisfied: number }
  /** Open cases now (not limited to the period). */
  open: { pending: number; accepted: number }
}

/** Counts of one period in one round trip; each sub-select is a range scan on its step's index. */
export async function grievanceFigures(db: Db, from: Date, to: Date): Promise<GrievanceFigures> {
  const r = await sql<{
    filed: number
    accepted: number
    resolved: number
    declined: number
    median_accept: number | null
    median_resolve: number | null
    satisfied: number
    basically_satisfied: number
    dissatisfied: number
    open_pending: number
    open_accepted: number
  }>`
    select
      (select count(*)::int from grievances where filed_at >= ${from} and filed_at < ${to}) as filed,
      (select count(*)::int from grievances where accepted_at >= ${from} and accepted_at < ${to}) as accepted,
      (select count(*)::int from grievances where resolved_at >= ${from} and resolved_at < ${to}) as resolved,
      (select count(*)::int from grievances where closed_at >= ${from} and closed_at < ${to} and closed_at is not null and status = 'declined') as declined,
      (select percentile_cont(0.5) within group (order by extract(epoch from accepted_at - filed_at))
         from grievances where accepted_at >= ${from} and accepted_at < ${to})::float8 as median_accept,
      (select percentile_cont(0.5) within group (order by extract(epoch from resolved_at - filed_at))
         from grievances where resolved_at >= ${from} and resolved_at < ${to})::float8 as median_resolve,
      (select count(*)::int from grievances where rated_at >= ${from} and rated_at < ${to} and satisfaction = 'satisfied') as satisfied,
      (select count(*)::int from grievances where rated_at >= ${from} and rated_at < ${to} and satisfaction = 'basically_satisfied') as basically_satisfied,
      (select count(*)::int from grievances where rated_at >= ${from} and rated_at < ${to} and satisfaction = 'dissatisfied') as dissatisfied,
      (select count(*)::int from grievances where status = 'pending') as open_pending,
      (select count(*)::int from grievances where status = 'accepted') as open_accepted`.execute(db)
  const row = r.rows[0]!
  return {
    filed: row.filed,
    accepted: row.accepted,
    resolved: row.resolved,
    declined: row.declined,
    medianAcceptSeconds: row.median_accept === null ? null : Number(row.median_accept),
    medianResolveSeconds: row.median_resolve === null ? null : Number(row.median_resolve),
    rated: { satisfied: row.satisfied, basicallySatisfied: row.basically_satisfied, dissatisfied: row.dissatisfied },
    open: { pending: row.open_pending, accepted: row.open_accepted },
  }
}

/** Cases filed in the period by category (every category that has any). */
export async function grievancesByCategory(db: Db, from: Date, to: Date): Promise<Array<{ category: string; count: number }>> {
  const rows = await db
    .selectFrom('grievances')
    .select(['category', sql<number>`count(*)::int`.as('count')])
    .where('filed_at', '>=', from)
    .where('filed_at', '<', to)
    .groupBy('category')
    .execute()
  return rows.map((r) => ({ category: r.category, count: r.count }))
}

/**
 * Cases filed per bucket and category; `bounds` are ascending instants (n + 1 bounds for n buckets). Returns the
 * bucket index 0…n-1 of each count.
 */
export async function grievancesPerBucket(db: Db, bounds: readonly Date[]): Promise<Array<{ bucket: number; category: string; count: number }>> {
  if (bounds.length < 2) return []
  const first = bounds[0]!
  const last = bounds[bounds.length - 1]!
  // width_bucket against the bound array: 1 for [b0, b1), 2 for [b1, b2), …
  const thresholds = `{${bounds.map((b) => `"${b.toISOString()}"`).join(',')}}`
  const rows = await sql<{ bucket: number; category: string; count: number }>`
    select width_bucket(filed_at, ${thresholds}::timestamptz[]) - 1 as bucket, category, count(*)::int as count
    from grievances where filed_at >= ${first} and filed_at < ${last}
    group by 1, 2`.execute(db)
  return rows.rows.map((r) => ({ bucket: Number(r.bucket), category: r.category, count: r.count }))
}

export interface OpenCase {
  number: string
  category: string
  status: GrievanceStatus
  filedAt: Date
  acceptDueAt: Date
  resolveDueAt: Date
}

/** Open cases past a deadline at `now` (most overdue first), at most `limit`, and how many there are in all. */
export async function overdueGrievances(db: Db, now: Date, limit: number): Promise<{ items: OpenCase[]; total: number }> {
  const rows = await sql<{ number: string; category: string; status: GrievanceStatus; filed_at: Date; accept_due_at: Date; resolve_due_at: Date; total: number }>`
    select number, category, status, filed_at, accept_due_at, resolve_due_at, count(*) over ()::int as total
    from grievances
    where status in ('pending', 'accepted')
      and ((status = 'pending' and accept_due_at < ${now}) or resolve_due_at < ${now})
    order by case when status = 'pending' and accept_due_at < ${now} then accept_due_at else resolve_due_at end, id
    limit ${limit}`.execute(db)
  return { items: rows.rows.map(toOpenCase), total: rows.rows[0]?.total ?? 0 }
}

/** Cases waiting for acceptance and still within their accept deadline, oldest first. */
export async function casesAwaitingAcceptance(db: Db, now: Date, limit: number): Promise<{ items: OpenCase[]; total: number }> {
  const rows = await sql<{ number: string; category: string; status: GrievanceStatus; filed_at: Date; accept_due_at: Date; resolve_due_at: Date; total: number }>`
    select number, category, status, filed_at, accept_due_at, resolve_due_at, count(*) over ()::int as total
    from grievances
    where status = 'pending' and accept_due_at >= ${now}
    order by filed_at, id
    limit ${limit}`.execute(db)
  return { items: rows.rows.map(toOpenCase), total: rows.rows[0]?.total ?? 0 }
}

function toOpenCase(r: { number: string; category: string; status: GrievanceStatus; filed_at: Date; accept_due_at: Date; resolve_due_at: Date }): OpenCase {
  return { number: r.number, category: r.category, status: r.status, filedAt: r.filed_at, acceptDueAt: r.accept_due_at, resolveDueAt: r.resolve_due_at }
}

// ---- proposal figures ----

export interface ProposalFigures {
  submitted: number
  registered: number
  rejected: number
  answered: number
  rated: { satisfied: number; basic: number; unsatisfied: number }
}

/** Proposal steps taken in the period: submitted (征集), registered (立案) or not, answered (答复), rated. */
export async function proposalFigures(db: Db, from: Date, to: Date): Promise<ProposalFigures> {
  const r = await sql<{ submitted: number; registered: number; rejected: number; answered: number; satisfied: number; basic: number; unsatisfied: number }>`
    select
      (select count(*)::int from proposals where submitted_at >= ${from} and submitted_at < ${to}) as submitted,
      (select count(*)::int from proposals where reviewed_at >= ${from} and reviewed_at < ${to} and status <> 'rejected') as registered,
      (select count(*)::int from proposals where reviewed_at >= ${from} and reviewed_at < ${to} and status = 'rejected') as rejected,
      (select count(*)::int from proposals where answered_at >= ${from} and answered_at < ${to}) as answered,
      (select count(*)::int from proposals where rated_at >= ${from} and rated_at < ${to} and satisfaction = 'satisfied') as satisfied,
      (select count(*)::int from proposals where rated_at >= ${from} and rated_at < ${to} and satisfaction = 'basic') as basic,
      (select count(*)::int from proposals where rated_at >= ${from} and rated_at < ${to} and satisfaction = 'unsatisfied') as unsatisfied`.execute(db)
  const row = r.rows[0]!
  return {
    submitted: row.submitted,
    registered: row.registered,
    rejected: row.rejected,
    answered: row.answered,
    rated: { satisfied: row.satisfied, basic: row.basic, unsatisfied: row.unsatisfied },
  }
}

export interface WindowStatusCounts {
  windowId: number
  /** The collection window's name, typed by an officer (escape before showing). */
  windowName: string
  open: boolean
  byStatus: Record<string, number>
  total: number
  /** 办理中 past the due date (local date strictly before `today`). */
  overdue: number
}

/** The current (or else the latest) collection window and its proposals by status; undefined without any window. */
export async function latestWindowCounts(db: Db, today: string): Promise<WindowStatusCounts | undefined> {
  const w = await db
    .selectFrom('proposal_windows')
    .select(['id', 'name', 'closed_at'])
    .orderBy(sql`closed_at is null`, 'desc')
    .orderBy('opened_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst()
  if (!w) return undefined
  const rows = await sql<{ status: string; n: number; overdue: number }>`
    select status, count(*)::int as n, count(*) filter (where status = 'in_progress' and due_date < ${today}::date)::int as overdue
    from proposals where window_id = ${w.id} group by status`.execute(db)
  const byStatus: Record<string, number> = {}
  let total = 0
  let overdue = 0
  for (const r of rows.rows) {
    byStatus[r.status] = r.n
    total += r.n
    overdue += r.overdue
  }
  return { windowId: w.id, windowName: w.name, open: w.closed_at === null, byStatus, total, overdue }
}

export interface OverdueProposal {
  number: string
  /** The responsible department's name (typed by an officer: escape before showing). */
  department: string
  dueDate: string
}

/** 办理中 proposals past their due date (a local date before `today`), oldest due first, and the total. */
export async function overdueProposalList(db: Db, today: string, limit: number): Promise<{ items: OverdueProposal[]; total: number }> {
  const rows = await sql<{ number: string; department: string | null; due: string; total: number }>`
    select p.number, d.name as department, to_char(p.due_date, 'YYYY-MM-DD') as due, count(*) over ()::int as total
    from proposals p left join proposal_departments d on d.id = p.department_id
    where p.status = 'in_progress' and p.due_date < ${today}::date
    order by p.due_date, p.id
    limit ${limit}`.execute(db)
  return { items: rows.rows.map((r) => ({ number: r.number, department: r.department ?? '', dueDate: r.due })), total: rows.rows[0]?.total ?? 0 }
}

// ---- activity figures ----

export interface UpcomingActivityRow {
  id: string
  number: string
  /** Typed by the officer who published it (escape before showing). */
  title: string
  startsAt: Date
  signupDeadline: Date
  capacity: number
  confirmed: number
}

/** Open activities starting in [from, until), soonest first. */
export async function upcomingActivities(db: Db, from: Date, until: Date, limit: number): Promise<UpcomingActivityRow[]> {
  const rows = await db
    .selectFrom('activities')
    .select(['id', 'number', 'title', 'starts_at', 'signup_deadline', 'capacity', 'confirmed_count'])
    .where('status', '=', 'open')
    .where('starts_at', '>=', from)
    .where('starts_at', '<', until)
    .orderBy('starts_at')
    .orderBy('id')
    .limit(limit)
    .execute()
  return rows.map((r) => ({ id: String(r.id), number: r.number, title: r.title, startsAt: r.starts_at, signupDeadline: r.signup_deadline, capacity: r.capacity, confirmed: r.confirmed_count }))
}

/**
 * Activities that took place in the period (ended in it, not cancelled) with their places taken and check-ins,
 * and how many were cancelled in it.
 */
export async function activityFigures(db: Db, from: Date, to: Date): Promise<{ held: number; signedUp: number; attended: number; cancelled: number }> {
  const r = await sql<{ held: number; signed_up: number; attended: number; cancelled: number }>`
    with held as (
      select id from activities where ends_at >= ${from} and ends_at < ${to} and status <> 'cancelled'
    ), places as (
      -- One pass over the held activities' sign-ups (their primary key leads with activity_id).
      select count(*) filter (where s.status = 'confirmed')::int as signed_up,
             count(*) filter (where s.status = 'confirmed' and s.checked_in_at is not null)::int as attended
      from held h join activity_signups s on s.activity_id = h.id
    )
    select (select count(*)::int from held) as held, places.signed_up, places.attended,
      (select count(*)::int from activities where status = 'cancelled' and cancelled_at >= ${from} and cancelled_at < ${to}) as cancelled
    from places`.execute(db)
  const row = r.rows[0]!
  return { held: row.held, signedUp: row.signed_up, attended: row.attended, cancelled: row.cancelled }
}
