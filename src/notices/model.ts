// 厂务公开 notices (issue #15): the number N-012, the categories, limits and the rules between them (read tracking,
// the opinion window and the reply clock of 浙江省企业民主管理条例 Art. 19–23), and the view models the cards draw.
// No I/O.
import { serialNumbers } from '../kit/numbers.js'
import type { TransitionTable } from '../kit/transition.js'
import type { NoticeAudience, NoticeStatus, OpinionStatus } from './tables.js'

export type { NoticeAudience, NoticeStatus, OpinionStatus }

/** N-012: three digits at least; typed as `N-012`, `n012`, `N 12` (not bare digits: 12 alone is an activity). */
export const NOTICE_NUMBER = serialNumbers({ prefix: 'N', digits: 3, maxDigits: 7 })

/** The categories of 厂务公开 the issue names (财务, 福利, 规章制度, 人事, 安全生产), and 其他 for the rest. */
export const NOTICE_CATEGORIES = ['财务', '福利', '规章制度', '人事', '安全生产', '其他'] as const
export type NoticeCategory = (typeof NOTICE_CATEGORIES)[number]

export function parseNoticeCategory(text: string): NoticeCategory | undefined {
  const t = text.normalize('NFKC').trim()
  return (NOTICE_CATEGORIES as readonly string[]).includes(t) ? (t as NoticeCategory) : undefined
}

export const NOTICE_LIMITS = {
  title: 60,
  body: 3000,
  /** The officer's note of what a correction changed, and a withdrawal's reason. */
  note: 200,
  opinion: 1000,
  opinionMin: 5,
  summary: 300,
  reply: 2000,
  /** Chats one notice is posted to from the form. */
  chats: 20,
} as const

/** Withdrawal is the only move: a correction keeps the notice published (as a new version). */
export const NOTICE_TRANSITIONS: TransitionTable<NoticeStatus> = {
  published: ['withdrawn'],
  withdrawn: [],
}

/** An opinion is received, forwarded to the responsible department (the reply clock starts), then answered. */
export const OPINION_TRANSITIONS: TransitionTable<OpinionStatus> = {
  received: ['forwarded'],
  forwarded: ['answered', 'forwarded'],
  answered: [],
}

export const OPINION_STATUS_LABEL: Record<OpinionStatus, string> = {
  received: '待转交',
  forwarded: '待答复',
  answered: '已答复',
}

/** What a notice card shows; plain data, so the builders stay pure. */
export interface NoticeView {
  id: string
  number: string
  /** Officer text (escaped, or formatting-only markdown for the body: cards/escape.ts officerMarkdown). */
  title: string
  body: string
  category: string
  revision: number
  status: NoticeStatus
  publishedAt: Date
  confirmReading: boolean
  readCount: number
  /** Undefined: opinions are not invited. */
  opinionsUntil: Date | undefined
  withdrawnAt: Date | undefined
  withdrawReason: string | undefined
  /** The latest correction: what the officer says changed, and the lines that differ from the version before. */
  correction: { at: Date; note: string; changes: LineChange[] } | undefined
  /** Answers published under the notice, oldest first: the officer's summary of the opinion and the reply. */
  replies: PublishedReply[]
}

export interface PublishedReply {
  seq: number
  department: string
  summary: string | undefined
  reply: string
  repliedAt: Date
}

/** One line of a correction: removed from the old version, or added in the new one. */
export interface LineChange {
  kind: 'removed' | 'added'
  text: string
}

/**
 * The lines that differ between two versions (title, category and body), in order: what a correction shows so no
 * change goes unseen. A simple line diff by the longest common subsequence; notices are short.
 */
export function lineChanges(before: { title: string; category: string; body: string }, after: { title: string; category: string; body: string }): LineChange[] {
  const out: LineChange[] = []
  if (before.title !== after.title) out.push({ kind: 'removed', text: `标题：${before.title}` }, { kind: 'added', text: `标题：${after.title}` })
  if (before.category !== after.category) out.push({ kind: 'removed', text: `类别：${before.category}` }, { kind: 'added', text: `类别：${after.category}` })
  const a = before.body.split('\n')
  const b = after.body.split('\n')
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0))
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!)
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++
      j++
    } else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      // The old line first, then its replacement: how a reader expects a correction.
      out.push({ kind: 'removed', text: a[i++]! })
    } else {
      out.push({ kind: 'added', text: b[j++]! })
    }
  }
  return out.filter((c) => c.text.trim() !== '')
}

/** Confirmed-read figures of one department (members' departments as recorded at publication). */
export interface ReadFigures {
  department: string
  confirmed: number
  expected: number
  /** Read the group card in Feishu (read_users) without clicking 已阅. */
  groupRead: number
}

/**
 * Feishu tells who read a message only for the bot's own messages of the last 7 days (查询消息已读信息, 使用限制:
 * https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/read_users): Feishu's rule, not a
 * setting.
 */
export const FEISHU_READ_USERS_DAYS = 7

/** What Feishu said about who read the notice's group cards. */
export interface GroupReads {
  /** 'none': not posted to groups; 'expired': every group card is older than the window; 'partial': some cards
   * could not be asked (older, or Feishu refused); 'ok': every group card answered. */
  state: 'none' | 'ok' | 'partial' | 'expired'
  readers: ReadonlySet<string>
}

/** One recipient at publication and whether they clicked 已阅. */
export interface RollEntry {
  openId: string
  department: string | null
  confirmed: boolean
}

/**
 * The figures by department: 已阅 clicks and, merged in, those Feishu says read a group card (counted apart, as
 * 群里已读); people who confirmed without being on the roll under 其他人员.
 */
export function readFiguresOf(roll: readonly RollEntry[], othersConfirmed: number, reads: GroupReads): ReadFigures[] {
  const by = new Map<string, ReadFigures>()
  for (const r of roll) {
    const department = r.department ?? '未登记部门'
    const f = by.get(department) ?? { department, confirmed: 0, expected: 0, groupRead: 0 }
    f.expected++
    if (r.confirmed) f.confirmed++
    else if (reads.readers.has(r.openId)) f.groupRead++
    by.set(department, f)
  }
  const figures = [...by.values()].sort((a, b) => (a.department === '未登记部门' ? 1 : b.department === '未登记部门' ? -1 : a.department < b.department ? -1 : a.department > b.department ? 1 : 0))
  if (othersConfirmed > 0) figures.push({ department: '其他人员（非发布时的会员）', expected: 0, confirmed: othersConfirmed, groupRead: 0 })
  return figures
}

/** An opinion as the committee and the department see it (never shown publicly). */
export interface OpinionView {
  id: string
  noticeNumber: string
  noticeTitle: string
  seq: number
  /** Typed by the worker (escape). */
  body: string
  anonymous: boolean
  /** Named opinions only. */
  authorName: string | undefined
  submittedOn: string
  status: OpinionStatus
  department: string | undefined
  summary: string | undefined
  forwardedAt: Date | undefined
  replyDueAt: Date | undefined
  reply: string | undefined
  repliedAt: Date | undefined
}

/** Whether opinions may still be given at `now`. */
export function opinionsOpen(n: { status: NoticeStatus; opinionsUntil: Date | undefined }, now: Date): boolean {
  return n.status === 'published' && n.opinionsUntil !== undefined && now < n.opinionsUntil
}
