// Test helpers for digests: the bot joining groups, scheduler ticks, a history of grievances and proposals written
// straight into the test database (with the columns the grievance and proposal features write), and lookups of
// the digest cards the fake Open API received (talking to the bot: ./chat.ts).
import { expect } from 'vitest'
import type { DeliveredMessage } from '../../devtools/fake-open-api.js'
import type { TestBot } from '../rig/test-bot.js'

/** The bot is added to a group (records the group's name, which the committee notice shows). */
export async function addBotToGroup(t: TestBot, chatId: string, name: string, by = 'ou_chair'): Promise<void> {
  const res = await t.post(t.events.botAdded(chatId, by, name))
  expect(res.status).toBe(200)
  await t.settle()
}

/** Runs the scheduler tick of a bot at a UTC instant (the clock is set to it first). */
export async function tickAt(t: TestBot, clock: { set(to: Date | string): void }, iso: string): Promise<void> {
  clock.set(iso)
  await t.bot.runPeriodic(new Date(iso))
  await t.settle()
}

export const isDigest = (m: DeliveredMessage, title: string) => m.msgType === 'interactive' && m.content?.header?.title?.content === title

/** Digest cards of a kind delivered to a chat (title 工会周报 / 工会日报, with or without （委员会版）). */
export function digestsIn(t: TestBot, chatId: string, kind: '周报' | '日报'): DeliveredMessage[] {
  return t.fake.messagesInChat(chatId).filter((m) => m.msgType === 'interactive' && String(m.content?.header?.title?.content ?? '').startsWith(`工会${kind}`))
}

/** Message create requests the bot made to a chat (successful or not), optionally only those whose content has `containing`. */
export function sendAttempts(t: TestBot, chatId: string, containing?: string): number {
  return t.fake.requests.filter((r) => {
    const body = r.body as { receive_id?: string; content?: string } | undefined
    return r.method === 'POST' && r.path === '/open-apis/im/v1/messages' && body?.receive_id === chatId && (!containing || String(body.content ?? '').includes(containing))
  }).length
}

/** The chart element of a card, if any. */
export function chartOf(card: any): any {
  let found: any
  const visit = (v: unknown): void => {
    if (found) return
    if (Array.isArray(v)) v.forEach(visit)
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>
      if (o.tag === 'chart') found = o
      else Object.values(o).forEach(visit)
    }
  }
  visit(card)
  return found
}

export interface SeedGrievance {
  category: string
  filedAt: string
  status?: 'pending' | 'accepted' | 'declined' | 'resolved' | 'closed'
  acceptedAt?: string
  resolvedAt?: string
  ratedAt?: string
  satisfaction?: 'satisfied' | 'basically_satisfied' | 'dissatisfied'
  closedAt?: string
  acceptDueAt?: string
  resolveDueAt?: string
  description?: string
  reporterName?: string
}

let seq = 0

/** Writes a grievance as the grievance desk would have left it; returns its number. */
export async function seedGrievance(t: TestBot, g: SeedGrievance): Promise<string> {
  const n = ++seq
  const number = `G-2026-${String(9000 + n)}`
  const filed = new Date(g.filedAt)
  await t.bot.services.db
    .insertInto('grievances')
    .values({
      number,
      category: g.category,
      description: g.description ?? `种子诉求 ${n} 的描述内容`,
      attachments: '[]',
      anonymous: g.reporterName === undefined,
      reporter_open_id: g.reporterName === undefined ? null : `ou_seed_${n}`,
      reporter_name: g.reporterName ?? null,
      status: g.status ?? 'pending',
      filed_at: filed,
      accept_due_at: g.acceptDueAt ?? new Date(filed.getTime() + 3 * 86_400_000).toISOString(),
      resolve_due_at: g.resolveDueAt ?? new Date(filed.getTime() + 21 * 86_400_000).toISOString(),
      accepted_at: g.acceptedAt ?? null,
      resolved_at: g.resolvedAt ?? null,
      rated_at: g.ratedAt ?? null,
      satisfaction: g.satisfaction ?? null,
      closed_at: g.closedAt ?? null,
      filing_key: `seed-${n}-${Math.random().toString(36).slice(2)}`,
    })
    .execute()
  return number
}

