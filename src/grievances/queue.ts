// The grievance desk's part of the officers' work queue, lists and search (issue #13): case numbers, statuses and
// deadlines only. Like store.ts it never reads grievance_reporters, and search looks at category and description
// only (never the reporter's name of a named case), so no list, count or search result can point at a reporter.
// Every query takes its viewer and leaves out the cases they recused from (src/grievances/recusals.ts): a recused
// officer's lists, counts and searches are as if the case did not exist.
import { sql, type ExpressionBuilder } from 'kysely'
import type { Database, Db } from '../db/schema.js'
import type { QueueItem } from '../desk/model.js'
import { STATUS_LABEL } from './model.js'
import { visibleTo } from './recusals.js'
import type { GrievanceStatus } from './tables.js'

/** What `诉求列表` may be narrowed to; `open` (待受理 and 处理中) when nothing is given. */
export type GrievanceListFilter = 'open' | 'pending' | 'accepted' | 'overdue' | 'done' | 'mine'

export const LIST_FILTER_LABEL: Record<GrievanceListFilter, string> = {
  open: '未办结',
  pending: '待受理',
  accepted: '处理中',
  overdue: '已超期',
  done: '已办结',
  mine: '我承办的',
}

/** The filter a typed word names (`诉求列表 已超期`, also 超期 / 我的); undefined for anything else. */
export function parseListFilter(word: string): GrievanceListFilter | undefined {
  const table: Record<string, GrievanceListFilter> = {
    '': 'open',
    全部: 'open',
    未办结: 'open',
    待受理: 'pending',
    处理中: 'accepted',
    办理中: 'accepted',
    已超期: 'overdue',
    超期: 'overdue',
    已办结: 'done',
    办结: 'done',
    已结案: 'done',
    我的: 'mine',
    我承办的: 'mine',
  }
  return table[word.trim()]
}

/** One case in a list or a search answer: no text, no names. */
export interface ListedGrievance {
  id: number
  number: string
  category: string
  status: GrievanceStatus
  filedAt: Date
  /** The deadline of the step the case waits for (受理 for 待受理, 办结 for 处理中); null once it is done. */
  dueAt: Date | null
  overdue: boolean
}

/** The deadline an open case waits for: to be accepted while pending, to be resolved once accepted. */
const dueExpr = sql<Date | null>`case when status = 'pending' then accept_due_at when status = 'accepted' then resolve_due_at else null end`

interface Row {
  id: number
  number: string
  category: string
  status: GrievanceStatus
  filed_at: Date
  due_at: Date | null
}

function listed(r: Row, now: Date): ListedGrievance {
  const dueAt = r.due_at ? new Date(r.due_at) : null
  return { id: r.id, number: r.number, category: r.category, status: r.status, filedAt: r.filed_at, dueAt, overdue: dueAt !== null && dueAt.getTime() < now.getTime() }
}

/**
 * The officer's grievances in `待办`: every case waiting for acceptance, and the open cases assigned to them; the
 * `limit` most urgent (nearest deadline first, so overdue ones lead) and how many there are in all.
 */
export async function grievanceQueue(db: Db, officerOpenId: string, now: Date, limit: number): Promise<{ items: QueueItem[]; total: number }> {
  const base = db
    .selectFrom('grievances')
    .where((eb) =>
      eb.or([
        eb('status', '=', 'pending'),
        eb.and([eb('status', '=', 'accepted'), eb('assignee_open_id', '=', officerOpenId)]),
        // Routed to a committee the officer is on (GRIEVANCE_ROUTES), and nobody has taken it on yet.
        eb.and([eb('status', '=', 'accepted'), eb('assignee_open_id', 'is', null), eb('routed_to', 'in', myCommittees(eb, officerOpenId))]),
        // Accepted (or re-accepted on 复核) by this officer, not routed, and nobody assigned yet: theirs until they
        // assign it (QA F11: such a case was on nobody's 待办).
        eb.and([eb('status', '=', 'accepted'), eb('assignee_open_id', 'is', null), eb('routed_to', 'is', null), acceptedBy(eb, officerOpenId)]),
      ]),
    )
    .where(visibleTo(officerOpenId))
  const [count, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    base
      .select(['id', 'number', 'category', 'status', 'filed_at', 'assignee_open_id', 'routed_to', dueExpr.as('due_at')])
      .orderBy(dueExpr)
      .orderBy('filed_at')
      .orderBy('id')
      .limit(limit)
      .execute(),
  ])
  const items = rows.map((r): QueueItem => {
    const l = listed(r as Row, now)
    return {
      feature: 'grievance',
      id: l.id,
      number: l.number,
      statusLabel: STATUS_LABEL[l.status],
      reason: r.assignee_open_id === officerOpenId ? '我承办' : r.status === 'pending' ? '待受理' : r.routed_to ? `分派${r.routed_to}` : '待指派承办人',
      since: l.filedAt,
      dueAt: l.dueAt,
      overdue: l.overdue,
    }
  })
  return { items, total: Number(count.n) }
}

