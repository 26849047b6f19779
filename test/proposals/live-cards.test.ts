// Issue #13: every posted copy of a proposal's public card (the proposer's own, a group's, a follower's) is a live
// card, patched when the proposal changes; and the instruction the card prints for withdrawing is one that works.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { findProposal } from '../../src/proposals/store.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { OFFICER, REP_A, REP_B, REP_C, WORKER, setupRoster, submitProposal } from '../helpers/proposals.js'
import { cardText, cardTitled, cardsTo, clickOn, groupSay, lastText, patchesOf, say, type Who } from '../helpers/chat.js'
import type { DeliveredMessage } from '../../devtools/fake-open-api.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-03-02T02:00:00Z')
const GROUP = 'oc_workshop_group'

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock })
  await setupRoster(t)
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

/** What a posted card shows now: its last patch, else what was sent. */
const shown = (m: DeliveredMessage): string => cardText(m.patches.at(-1) ?? m.content)
const proposalCardTo = (who: Who, number: string) => cardTitled(t, who, `职代会提案 ${number}`)
const groupCard = (number: string) => [...t.fake.messagesInChat(GROUP)].reverse().find((m) => m.msgType === 'interactive' && cardText(m.content).includes(`职代会提案 ${number}`))!

describe('the public proposal card is a live card', () => {
  let number = ''

  it('the proposer’s own card, a group’s copy and a follower’s copy all follow the co-signatures', async () => {
    number = await submitProposal(t, REP_A)
    await groupSay(t, GROUP, WORKER, `提案 ${number}`)
    await say(t, WORKER, `提案 ${number}`)
    await say(t, WORKER, `关注 ${number}`)
    const copies = () => [proposalCardTo(REP_A, number), groupCard(number), proposalCardTo(WORKER, number)]
    for (const c of copies()) expect(shown(c)).toContain('附议人（0/2）')

    await say(t, REP_B, `附议 ${number}`)
    for (const c of copies()) expect(shown(c)).toContain('附议人（1/2）')
    // Following is shown too (the follower count).
    expect(shown(proposalCardTo(REP_A, number))).toContain('已有 1 人关注')
  })

  it('a click on one copy (附议) patches the others', async () => {
    const { body } = await clickOn(t, REP_C, groupCard(number), 'proposal.cosign')
    expect(body.toast?.type).toBe('success')
    for (const c of [proposalCardTo(REP_A, number), proposalCardTo(WORKER, number)]) {
      expect(shown(c)).toContain('附议人（2/2）')
      expect(shown(c)).toContain('待审查')
    }
  })

  it('a status change by the committee (不立案) reaches every copy: none still shows the 附议 button', async () => {
    const review = cardTitled(t, undefined, `提案审查 ${number}`)
    await clickOn(t, OFFICER, review, 'proposal.reject', { formValue: { reason: '属于工会日常工作，转为意见建议' } })
    for (const c of [proposalCardTo(REP_A, number), groupCard(number), proposalCardTo(WORKER, number)]) {
      expect(shown(c)).toContain('不立案')
      expect(JSON.stringify(c.patches.at(-1) ?? c.content)).not.toContain('proposal.cosign')
    }
  })

  it('asking again in the same place replaces the copy there (one live copy per chat or person)', async () => {
    const before = proposalCardTo(WORKER, number)
    await say(t, WORKER, `提案 ${number}`)
    const after = proposalCardTo(WORKER, number)
    expect(after.messageId).not.toBe(before.messageId)
    expect(shown(before)).toContain('此卡片已更新')
    const patchesBefore = patchesOf(t, before.messageId).length
    await say(t, WORKER, `取消关注 ${number}`)
    expect(patchesOf(t, before.messageId)).toHaveLength(patchesBefore)
    expect(shown(after)).toContain('已有 0 人关注')
  })

  it('closing the collection window takes the 附议 button off cards at the next reconcile', async () => {
    const other = await submitProposal(t, REP_B, { title: '关于增设职工子女暑托班的提案' })
    expect(JSON.stringify(proposalCardTo(REP_B, other).content)).toContain('proposal.cosign')
    await say(t, OFFICER, '提案征集 结束')
    await t.bot.runPeriodic(clock.now())
    const c = proposalCardTo(REP_B, other)
    expect(JSON.stringify(c.patches.at(-1) ?? c.content)).not.toContain('proposal.cosign')
  })
})

describe('the withdrawal instruction on the card works as printed', () => {
  it('「撤回提案 P-… 理由」 copied from the card withdraws the proposal', async () => {
    await say(t, OFFICER, '提案征集 开始 第五届职代会第四次会议')
    const number = await submitProposal(t, REP_C, { title: '关于延长午休时间的提案' })
    const card = proposalCardTo(REP_C, number)
    const printed = cardText(card.content).match(/发送「(撤回[^」]*)」/)?.[1]
    expect(printed).toBe(`撤回提案 ${number} 理由`)
    await say(t, REP_C, printed!.replace('理由', '已与部门沟通解决'))
    expect(lastText(t, REP_C.openId)).toContain(`已撤回提案 ${number}`)
    expect((await findProposal(t.bot.services.db, number))?.status).toBe('withdrawn')
    expect(shown(proposalCardTo(REP_C, number))).toContain('已撤回')
    expect(cardsTo(t, REP_C).length).toBeGreaterThan(0)
  })
})
