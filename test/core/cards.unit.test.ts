// The one escaping helper and the card limits: user text renders literally and mentions nobody.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { escapeMarkdown, truncate } from '../../cards/escape.js'
import { assertCardWithinLimits, card, cardByteSize, countElements, field, md, userText, CardTooLargeError } from '../../cards/kit.js'
import { buildHelpCard } from '../../cards/help.js'
import { buildConfirmStepCard } from '../../cards/grievances/filing.js'
import { buildAssignedCard, buildFollowUpCard, buildOverdueReminderCard } from '../../cards/grievances/notices.js'
import { buildReviewCard } from '../../cards/grievances/review.js'
import { buildDeclinedNoticeCard, buildOwnCaseCard, buildOwnListCard, buildRatedCard, buildReplyNoticeCard, buildResolvedNoticeCard } from '../../cards/grievances/worker.js'

/** What must never survive escaping: tags (mentions, links, fonts), markdown links, headings, emphasis. */
const DANGEROUS = [/<at\b/i, /<a\b/i, /<font\b/i, /<link\b/i, /\]\(/, /^#/m, /\*\*/, /<\/?\w/]

describe('escapeMarkdown', () => {
  it.each([
    '<at id=all></at>',
    '<at user_id="ou_123">boss</at>',
    '[点我](https://evil.example)',
    '# 标题',
    '**加粗** _斜体_ ~~删除~~',
    "<font color='red'>红字</font>",
    '<a href="http://x">x</a> <link url="http://x">',
    '![img](img_v2_key)',
    '| a | b |\n|---|---|',
    ':OK: `code` $x$',
  ])('neutralizes %s', (input) => {
    const out = escapeMarkdown(input)
    for (const pattern of DANGEROUS) expect(out).not.toMatch(pattern)
    expect(out).not.toContain('<')
    expect(out).not.toContain('[')
    expect(out).not.toContain('*')
  })

  it('keeps Chinese text and newlines as they are', () => {
    expect(escapeMarkdown('工资拖欠三个月\n请帮忙')).toBe('工资拖欠三个月\n请帮忙')
  })

  it('escapes & first, so typed entities stay literal', () => {
    expect(escapeMarkdown('&#60;at id=all&#62;')).toBe('&#38;&#35;60;at id&#61;all&#38;&#35;62;')
  })

  it('drops control and bidi-override characters', () => {
    expect(escapeMarkdown('a\u202Eb\u0000c\u200Bd')).toBe('abcd')
  })

  it('never lets a tag or a link through, whatever the input (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'<>[]()*#_~`!:@/\\"\'=|&at idlhref ', 'a', '中') }), (s) => {
        const out = escapeMarkdown(s)
        return !/[<>[\]()*#_~`]/.test(out.replace(/&#\d+;|&sim;/g, ''))
      }),
      { numRuns: 500 },
    )
  })
})

describe('card kit', () => {
  it('builds JSON 2.0 cards that can be patched (update_multi)', () => {
    const c = card({ title: '标题', elements: [md('**粗体**')] })
    expect(c.schema).toBe('2.0')
    expect(c.config.update_multi).toBe(true)
    expect(c.body.elements).toHaveLength(1)
  })

  it('puts user text through the escaping helper (userText, field)', () => {
    const c = card({ title: '<at id=all></at>', elements: [userText('<at id=all></at>'), field('说明', '[x](http://y)')] })
    const json = JSON.stringify(c.body)
    expect(json).not.toContain('<at')
    expect(json).not.toContain('](')
    // Titles are plain_text: shown literally by Feishu, never parsed.
    expect(c.header!.title.tag).toBe('plain_text')
  })

  it('truncates long user text', () => {
    expect(Array.from(truncate('字'.repeat(3000), 2000))).toHaveLength(2000)
  })

  it('enforces the 30 KB and 200-element limits', () => {
    const big = card({ title: 'x', elements: [userText('字'.repeat(2000)), ...Array.from({ length: 12 }, () => md('字'.repeat(1000)))] })
    expect(cardByteSize(big)).toBeGreaterThan(30 * 1024)
    expect(() => assertCardWithinLimits(big)).toThrow(CardTooLargeError)
    const many = card({ title: 'x', elements: Array.from({ length: 201 }, () => md('a')) })
    expect(countElements(many)).toBe(201)
    expect(() => assertCardWithinLimits(many)).toThrow(CardTooLargeError)
    expect(() => assertCardWithinLimits(card({ title: 'x', elements: [md('a')] }))).not.toThrow()
  })

  it('the help card lists sections and fits the limits', () => {
    const c = buildHelpCard([
      { section: '维权', usage: '投诉', description: '反映问题' },
      { section: '维权', usage: '我的诉求', description: '查看进度' },
      { section: '活动', usage: '发起活动', description: '发布活动', roles: ['officer'] },
    ])
    const json = JSON.stringify(c)
    expect(json).toContain('维权')
    expect(json).toContain('（工会干部）')
    expect(() => assertCardWithinLimits(c)).not.toThrow()
  })
})

