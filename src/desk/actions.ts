// The officers' desk card actions (issue #13): turning the pages of `待办`, `诉求列表` and a search, and opening
// one case's officer card privately from a line. No I/O, so cards import them.
import { z } from 'zod'
import { defineAction, payload } from '../kit/actions.js'

/** A page of the clicker's own queue (the queue is recomputed for whoever clicks). */
export const QUEUE_PAGE = defineAction('desk.queue.page', z.object({ page: payload.int() }))

/** Opens a case's officer card in the clicker's private chat; `feature` names whose card (grievance, proposal …). */
export const OPEN_CASE = defineAction('desk.open', z.object({ feature: payload.text(20), id: payload.int() }))

/** A page of `诉求列表` under a filter (src/grievances/queue.ts GrievanceListFilter). */
export const GRIEVANCE_LIST_PAGE = defineAction(
  'grievance.list.page',
  z.object({ filter: payload.oneOf(['open', 'pending', 'accepted', 'overdue', 'done', 'mine']), page: payload.int() }),
)

/** A page of `诉求 搜索 <词>`: the term travels on the officer's own private card. */
export const GRIEVANCE_SEARCH_PAGE = defineAction('grievance.search.page', z.object({ q: payload.text(50), page: payload.int() }))
