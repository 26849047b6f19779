// An officer's work queue across features (issue #13 `待办`): the line every feature's queue function returns, and
// the one urgency order they are merged in. Pure; cards draw these lines, src/<feature>/queue.ts fills them.

/** One case waiting for an officer, without text or names: number, where it stands, and its clock. */
export interface QueueItem {
  /** Which feature's card the line opens (`grievance`, `proposal`, later `mediation`). */
  feature: string
  /** The feature's own id of the case (what the open button carries). */
  id: number
  number: string
  /** Status as people read it (待受理, 处理中, 待审查 …). */
  statusLabel: string
  /** Why it is in this officer's queue (待受理 / 我承办 / 待审查 …). */
  reason: string
  /** When the case started (filed, submitted): its age is counted from here. */
  since: Date
  /** The deadline of the step it waits for; null when the step has none. */
  dueAt: Date | null
  overdue: boolean
}

/**
 * Most urgent first: overdue cases by how long they are past due, then by the nearest deadline, then cases without
 * a deadline, oldest first; the number breaks ties so pages never shift between clicks.
 */
export function byUrgency(a: QueueItem, b: QueueItem): number {
  if (a.overdue !== b.overdue) return a.overdue ? -1 : 1
  const da = a.dueAt?.getTime() ?? Number.POSITIVE_INFINITY
  const db = b.dueAt?.getTime() ?? Number.POSITIVE_INFINITY
  if (da !== db) return da < db ? -1 : 1
  if (a.since.getTime() !== b.since.getTime()) return a.since.getTime() - b.since.getTime()
  return a.number < b.number ? -1 : a.number > b.number ? 1 : 0
}

/** Lines a page of the queue or a list shows: a phone screen's worth of buttons. */
export const DESK_PAGE_SIZE = 8
