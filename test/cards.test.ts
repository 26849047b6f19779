// The one escaping helper and the card limits: user text renders literally and mentions nobody.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { escapeMarkdown, truncate } from '../cards/escape.js'
import { assertCardWithinLimits, card, cardByteSize, countElements, field, md, userText, CardTooLargeError } from '../cards/kit.js'
import { buildHelpCard } from '../cards/help.js'

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