/** The case's latest acceptance (受理, or 撤销，重新受理 on 复核) was made by the officer. */
function acceptedBy(eb: ExpressionBuilder<Database, 'grievances'>, openId: string) {
  const latest = eb
    .selectFrom('grievance_events as e')
    .select('e.actor_open_id')
    .whereRef('e.grievance_id', '=', 'grievances.id')
    .where('e.kind', 'in', ['accepted', 'review_reversed'])
    .orderBy('e.id', 'desc')
    .limit(1)
  return eb(latest, '=', openId)
}

/** The committees the officer is a member of (src/organisation), as a subquery. */
function myCommittees(eb: ExpressionBuilder<Database, 'grievances'>, openId: string) {
  return eb.selectFrom('organisation_committee_members').select('committee').where('open_id', '=', openId)
}

/** One page of `诉求列表`: open lists most urgent first, 已办结 newest first. */
export async function listGrievancesFor(
  db: Db,
  filter: GrievanceListFilter,
  officerOpenId: string,
  now: Date,
  offset: number,
  limit: number,
): Promise<{ items: ListedGrievance[]; total: number }> {
  let q = db.selectFrom('grievances').where(visibleTo(officerOpenId))
  if (filter === 'open') q = q.where('status', 'in', ['pending', 'accepted'])
  else if (filter === 'pending' || filter === 'accepted') q = q.where('status', '=', filter)
  else if (filter === 'done') q = q.where('status', 'in', ['resolved', 'closed', 'declined'])
  else if (filter === 'mine') q = q.where('assignee_open_id', '=', officerOpenId)
  else
    q = q.where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb('accept_due_at', '<', now)]),
        eb.and([eb('status', 'in', ['pending', 'accepted']), eb('resolve_due_at', '<', now)]),
      ]),
    )
  const rows = q.select(['id', 'number', 'category', 'status', 'filed_at', dueExpr.as('due_at')])
  const ordered =
    filter === 'done' || filter === 'mine'
      ? rows.orderBy(sql`coalesce(closed_at, resolved_at, filed_at)`, 'desc').orderBy('id', 'desc')
      : rows.orderBy(dueExpr).orderBy('filed_at').orderBy('id')
  const [count, page] = await Promise.all([q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(), ordered.offset(offset).limit(limit).execute()])
  return { items: page.map((r) => listed(r as Row, now)), total: Number(count.n) }
}

/** Most characters of a search term; a longer one is almost certainly pasted text, not a search. */
export const SEARCH_TERM_MAX_CHARS = 50

/** `%`, `_` and `\` typed by the officer match themselves, not any text. */
function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/** Cases `viewer` may see whose category or description contains the term (case-insensitive), newest first. */
export async function searchGrievances(db: Db, viewer: string, term: string, now: Date, offset: number, limit: number): Promise<{ items: ListedGrievance[]; total: number }> {
  const pattern = likePattern(term)
  const q = db
    .selectFrom('grievances')
    .where((eb) => eb.or([eb('category', 'ilike', pattern), eb('description', 'ilike', pattern)]))
    .where(visibleTo(viewer))
  const [count, page] = await Promise.all([
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    q.select(['id', 'number', 'category', 'status', 'filed_at', dueExpr.as('due_at')]).orderBy('filed_at', 'desc').orderBy('id', 'desc').offset(offset).limit(limit).execute(),
  ])
  return { items: page.map((r) => listed(r as Row, now)), total: Number(count.n) }
}
