// The one CSV writer (src/kit/csv.ts): cells a spreadsheet could run as formulas are defused, including the ones the
// security review found getting through (F16: a leading space before =), and quoting follows RFC 4180.
import { describe, expect, it } from 'vitest'
import { csvCell, toCsv } from '../../src/kit/csv.js'
import { reportCsv } from '../../src/digests/report.js'

describe('csv cells', () => {
  it.each([
    [' =1+1', "' =1+1"],
    ['\t=1', "'\t=1"],
    ['@SUM(1)', "'@SUM(1)"],
    ['-2', "'-2"],
    ['+1', "'+1"],
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['\r=1', `"'\r=1"`],
    ['\u3000 \n=cmd|x', `"'\u3000 \n=cmd|x"`],
    ['  -', "'  -"],
  ])('defuses %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected)
  })

  it.each([
    ['张三', '张三'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['1-2', '1-2'],
    ['2026-05-01 09:00', '2026-05-01 09:00'],
    ['', ''],
    ['—', '—'],
  ])('leaves %j alone except for RFC 4180 quoting', (input, expected) => {
    expect(csvCell(input)).toBe(expected)
  })

  it('writes a BOM, CRLF line ends and a final CRLF', () => {
    const file = toCsv([
      ['a', 'b'],
      [' =1', 'x'],
    ])
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(file.subarray(3).toString('utf8')).toBe("a,b\r\n' =1,x\r\n")
  })

  it('is what the 月报/季报 CSV uses: a window name starting with " =" comes out defused', () => {
    const csv = reportCsv({
      kind: 'monthly',
      period: { kind: 'monthly', key: '2026-09', firstDay: '2026-09-01', lastDay: '2026-09-30', partial: false } as never,
      generatedAt: new Date('2026-10-01T01:00:00Z'),
      timeZone: 'Asia/Shanghai',
      grievances: {
        filed: 0,
        accepted: 0,
        declined: 0,
        resolved: 0,
        medianAcceptSeconds: null,
        medianResolveSeconds: null,
        rated: { satisfied: 0, basicallySatisfied: 0, dissatisfied: 0 },
        open: { pending: 0, accepted: 0 },
      } as never,
      categories: { shown: [], other: 0 } as never,
      proposals: {
        figures: { submitted: 0, registered: 0, rejected: 0, answered: 0, rated: { satisfied: 0, basic: 0, unsatisfied: 0 } } as never,
        window: { windowName: ' =1+1', byStatus: {} } as never,
      },
    }).toString('utf8')
    expect(csv).toContain("本届提案（生成时）,届次,' =1+1\r\n")
  })
})
