// The bytes of an imported CSV as text: UTF-8 (with or without a BOM), or GBK/GB18030 as Excel writes it on a Chinese
// Windows (QA finding F12: such files were refused as having no header).
import { describe, expect, it } from 'vitest'
import { decodeCsvBytes } from '../../src/kit/csv-upload.js'
import { parseCsv } from '../../src/kit/csv.js'

// 姓名,部门,入会日期 / 张伟,一车间,2024-05-01 in GBK, as Excel's 「CSV（逗号分隔）」 saves it.
const GBK = Buffer.from('d0d5c3fb2cb2bfc3c52cc8ebbbe1c8d5c6da0d0ad5c5ceb02cd2bbb3b5bce42c323032342d30352d30310d0a', 'hex')

describe('decodeCsvBytes', () => {
  it('reads UTF-8, with or without a BOM', () => {
    const text = '姓名,部门,入会日期\n张伟,一车间,2024-05-01\n'
    expect(decodeCsvBytes(Buffer.from(text, 'utf8'))).toBe(text)
    expect(parseCsv(decodeCsvBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])))[0]).toEqual(['姓名', '部门', '入会日期'])
  })

  it('reads a GBK file as Excel writes it, header and names intact', () => {
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(GBK)).toThrow()
    const rows = parseCsv(decodeCsvBytes(GBK))
    expect(rows[0]).toEqual(['姓名', '部门', '入会日期'])
    expect(rows[1]).toEqual(['张伟', '一车间', '2024-05-01'])
  })
})
