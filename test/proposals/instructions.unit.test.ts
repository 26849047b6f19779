// Issue #13: the instructions printed on proposal cards are commands that work. Every 「…」 a card tells people to
// send is matched against the router's own command table (handlers registered as the bot registers them), for
// the cards of every status.
import { describe, expect, it } from 'vitest'
import { registerHandlers } from '../../handlers/index.js'
import { BotRouter } from '../../src/dispatch/router.js'
import { STATUS_LABEL, type ProposalStatus } from '../../src/proposals/model.js'
import * as proposal from '../../cards/proposals/proposal.js'
import * as work from '../../cards/proposals/work.js'
import * as admin from '../../cards/proposals/admin.js'
import * as submit from '../../cards/proposals/submit.js'

const router = new BotRouter()
registerHandlers(router)

/** Every text a card tells the reader to send: 「…」 right after 发送 (a quoted button name is not an instruction). */
function instructions(card: unknown): string[] {
  const text = JSON.stringify(card)
  return [...text.matchAll(/发送「([^」]+)」/g)].map((m) => m[1]!)
}

function view(status: ProposalStatus): proposal.ProposalView {
  return {
    number: 'P-2026-003',
    title: '关于改善夜班职工就餐条件的提案',
    content: '夜班职工反映食堂夜间不供应热食，建议增设夜间窗口。',
    category: '生活福利',
    status,
    windowName: '第五届职代会第三次会议',
    proposerName: '张代表',
    cosignerNames: ['李代表'],
    minCosigners: 2,
    followerCount: 1,
    departmentName: '后勤保障部',
    dueDate: '2026-04-01',
    overdue: false,
    answerText: '已增设夜间窗口',
    answerClass: 'A',
    answeredAt: new Date('2026-03-20T02:00:00Z'),
    reopenCount: 0,
    submittedAt: new Date('2026-03-02T02:00:00Z'),
    timeline: [],
    cosignOpen: status === 'collecting' || status === 'pending_review',
    timeZone: 'Asia/Shanghai',
  }
}

describe('every command a proposal card prints is one the router knows', () => {
  const statuses = Object.keys(STATUS_LABEL) as ProposalStatus[]
  const cards: Array<[string, unknown]> = [
    ...statuses.flatMap((st): Array<[string, unknown]> => [
      [`public card (${st})`, proposal.buildProposalCard(view(st))],
      [`committee card (${st})`, work.buildCommitteeCard(view(st), { departments: [{ id: 1, name: '后勤保障部' }], excludedDepartments: 0, suggestedDueDate: '2026-04-01' })],
      [`department card (${st})`, work.buildDepartmentCard(view(st))],
      [`rating card (${st})`, work.buildRatingCard(view(st), 0)],
    ]),
    ['replaced copy', proposal.buildProposalReplacedCard('P-2026-003')],
    ['my proposals (empty)', proposal.buildMyProposalsCard({ total: 0, items: [], page: 1, pages: 1 })],
    ['list', proposal.buildProposalListCard({ windowId: 1, windowName: '第五届', windowOpen: true, filter: '', filterLabel: '', counts: {}, overdueCount: 0, total: 0, items: [], page: 1, pages: 1 })],
    ['window opened', admin.buildWindowOpenedCard({ name: '第五届', openedAt: new Date() }, 'Asia/Shanghai', true)],
    ['window summary', admin.buildWindowSummaryCard({ name: '第五届', openedAt: new Date(), closedAt: new Date(), counts: { collecting: 2 }, total: 2 }, 'Asia/Shanghai')],
    ['confirm step', submit.buildConfirmStepCard({ title: '标题', content: '内容', category: '生活福利', windowName: '第五届', minCosigners: 2 })],
  ]

  it('finds instructions at all (the check is not vacuous)', () => {
    expect(instructions(proposal.buildProposalCard(view('collecting')))).toContain('撤回提案 P-2026-003 理由')
  })

  for (const [name, card] of cards) {
    it(name, () => {
      for (const said of instructions(card)) expect(router.matchCommand(said), `「${said}」 on the ${name}`).toBeDefined()
    })
  }

  it('the old instruction 「撤回 P-… 理由」 is not printed any more', () => {
    for (const [, card] of cards) expect(JSON.stringify(card)).not.toMatch(/「撤回 P-/)
  })
})
