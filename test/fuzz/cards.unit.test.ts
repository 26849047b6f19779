// Card fuzzing (issue #7, bad input): every card builder in cards/*.ts, every field a person can type (and every
// name Feishu gives us) filled with Feishu markdown and mention syntax, links, control and bidi characters, long
// CJK runs and random unicode, within the lengths and counts the features allow. Each card must stay valid JSON
// (a stable round trip), within Feishu's limits (30 KB, 200 elements), and mention nobody / link nowhere: no
// markdown text holds an unescaped tag, a markdown link or a URL that came from the input (plain_text may hold
// anything). Besides the random runs, each builder is also run with every field at its worst (longest, most
// expensive after escaping). Bounded in `npm test`; `npm run fuzz` runs it longer (FUZZ_RUNS).
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as activityForms from '../../cards/activities/forms.js'
import * as evidenceCards from '../../cards/evidence.js'
import * as activityLists from '../../cards/activities/lists.js'
import * as activity from '../../cards/activities/activity.js'
import * as noticeCards from '../../cards/notices/notice.js'
import * as noticeForms from '../../cards/notices/forms.js'
import * as noticeOpinions from '../../cards/notices/opinions.js'
import { NOTICE_CATEGORIES, NOTICE_LIMITS, type NoticeView, type OpinionView } from '../../src/notices/model.js'
import * as careCare from '../../cards/care/care.js'
import * as hardshipCards from '../../cards/hardship/hardship.js'
import { CARE_KINDS, GIFT_MAX, MAX_FEN, ROSTER_MAX_ROWS } from '../../src/care/model.js'
import {
  ATTACHMENTS_MAX as HARDSHIP_ATTACHMENTS_MAX,
  HARDSHIP_TRANSITIONS,
  HOUSEHOLD_MAX,
  NOTE_MAX as HARDSHIP_NOTE_MAX,
  REASON_MAX as HARDSHIP_REASON_MAX,
  classify,
  type HardshipStatus,
} from '../../src/hardship/model.js'
import * as digestNotices from '../../cards/digests/notices.js'
import * as digestReport from '../../cards/digests/report.js'
import * as digest from '../../cards/digests/digest.js'
import * as deskQueue from '../../cards/desk/queue.js'
import * as grievanceFiling from '../../cards/grievances/filing.js'
import * as grievanceNotices from '../../cards/grievances/notices.js'
import * as grievanceReview from '../../cards/grievances/review.js'
import * as grievanceWorker from '../../cards/grievances/worker.js'
import * as help from '../../cards/help.js'
import * as mediationApply from '../../cards/mediation/apply.js'
import * as mediationCase from '../../cards/mediation/case.js'
import * as supervisionMatter from '../../cards/supervision/matter.js'
import * as supervisionHazard from '../../cards/supervision/hazard.js'
import * as supervisionDismissal from '../../cards/supervision/dismissal.js'
import { DISMISSAL_GROUNDS, DISMISSAL_RESULTS, DISMISSAL_TEXT_MAX_CHARS, DISMISSAL_TRANSITIONS, WORKER_NAME_MAX_CHARS, type DismissalStatus } from '../../src/supervision/dismissal.js'
import { SUPERVISION_TEXT_MAX_CHARS, SUPERVISION_TRANSITIONS, SUPERVISION_TYPES, type SupervisionStatus } from '../../src/supervision/model.js'
import * as organisationRoster from '../../cards/organisation/roster.js'
import * as organisationSetup from '../../cards/organisation/setup.js'
import * as holidays from '../../cards/organisation/holidays.js'
import * as talk from '../../cards/talk.js'
import * as imports from '../../cards/imports.js'
import * as pollCards from '../../cards/polls/poll.js'
import * as meetingCards from '../../cards/congress/meeting.js'
import { AUDIENCES, POLL_LIMITS, computeResults, type Poll } from '../../src/polls/model.js'
import type { ItemView, Meeting } from '../../src/congress/model.js'
import { CARD_MAX_BYTES, CARD_MAX_ELEMENTS, cardByteSize, countElements, type Card } from '../../cards/kit.js'
import * as organisationLeavers from '../../cards/organisation/leavers.js'
import * as organisationMembers from '../../cards/organisation/members.js'
import * as proposalAdmin from '../../cards/proposals/admin.js'
import * as proposalSubmit from '../../cards/proposals/submit.js'
import * as proposalWork from '../../cards/proposals/work.js'
import * as proposal from '../../cards/proposals/proposal.js'
import { registerHandlers } from '../../handlers/index.js'
import type { GrievanceEventKind, GrievanceStatus, Satisfaction, StoredAttachment } from '../../src/grievances/tables.js'
import { BotRouter } from '../../src/dispatch/router.js'
import { statutoryHolidays } from '../../src/calendar.js'
import { ARRANGEMENT_TEXT_MAX, formatArrangement, parseArrangement } from '../../src/organisation/holidays.js'
import { addDays } from '../../src/time.js'
import {
  APPLICATION_MAX_CHARS,
  CLAIM_KINDS,
  MEDIATION_TRANSITIONS,
  OFFICER_TEXT_MAX_CHARS as M_OFFICER_MAX,
  OTHER_PARTY_MAX_CHARS,
  PAYMENT_ORDER_HINT,
  SIGNATORIES,
  arbitrationHint, limitationClause, limitationWarning,
  mediationClock,
  type MediationStatus,
} from '../../src/mediation/model.js'
import { IMPORT_MAX_ROWS, MEMBER_TRANSITIONS, REFUSAL_REASON_MAX, TRANSFER_REASON_MAX, type MemberStatus } from '../../src/organisation/members-model.js'
import {
  DESCRIPTION_MAX_CHARS,
  ESCALATION_SUMMARY_MAX_CHARS,
  DESCRIPTION_MIN_CHARS,
  FOLLOW_UP_MAX_CHARS,
  GRIEVANCE_CATEGORIES,
  MAX_ATTACHMENTS,
  OFFICER_TEXT_MAX_CHARS,
} from '../../src/grievances/model.js'
import {
  ANSWER_MAX,
  CATEGORIES as PROPOSAL_CATEGORIES,
  CONTENT_MAX,
  CONTENT_MIN,
  DEPARTMENT_NAME_MAX,
  REASON_MAX,
  STATUSES as PROPOSAL_STATUSES,
  TITLE_MAX,
  WINDOW_NAME_MAX,
} from '../../src/proposals/model.js'
import { COMMITTEE_NAME_MAX, KNOWN_COMMITTEES, OFFICER_ROLES } from '../../src/organisation/model.js'
import * as learningHours from '../../cards/learning/hours.js'
import * as learningLibrary from '../../cards/learning/library.js'
import * as recognitionNominations from '../../cards/recognition/nominations.js'
import * as recognitionRounds from '../../cards/recognition/rounds.js'
import { BOOK_TITLE_MAX, LEARNING_KINDS, MAX_MINUTES, READING_NOTE_MAX, SOURCE_MAX } from '../../src/learning/model.js'
import { CASE_STEPS } from '../../src/mediation/actions.js'
import {
  ANSWER_REASON_MAX,
  NOMINATION_STATUSES,
  NOMINATORS,
  OBJECTION_MAX,
  PLACES_MAX,
  COSIGNERS_MAX,
  ROUND_NAME_MAX,
  ROUND_STATUSES,
  STORY_MAX,
} from '../../src/recognition/model.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 15)
/** Runs per fc.assert (see the fuzzed tests below). */
const CHUNK = 25
/** A long `npm run fuzz` needs more than the default 30 s for the builders with long lists. */
const TIMEOUT = Math.max(30_000, RUNS * 100)
const TZ = 'Asia/Shanghai'

// ---------------------------------------------------------------------------------------------------------------
// What people type, and the bounds the features allow.

/** Feishu markdown and mention syntax, links, entities, tables, control and bidi characters, emoji. */
const FRAGMENTS = [
  '<at id=all></at>', '<at id="all"></at>', '<at user_id="ou_x">x</at>', '<at email=a@b.c></at>', '<at open_id=ou_y></at>',
  '[t](http://e.com)', '[点我](https://evil.example/x?y=1)', '<a href="http://e.com">x</a>', "<a href='https://evil.example'>", '<A HREF=http://e.com>',
  '<link url="http://e.com">', '<link icon="chat_outlined" url="https://evil.example"/>', '# ', '## 标题\n', '**', '*', '__', '_', '~~', '~',
  '<font color=red>', "<font color='red'>", '</font>', '<text_tag color=red>x</text_tag>', '<person id=ou_x></person>', '<person id="ou_x" show_name=true>',
  '![i](img_v2_key)', ':OK:', ':DONE:', '&#60;at id=all&#62;', '&lt;at&gt;', '&amp;', '&sim;', '&#x3C;', '`', '```js\ncode\n```', '|', '| a | b |\n|---|---|\n',
  '\n', '\r\n', '\t', '> 引用', '- 列表', '1. 项', '---', '<br>', '<hr>', '$x$', '\\', '\\<at id=all>', '<<at id=all>>', '<\nat id=all>',
  'http://e.com', 'https://evil.example/x', 'mailto:a@b.c', 'lark://applink.feishu.cn/client/chat/open', 'javascript:alert(1)',
  '工资拖欠三个月', '加班费', '👍', '👨‍👩‍👧', '🇨🇳', '\u202e', '\u200b', '\u2066', '\u0000', '\u0007', '\u001b[31m', '\ufeff', '\u2028', '\u00a0', '＜at id=all＞',
]
/** URLs (by scheme) that may appear in fragments: none may reach markdown as written. */
const URL_MARKERS = ['://', 'mailto:', 'javascript:']
const MEMBER_STATUSES = Object.keys(MEMBER_TRANSITIONS) as MemberStatus[]
/** Display names (Feishu contact names, mention names): at most this many characters. */
const NAME_MAX = 64

/** A piece of hostile text; CJK runs at most `max` characters, so nothing much longer than needed is generated. */
function piece(max: number): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...FRAGMENTS), weight: 6 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 8 }), weight: 2 },
    { arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }), weight: 1 },
    { arbitrary: fc.integer({ min: 1, max: Math.max(1, Math.min(max, 200)) }).map((n) => '职工反映'.repeat(Math.ceil(n / 4))), weight: 1 },
  )
}

/** Shortened to `max` code points (as the features count), padded to `min` with CJK. */
function fit(s: string, max: number, min = 0): string {
  const chars = Array.from(s)
  const cut = chars.length > max ? chars.slice(0, max).join('') : s
  const n = Math.min(max, Array.from(cut).length)
  return n >= min ? cut : cut + '字'.repeat(min - n)
}

function hostile(max: number, min = 0): fc.Arbitrary<string> {
  return fc
    .oneof(
      { arbitrary: fc.array(piece(max), { maxLength: 12 }).map((p) => p.join('')), weight: 6 },
      // Long texts made of fragments (about 12 characters a fragment on average).
      { arbitrary: fc.array(piece(max), { maxLength: Math.ceil(max / 12) + 1, size: 'max' }).map((p) => p.join('')), weight: 1 },
      { arbitrary: fc.string({ unit: 'binary', maxLength: max, size: 'max' }), weight: 1 },
      // The most expensive text after escaping: every character becomes a 5-byte entity.
      { arbitrary: fc.constant('<'.repeat(max)), weight: 1 },
    )
    .map((s) => fit(s, max, min))
}

/** How a view is filled: randomly (fuzz), or with every field at its worst. */
interface Gen {
  text(max: number, min?: number): string
  name(): string
  list<T>(max: number, item: (i: number) => T, min?: number): T[]
  pick<T>(options: readonly T[]): T
  int(min: number, max: number): number
  bool(): boolean
  date(): Date
}

function fuzzGen(g: fc.GeneratorValue): Gen {
  return {
    text: (max, min = 0) => g(() => hostile(max, min)),
    name: () => g(() => hostile(NAME_MAX)),
    // Mostly short lists, now and then long ones (full lists are the worst case's business, which is cheaper).
    list: (max, item, min = 0) => {
      const long = Math.min(max, 200)
      const n = g(() => fc.oneof({ arbitrary: fc.integer({ min, max: Math.max(min, Math.min(max, 6)) }), weight: 4 }, { arbitrary: fc.integer({ min, max: long }), weight: 1 }, { arbitrary: fc.constant(long), weight: 1 }))
      return Array.from({ length: n }, (_, i) => item(i))
    },
    pick: (options) => g(() => fc.constantFrom(...options)),
    int: (min, max) => g(() => fc.integer({ min, max })),
    bool: () => g(() => fc.boolean()),
    date: () => g(() => fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true })),
  }
}