// Security review F9, F3, F7, F17: confidential grievance cards cannot be forwarded, anonymous cases show
// attachment counts only unless the worker chose otherwise, committee cards carry dates, the help card warns.
describe('grievance cards (security review)', () => {
  const at = new Date('2026-06-01T02:37:00Z') // 10:37 in Shanghai
  const tz = 'Asia/Shanghai'
  const facts = {
    id: 1,
    number: 'G-2026-0001',
    category: '劳动报酬',
    status: 'pending' as const,
    description: '车间连续三个月加班没有按规定支付加班费。',
    attachments: [{ kind: 'file' as const, key: 'file_v3_a' }, { kind: 'image' as const, key: 'img_v3_b' }],
    anonymous: true,
    filedAt: at,
    acceptDueAt: at,
    resolveDueAt: at,
    satisfaction: null,
    reopenedCount: 0,
    timeZone: tz,
  }
  const review = (over: Partial<Parameters<typeof buildReviewCard>[0]> = {}) =>
    buildReviewCard({
      ...facts,
      reporterLabel: '匿名职工',
      acceptedAt: null,
      resolvedAt: null,
      closedAt: null,
      declineReason: null,
      resolution: null,
      history: [{ at, actor: '匿名职工', kind: 'filed' }],
      officers: [],
      revision: 0,
      timeClass: 'general',
      ...over,
    })

  it('sets config.enable_forward:false on review, follow-up, overdue, assigned and every worker-notice card', () => {
    const cards = {
      review: review(),
      followUp: buildFollowUpCard({ number: 'G-2026-0001', category: '劳动报酬', reporterLabel: '匿名职工', text: '补充', at, timeZone: tz }),
      overdue: buildOverdueReminderCard({ day: '2026-06-01', items: [{ number: 'G-2026-0001', category: '劳动报酬', status: 'pending', deadline: 'accept', dueAt: at, overdueDays: 1 }], timeZone: tz }),
      assigned: buildAssignedCard({ number: 'G-2026-0001', category: '劳动报酬', status: 'accepted', acceptDueAt: at, resolveDueAt: at, assignerName: '王主席', timeZone: tz }),
      reply: buildReplyNoticeCard({ number: 'G-2026-0001', status: 'accepted', text: '回复', anonymous: true }),
      declined: buildDeclinedNoticeCard({ number: 'G-2026-0001', reason: '理由' }),
      resolved: buildResolvedNoticeCard({ gid: 1, number: 'G-2026-0001', result: '结果', round: 0 }),
      rated: buildRatedCard({ number: 'G-2026-0001', rating: 'satisfied', reopened: false }),
      ownCase: buildOwnCaseCard({ ...facts, history: [] }),
      ownList: buildOwnListCard({ rows: [], total: 0, timeZone: tz }),
    }
    for (const [name, c] of Object.entries(cards)) expect(c.config.enable_forward, name).toBe(false)
    // Cards with nothing confidential keep Feishu's default.
    expect(card({ title: 'x', elements: [] }).config).not.toHaveProperty('enable_forward')
  })

  it('committee cards show dates, not times', () => {
    const texts = [
      review(),
      buildFollowUpCard({ number: 'G-2026-0001', category: '劳动报酬', reporterLabel: '匿名职工', text: '补充', at, timeZone: tz }),
      buildOverdueReminderCard({ day: '2026-06-01', items: [{ number: 'G-2026-0001', category: '劳动报酬', status: 'pending', deadline: 'accept', dueAt: at, overdueDays: 1 }], timeZone: tz }),
      buildAssignedCard({ number: 'G-2026-0001', category: '劳动报酬', status: 'accepted', acceptDueAt: at, resolveDueAt: at, assignerName: '王主席', timeZone: tz }),
    ].map((c) => JSON.stringify(c.body))
    for (const t of texts) {
      expect(t).toContain('2026-06-01')
      expect(t).not.toContain('10:37')
    }
  })

  it('an anonymous review card shows attachment counts only; a named one, or a chosen one, shows names', () => {
    expect(JSON.stringify(review())).toContain('图片 1 个、文件 1 个')
    const named = review({ anonymous: false, reporterLabel: '李四', attachments: [{ kind: 'file', key: 'k', name: '欧阳秘密-工资条.pdf' }] })
    expect(JSON.stringify(named)).toContain('欧阳秘密&#45;工资条.pdf')
  })

  it('the confirm card hides file names of an anonymous draft until the worker chooses to show them, with the warning', () => {
    const draft = { category: '劳动报酬', description: '车间连续三个月加班没有按规定支付加班费。', anonymous: true, attachments: [{ kind: 'file' as const, name: '欧阳秘密-工资条.pdf' }] }
    const hidden = JSON.stringify(buildConfirmStepCard(draft))
    expect(hidden).not.toContain('欧阳秘密')
    expect(hidden).toContain('文件 1 个')
    expect(hidden).toContain('"answer":"显示文件名"')
    expect(hidden).toContain('"answer":"删除附件"')
    const shown = JSON.stringify(buildConfirmStepCard({ ...draft, showFileNames: true }))
    expect(shown).toContain('欧阳秘密&#45;工资条.pdf')
    expect(shown).toContain('文件名会显示给工会干部，文件名中常含姓名或工号')
    expect(shown).toContain('"answer":"隐藏文件名"')
  })

  it('the relay card warns an anonymous reporter; a named one gets no such warning', () => {
    const warning = '立即回复或打开消息中的链接，可能让对方推测出您的身份'
    expect(JSON.stringify(buildReplyNoticeCard({ number: 'G-2026-0001', status: 'accepted', text: '回复', anonymous: true }))).toContain(warning)
    expect(JSON.stringify(buildReplyNoticeCard({ number: 'G-2026-0001', status: 'accepted', text: '回复', anonymous: false }))).not.toContain(warning)
  })

  it('the help card warns that raising a grievance in a group shows who raised it', () => {
    expect(JSON.stringify(buildHelpCard([]))).toContain('在群里@机器人说出诉求，群成员会看到是您发起的；请私聊机器人')
  })
})