/** A collection window, a department and proposals in given states (as the proposal feature stores them). */
export async function seedProposals(
  t: TestBot,
  opts: {
    windowName: string
    department: string
    openedAt: string
    proposals: Array<{ status: string; submittedAt: string; reviewedAt?: string; answeredAt?: string; ratedAt?: string; satisfaction?: string; dueDate?: string; title?: string }>
  },
): Promise<string[]> {
  const db = t.bot.services.db
  const w = await db.insertInto('proposal_windows').values({ name: opts.windowName, opened_at: opts.openedAt, opened_by: 'ou_chair' }).returning('id').executeTakeFirstOrThrow()
  const d = await db
    .insertInto('proposal_departments')
    .values({ name: opts.department, contact_open_id: 'ou_contact_seed', contact_name: '钱联系人', added_by: 'ou_chair', added_at: opts.openedAt, updated_at: opts.openedAt })
    .returning('id')
    .executeTakeFirstOrThrow()
  const numbers: string[] = []
  for (const [i, p] of opts.proposals.entries()) {
    const number = `P-2026-${String(900 + i)}`
    await db
      .insertInto('proposals')
      .values({
        number,
        year: 2026,
        seq: 900 + i,
        window_id: w.id,
        proposer_open_id: `ou_rep_seed_${i}`,
        title: p.title ?? `种子提案 ${i}`,
        content: '种子提案的案由及建议，足够长的一段文字。',
        category: '生活福利',
        status: p.status,
        submitted_at: p.submittedAt,
        reviewed_at: p.reviewedAt ?? null,
        department_id: p.dueDate ? d.id : null,
        due_date: p.dueDate ?? null,
        answered_at: p.answeredAt ?? null,
        rated_at: p.ratedAt ?? null,
        satisfaction: p.satisfaction ?? null,
        updated_at: p.submittedAt,
      })
      .execute()
    numbers.push(number)
  }
  return numbers
}

let activitySeq = 0

/** An activity as the activities feature stores it, with sign-ups (confirmed, some checked in, some cancelled). */
export async function seedActivity(
  t: TestBot,
  a: {
    title: string
    startsAt: string
    hours?: number
    signupDeadline: string
    capacity: number
    status?: 'open' | 'cancelled' | 'ended'
    cancelledAt?: string
    signups?: Array<{ status: 'confirmed' | 'waitlisted' | 'cancelled'; checkedIn?: boolean }>
  },
): Promise<{ id: string; number: string }> {
  const db = t.bot.services.db
  const seqNo = 800 + ++activitySeq
  const starts = new Date(a.startsAt)
  const signups = a.signups ?? []
  const confirmed = signups.filter((s) => s.status === 'confirmed').length
  const row = await db
    .insertInto('activities')
    .values({
      seq_no: seqNo,
      number: `A-${seqNo}`,
      title: a.title,
      place: '职工之家',
      starts_at: starts,
      ends_at: new Date(starts.getTime() + (a.hours ?? 2) * 3600_000),
      signup_deadline: a.signupDeadline,
      capacity: a.capacity,
      status: a.status ?? 'open',
      confirmed_count: confirmed,
      waitlist_count: signups.filter((s) => s.status === 'waitlisted').length,
      created_by: 'ou_chair',
      created_at: '2026-11-01T02:00:00Z',
      created_event_id: `seed-activity-${seqNo}`,
      cancelled_at: a.cancelledAt ?? null,
    })
    .returning(['id', 'number'])
    .executeTakeFirstOrThrow()
  for (const [i, s] of signups.entries()) {
    await db
      .insertInto('activity_signups')
      .values({
        activity_id: String(row.id),
        open_id: `ou_member_${seqNo}_${i}`,
        status: s.status,
        seq: String(seqNo * 1000 + i),
        signed_up_at: '2026-11-02T02:00:00Z',
        confirmed_at: s.status === 'confirmed' ? '2026-11-02T02:00:00Z' : null,
        cancelled_at: s.status === 'cancelled' ? '2026-11-03T02:00:00Z' : null,
        checked_in_at: s.checkedIn ? starts : null,
      })
      .execute()
  }
  return { id: String(row.id), number: row.number }
}

// ---- differencing (security review F4) ----

/** One number a public digest shows: a count of grievances of `measure` filed/accepted/… on the days [from, to]. */
export interface ShownFact {
  /** Where it was read, for failure messages. */
  source: string
  measure: 'filed' | 'accepted' | 'resolved' | 'rated'
  from: string
  to: string
  /** The categories counted: every category, the named ones, or every category but those named in its table (其余类别). */
  categories: { all: true } | { only: string[] } | { allBut: string[] }
  value: number
}

const addDay = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)