/** Every text at its maximum of '<' (5 bytes each once escaped), every list full; `variant` rotates the choices. */
function worstGen(variant: number): Gen {
  let picks = 0
  return {
    text: (max) => '<'.repeat(max),
    name: () => '<'.repeat(NAME_MAX),
    list: (max, item) => Array.from({ length: max }, (_, i) => item(i)),
    pick: (options) => options[(variant + picks++) % options.length]!,
    int: (_min, max) => max,
    bool: () => variant % 2 === 0,
    date: () => new Date('2026-12-31T15:59:00Z'),
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The checks: valid JSON, within limits, markup only from the bot.

/** Tags the bot itself writes in markdown (colours of notes and warnings); any other `<` came from the input. */
const BOT_TAGS = /<font color='(?:grey|red|green|orange)'>|<\/font>/g
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/

function walk(v: unknown, visit: (o: Record<string, unknown>) => void): void {
  if (Array.isArray(v)) v.forEach((x) => walk(x, visit))
  else if (v && typeof v === 'object') {
    visit(v as Record<string, unknown>)
    Object.values(v).forEach((x) => walk(x, visit))
  }
}

/** Every text Feishu parses as markup: markdown elements' content and lark_md texts. */
function markupTexts(c: Card): string[] {
  const out: string[] = []
  walk(c, (o) => {
    if ((o.tag === 'markdown' || o.tag === 'lark_md') && typeof o.content === 'string') out.push(o.content)
  })
  return out
}

function jsonSafe(v: unknown, path: string): void {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`${path}: ${v} is not a JSON number`)
    return
  }
  if (Array.isArray(v)) return v.forEach((x, i) => jsonSafe(x, `${path}[${i}]`))
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    for (const [k, x] of Object.entries(v as object)) jsonSafe(x, `${path}.${k}`)
    return
  }
  throw new Error(`${path}: ${typeof v} does not survive JSON`)
}

