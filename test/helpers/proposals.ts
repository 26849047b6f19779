// Test helpers for the proposal feature: its people and the common setup (representatives, a department, an open
// window, a submitted proposal), all through the real webhook (the generic chat and card helpers are in ./chat.ts).
import type { Person } from '../../devtools/feishu-events.js'
import { CHAIR, type TestBot } from '../rig/test-bot.js'
import { lastText, say } from './chat.js'

export const OFFICER = CHAIR
export const REP_A = { openId: 'ou_rep_a', name: '张代表' }
export const REP_B = { openId: 'ou_rep_b', name: '李代表' }
export const REP_C = { openId: 'ou_rep_c', name: '赵代表' }
export const CONTACT = { openId: 'ou_contact_hq', name: '钱联系人' }
export const WORKER = { openId: 'ou_worker', name: '孙职工' }

/** Registers representatives and a department, and opens a window (as the chair, in private chat). */
export async function setupRoster(t: TestBot, opts: { reps?: Person[]; department?: string; window?: string } = {}): Promise<void> {
  for (const p of [REP_A, REP_B, REP_C, CONTACT, WORKER]) t.fake.users.set(p.openId, { name: p.name })
  await say(t, OFFICER, '代表 添加', opts.reps ?? [REP_A, REP_B, REP_C])
  await say(t, OFFICER, `部门 添加 ${opts.department ?? '后勤保障部'}`, [CONTACT])
  await say(t, OFFICER, `提案征集 开始 ${opts.window ?? '第五届职代会第三次会议'}`)
}

export const CONTENT = '夜班职工反映食堂夜间不供应热食，建议增设夜间窗口并延长供餐时间至凌晨两点。'

/** Walks the submission conversation and returns the new proposal's number. */
export async function submitProposal(t: TestBot, who: Person, opts: { title?: string; content?: string; category?: string } = {}): Promise<string> {
  await say(t, who, '提交提案')
  await say(t, who, opts.title ?? '关于改善夜班职工就餐条件的提案')
  await say(t, who, opts.content ?? CONTENT)
  await say(t, who, opts.category ?? '3')
  await say(t, who, '确认')
  const m = lastText(t, who).match(/编号 (P-\d{4}-\d{3,})/)
  if (!m) throw new Error(`no proposal number in: ${lastText(t, who)}`)
  return m[1]!
}