/** Reads every grievance count a digest card shows: the figures, the categories and each week of the chart. */
export function shownFacts(card: any, source: string, year: number): ShownFact[] {
  const texts: string[] = []
  JSON.stringify(card, (_k, v) => {
    if (v && typeof v === 'object' && v.tag === 'markdown' && typeof v.content === 'string') texts.push(v.content)
    return v
  })
  const text = texts.join('\n')
  const dates = String(card.header?.subtitle?.content ?? '').match(/\d{4}-\d{2}-\d{2}/g) ?? []
  const from = dates[0]!
  const to = dates[dates.length - 1]!
  const out: ShownFact[] = []
  const figure = (label: string, measure: ShownFact['measure']) => {
    const m = text.match(new RegExp(`<font color='grey'>${label}</font>\\n\\*\\*(\\d+)\\*\\* 件`))
    if (m) out.push({ source: `${source} ${label}`, measure, from, to, categories: { all: true }, value: Number(m[1]) })
  }
  figure('新提交', 'filed')
  figure('已受理', 'accepted')
  figure('已办结', 'resolved')
  const rated = text.match(/满意度：\*\*\d+%（共 (\d+) 件评价）/)
  if (rated) out.push({ source: `${source} 评价`, measure: 'rated', from, to, categories: { all: true }, value: Number(rated[1]) })
  const line = text.match(/\*\*按类别（新提交）：\*\*([^\n]*)/)
  if (line) {
    const cells = line[1]!
      .split('，')
      .map((part) => part.match(/^(\S+) (\d+)$/))
      .filter((m): m is RegExpMatchArray => m !== null)
      .map((m) => ({ category: m[1]!, count: Number(m[2]) }))
    const named = cells.filter((c) => c.category !== '其余类别').map((c) => c.category)
    for (const c of cells) {
      const categories = c.category === '其余类别' ? { allBut: named } : { only: [c.category] }
      out.push({ source: `${source} 类别 ${c.category}`, measure: 'filed', from, to, categories, value: c.count })
    }
  }
  const chart = chartOf(card)
  if (chart) {
    const byWeek = new Map<string, Array<{ category: string; count: number }>>()
    for (const v of chart.chart_spec.data.values as Array<{ week: string; category: string; count: number }>) {
      if (v.count === 0) continue
      byWeek.set(v.week, [...(byWeek.get(v.week) ?? []), v])
    }
    for (const [week, cells] of byWeek) {
      const monday = `${year}-${week.replace('/', '-')}`
      const named = cells.filter((c) => c.category !== '其余类别').map((c) => c.category)
      for (const c of cells) {
        const categories = c.category === '其余类别' ? { allBut: named } : { only: [c.category] }
        out.push({ source: `${source} 图 ${week} ${c.category}`, measure: 'filed', from: monday, to: addDay(monday, 6), categories, value: c.count })
      }
      // The height of the stacked bar: the week's total.
      out.push({ source: `${source} 图 ${week} 合计`, measure: 'filed', from: monday, to: addDay(monday, 6), categories: { all: true }, value: cells.reduce((n, c) => n + c.count, 0) })
    }
  }
  return out
}

const categorySet = (c: ShownFact['categories'], all: readonly string[]): Set<string> =>
  new Set('all' in c ? all : 'only' in c ? c.only : all.filter((x) => !c.allBut.includes(x)))

/**
 * Every count a reader can work out by subtraction: a shown figure minus any set of shown figures inside it (same
 * measure, days and categories within its own) that do not overlap each other. Returns those below `k` but above 0,
 * which would single out a case (a shown figure itself below k counts too).
 */
export function derivableSmallCounts(facts: readonly ShownFact[], k: number, allCategories: readonly string[]): string[] {
  const unique = new Map<string, ShownFact & { cats: Set<string> }>()
  const conflicts: string[] = []
  for (const f of facts) {
    const cats = categorySet(f.categories, allCategories)
    const key = `${f.measure}|${f.from}|${f.to}|${[...cats].sort().join(',')}`
    const seen = unique.get(key)
    // The same cell shown twice with different values (a running week's bar that grew): the change is a count.
    const change = seen ? Math.abs(f.value - seen.value) : 0
    if (seen && change > 0 && change < k) conflicts.push(`${f.source} = ${f.value} but ${seen.source} = ${seen.value}: the same cell changed by ${change}`)
    if (!seen) unique.set(key, { ...f, cats })
  }
  const list = [...unique.values()]
  const leaks: string[] = [...conflicts]
  for (const f of list) if (f.value > 0 && f.value < k) leaks.push(`${f.source} shows ${f.value}`)
  const inside = (b: (typeof list)[number], a: (typeof list)[number]) => b !== a && b.measure === a.measure && b.from >= a.from && b.to <= a.to && [...b.cats].every((c) => a.cats.has(c))
  const overlap = (x: (typeof list)[number], y: (typeof list)[number]) => x.from <= y.to && y.from <= x.to && [...x.cats].some((c) => y.cats.has(c))
  for (const a of list) {
    const parts = list.filter((b) => inside(b, a))
    // Every set of non-overlapping parts (depth-first; the parts of one container are few).
    const walk = (start: number, chosen: typeof parts, sum: number): void => {
      if (chosen.length > 0) {
        const rest = a.value - sum
        if (rest > 0 && rest < k) leaks.push(`${a.source} (${a.value}) − ${chosen.map((c) => `${c.source} (${c.value})`).join(' − ')} = ${rest}`)
      }
      for (let i = start; i < parts.length; i++) {
        if (chosen.some((c) => overlap(c, parts[i]!))) continue
        walk(i + 1, [...chosen, parts[i]!], sum + parts[i]!.value)
      }
    }
    walk(0, [], 0)
  }
  return leaks
}