function checkCard(c: Card, where: string): void {
  jsonSafe(c, where)
  const json = JSON.stringify(c)
  expect(JSON.stringify(JSON.parse(json)), `${where}: JSON round trip`).toBe(json)
  expect(c.schema, where).toBe('2.0')
  expect(c.config.update_multi, where).toBe(true)
  expect(Array.isArray(c.body.elements), where).toBe(true)
  expect(cardByteSize(c), `${where}: bytes`).toBeLessThanOrEqual(CARD_MAX_BYTES)
  expect(countElements(c), `${where}: elements`).toBeLessThanOrEqual(CARD_MAX_ELEMENTS)
  for (const text of markupTexts(c)) {
    const lower = text.toLowerCase()
    for (const marker of ['<at', '<person', '<a ', '<a\n', '<link', '](']) expect(lower.includes(marker), `${where}: markdown holds ${JSON.stringify(marker)}: ${text.slice(0, 300)}`).toBe(false)
    const leftover = text.replace(BOT_TAGS, '')
    expect(leftover.includes('<'), `${where}: a tag that is not the bot's: ${text.slice(0, 300)}`).toBe(false)
    for (const marker of URL_MARKERS) expect(lower.includes(marker), `${where}: a URL in markdown: ${text.slice(0, 300)}`).toBe(false)
    expect(CONTROL.test(text), `${where}: control or bidi character in markdown`).toBe(false)
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Views, as the handlers build them: typed fields filled by the Gen, the bot's own values realistic.

const STATUSES: GrievanceStatus[] = ['pending', 'accepted', 'declined', 'resolved', 'closed', 'transferred']
const RATINGS: Satisfaction[] = ['satisfied', 'basically_satisfied', 'dissatisfied']
const KINDS: GrievanceEventKind[] = ['filed', 'accepted', 'declined', 'assigned', 'replied', 'noted', 'resolved', 'follow_up', 'rated', 'reopened', 'recused', 'extension_requested', 'extended', 'extension_refused', 'review_requested', 'review_upheld', 'review_reversed', 'transferred', 'identity_requested', 'identity_answered']
const gNumber = (g: Gen) => `G-2026-${String(g.int(1, 9999)).padStart(4, '0')}`
const pNumber = (g: Gen) => `P-2026-${String(g.int(1, 999)).padStart(3, '0')}`
const aNumber = (g: Gen) => `A-${String(g.int(1, 999)).padStart(3, '0')}`
const openId = (g: Gen) => `ou_${g.int(0, 1e9).toString(16)}`

function attachments(g: Gen): StoredAttachment[] {
  // Up to 20 at filing and as many again with follow-ups; Feishu file names up to 200 characters.
  return g.list(MAX_ATTACHMENTS * 2, (i) => ({ kind: g.pick(['image', 'file'] as const), key: `file_v2_${i}`, ...(g.bool() ? { name: g.text(200) } : {}) }))
}

function caseFacts(g: Gen): grievanceReview.CaseFacts {
  return {
    id: g.int(1, 100_000),
    number: gNumber(g),
    category: g.pick(GRIEVANCE_CATEGORIES),
    status: g.pick(STATUSES),
    description: g.text(DESCRIPTION_MAX_CHARS, DESCRIPTION_MIN_CHARS),
    attachments: attachments(g),
    anonymous: g.bool(),
    filedAt: g.date(),
    acceptDueAt: g.date(),
    resolveDueAt: g.date(),
    acceptEstimated: g.bool(),
    resolveEstimated: g.bool(),
    satisfaction: g.bool() ? g.pick(RATINGS) : null,
    reopenedCount: g.int(0, 5),
    timeZone: TZ,
  }
}

function history(g: Gen): grievanceReview.HistoryEntry[] {
  return g.list(80, () => {
    const kind = g.pick(KINDS)
    const text = kind === 'follow_up' ? g.text(FOLLOW_UP_MAX_CHARS) : ['declined', 'replied', 'noted', 'resolved'].includes(kind) ? g.text(OFFICER_TEXT_MAX_CHARS) : undefined
    const target = kind === 'assigned' ? g.name() : kind === 'rated' ? g.pick(['满意', '基本满意', '不满意']) : undefined
    return { at: g.date(), actor: g.bool() ? g.name() : g.pick(['匿名职工', '系统', '工会干部']), kind, ...(text !== undefined ? { text } : {}), ...(target !== undefined ? { target } : {}) }
  })
}

function reviewView(g: Gen): grievanceReview.ReviewCardView {
  const facts = caseFacts(g)
  const officers = g.list(30, () => ({ openId: openId(g), name: g.name() }), 1)
  const assigned = g.bool()
  return {
    ...facts,
    reporterLabel: facts.anonymous ? '匿名职工' : g.name(),
    acceptedAt: g.bool() ? g.date() : null,
    resolvedAt: g.bool() ? g.date() : null,
    closedAt: g.bool() ? g.date() : null,
    ...(assigned ? { assigneeOpenId: officers[0]!.openId, assigneeName: g.name() } : {}),
    declineReason: g.bool() ? g.text(OFFICER_TEXT_MAX_CHARS) : null,
    resolution: g.bool() ? g.text(OFFICER_TEXT_MAX_CHARS) : null,
    ...(g.bool() ? { acceptOverdueDays: g.int(0, 30) } : {}),
    ...(g.bool() ? { resolveOverdueDays: g.int(0, 30) } : {}),
    history: history(g),
    officers,
    revision: g.int(0, 1000),
    ...(g.bool() ? { routedTo: g.text(30, 1) } : {}),
    ...(g.bool() ? { extensionPending: g.pick([5, 10, 15]) } : {}),
    timeClass: g.pick(['general', 'complex'] as const),
    ...(g.bool() ? { source: g.pick(['in_person', 'phone', 'letter'] as const) } : {}),
    ...(g.bool() ? { escalatedTo: g.pick(['upper_union', 'hotline_12351', 'labour_inspection'] as const), escalationSummary: g.text(ESCALATION_SUMMARY_MAX_CHARS) } : {}),
    ...(facts.anonymous && g.bool() ? { identity: g.bool() ? { pending: true } : { pending: false, releasedName: g.name() } } : {}),
  }
}

const PROPOSAL_KINDS = ['submitted', 'cosigned', 'review_ready', 'registered', 'rejected', 'assigned', 'answered', 'rated', 'withdrawn', 'overdue', 'urged']
const isoDay = (d: Date) => d.toISOString().slice(0, 10)

function proposalView(g: Gen): proposal.ProposalView {
  const status = g.pick(PROPOSAL_STATUSES)
  const answered = g.bool()
  return {
    number: pNumber(g),
    title: g.text(TITLE_MAX, 1),
    content: g.text(CONTENT_MAX, CONTENT_MIN),
    category: g.pick(PROPOSAL_CATEGORIES),
    status,
    windowName: g.text(WINDOW_NAME_MAX, 1),
    proposerName: g.name(),
    // Every representative may co-sign; a large congress has a few hundred.
    cosignerNames: g.list(300, () => g.name()),
    minCosigners: g.int(0, 10),
    followerCount: g.int(0, 5000),
    ...(g.bool() ? { departmentName: g.text(DEPARTMENT_NAME_MAX, 1) } : {}),
    ...(g.bool() ? { dueDate: isoDay(g.date()) } : {}),
    overdue: g.bool(),
    ...(g.bool() ? { reviewReason: g.text(REASON_MAX) } : {}),
    ...(g.bool() ? { withdrawReason: g.text(REASON_MAX) } : {}),
    ...(answered ? { answerText: g.text(ANSWER_MAX), answerClass: g.pick(['A', 'B', 'C']), answeredAt: g.date() } : {}),
    ...(g.bool() ? { answerFiles: { id: g.int(1, 2_000_000_000), count: g.int(1, 9) } } : {}),
    ...(g.bool() ? { satisfaction: g.pick(['satisfied', 'basically_satisfied', 'dissatisfied']) } : {}),
    reopenCount: g.int(0, 5),
    submittedAt: g.date(),
    timeline: g.list(400, () => {
      const kind = g.pick(PROPOSAL_KINDS)
      return {
        at: g.date(),
        kind,
        ...(kind === 'cosigned' ? { who: g.name() } : {}),
        ...(['registered', 'rejected', 'withdrawn'].includes(kind) && g.bool() ? { note: g.text(REASON_MAX) } : {}),
        detail: { department: g.text(DEPARTMENT_NAME_MAX), dueDate: isoDay(g.date()), answerClass: g.pick(['A', 'B', 'C']), satisfaction: g.pick(['satisfied', 'basically_satisfied', 'dissatisfied']), count: g.int(0, 300) },
      }
    }),
    cosignOpen: g.bool(),
    timeZone: TZ,
  }
}

function listedItem(g: Gen): proposal.ListedItem {
  return { number: pNumber(g), title: g.text(TITLE_MAX, 1), status: g.pick(PROPOSAL_STATUSES), dueDate: g.bool() ? isoDay(g.date()) : null, overdue: g.bool(), mine: g.bool() }
}

const PHASES: activity.ActivityCardPhase[] = ['signup', 'closed', 'checkin', 'ended', 'cancelled']

function activityView(g: Gen): activity.ActivityView {
  return {
    id: String(g.int(1, 1e6)),
    number: aNumber(g),
    title: g.text(activityForms.ACTIVITY_LIMITS.title, 1),
    description: g.text(activityForms.ACTIVITY_LIMITS.description),
    place: g.text(activityForms.ACTIVITY_LIMITS.place, 1),
    startsAt: g.date(),
    endsAt: g.date(),
    signupDeadline: g.date(),
    capacity: g.int(0, activityForms.ACTIVITY_LIMITS.maxCapacity),
    confirmed: g.int(0, 100_000),
    waitlisted: g.int(0, 100_000),
    allowCancelAfterDeadline: g.bool(),
    // The officer's reason as typed after 取消活动 A-012 (the command cuts it to 200).
    cancelReason: g.bool() ? g.text(200) : null,
    checkinCodeRequired: g.bool(),
  }
}

const pickerText = (g: Gen) => `${isoDay(g.date())} ${String(g.int(0, 23)).padStart(2, '0')}:${String(g.int(0, 59)).padStart(2, '0')}`

/** A chat id as Feishu makes them (oc_ and 32 hex digits): ids come from Feishu, nobody types them. */
const chatId = (g: Gen) => `oc_${g.int(0, 2 ** 31).toString(16).padStart(32, '0')}`

function period(g: Gen, kind: 'weekly' | 'daily' | 'monthly' | 'quarterly') {
  const from = g.date()
  const to = new Date(from.getTime() + g.int(1, 92) * 86_400_000)
  return { kind, key: isoDay(from), from, to, firstDay: isoDay(from), lastDay: isoDay(to), partial: g.bool() }
}

const grievanceFigures = (g: Gen) => ({
  filed: g.int(0, 9999),
  accepted: g.int(0, 9999),
  resolved: g.int(0, 9999),
  declined: g.int(0, 9999),
  transferred: g.int(0, 9999),
  medianAcceptSeconds: g.bool() ? g.int(0, 9e6) : null,
  medianResolveSeconds: g.bool() ? g.int(0, 9e6) : null,
  rated: { satisfied: g.int(0, 999), basicallySatisfied: g.int(0, 999), dissatisfied: g.int(0, 999) },
  open: { pending: g.int(0, 999), accepted: g.int(0, 999) },
})

const categories = (g: Gen) => ({ shown: g.list(GRIEVANCE_CATEGORIES.length, (i) => ({ category: GRIEVANCE_CATEGORIES[i]!, count: g.int(1, 999) })), hiddenTotal: g.int(0, 9) })

const proposalsPart = (g: Gen) => ({
  figures: { submitted: g.int(0, 999), registered: g.int(0, 999), rejected: g.int(0, 999), answered: g.int(0, 999), rated: { satisfied: g.int(0, 99), basic: g.int(0, 99), unsatisfied: g.int(0, 99) } },
  // The collection window's name, as an officer typed it.
  window: { windowId: g.int(1, 99), windowName: g.text(WINDOW_NAME_MAX, 1), open: g.bool(), byStatus: Object.fromEntries(PROPOSAL_STATUSES.map((s) => [s, g.int(0, 999)])), total: g.int(0, 8000), overdue: g.int(0, 999) },
})

function digestView(g: Gen): digest.DigestView {
  const audience = g.pick(['public', 'committee'] as const)
  const weeks = Array.from({ length: 8 }, (_, i) => `10/${String(i + 1).padStart(2, '0')}`)
  const series = [...GRIEVANCE_CATEGORIES, '其余类别']
  const line = <T,>(max: number, item: () => T) => {
    const items = g.list(max, item)
    return { items, total: items.length + g.int(0, 500) }
  }
  return {
    kind: g.pick(['weekly', 'daily'] as const),
    audience,
    period: period(g, 'weekly') as never,
    generatedAt: g.date(),
    timeZone: TZ,
    grievances: grievanceFigures(g),
    categories: categories(g),
    chart: { weeks, series, values: weeks.flatMap((week) => series.map((category) => ({ week, category, count: g.int(0, 999) }))) },
    ...(g.bool() ? { proposals: proposalsPart(g) } : {}),
    // Activities of the coming week, at most 10 (UPCOMING_LIMIT, handlers/digests/shared.ts), titles as typed.
    ...(g.bool() ? { activities: g.list(10, () => ({ id: String(g.int(1, 1e6)), number: aNumber(g), title: g.text(activityForms.ACTIVITY_LIMITS.title, 1), startsAt: g.date(), capacity: g.int(0, 1000), confirmed: g.int(0, 1000), signupOpen: g.bool() })) } : {}),
    ...(g.bool() ? { casework: { mediation: g.int(0, 99_999), supervision: g.int(0, 99_999) } } : {}),
    ...(audience === 'committee'
      ? {
          committee: {
            overdueGrievances: line(digest.LIST_LIMIT, () => ({ number: gNumber(g), category: g.pick(GRIEVANCE_CATEGORIES), status: g.pick(STATUSES), deadline: g.pick(['accept', 'resolve'] as const), dueAt: g.date(), overdueDays: g.int(0, 400) })),
            awaitingAcceptance: line(digest.LIST_LIMIT, () => ({ number: gNumber(g), category: g.pick(GRIEVANCE_CATEGORIES), filedAt: g.date(), acceptDueAt: g.date() })),
            overdueProposals: line(digest.LIST_LIMIT, () => ({ number: pNumber(g), department: g.text(DEPARTMENT_NAME_MAX), dueDate: isoDay(g.date()), daysOverdue: g.int(1, 400) })),
            ...(g.bool() ? { overdueSupervision: line(digest.LIST_LIMIT, () => ({ number: `S-2026-${String(g.int(1, 999)).padStart(3, '0')}`, department: g.text(DEPARTMENT_NAME_MAX), dueAt: g.date(), overdueDays: g.int(1, 400) })) } : {}),
          },
        }
      : {}),
  }
}

// Notices (厂务公开): officer text (title, body, notes), workers' opinions, officers' summaries, contacts' replies.
const nNumber = (g: Gen) => `N-${String(g.int(1, 9999)).padStart(3, '0')}`
function noticeView(g: Gen): NoticeView {
  const revision = g.int(1, 9)
  const status = g.pick(['published', 'withdrawn'] as const)
  return {
    id: String(g.int(1, 1e6)),
    number: nNumber(g),
    title: g.text(NOTICE_LIMITS.title, 1),
    body: g.text(NOTICE_LIMITS.body, 1),
    category: g.pick(NOTICE_CATEGORIES),
    revision,
    status,
    publishedAt: g.date(),
    confirmReading: g.bool(),
    readCount: g.int(0, 100_000),
    opinionsUntil: g.bool() ? g.date() : undefined,
    withdrawnAt: status === 'withdrawn' ? g.date() : undefined,
    withdrawReason: status === 'withdrawn' && g.bool() ? g.text(NOTICE_LIMITS.note) : undefined,
    correction: revision > 1 ? { at: g.date(), note: g.text(NOTICE_LIMITS.note), changes: g.list(200, () => ({ kind: g.pick(['added', 'removed'] as const), text: g.text(NOTICE_LIMITS.body) })) } : undefined,
    replies: g.list(50, (i) => ({ seq: i + 1, department: g.text(DEPARTMENT_NAME_MAX, 1), summary: g.bool() ? g.text(NOTICE_LIMITS.summary) : undefined, reply: g.text(NOTICE_LIMITS.reply, 1), repliedAt: g.date() })),
  }
}
function opinionView(g: Gen): OpinionView {
  const anonymous = g.bool()
  return {
    id: String(g.int(1, 1e6)),
    noticeNumber: nNumber(g),
    noticeTitle: g.text(NOTICE_LIMITS.title, 1),
    seq: g.int(1, 9999),
    body: g.text(NOTICE_LIMITS.opinion, NOTICE_LIMITS.opinionMin),
    anonymous,
    authorName: anonymous ? undefined : g.name(),
    submittedOn: isoDay(g.date()),
    status: g.pick(['received', 'forwarded', 'answered'] as const),
    department: g.bool() ? g.text(DEPARTMENT_NAME_MAX, 1) : undefined,
    summary: g.bool() ? g.text(NOTICE_LIMITS.summary) : undefined,
    forwardedAt: g.bool() ? g.date() : undefined,
    replyDueAt: g.bool() ? g.date() : undefined,
    reply: g.bool() ? g.text(NOTICE_LIMITS.reply, 1) : undefined,
    repliedAt: g.bool() ? g.date() : undefined,
  }
}

/** Command words as the real registry has them (the words menu and suggestion buttons say). */
const COMMAND_WORDS = (() => {
  const router = new BotRouter()
  registerHandlers(router)
  return router.listCommands().map((c) => c.words[0]!)
})()

/** The help entries as the real registry has them (bot text, checked for limits and shape). */
function helpEntries(): help.HelpEntry[] {
  const router = new BotRouter()
  registerHandlers(router)
  return router.helpEntries()
}

// ---------------------------------------------------------------------------------------------------------------
// Every builder, with how to call it. A builder missing here fails the coverage test below.

type Builder = (g: Gen) => Card
const BUILDERS: Record<string, Record<string, Builder>> = {
  'grievances/filing': {
    buildCategoryStepCard: (g) => grievanceFiling.buildCategoryStepCard({ ...(g.bool() ? { hint: '没有识别出类别。' } : {}), intro: g.bool() }),
    buildDescriptionStepCard: (g) =>
      grievanceFiling.buildDescriptionStepCard({ ...(g.bool() ? { hint: '描述太短' } : {}), ...(g.bool() ? { notice: '已收到附件' } : {}), category: g.pick(GRIEVANCE_CATEGORIES), attachmentCount: g.int(0, MAX_ATTACHMENTS), editing: g.bool() }),
    buildAnonymityStepCard: (g) => grievanceFiling.buildAnonymityStepCard(g.bool() ? { hint: '请回复「匿名」或「实名」' } : {}),
    buildSourceStepCard: (g) => grievanceFiling.buildSourceStepCard({ ...(g.bool() ? { hint: '请回复「当面」「电话」或「来信」' } : {}), ...(g.bool() ? { workerName: g.name() } : {}) }),
    buildConfirmStepCard: (g) =>
      grievanceFiling.buildConfirmStepCard({ category: g.pick(GRIEVANCE_CATEGORIES), description: g.text(DESCRIPTION_MAX_CHARS, DESCRIPTION_MIN_CHARS), attachments: attachments(g), anonymous: g.bool(), ...(g.bool() ? { offline: { sourceLabel: g.pick(['当面', '电话', '来信']), ...(g.bool() ? { workerName: g.name() } : {}) } } : {}) }),
  },
  'grievances/notices': {
    buildFollowUpCard: (g) =>
      grievanceNotices.buildFollowUpCard({ number: gNumber(g), category: g.pick(GRIEVANCE_CATEGORIES), reporterLabel: g.bool() ? '匿名职工' : g.name(), text: g.text(FOLLOW_UP_MAX_CHARS, 1), at: g.date(), timeZone: TZ }),
    buildOverdueReminderCard: (g) =>
      grievanceNotices.buildOverdueReminderCard({
        day: isoDay(g.date()),
        items: g.list(300, () => ({ number: gNumber(g), category: g.pick(GRIEVANCE_CATEGORIES), status: g.pick(STATUSES), deadline: g.pick(['accept', 'resolve'] as const), dueAt: g.date(), overdueDays: g.int(0, 400), estimated: g.bool(), ...(g.bool() ? { assigneeName: g.name() } : {}) })),
        timeZone: TZ,
      }),
    buildOverdueSummaryCard: (g) =>
      grievanceNotices.buildOverdueSummaryCard({
        day: isoDay(g.date()),
        items: g.list(2000, () => ({ number: gNumber(g), category: g.pick(GRIEVANCE_CATEGORIES), status: g.pick(STATUSES), deadline: g.pick(['accept', 'resolve'] as const), dueAt: g.date(), overdueDays: g.int(0, 400), ...(g.bool() ? { assigneeName: g.name() } : {}) })),
        timeZone: TZ,
      }),
    buildAssignedCard: (g) =>
      grievanceNotices.buildAssignedCard({ number: gNumber(g), category: g.pick(GRIEVANCE_CATEGORIES), status: g.pick(STATUSES), acceptDueAt: g.date(), resolveDueAt: g.date(), assignerName: g.name(), timeZone: TZ }),
    buildRecusedCard: (g) => grievanceNotices.buildRecusedCard({ number: gNumber(g) }),
    buildReviewRequestCard: (g) =>
      grievanceNotices.buildReviewRequestCard({
        gid: g.int(1, 1e6),
        number: gNumber(g),
        category: g.pick(GRIEVANCE_CATEGORIES),
        declineReason: g.text(OFFICER_TEXT_MAX_CHARS, 1),
        workerReason: g.bool() ? g.text(FOLLOW_UP_MAX_CHARS, 1) : null,
        ...(g.bool() ? { decided: g.pick(['uphold', 'reverse'] as const) } : {}),
      }),
    buildExtensionRequestCard: (g) =>
      grievanceNotices.buildExtensionRequestCard({
        xid: g.int(1, 1e6),
        number: gNumber(g),
        category: g.pick(GRIEVANCE_CATEGORIES),
        requesterName: g.name(),
        workdays: g.pick([5, 10, 15]),
        reason: g.text(OFFICER_TEXT_MAX_CHARS, 1),
        currentDueAt: g.date(),
        newDueAt: g.date(),
        timeZone: TZ,
        ...(g.bool() ? { decided: { approved: g.bool(), deciderName: g.name() } } : {}),
      }),
  },
  'desk/queue': {
    // Lines are bot-written (numbers, statuses, categories, dates); the search term is the officer's own text.
    buildDeskListCard: (g) => {
      const pages = g.int(1, 300)
      return deskQueue.buildDeskListCard({
        title: g.pick(['我的待办', '诉求列表：已超期', '诉求搜索']),
        subtitle: '按紧急程度排列',
        ...(g.bool() ? { term: g.text(50, 1) } : {}),
        lines: g.list(8, (i) => ({
          feature: g.pick(['grievance', 'proposal']),
          id: g.int(1, 1e9),
          number: gNumber(g),
          statusLabel: g.pick(['待受理', '处理中·我承办', '待审查·待审查', '已办结']),
          ...(g.bool() ? { category: g.pick(GRIEVANCE_CATEGORIES) } : {}),
          ageDays: g.int(0, 3000) + i,
          dueAt: g.bool() ? g.date() : null,
          overdue: g.bool(),
        })),
        total: g.int(0, 5000),
        empty: '暂无待办。',
        hint: '换个词再试。',
        pages: { page: g.int(1, pages), pages, at: (page) => ({ action: 'desk.queue.page', value: { page } }) },
        timeZone: TZ,
      })
    },
  },
  'grievances/review': {
    buildReviewCard: (g) => grievanceReview.buildReviewCard(reviewView(g)),
    buildClosedReviewCard: (g) =>
      grievanceReview.buildClosedReviewCard({ id: g.int(1, 1e9), number: gNumber(g), category: g.pick(GRIEVANCE_CATEGORIES), status: g.pick(['declined', 'closed'] as const), closedAt: g.bool() ? g.date() : null, timeZone: TZ }),
    buildRestrictedReviewCard: (g) => grievanceReview.buildRestrictedReviewCard({ id: g.int(1, 1e9), number: gNumber(g) }),
    buildStepFormCard: (g) =>
      grievanceReview.buildStepFormCard(
        { id: g.int(1, 1e9), number: gNumber(g), category: g.pick(GRIEVANCE_CATEGORIES), status: g.pick(STATUSES), revision: g.int(0, 1000), anonymous: g.bool(), officers: g.list(30, () => ({ openId: openId(g), name: g.name() }), 1) },
        g.pick(['assign', 'reply', 'decline', 'resolve', 'extend', 'escalate', 'identity', 'note'] as const),
        { back: g.bool() },
      ),
  },
  'grievances/worker': {
    buildOwnListCard: (g) => grievanceWorker.buildOwnListCard({ rows: g.list(20, () => ({ number: gNumber(g), category: g.pick(GRIEVANCE_CATEGORIES), status: g.pick(STATUSES), filedAt: g.date() })), total: g.int(0, 500), timeZone: TZ }),
    buildOwnCaseCard: (g) => grievanceWorker.buildOwnCaseCard({ ...caseFacts(g), history: history(g).filter((e) => grievanceWorker.WORKER_VISIBLE_KINDS.includes(e.kind)) }),
    buildReplyNoticeCard: (g) => grievanceWorker.buildReplyNoticeCard({ number: gNumber(g), status: g.pick(STATUSES), text: g.text(OFFICER_TEXT_MAX_CHARS, 1) }),
    buildDeclinedNoticeCard: (g) => grievanceWorker.buildDeclinedNoticeCard({ number: gNumber(g), reason: g.text(OFFICER_TEXT_MAX_CHARS, 1) }),
    buildResolvedNoticeCard: (g) => grievanceWorker.buildResolvedNoticeCard({ gid: g.int(1, 1e5), number: gNumber(g), result: g.text(OFFICER_TEXT_MAX_CHARS, 1), round: g.int(0, 5) }),
    buildRatedCard: (g) => grievanceWorker.buildRatedCard({ number: gNumber(g), rating: g.pick(RATINGS), reopened: g.bool() }),
    buildEscalatedNoticeCard: (g) =>
      grievanceWorker.buildEscalatedNoticeCard({ number: gNumber(g), target: g.pick(['upper_union', 'hotline_12351', 'labour_inspection'] as const), summary: g.text(ESCALATION_SUMMARY_MAX_CHARS, 1), fileSent: g.bool() }),
    buildIdentityRequestCard: (g) => grievanceWorker.buildIdentityRequestCard({ rid: g.int(1, 1e6), number: gNumber(g), reason: g.text(OFFICER_TEXT_MAX_CHARS, 1) }),
    buildIdentityAnsweredCard: (g) => grievanceWorker.buildIdentityAnsweredCard({ number: gNumber(g), granted: g.bool() }),
    buildEraseConfirmCard: (g) => grievanceWorker.buildEraseConfirmCard({ gid: g.int(1, 1e6), number: gNumber(g), status: g.pick(['declined', 'closed', 'transferred'] as const) }),
    buildErasedCard: (g) => grievanceWorker.buildErasedCard({ number: gNumber(g) }),
  },
  'organisation/members': {
    buildMembershipTermsCard: (g) => organisationMembers.buildMembershipTermsCard({ terms: g.text(4000, 1), status: g.pick([undefined, ...MEMBER_STATUSES]) }),
    buildMemberApplicationCard: (g) =>
      organisationMembers.buildMemberApplicationCard({
        openId: 'ou_applicant',
        name: g.name(),
        department: g.bool() ? g.text(DEPARTMENT_NAME_MAX, 1) : undefined,
        appliedAt: g.date(),
        status: g.pick(MEMBER_STATUSES),
        refusalReason: g.bool() ? g.text(REFUSAL_REASON_MAX, 1) : undefined,
        timeZone: TZ,
      }),
    buildMyMembershipCard: (g) =>
      organisationMembers.buildMyMembershipCard(
        g.bool()
          ? undefined
          : {
              openId: 'ou_member',
              name: g.name(),
              department: g.bool() ? g.text(DEPARTMENT_NAME_MAX, 1) : undefined,
              status: g.pick(MEMBER_STATUSES),
              source: g.pick(['application', 'import'] as const),
              appliedAt: g.bool() ? g.date() : undefined,
              joinedOn: g.bool() ? '2026-03-02' : undefined,
              endedOn: g.bool() ? '2026-09-30' : undefined,
              endReason: g.bool() ? g.text(TRANSFER_REASON_MAX, 1) : undefined,
              refusalReason: g.bool() ? g.text(REFUSAL_REASON_MAX, 1) : undefined,
              applicationMessageId: undefined,
            },
      ),
    // A large union has hundreds of departments.
    buildMemberCountsCard: (g) => organisationMembers.buildMemberCountsCard({ total: g.int(0, 1e6), byDepartment: g.list(1000, () => ({ department: g.bool() ? g.text(DEPARTMENT_NAME_MAX, 1) : undefined, count: g.int(1, 1e5) })) }),
    // A file of thousands of rows, every one refused.
    buildImportReportCard: (g) => organisationMembers.buildImportReportCard({ taken: g.int(0, IMPORT_MAX_ROWS), total: g.int(0, IMPORT_MAX_ROWS), refused: g.list(IMPORT_MAX_ROWS, (i) => ({ line: i + 2, reason: g.text(200, 1) })) }),
  },
  'organisation/leavers': {
    buildLeaverReportCard: (g) =>
      organisationLeavers.buildLeaverReportCard({
        name: g.name(),
        // Committee names, 选区 and 届次 are typed by officers.
        ended: g.list(40, () =>
          g.pick([
            { kind: 'officer' as const, role: g.pick(OFFICER_ROLES) },
            { kind: 'committee' as const, committee: g.text(COMMITTEE_NAME_MAX, 1) },
            { kind: 'representative' as const, ...(g.bool() ? { constituency: g.text(DEPARTMENT_NAME_MAX, 1) } : {}), ...(g.bool() ? { term: g.text(DEPARTMENT_NAME_MAX, 1) } : {}) },
            { kind: 'member' as const },
          ]),
        ),
        configuredOfficer: g.bool(),
        work: {
          grievances: g.list(500, (i) => `G-2026-${String(i + 1).padStart(4, '0')}`),
          departments: g.list(100, () => ({ name: g.text(DEPARTMENT_NAME_MAX, 1), proposals: g.list(200, (i) => `P-2026-${String(i + 1).padStart(3, '0')}`) })),
          proposals: g.list(200, (i) => `P-2026-${String(i + 1).padStart(3, '0')}`),
        },
      }),
  },
  'proposals/admin': {
    // A large workers' congress has several hundred representatives; their names come from Feishu.
    buildRepresentativesCard: (g) => proposalAdmin.buildRepresentativesCard(g.list(500, () => ({ name: g.name(), addedAt: g.date(), ...(g.bool() ? { constituency: g.text(DEPARTMENT_NAME_MAX, 1), term: g.text(DEPARTMENT_NAME_MAX, 1) } : {}) })), TZ),
    buildDepartmentsCard: (g) => proposalAdmin.buildDepartmentsCard(g.list(100, () => ({ name: g.text(DEPARTMENT_NAME_MAX, 1), contactName: g.name() }))),
    buildDepartmentSavedCard: (g) => proposalAdmin.buildDepartmentSavedCard({ name: g.text(DEPARTMENT_NAME_MAX, 1), contactName: g.name(), created: g.bool() }),
    buildContactNoticeCard: (g) => proposalAdmin.buildContactNoticeCard({ name: g.text(DEPARTMENT_NAME_MAX, 1) }),
    buildWindowOpenedCard: (g) => proposalAdmin.buildWindowOpenedCard({ name: g.text(WINDOW_NAME_MAX, 1), openedAt: g.date() }, TZ, g.bool()),
    buildWindowSummaryCard: (g) =>
      proposalAdmin.buildWindowSummaryCard(
        { name: g.text(WINDOW_NAME_MAX, 1), openedAt: g.date(), closedAt: g.bool() ? g.date() : null, counts: Object.fromEntries(PROPOSAL_STATUSES.map((s) => [s, g.int(0, 1000)])), total: g.int(0, 8000) },
        TZ,
      ),
  },
  'proposals/submit': {
    buildTitleStepCard: (g) => proposalSubmit.buildTitleStepCard(g.text(WINDOW_NAME_MAX, 1)),
    buildContentStepCard: (g) => proposalSubmit.buildContentStepCard(g.text(TITLE_MAX, 1)),
    buildCategoryStepCard: () => proposalSubmit.buildCategoryStepCard(),
    buildConfirmStepCard: (g) =>
      proposalSubmit.buildConfirmStepCard({ title: g.text(TITLE_MAX, 1), content: g.text(CONTENT_MAX, CONTENT_MIN), category: g.pick(PROPOSAL_CATEGORIES), windowName: g.text(WINDOW_NAME_MAX, 1), minCosigners: g.int(0, 10) }),
  },
  'proposals/work': {
    buildCommitteeCard: (g) =>
      proposalWork.buildCommitteeCard(proposalView(g), { departments: g.list(80, (i) => ({ id: i + 1, name: g.text(DEPARTMENT_NAME_MAX, 1) })), suggestedDueDate: isoDay(g.date()) }),
    buildDepartmentCard: (g) => proposalWork.buildDepartmentCard(proposalView(g), g.bool() ? { reminder: { daysOverdue: g.int(1, 400) } } : {}),
    buildRatingCard: (g) => proposalWork.buildRatingCard(proposalView(g), g.int(0, 5)),
  },
  'proposals/proposal': {
    buildProposalCard: (g) => proposal.buildProposalCard(proposalView(g)),
    buildProposalReplacedCard: (g) => proposal.buildProposalReplacedCard(g.pick(['P-2026-001', 'P-2026-1234'])),
    buildProposalListCard: (g) =>
      proposal.buildProposalListCard({
        windowId: g.int(1, 100),
        windowName: g.text(WINDOW_NAME_MAX, 1),
        windowOpen: g.bool(),
        filter: g.pick(['', 'overdue', ...PROPOSAL_STATUSES]),
        filterLabel: g.pick(['全部状态', '已超期', '办理中', '不立案（意见建议）']),
        counts: Object.fromEntries(PROPOSAL_STATUSES.map((s) => [s, g.int(0, 1000)])),
        overdueCount: g.int(0, 1000),
        total: g.int(0, 8000),
        items: g.list(10, () => listedItem(g)),
        page: g.int(1, 800),
        pages: g.int(1, 800),
      }),
    buildMyProposalsCard: (g) => proposal.buildMyProposalsCard({ total: g.int(0, 500), items: g.list(10, () => listedItem(g)), page: g.int(1, 50), pages: g.int(1, 50) }),
  },
  'notices/notice': {
    buildNoticeCard: (g) => noticeCards.buildNoticeCard(noticeView(g), TZ, g.date()),
    buildNoticeReplacedCard: (g) => noticeCards.buildNoticeReplacedCard(noticeView(g)),
    buildNoticeListCard: (g) =>
      noticeCards.buildNoticeListCard(
        g.list(31, () => ({ number: nNumber(g), title: g.text(NOTICE_LIMITS.title, 1), category: g.pick(NOTICE_CATEGORIES), publishedAt: g.date(), revision: g.int(1, 9), status: g.pick(['published', 'withdrawn'] as const), opinionsOpen: g.bool() })),
        { category: g.bool() ? g.pick(NOTICE_CATEGORIES) : undefined, more: g.bool(), categories: NOTICE_CATEGORIES },
        TZ,
      ),
    buildReadReminderCard: (g) => noticeCards.buildReadReminderCard(noticeView(g), g.int(1, 10)),
  },
  'notices/forms': {
    buildNoticeFormCard: (g) =>
      noticeForms.buildNoticeFormCard({
        chatId: g.bool() ? `oc_${g.int(0, 1e9)}` : '',
        inGroup: g.bool(),
        ...(g.bool() ? { values: { title: g.text(NOTICE_LIMITS.title), body: g.text(NOTICE_LIMITS.body), category: g.pick(NOTICE_CATEGORIES), audience: g.pick(['here', 'members'] as const), chats: g.text(200), confirm: g.pick(['yes', 'no'] as const), opinions: g.pick(['yes', 'no'] as const) } } : {}),
        ...(g.bool() ? { errors: ['请填写标题', '群ID的格式不对（应以 oc_ 开头，用空格分隔）'] } : {}),
      }),
    buildNoticePublishedCard: (g) => noticeForms.buildNoticePublishedCard(noticeView(g), { chats: g.int(0, 20), members: g.int(0, 100_000) }, TZ),
    buildNoticeCorrectFormCard: (g) =>
      noticeForms.buildNoticeCorrectFormCard(noticeView(g), g.bool() ? { values: { title: g.text(NOTICE_LIMITS.title), body: g.text(NOTICE_LIMITS.body), note: g.text(NOTICE_LIMITS.note) }, errors: ['请写明更正了什么（会显示在卡片上）'] } : {}),
    buildNoticeWithdrawConfirmCard: (g) => noticeForms.buildNoticeWithdrawConfirmCard(noticeView(g), g.text(NOTICE_LIMITS.note), TZ, g.bool() ? { at: g.date() } : undefined),
    buildReadFiguresCard: (g) =>
      noticeForms.buildReadFiguresCard(
        noticeView(g),
        g.list(300, () => ({ department: g.text(DEPARTMENT_NAME_MAX, 1), confirmed: g.int(0, 5000), expected: g.int(0, 5000), groupRead: g.int(0, 5000) })),
        { state: g.pick(['none', 'ok', 'partial', 'expired'] as const), readers: new Set(g.list(50, (i) => `ou_${i}`)) },
      ),
    buildUnconfirmedCard: (g) => noticeForms.buildUnconfirmedCard(noticeView(g), g.list(5000, () => ({ name: g.name(), department: g.bool() ? g.text(DEPARTMENT_NAME_MAX, 1) : null, groupRead: g.bool() })), g.int(0, 5000)),
  },
  'notices/opinions': {
    buildOpinionTextStepCard: (g) => noticeOpinions.buildOpinionTextStepCard({ number: nNumber(g), title: g.text(NOTICE_LIMITS.title, 1), ...(g.bool() ? { hint: '意见太短' } : {}) }),
    buildOpinionAnonymityStepCard: (g) => noticeOpinions.buildOpinionAnonymityStepCard({ number: nNumber(g), ...(g.bool() ? { hint: '请回复「匿名」或「实名」' } : {}) }),
    buildOpinionConfirmStepCard: (g) => noticeOpinions.buildOpinionConfirmStepCard({ number: nNumber(g), text: g.text(NOTICE_LIMITS.opinion, 1), anonymous: g.bool() }),
    buildOpinionReviewCard: (g) => noticeOpinions.buildOpinionReviewCard(opinionView(g), g.list(100, (i) => ({ id: i + 1, name: g.text(DEPARTMENT_NAME_MAX, 1) })), 30, TZ),
    buildOpinionForwardedCard: (g) => noticeOpinions.buildOpinionForwardedCard(opinionView(g), TZ),
    buildOpinionAnsweredCard: (g) => noticeOpinions.buildOpinionAnsweredCard(opinionView(g), TZ),
    buildOpinionOverdueCard: (g) => noticeOpinions.buildOpinionOverdueCard(opinionView(g), 30, TZ),
  },
  'activities/activity': {
    buildActivitySignupCard: (g) => activity.buildActivitySignupCard(activityView(g), g.pick(PHASES), TZ),
    buildActivityNoticeCard: (g) => activity.buildActivityNoticeCard(g.pick(['reminder', 'promoted', 'cancelled'] as const), activityView(g), TZ),
    buildActivityReplacedCard: (g) => activity.buildActivityReplacedCard(activityView(g)),
    buildSignupConfirmationCard: (g) => activity.buildSignupConfirmationCard(activityView(g), g.bool() ? { status: 'confirmed' } : { status: 'waitlisted', position: g.int(1, 100_000) }, TZ),
    buildSignupLeftCard: (g) => activity.buildSignupLeftCard(activityView(g), TZ),
    buildActivityCheckinCodeCard: (g) => activity.buildActivityCheckinCodeCard(activityView(g), String(g.int(0, 999_999)).padStart(6, '0'), 5, TZ),
  },
  'activities/forms': {
    buildActivityFormCard: (g) =>
      activityForms.buildActivityFormCard({
        chatId: `oc_${g.int(0, 1e9)}`,
        ...(g.bool()
          ? {
              values: {
                title: g.text(activityForms.ACTIVITY_LIMITS.title * 2),
                description: g.text(activityForms.ACTIVITY_LIMITS.description * 2),
                startsAt: pickerText(g),
                endsAt: pickerText(g),
                place: g.text(activityForms.ACTIVITY_LIMITS.place * 2),
                capacity: g.text(6),
                deadline: pickerText(g),
                cancelAfterDeadline: g.pick(['yes', 'no'] as const),
              },
              errors: g.list(8, () => g.pick(['请填写活动名称', '开始时间已经过去，请选择将来的时间', '人数上限请填写整数（0 表示不限）'])),
            }
          : {}),
      }),
    buildActivityCreatedCard: (g) => activityForms.buildActivityCreatedCard(activityView(g), TZ, { forGroup: g.bool() }),
    buildActivityCancelConfirmCard: (g) => activityForms.buildActivityCancelConfirmCard(activityView(g), g.text(200), TZ, g.bool() ? { at: g.date() } : undefined),
  },
  'activities/lists': {
    buildActivityChoiceCard: (g) => activityLists.buildActivityChoiceCard(g.list(20, () => ({ view: activityView(g), phase: g.pick(PHASES) })), TZ, g.bool()),
    buildActivityListCard: (g) => activityLists.buildActivityListCard(g.list(20, () => ({ view: activityView(g), phase: g.pick(PHASES) })), TZ, g.bool()),
    buildMyActivitiesCard: (g) =>
      activityLists.buildMyActivitiesCard(
        g.list(30, () => ({ view: activityView(g), phase: g.pick(PHASES), status: g.pick(['confirmed', 'waitlisted'] as const), position: g.int(1, 100_000), checkedInAt: g.bool() ? g.date() : null })),
        g.list(400, () => ({ view: activityView(g), checkedInAt: g.date() })),
        2026,
        TZ,
      ),
    buildRosterCard: (g) =>
      activityLists.buildRosterCard(
        activityView(g),
        g.list(3000, () => ({ name: g.bool() ? g.name() : undefined, openId: g.bool() ? openId(g) : `ou_${g.text(20)}`, status: g.pick(['confirmed', 'waitlisted'] as const), signedUpAt: g.date(), checkedInAt: g.bool() ? g.date() : null })),
        TZ,
      ),
  },
  help: {
    buildHelpCard: (g) =>
      g.bool()
        ? help.buildHelpCard(helpEntries())
        : help.buildHelpCard(helpEntries(), { held: g.list(4, () => g.pick(['officer', 'representative', 'department_contact', 'union_chair', 'member', `committee:${g.text(10)}`])), publicGroup: g.bool(), ...(g.bool() ? { topic: g.text(40) } : {}), buttons: g.list(5, () => g.pick(COMMAND_WORDS)) }),
  },
  'organisation/holidays': {
    buildHolidayYearCard: (g) => {
      const year = g.int(2026, 2030)
      const source = g.pick(['loaded', 'package', 'estimate'] as const)
      const lines = g.list(200, (i) => `放假 ${addDays(`${year}-01-01`, i * 2)}~${addDays(`${year}-01-01`, i * 2 + 1)}`)
      return holidays.buildHolidayYearCard({ year, source, lines, holidayCount: g.int(0, 400), workdayCount: g.int(0, 100), statutory: statutoryHolidays(year), loadedByName: g.name(), loadedAt: g.date(), timeZone: TZ })
    },
    // What an officer types, parsed for real (errors quote the lines); or a valid arrangement as scattered as fits.
    buildHolidayPreviewCard: (g) => {
      const year = g.int(2026, 2030)
      const text = g.bool()
        ? Array.from({ length: 183 }, (_, i) => `放假 ${addDays(`${year}-01-01`, i * 2)}`).join('\n')
        : g.list(80, () => g.text(60)).join('\n').slice(0, ARRANGEMENT_TEXT_MAX)
      return holidays.buildHolidayPreviewCard({ year, text, ...parseArrangement(year, text), current: g.pick(['loaded', 'package', 'estimate'] as const) })
    },
    buildHolidaySavedCard: (g) => {
      const year = g.int(2026, 2030)
      const parsed = parseArrangement(year, Array.from({ length: 183 }, (_, i) => `放假 ${addDays(`${year}-01-01`, i * 2)}`).join('\n'))
      return holidays.buildHolidaySavedCard({ year, holidayCount: g.int(0, 400), workdayCount: g.int(0, 100), lines: formatArrangement(parsed.arrangement), loadedByName: g.name(), loadedAt: g.date(), timeZone: TZ })
    },
    buildHolidayPromptCard: (g) => holidays.buildHolidayPromptCard({ year: g.int(1901, 2099), current: g.pick(['loaded', 'package', 'estimate'] as const) }),
    buildHolidayReminderCard: (g) => holidays.buildHolidayReminderCard({ year: g.int(1901, 2099) }),
  },
  // Button words are command words and titles flow titles (bot text); the kept text itself is never on a card.
  talk: {
    buildMenuCard: (g) => talk.buildMenuCard({ why: g.pick(['greeting', 'mention', 'welcome'] as const), words: g.list(5, () => g.pick(COMMAND_WORDS), 1) }),
    buildSuggestionsCard: (g) => talk.buildSuggestionsCard({ suggestions: g.list(3, () => g.pick(COMMAND_WORDS)), menu: g.list(5, () => g.pick(COMMAND_WORDS), 1) }),
    buildKeptCard: (g) => talk.buildKeptCard({ title: g.pick(['提交诉求', '提交提案', '发起活动']) }),
    buildContactCard: (g) => talk.buildContactCard({ officers: g.list(30, () => ({ name: g.name(), role: g.pick(['主席', '副主席', '委员', '工会干部']) })), more: g.int(0, 500), words: g.list(5, () => g.pick(COMMAND_WORDS), 1) }),
    buildPausedCard: (g) => talk.buildPausedCard({ flow: g.pick(['grievance.file', 'proposal.submit']), title: g.pick(['提交诉求', '提交提案', '导入会员']), minutes: g.int(1, 1440) }),
  },
  // The file name is the sender's (a file named like markup or a link); titles are the imports' (bot text).
  imports: {
    buildFileOfferCard: (g) =>
      imports.buildFileOfferCard({
        fileName: g.text(250),
        messageId: `om_${g.int(1, 1e9)}`,
        imports: g.list(4, (i) => ({ name: ['member.import', 'care.roster', 'learning.credits', 'learning.books'][i]!, title: ['会员导入', '关怀名单导入', '学时导入', '书目导入'][i]! })),
        minutes: g.int(1, 60),
        ...(g.bool() ? { chosen: g.pick(['会员导入', '学时导入']) } : {}),
        ...(g.bool() ? { notCsv: true } : {}),
      }),
  },
  'digests/digest': {
    buildDigestCard: (g) => digest.buildDigestCard(digestView(g)),
  },
  'digests/notices': {
    // Group names come from Feishu (typed by whoever named the group).
    buildChatGoneCard: (g) => digestNotices.buildChatGoneCard({ chatId: chatId(g), ...(g.bool() ? { chatName: g.text(200) } : {}), kinds: g.list(2, (i) => (['weekly', 'daily'] as const)[i]!, 1), code: g.pick([230002, 232009, 230006]) }),
    buildSubscriptionsCard: (g) =>
      digestNotices.buildSubscriptionsCard(
        g.list(100, () => ({ chatId: chatId(g), chatName: g.bool() ? g.text(200) : null, kind: g.pick(['weekly', 'daily'] as const), createdAt: g.date(), committee: g.bool() })),
        TZ,
        g.int(0, 5000),
      ),
  },
  'digests/report': {
    buildReportCard: (g) =>
      digestReport.buildReportCard(
        {
          kind: g.pick(['monthly', 'quarterly'] as const),
          period: period(g, 'monthly') as never,
          generatedAt: g.date(),
          timeZone: TZ,
          grievances: grievanceFigures(g),
          categories: categories(g),
          ...(g.bool() ? { proposals: proposalsPart(g) } : {}),
          ...(g.bool() ? { activities: { held: g.int(0, 999), signedUp: g.int(0, 99999), attended: g.int(0, 99999), cancelled: g.int(0, 99) } } : {}),
          ...(g.bool() ? { democracy: { polls: g.int(0, 999), ballots: g.int(0, 999_999), meetings: g.int(0, 99), items: g.int(0, 999), passed: g.int(0, 999) } } : {}),
          ...(g.bool() ? { mediation: { applications: g.int(0, 999), accepted: g.int(0, 999), agreements: g.int(0, 999), failed: g.int(0, 999), medianDays: g.bool() ? g.int(0, 60) : null, withinPeriod: g.int(0, 999) } } : {}),
          ...(g.bool() ? { supervision: { opened: g.int(0, 999), replied: g.int(0, 999), repliedOnTime: g.int(0, 999), closed: g.int(0, 999), overdueNow: g.int(0, 999), dismissals: { submitted: g.int(0, 999), opinions: g.int(0, 999), objections: g.int(0, 999), results: g.int(0, 999) } } } : {}),
          ...(g.bool() ? { learning: { totalMinutes: g.int(0, 1e7), participants: g.int(0, 1e5), loans: g.int(0, 1e5), readingCheckins: g.int(0, 1e6) } } : {}),
          ...(g.bool() ? { care: { count: g.int(1, 1e6), totalFen: g.int(1, MAX_FEN), byKind: CARE_KINDS.map((kind) => ({ kind, count: g.int(1, 1e5), fen: g.int(1, MAX_FEN) })) } } : {}),
          ...(g.bool() ? { hardship: { open: g.int(0, 1e5), paid: g.int(0, 1e5), paidFen: g.int(0, MAX_FEN) } } : {}),
          ...(g.bool() ? { notices: { published: g.int(0, 1e5), readAsked: g.int(0, 1e7), readConfirmed: g.int(0, 1e7), opinions: g.int(0, 1e6), replies: g.int(0, 1e6), repliesOnTime: g.int(0, 1e6) } } : {}),
        },
        g.bool() ? { csvSentTo: 'private' } : {},
      ),
  },
}

const person = (g: Gen) => ({ openId: openId(g), name: g.name() })
BUILDERS['organisation/setup'] = {
  buildSetupDoneCard: (g) => organisationSetup.buildSetupDoneCard({ committeeChatSet: g.bool() }),
  buildCommitteeGroupConfirmCard: (g) => organisationSetup.buildCommitteeGroupConfirmCard({ chatId: `oc_${g.int(0, 10 ** 12)}`, nonOfficers: g.pick([undefined, 1, 5000]), chatName: g.text(100, 0) }),
  buildCommitteeGroupAnsweredCard: (g) => organisationSetup.buildCommitteeGroupAnsweredCard({ confirmed: g.bool() }),
}
BUILDERS['organisation/roster'] = {
  // Officers and committee members are people Feishu names; committee names are typed (escaped whatever they hold).
  buildOfficersCard: (g) =>
    organisationRoster.buildOfficersCard({
      officers: g.list(300, () => ({ ...person(g), role: g.pick(OFFICER_ROLES), addedAt: g.bool() ? g.date() : undefined, configured: g.bool() })),
      chairSet: g.bool(),
      committeeChatSet: g.bool(),
      timeZone: TZ,
    }),
  buildOfficerWelcomeCard: (g) => organisationRoster.buildOfficerWelcomeCard({ role: g.pick(OFFICER_ROLES) }),
  buildCommitteesCard: (g) =>
    organisationRoster.buildCommitteesCard({ committees: g.list(30, () => ({ name: g.text(COMMITTEE_NAME_MAX, 1), members: g.list(100, () => person(g)) })), known: KNOWN_COMMITTEES }),
  buildRosterChangedCard: (g) =>
    organisationRoster.buildRosterChangedCard({
      title: g.text(COMMITTEE_NAME_MAX + 10, 1),
      lines: g.list(4, () => [g.pick(['已添加', '已移除', '已是成员', '不在名单中']), g.list(100, () => g.name())] as [string, string[]]),
      ...(g.bool() ? { note: '新添加的干部已收到私聊说明。' } : {}),
    }),
  // The command is what the officer typed; names and departments come from Feishu and imported files.
  buildTypedMentionCard: (g) =>
    organisationRoster.buildTypedMentionCard({
      command: g.text(2000, 1),
      people: g.list(30, () => ({ name: g.name(), known: g.list(4, () => g.text(DEPARTMENT_NAME_MAX + 10, 1)) }), 1),
      id: '6f1c2b8e-1d2a-4f3e-9b7a-0c5d4e3f2a1b',
    }),
  // Both names are typed by officers (the near one may be a committee an officer created).
  buildCommitteeNameCard: (g) => organisationRoster.buildCommitteeNameCard({ typed: g.text(COMMITTEE_NAME_MAX, 1), near: g.text(COMMITTEE_NAME_MAX, 1), id: '6f1c2b8e-1d2a-4f3e-9b7a-0c5d4e3f2a1b' }),
}

// Mediation (issue #16): the worker's texts (Art. 12), officers' form texts, names Feishu gives us.
const M_STATUSES = Object.keys(MEDIATION_TRANSITIONS) as MediationStatus[]
const mNumber = (g: Gen) => `M-2026-${String(g.int(1, 999)).padStart(3, '0')}`
function mediationView(g: Gen): mediationCase.MediationView {
  const appliedOn = isoDay(g.date())
  return {
    id: g.int(1, 1e6),
    number: mNumber(g),
    status: g.pick(M_STATUSES),
    revision: g.int(0, 1000),
    applicantName: g.name(),
    otherParty: g.text(OTHER_PARTY_MAX_CHARS, 2),
    employerName: g.bool() ? g.name() : undefined,
    mediatorName: g.bool() ? g.name() : undefined,
    facts: g.text(APPLICATION_MAX_CHARS, 5),
    request: g.text(APPLICATION_MAX_CHARS, 5),
    reasons: g.text(APPLICATION_MAX_CHARS, 5),
    knewOn: appliedOn,
    arbitrationDeadline: addDays(appliedOn, 365),
    limitation: limitationClause(appliedOn, isoDay(g.date())),
    appliedAt: g.date(),
    clock: mediationClock(appliedOn, addDays(appliedOn, g.int(0, 40)), { periodDays: 15, reminderDay: 12 }),
    periodDays: 15,
    grievanceNumber: g.bool() ? gNumber(g) : undefined,
    sessions: g.list(100, () => ({ heldOn: isoDay(g.date()), heldAt: g.text(20), place: g.text(100, 1), attendees: g.text(200), summary: g.text(M_OFFICER_MAX) })),
    terms: g.bool() ? g.text(M_OFFICER_MAX, 1) : null,
    performOn: g.bool() ? isoDay(g.date()) : null,
    claimKind: g.bool() ? g.pick(CLAIM_KINDS) : null,
    agreementText: g.bool() ? g.text(APPLICATION_MAX_CHARS * 2 + M_OFFICER_MAX + 400, 1) : null,
    confirmations: g.list(3, (i) => ({ party: SIGNATORIES[i]!, name: g.name(), at: g.date() })),
    declineReason: g.bool() ? g.text(M_OFFICER_MAX, 1) : null,
    outcomeNote: g.bool() ? g.text(M_OFFICER_MAX, 1) : null,
    timeZone: TZ,
  }
}
const APPLY_STEPS = ['facts', 'request', 'reasons', 'knew', 'party'] as const
BUILDERS['mediation/apply'] = {
  buildApplyStepCard: (g) => mediationApply.buildApplyStepCard(g.pick(APPLY_STEPS), { intro: g.bool(), editing: g.bool(), ...(g.bool() ? { grievanceNumber: gNumber(g) } : {}), ...(g.bool() ? { hint: '内容太短' } : {}) }),
  buildApplyConfirmCard: (g) =>
    mediationApply.buildApplyConfirmCard({
      facts: g.text(APPLICATION_MAX_CHARS, 5),
      request: g.text(APPLICATION_MAX_CHARS, 5),
      reasons: g.text(APPLICATION_MAX_CHARS, 5),
      knewOn: isoDay(g.date()),
      arbitrationDeadline: isoDay(g.date()),
      limitation: limitationClause(isoDay(g.date()), isoDay(g.date())),
      ...(g.bool() ? { warning: limitationWarning(isoDay(g.date())) } : {}),
      otherParty: g.text(OTHER_PARTY_MAX_CHARS, 2),
      ...(g.bool() ? { grievanceNumber: gNumber(g) } : {}),
      periodDays: 15,
    }),
}
BUILDERS['mediation/case'] = {
  buildCommitteeCaseCard: (g) => mediationCase.buildCommitteeCaseCard({ ...mediationView(g), members: g.list(50, () => person(g)) }),
  buildCaseStepCard: (g) => mediationCase.buildCaseStepCard({ ...mediationView(g), members: g.list(50, () => person(g)) }, g.pick(CASE_STEPS)),
  buildPartyCaseCard: (g) => mediationCase.buildPartyCaseCard({ ...mediationView(g), viewer: g.pick(['applicant', 'employer'] as const), confirmedByViewer: g.bool() }),
  buildGroupStatusCard: (g) => mediationCase.buildGroupStatusCard({ number: mNumber(g), status: g.pick(M_STATUSES) }),
  buildAgreementCard: (g) => mediationCase.buildAgreementCard({ number: mNumber(g), text: g.text(APPLICATION_MAX_CHARS * 2 + M_OFFICER_MAX + 400, 1), paymentOrderHint: g.bool() ? PAYMENT_ORDER_HINT : undefined, fileName: 'x.txt' }),
  buildSessionInviteCard: (g) => mediationCase.buildSessionInviteCard({ number: mNumber(g), heldOn: isoDay(g.date()), heldAt: g.text(20), place: g.text(100, 1), clock: '**调解期限：**第 3 天' }),
  buildArbitrationCard: (g) => mediationCase.buildArbitrationCard({ number: mNumber(g), headline: '调解已结束。', hint: arbitrationHint(isoDay(g.date()), isoDay(g.date())), ...(g.bool() ? { reason: g.text(M_OFFICER_MAX, 1) } : {}) }),
  buildDayReminderCard: (g) => mediationCase.buildDayReminderCard({ number: mNumber(g), clock: '**调解期限：**第 12 天' }),
  buildOwnMediationsCard: (g) =>
    mediationCase.buildOwnMediationsCard({ rows: g.list(20, () => ({ number: mNumber(g), status: g.pick(M_STATUSES), role: g.pick(['applicant', 'employer'] as const), appliedAt: g.date() })), timeZone: TZ }),
}

// Supervision (issue #16): officers' and contacts' form texts, department names (typed by officers), names.
function matterView(g: Gen): supervisionMatter.MatterView {
  const replied = g.bool()
  return {
    id: g.int(1, 1e6),
    number: `S-2026-${String(g.int(1, 999)).padStart(3, '0')}`,
    type: g.pick(SUPERVISION_TYPES),
    status: g.pick(Object.keys(SUPERVISION_TRANSITIONS) as SupervisionStatus[]),
    revision: g.int(0, 1000),
    departmentName: g.text(DEPARTMENT_NAME_MAX, 1),
    contactName: g.name(),
    facts: g.text(SUPERVISION_TEXT_MAX_CHARS, 10),
    opinion: g.text(SUPERVISION_TEXT_MAX_CHARS, 10),
    grievanceNumbers: g.list(20, () => gNumber(g)),
    openedAt: g.date(),
    openedByName: g.name(),
    replyDueAt: g.date(),
    dueEstimated: g.bool(),
    overdueDays: g.bool() ? g.int(1, 400) : undefined,
    reply: replied ? g.text(SUPERVISION_TEXT_MAX_CHARS, 5) : null,
    repliedAt: replied ? g.date() : null,
    replyOnTime: replied ? g.bool() : null,
    replyAccepted: replied && g.bool() ? g.bool() : null,
    outcome: g.bool() ? g.text(SUPERVISION_TEXT_MAX_CHARS, 1) : null,
    closedAt: g.bool() ? g.date() : null,
    timeZone: TZ,
  }
}
BUILDERS['supervision/matter'] = {
  buildOpenFormCard: (g) =>
    supervisionMatter.buildOpenFormCard({ departments: g.list(100, (i) => ({ id: i + 1, name: g.text(DEPARTMENT_NAME_MAX, 1) })), grievances: g.list(10, () => gNumber(g)), replyWorkdays: g.int(1, 60) }),
  buildMatterCard: (g) => supervisionMatter.buildMatterCard(matterView(g)),
  buildOpinionCard: (g) => supervisionMatter.buildOpinionCard({ ...matterView(g), ...(g.bool() ? { reason: g.text(SUPERVISION_TEXT_MAX_CHARS, 1) } : {}) }),
  buildMatterReplacedCard: () => supervisionMatter.buildMatterReplacedCard('S-2026-999999'),
}

// Dismissal notices (#16): HR types the worker's name, department, reasons and the result note; officers the opinion.
const D_STATUSES = Object.keys(DISMISSAL_TRANSITIONS) as DismissalStatus[]
function dismissalView(g: Gen): supervisionDismissal.DismissalView {
  return {
    id: g.int(1, 1e6),
    number: `D-2026-${String(g.int(1, 999999)).padStart(3, '0')}`,
    status: g.pick(D_STATUSES),
    revision: g.int(0, 1000),
    workerName: g.text(WORKER_NAME_MAX_CHARS, 1),
    workerDepartment: g.text(50),
    reasons: g.text(DISMISSAL_TEXT_MAX_CHARS, 10),
    ground: g.pick(DISMISSAL_GROUNDS),
    plannedOn: g.bool() ? isoDay(g.date()) : null,
    hrName: g.name(),
    departmentName: g.text(DEPARTMENT_NAME_MAX, 1),
    submittedAt: g.date(),
    opinionDueAt: g.date(),
    opinion: g.bool() ? g.pick(['agree', 'object'] as const) : null,
    opinionText: g.bool() ? g.text(DISMISSAL_TEXT_MAX_CHARS, 1) : null,
    opinionByName: g.bool() ? g.name() : undefined,
    opinionAt: g.bool() ? g.date() : null,
    resultDueAt: g.bool() ? g.date() : null,
    result: g.bool() ? g.pick(DISMISSAL_RESULTS) : null,
    resultOn: g.bool() ? isoDay(g.date()) : null,
    resultNote: g.bool() ? g.text(DISMISSAL_TEXT_MAX_CHARS, 1) : null,
    resultAt: g.bool() ? g.date() : null,
    timeZone: TZ,
  }
}
BUILDERS['supervision/dismissal'] = {
  buildDismissalFormCard: (g) => supervisionDismissal.buildDismissalFormCard({ opinionWorkdays: g.int(1, 60) }),
  buildDismissalUnionCard: (g) => supervisionDismissal.buildDismissalUnionCard(dismissalView(g)),
  buildDismissalHrCard: (g) => supervisionDismissal.buildDismissalHrCard(dismissalView(g)),
  buildDismissalGroupCard: (g) => supervisionDismissal.buildDismissalGroupCard({ number: 'D-2026-999999', status: g.pick(D_STATUSES) }),
}

BUILDERS['supervision/hazard'] = {
  buildHazardStepCard: (g) => supervisionHazard.buildHazardStepCard(g.pick(['description', 'severity', 'anonymity'] as const), { ...(g.bool() ? { hint: '描述太短' } : {}), ...(g.bool() ? { hotline: g.text(30, 1) } : {}) }),
  buildHazardConfirmCard: (g) => supervisionHazard.buildHazardConfirmCard({ description: g.text(2000, 10), major: g.bool(), anonymous: g.bool() }),
  buildHazardCard: (g) => supervisionHazard.buildHazardCard({ number: `H-2026-${String(g.int(1, 999)).padStart(3, '0')}`, description: g.text(2000, 10), major: g.bool(), anonymous: g.bool(), reporterLabel: g.bool() ? '匿名职工' : g.name(), reportedAt: g.date(), timeZone: TZ }),
}

// Recognition (#17): round names, stories, objections and reasons are typed; names come from Feishu or the roster.
const roundView = (g: Gen) => ({
  id: g.int(1, 1e6),
  number: `PX-2026-${String(g.int(1, 99)).padStart(2, '0')}`,
  name: g.text(ROUND_NAME_MAX, 1),
  places: g.int(1, PLACES_MAX),
  nominators: g.pick(NOMINATORS),
  cosigners: g.int(0, COSIGNERS_MAX),
  deadline: '2026-06-05',
  status: g.pick(ROUND_STATUSES),
  publicityUntil: g.bool() ? g.date() : undefined,
  revision: g.int(0, 1000),
})
const nominationView = (g: Gen, i = 0) => ({
  id: i + 1,
  nomineeName: g.name(),
  department: g.bool() ? g.text(DEPARTMENT_NAME_MAX, 1) : undefined,
  story: g.text(STORY_MAX, 1),
  hasPhoto: g.bool(),
  photoKey: g.bool() ? 'img_v3_photo' : undefined,
  status: g.pick(NOMINATION_STATUSES),
  cosigned: g.int(0, COSIGNERS_MAX),
})
const objectionView = (g: Gen) => {
  const answer = g.pick([undefined, 'upheld', 'not_upheld'] as const)
  return {
    id: g.int(1, 1e6),
    roundNumber: 'PX-2026-01',
    roundName: g.text(ROUND_NAME_MAX, 1),
    nomineeName: g.name(),
    anonymous: g.bool(),
    objectorName: g.bool() ? g.name() : undefined,
    body: g.text(OBJECTION_MAX, 1),
    raisedOn: '2026-06-06',
    answer,
    answerReason: answer ? g.text(ANSWER_REASON_MAX, 1) : undefined,
  }
}
BUILDERS['recognition/rounds'] = {
  buildRoundFormCard: (g) =>
    recognitionRounds.buildRoundFormCard({
      chatId: g.bool() ? chatId(g) : '',
      values: { name: g.text(ROUND_NAME_MAX), places: g.text(3), nominators: g.pick(NOMINATORS), cosigners: g.text(2), deadline: g.bool() ? '2026-06-05' : '' },
      ...(g.bool() ? { errors: g.list(5, () => g.text(100, 1)) } : {}),
    }),
  buildRoundCard: (g) => recognitionRounds.buildRoundCard({ round: roundView(g), nominated: g.int(0, 1000) }),
  buildReviewCard: (g) => recognitionRounds.buildReviewCard({ round: roundView(g), nominations: g.list(300, (i) => nominationView(g, i)), objections: { total: g.int(0, 100), unanswered: g.int(0, 100) }, timeZone: TZ }),
  buildPublicityCard: (g) => recognitionRounds.buildPublicityCard({ round: roundView(g), awardees: g.list(PLACES_MAX, (i) => nominationView(g, i)), until: g.date(), timeZone: TZ }),
  buildAwardeeCard: (g) => recognitionRounds.buildAwardeeCard({ roundName: g.text(ROUND_NAME_MAX, 1), roundNumber: 'PX-2026-01', awardee: nominationView(g) }),
  buildArchiveCard: (g) =>
    recognitionRounds.buildArchiveCard({
      year: 2026,
      entries: g.list(300, (i) => ({ roundNumber: `PX-2026-${String((i % 20) + 1).padStart(2, '0')}`, roundName: g.text(ROUND_NAME_MAX, 1), nomineeName: g.name(), department: g.bool() ? g.text(DEPARTMENT_NAME_MAX, 1) : undefined, story: g.text(STORY_MAX, 1) })),
    }),
}
BUILDERS['recognition/nominations'] = {
  buildObjectionAnonymityCard: (g) => recognitionNominations.buildObjectionAnonymityCard({ flow: 'award.object', step: 'anonymity', ...(g.bool() ? { hint: '请点「匿名」或「实名」，或回复这两个字。' } : {}) }),
  buildObjectionConfirmCard: (g) =>
    recognitionNominations.buildObjectionConfirmCard({
      flow: 'award.object',
      step: 'confirm',
      roundName: g.text(ROUND_NAME_MAX, 1),
      roundNumber: 'PX-2026-01',
      nomineeName: g.name(),
      body: g.text(OBJECTION_MAX, 1),
      anonymous: g.bool(),
      ...(g.bool() ? { hint: '请点「确认提交」，或「修改内容」「修改匿名」，或发送「取消」放弃。' } : {}),
    }),
  buildNominationConfirmCard: (g) =>
    recognitionNominations.buildNominationConfirmCard({ flow: 'award.nominate', step: 'confirm', roundName: g.text(ROUND_NAME_MAX, 1), roundNumber: 'PX-2026-01', nomineeName: g.name(), department: g.bool() ? g.text(DEPARTMENT_NAME_MAX, 1) : undefined, story: g.text(STORY_MAX, 1), hasPhoto: g.bool() }),
  buildCosignCard: (g) => recognitionNominations.buildCosignCard({ nominationId: g.int(1, 1e6), roundName: g.text(ROUND_NAME_MAX, 1), roundNumber: 'PX-2026-01', nomineeName: g.name(), story: g.text(STORY_MAX, 1), needed: g.int(0, COSIGNERS_MAX), have: g.int(0, COSIGNERS_MAX) }),
  buildObjectionCard: (g) => recognitionNominations.buildObjectionCard(objectionView(g)),
  buildObjectionAnsweredCard: (g) =>
    recognitionNominations.buildObjectionAnsweredCard({ roundName: g.text(ROUND_NAME_MAX, 1), roundNumber: 'PX-2026-01', nomineeName: g.name(), answer: g.pick(['upheld', 'not_upheld'] as const), reason: g.text(ANSWER_REASON_MAX, 1) }),
}
// Learning (#17): activity titles, training names, book titles, authors and notes are typed.
BUILDERS['learning/hours'] = {
  buildMyHoursCard: (g) =>
    learningHours.buildMyHoursCard({ year: 2026, totalMinutes: g.int(0, 1e6), lines: g.list(500, () => ({ date: '2026-05-03', what: g.text(Math.max(SOURCE_MAX, 50), 1), kind: g.pick([...LEARNING_KINDS, '外部培训'] as const), minutes: g.int(1, MAX_MINUTES) })) }),
  buildHoursStatsCard: (g) =>
    learningHours.buildHoursStatsCard({ year: 2026, totalMinutes: g.int(0, 1e7), people: g.int(0, 1e5), byDepartment: g.list(1000, () => ({ department: g.bool() ? g.text(DEPARTMENT_NAME_MAX, 1) : undefined, minutes: g.int(1, 1e6), people: g.int(1, 1e4) })) }),
  buildLearningImportCard: (g) => learningHours.buildLearningImportCard({ what: g.pick(['学时', '书目'] as const), taken: g.int(0, 5000), total: g.int(0, 5000), refused: g.list(5000, (i) => ({ line: i + 2, reason: g.text(200, 1) })) }),
}
BUILDERS['learning/library'] = {
  buildBooksCard: (g) =>
    learningLibrary.buildBooksCard({
      books: g.list(5000, () => ({ title: g.text(BOOK_TITLE_MAX, 1), author: g.bool() ? g.text(BOOK_TITLE_MAX, 1) : undefined, copies: g.int(1, 1000), onLoan: g.int(0, 1000) })),
      myLoans: g.list(20, () => ({ title: g.text(BOOK_TITLE_MAX, 1), dueOn: '2026-05-18' })),
    }),
  buildLoanCard: (g) => learningLibrary.buildLoanCard({ loanId: g.int(1, 1e6), title: g.text(BOOK_TITLE_MAX, 1), dueOn: '2026-05-18', returned: g.bool(), reminder: g.bool() }),
  buildReadingCard: (g) => learningLibrary.buildReadingCard({ book: g.text(BOOK_TITLE_MAX, 1), days: g.int(0, 366), recent: g.list(5, () => ({ day: '2026-05-03', book: g.text(BOOK_TITLE_MAX, 1) })), already: g.bool() }),
}

// 会员关怀 and 困难帮扶 (#17): names, departments, gifts, reasons and notes are typed; amounts at their largest.
const careEvent = (g: Gen) => ({
  id: g.int(1, 1e9),
  openId: openId(g),
  name: g.name(),
  department: g.bool() ? g.text(DEPARTMENT_NAME_MAX, 1) : undefined,
  kind: g.pick(CARE_KINDS),
  amountFen: g.int(1, MAX_FEN),
  gift: g.bool() ? g.text(GIFT_MAX, 1) : undefined,
  occurredOn: '2026-12-31',
  status: g.pick(['recorded', 'pending', 'refused'] as const),
  overCap: g.bool() ? '住院慰问每人每年不超过 9,999,999.99 元（今年已发 9,999,999.99 元）' : undefined,
  recordedBy: openId(g),
})
BUILDERS['care/care'] = {
  buildCareRecordedCard: (g) => careCare.buildCareRecordedCard(careEvent(g)),
  buildCareApprovalCard: (g) => careCare.buildCareApprovalCard(careEvent(g)),
  buildCareLedgerCard: (g) =>
    careCare.buildCareLedgerCard({
      year: 2026,
      totalFen: g.int(0, MAX_FEN),
      count: g.int(0, 1e6),
      byKind: CARE_KINDS.map((kind) => ({ kind, count: g.int(1, 1e5), fen: g.int(1, MAX_FEN) })),
      byDepartment: g.list(1000, () => ({ department: g.bool() ? g.text(DEPARTMENT_NAME_MAX, 1) : undefined, count: g.int(1, 1e5), fen: g.int(1, MAX_FEN) })),
      pending: g.int(0, 1e4),
    }),
  buildRosterReportCard: (g) => careCare.buildRosterReportCard({ taken: g.int(0, ROSTER_MAX_ROWS), total: g.int(0, ROSTER_MAX_ROWS), refused: g.list(ROSTER_MAX_ROWS, (i) => ({ line: i + 2, reason: g.text(200, 1) })) }),
  buildCarePickCard: (g) =>
    careCare.buildCarePickCard({
      flow: careCare.CARE_RECORD_FLOW,
      step: 'who',
      people: g.list(5, () => ({ name: g.name(), ...(g.bool() ? { department: g.text(DEPARTMENT_NAME_MAX, 1) } : {}) }), 2),
      ...(g.bool() ? { hint: '有几位同名的同事，请选择：' } : {}),
    }),
  buildCareReminderCard: (g) => careCare.buildCareReminderCard({ kind: g.pick(['birthday', 'retirement'] as const), name: g.name(), department: g.bool() ? g.text(DEPARTMENT_NAME_MAX, 1) : undefined, date: '2026-12-31' }),
}
const hardshipCaseView = (g: Gen) => ({
  id: g.int(1, 1e9),
  number: 'K-2026-999999',
  openId: openId(g),
  name: g.name(),
  department: g.bool() ? g.text(DEPARTMENT_NAME_MAX, 1) : undefined,
  incomeFen: g.int(0, MAX_FEN),
  rigidFen: g.int(0, MAX_FEN),
  householdSize: g.int(1, HOUSEHOLD_MAX),
  suddenFen: g.int(0, MAX_FEN),
  level: g.pick(['deep', 'relative', 'none'] as const),
  sudden: g.bool(),
  reason: g.text(HARDSHIP_REASON_MAX, 1),
  attachments: g.list(HARDSHIP_ATTACHMENTS_MAX * 3, () => ({ kind: g.pick(['image', 'file'] as const), key: 'file_v3_x', ...(g.bool() ? { name: g.text(100, 1) } : {}) })),
  namePublic: g.bool(),
  status: g.pick(Object.keys(HARDSHIP_TRANSITIONS) as HardshipStatus[]),
  visitNote: g.bool() ? g.text(HARDSHIP_NOTE_MAX, 1) : undefined,
  visitedOn: g.bool() ? '2026-12-31' : undefined,
  decisionNote: g.bool() ? g.text(HARDSHIP_NOTE_MAX, 1) : undefined,
  paidFen: g.bool() ? g.int(1, MAX_FEN) : undefined,
  paidOn: '2026-12-31',
  reviewDueOn: '2027-12-31',
  createdAt: g.date(),
})
BUILDERS['hardship/hardship'] = {
  buildSelfCheckCard: (g) =>
    hardshipCards.buildSelfCheckCard({
      dibaoSet: g.bool(),
      ...(g.bool() ? { error: '请检查「家庭年可支配收入」：填写元，最多两位小数，例如 36000。' } : {}),
      // After 再算一次: the form prefilled with the figures of a result card.
      ...(g.bool() ? { initial: { incomeFen: g.int(0, MAX_FEN), rigidFen: g.int(0, MAX_FEN), householdSize: g.int(1, HOUSEHOLD_MAX), suddenFen: g.int(0, MAX_FEN) } } : {}),
    }),
  buildSelfCheckResultCard: (g) => {
    const input = { incomeFen: g.int(0, MAX_FEN), rigidFen: g.int(0, MAX_FEN), householdSize: g.int(1, HOUSEHOLD_MAX), suddenFen: g.int(0, MAX_FEN) }
    // The 低保 may be unset (HARDSHIP_DIBAO_MONTHLY has no default): the card explains instead of classifying.
    return hardshipCards.buildSelfCheckResultCard({ input, result: classify(input, g.bool() ? g.int(1, MAX_FEN) : undefined, 80) })
  },
  buildCaseCard: (g) => hardshipCards.buildCaseCard(hardshipCaseView(g), { timeZone: TZ, reviewMonths: 12 }),
  buildApplicantCard: (g) => hardshipCards.buildApplicantCard(hardshipCaseView(g)),
  buildNoticeCard: (g) => hardshipCards.buildNoticeCard({ number: 'K-2026-999999', kind: '深度困难、意外致困', amountFen: g.bool() ? g.int(1, MAX_FEN) : undefined, name: g.bool() ? g.name() : undefined }),
}

const MODULES: Record<string, Record<string, unknown>> = {
  'polls/poll': pollCards,
  'congress/meeting': meetingCards,
  'mediation/apply': mediationApply,
  'mediation/case': mediationCase,
  'supervision/matter': supervisionMatter,
  'supervision/hazard': supervisionHazard,
  'supervision/dismissal': supervisionDismissal,
  'recognition/rounds': recognitionRounds,
  'recognition/nominations': recognitionNominations,
  'learning/hours': learningHours,
  'learning/library': learningLibrary,
  'care/care': careCare,
  'hardship/hardship': hardshipCards,
  'organisation/setup': organisationSetup,
  'organisation/roster': organisationRoster,
  'desk/queue': deskQueue,
  'grievances/filing': grievanceFiling,
  'grievances/notices': grievanceNotices,
  'grievances/review': grievanceReview,
  'grievances/worker': grievanceWorker,
  'proposals/admin': proposalAdmin,
  'organisation/members': organisationMembers,
  'organisation/leavers': organisationLeavers,
  'proposals/submit': proposalSubmit,
  'proposals/work': proposalWork,
  'proposals/proposal': proposal,
  'activities/activity': activity,
  'activities/forms': activityForms,
  'activities/lists': activityLists,
  help,
  'organisation/holidays': holidays,
  talk,
  imports,
  'digests/digest': digest,
  'digests/notices': digestNotices,
  'digests/report': digestReport,
  'notices/notice': noticeCards,
  'notices/forms': noticeForms,
  'notices/opinions': noticeOpinions,
  // The 「查看附件」 button only (no card of its own); the cards that carry it are fuzzed with attachments above.
  evidence: evidenceCards,
}

/** Builds, turning a thrown CardTooLargeError (a builder that cannot fit allowed input) into a failure. */
function build(where: string, builder: Builder, g: Gen): Card {
  try {
    return builder(g)
  } catch (err) {
    throw new Error(`${where} threw on input the feature allows: ${(err as Error).message}`)
  }
}

// Polls and the congress (issue #15): titles, options, questions, answers, meeting and item titles and names are typed.
const vNumber = (g: Gen) => `V-${String(g.int(1, 9999)).padStart(3, '0')}`
function pollOf(g: Gen, kind: 'poll' | 'congress' | 'election' = g.pick(['poll', 'congress', 'election'] as const)): Poll {
  const options = kind === 'congress' ? ['赞成', '反对', '弃权'] : g.list(POLL_LIMITS.maxOptions, () => g.text(POLL_LIMITS.option, 1), POLL_LIMITS.minOptions)
  const voted = g.int(0, 100_000)
  return {
    id: String(g.int(1, 1e6)),
    seqNo: g.int(1, 9999),
    number: vNumber(g),
    kind,
    title: g.text(POLL_LIMITS.title, 1),
    options,
    multiple: g.bool(),
    anonymous: g.bool(),
    audience: g.pick(AUDIENCES),
    audienceValue: g.bool() ? g.text(POLL_LIMITS.audienceValue, 1) : undefined,
    closesAt: g.bool() ? g.date() : undefined,
    resultsLive: g.bool(),
    freeQuestion: g.bool() ? g.text(POLL_LIMITS.freeQuestion, 1) : undefined,
    status: g.pick(['draft', 'open', 'closed'] as const),
    votedCount: voted,
    eligibleCount: g.bool() ? g.int(0, 100_000) : undefined,
    version: g.int(1, 1000),
    createdBy: openId(g),
    createdAt: g.date(),
    createdEventId: 'evt',
    originChatId: undefined,
    closedAt: g.bool() ? g.date() : undefined,
    closedEventId: undefined,
    openedEventId: undefined,
    meetingId: kind === 'congress' ? String(g.int(1, 100)) : undefined,
  }
}
function resultsFor(g: Gen, p: Poll) {
  const counts = new Map(p.options.map((_, i) => [i, g.int(0, 100_000)] as const))
  return computeResults(p.options, counts, p.votedCount, p.eligibleCount, g.bool())
}
function meetingOf(g: Gen): Meeting {
  return {
    id: String(g.int(1, 1000)),
    number: `M-${String(g.int(1, 999)).padStart(3, '0')}`,
    title: g.text(60, 1),
    term: g.bool() ? g.text(30, 1) : undefined,
    status: g.pick(['open', 'closed'] as const),
    expected: g.int(0, 2000),
    chatId: undefined,
    version: g.int(1, 100),
    createdBy: openId(g),
    createdAt: g.date(),
    createdEventId: 'evt',
    closedAt: g.bool() ? g.date() : undefined,
    closedEventId: undefined,
    reportDueOn: g.bool() ? '2026-06-10' : undefined,
  }
}
const itemsOf = (g: Gen): ItemView[] =>
  g.list(30, () => {
    const poll = pollOf(g, 'congress')
    return poll.status === 'closed' ? { poll, results: resultsFor(g, poll), passed: g.bool() } : { poll }
  })
const meetingView = (g: Gen) => ({ meeting: meetingOf(g), present: g.int(0, 2000), quorum: { num: 2, den: 3 }, passShare: { num: 1, den: 2 }, items: itemsOf(g) })
BUILDERS['polls/poll'] = {
  buildPollFormCard: (g) =>
    pollCards.buildPollFormCard({
      chatId: `oc_${g.int(0, 1e9)}`,
      ...(g.bool()
        ? {
            values: {
              title: g.text(POLL_LIMITS.title * 2),
              options: g.text(POLL_LIMITS.maxOptions * (POLL_LIMITS.option + 1)),
              mode: g.pick(['single', 'multiple'] as const),
              secrecy: g.pick(['anonymous', 'named'] as const),
              audience: g.pick(AUDIENCES),
              audienceValue: g.text(POLL_LIMITS.audienceValue * 2),
              closesAt: pickerText(g),
              results: g.pick(['after', 'live'] as const),
              freeQuestion: g.text(POLL_LIMITS.freeQuestion * 2),
            },
            errors: g.list(8, () => g.pick(['请填写投票主题', '有重复的选项，请修改', '截止时间已经过去，请选择将来的时间'])),
          }
        : {}),
    }),
  buildPollCreatedCard: (g) => pollCards.buildPollCreatedCard(pollOf(g), TZ),
  buildPollCard: (g) => {
    const poll = pollOf(g)
    const withResults = g.bool()
    return pollCards.buildPollCard(
      {
        poll,
        ...(withResults ? { results: resultsFor(g, poll) } : {}),
        ...(poll.kind === 'congress' ? { congress: { expected: g.int(0, 2000), passShare: { num: 1, den: 2 }, passNeeded: g.int(1, 1001), quorumMet: g.bool(), ...(g.bool() ? { passed: g.bool() } : {}) } } : {}),
        // An election of representatives: constituency and term typed by the chair, candidates' names from Feishu.
        ...(g.bool()
          ? {
              election: {
                constituency: g.text(30, 1),
                seats: g.int(1, 19),
                term: g.bool() ? g.text(20, 1) : undefined,
                eligible: g.int(0, 100_000),
                turnout: { num: 2, den: 3 },
                winShare: { num: 1, den: 2 },
                ...(g.bool() ? { outcome: { valid: g.bool(), elected: g.list(19, () => g.int(0, poll.options.length - 1)), tied: g.list(5, () => g.int(0, poll.options.length - 1)) } } : {}),
              },
            }
          : {}),
      },
      TZ,
    )
  },
  buildPollReplacedCard: (g) => pollCards.buildPollReplacedCard({ number: vNumber(g) }),
  buildPollClosingCard: (g) => {
    const poll = pollOf(g, 'poll')
    return pollCards.buildPollClosingCard({ poll, results: resultsFor(g, poll), answers: g.list(300, () => ({ ...(g.bool() ? { name: g.name() } : {}), text: g.text(POLL_LIMITS.freeAnswer, 1) })) }, TZ)
  },
}
BUILDERS['congress/meeting'] = {
  buildMeetingCard: (g) => meetingCards.buildMeetingCard(meetingView(g), TZ),
  buildMeetingReplacedCard: (g) => meetingCards.buildMeetingReplacedCard(meetingOf(g)),
  buildMinutesCard: (g) => meetingCards.buildMinutesCard({ ...meetingView(g), roll: g.list(300, () => ({ ...person(g), checkedIn: g.bool() })), timeZone: TZ }),
  buildReportReminderCard: (g) => meetingCards.buildReportReminderCard(meetingOf(g)),
  buildConstituenciesCard: (g) => meetingCards.buildConstituenciesCard(g.list(300, () => ({ constituency: g.text(30, 1), departments: g.list(50, () => g.text(30, 1), 1) }))),
}

describe('card fuzzing', () => {
  it('covers every card builder in cards/', () => {
    // Builders live in cards/ and in one folder per feature (cards/grievances/review.ts → 'grievances/review').
    const dir = fileURLToPath(new URL('../../cards', import.meta.url))
    const files = (readdirSync(dir, { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts') && !['kit.ts', 'escape.ts'].includes(f))
      .map((f) => f.replace(/\\/g, '/').replace(/\.ts$/, ''))
    expect(Object.keys(MODULES).sort()).toEqual(files.sort())
    for (const [name, mod] of Object.entries(MODULES)) {
      const builders = Object.entries(mod).filter(([k, v]) => typeof v === 'function' && /^build\w*Card$/.test(k)).map(([k]) => k)
      expect(Object.keys(BUILDERS[name] ?? {}).sort(), `builders of cards/${name}.ts`).toEqual(builders.sort())
    }
  })

  for (const [module, builders] of Object.entries(BUILDERS)) {
    describe(`cards/${module}.ts`, () => {
      for (const [name, builder] of Object.entries(builders)) {
        it(`${name}: every field at its worst, in every variant`, () => {
          for (let variant = 0; variant < 10; variant++) checkCard(build(name, builder, worstGen(variant)), `${name} (worst case ${variant})`)
        })
        it(`${name}: fuzzed text and names`, () => {
          // In chunks: within one fc.assert, fast-check keeps what every fc.gen() call generated (memory grows
          // with the runs); a long `npm run fuzz` would run out of memory otherwise.
          for (let done = 0; done < RUNS; done += CHUNK) {
            fc.assert(
              fc.property(fc.gen(), (g) => checkCard(build(name, builder, fuzzGen(g)), name)),
              { numRuns: Math.min(CHUNK, RUNS - done), endOnFailure: true },
            )
          }
        }, TIMEOUT)
      }
    })
  }

  it('the checker itself catches what it is meant to catch', () => {
    const bad = (content: string): Card => ({ schema: '2.0', config: { update_multi: true }, body: { elements: [{ tag: 'markdown', content }] } })
    for (const content of ['<at id=all></at>', '[x](http://e.com)', '<person id=ou_1></person>', '<link url=x>', 'see http://e.com', '<text_tag>x</text_tag>', 'a\u202eb'])
      expect(() => checkCard(bad(content), 'probe'), content).toThrow()
    expect(() => checkCard(bad("<font color='grey'>ok</font> **粗体**"), 'probe')).not.toThrow()
    const huge: Card = { schema: '2.0', config: { update_multi: true }, body: { elements: Array.from({ length: 201 }, () => ({ tag: 'hr' })) } }
    expect(() => checkCard(huge, 'probe')).toThrow()
  })
})
