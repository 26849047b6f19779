// The notice rules that need no services: N-numbers, the officer's formatting-only markdown, the line changes a
// correction shows, and the opinion window.
import { describe, expect, it } from 'vitest'
import { officerMarkdown } from '../../cards/escape.js'
import { lineChanges, NOTICE_NUMBER, opinionsOpen, parseNoticeCategory } from '../../src/notices/model.js'

describe('N-numbers', () => {
  it('formats and reads them leniently, but not bare digits (12 alone is an activity)', () => {
    expect(NOTICE_NUMBER.format(7)).toBe('N-007')
    for (const typed of ['N-007', 'n007', 'N 7', 'Ｎ－００７']) expect(NOTICE_NUMBER.parse(typed)).toBe('N-007')
    expect(NOTICE_NUMBER.parse('7')).toBeUndefined()
    expect(NOTICE_NUMBER.find('请看一下n-12的公开')?.number).toBe('N-012')
  })
})

describe('officerMarkdown', () => {
  it('keeps bold, strike and list items, and escapes links, tags, mentions and URLs', () => {
    const out = officerMarkdown('**重点** ~~旧~~\n- 第一项\n<at id=all></at> [链接](http://e.com) https://evil.example <font color=red>x</font>')
    expect(out).toContain('**重点**')
    expect(out).toContain('~~旧~~')
    expect(out).toContain('\n- 第一项')
    for (const marker of ['<at', '](', 'http://', 'https://', '<font']) expect(out).not.toContain(marker)
  })
  it('gives no formatting back to half a marker', () => {
    expect(officerMarkdown('** 不加粗')).not.toContain('**')
  })
})

describe('lineChanges', () => {
  it('lists the removed and added lines, and changes of title and category', () => {
    const before = { title: '福利费', category: '福利', body: '一、总额 120 万\n二、体检 45 万\n三、慰问 30 万' }
    const after = { title: '福利费（更正）', category: '财务', body: '一、总额 120 万\n二、体检 48 万\n三、慰问 30 万' }
    expect(lineChanges(before, after)).toEqual([
      { kind: 'removed', text: '标题：福利费' },
      { kind: 'added', text: '标题：福利费（更正）' },
      { kind: 'removed', text: '类别：福利' },
      { kind: 'added', text: '类别：财务' },
      { kind: 'removed', text: '二、体检 45 万' },
      { kind: 'added', text: '二、体检 48 万' },
    ])
    expect(lineChanges(before, before)).toEqual([])
  })
})

describe('the opinion window and categories', () => {
  it('is open until the closing time of a published notice only', () => {
    const until = new Date('2026-06-20T10:00:00Z')
    expect(opinionsOpen({ status: 'published', opinionsUntil: until }, new Date('2026-06-20T09:59:59Z'))).toBe(true)
    expect(opinionsOpen({ status: 'published', opinionsUntil: until }, until)).toBe(false)
    expect(opinionsOpen({ status: 'withdrawn', opinionsUntil: until }, new Date('2026-06-01T00:00:00Z'))).toBe(false)
    expect(opinionsOpen({ status: 'published', opinionsUntil: undefined }, new Date('2026-06-01T00:00:00Z'))).toBe(false)
  })
  it('knows the six categories', () => {
    expect(parseNoticeCategory(' 安全生产 ')).toBe('安全生产')
    expect(parseNoticeCategory('八卦')).toBeUndefined()
  })
})
