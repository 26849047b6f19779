// 厂务公开 notices (issue #15, first part): publishing, correcting and withdrawing (publish.ts), read tracking and
// its reminder (reading.ts), workers' opinions and the department's answers (opinions.ts), the board (board.ts), and the
// queue that sends a notice to every member privately (mass.ts).
import type { BotRouter } from '../../src/dispatch/router.js'
import { registerNoticeBoard } from './board.js'
import { registerNoticeMassSend } from './mass.js'
import { registerNoticeOpinions } from './opinions.js'
import { registerNoticePublish } from './publish.js'
import { registerNoticeReading } from './reading.js'
import { NOTICE_LIVE_CARD, LIVE_TYPE } from './shared.js'

export function registerNotices(router: BotRouter): void {
  router.liveCard(LIVE_TYPE, NOTICE_LIVE_CARD)
  registerNoticePublish(router)
  registerNoticeReading(router)
  registerNoticeOpinions(router)
  registerNoticeBoard(router)
  registerNoticeMassSend(router)
}
