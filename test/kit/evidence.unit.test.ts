// The pure half of evidence (src/kit/evidence-model.ts): what is stripped from images, the neutral names, the refused
// types and the retry schedule.
import { describe, expect, it } from 'vitest'
import { extensionOf, neutralFileName, refusedType, stripImageMetadata, tooLargeMessage, uploadFileType } from '../../src/kit/evidence-model.js'
import { retryDelayMs } from '../../src/kit/evidence.js'

const seg = (marker: number, body: string) => {
  const b = Buffer.from(body, 'latin1')
  return Buffer.concat([Buffer.from([0xff, marker, (b.length + 2) >> 8, (b.length + 2) & 0xff]), b])
}

describe('stripImageMetadata', () => {
  it('drops JPEG APP1–APP15 and comments, keeps JFIF, tables and the scan', () => {
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8]), seg(0xe0, 'JFIF\0'), seg(0xe1, 'Exif\0\0GPS'), seg(0xed, 'Photoshop IPTC'), seg(0xfe, 'comment'), seg(0xdb, 'QTABLE'), Buffer.from([0xff, 0xda, 0, 4, 1, 2]), Buffer.from('SCAN'), Buffer.from([0xff, 0xd9])])
    const out = stripImageMetadata(jpeg).toString('latin1')
    for (const gone of ['Exif', 'GPS', 'IPTC', 'comment']) expect(out).not.toContain(gone)
    for (const kept of ['JFIF', 'QTABLE', 'SCAN']) expect(out).toContain(kept)
    expect(out.endsWith('\xff\xd9')).toBe(true)
  })

  it('drops PNG text, EXIF and time chunks and leaves anything else as it was', () => {
    const chunk = (type: string, data: string) => {
      const len = Buffer.alloc(4)
      len.writeUInt32BE(data.length)
      return Buffer.concat([len, Buffer.from(type + data, 'latin1'), Buffer.alloc(4)])
    }
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', 'hdr'), chunk('tEXt', 'Author\0x'), chunk('eXIf', 'GPS'), chunk('iTXt', 'XMP'), chunk('IDAT', 'px'), chunk('IEND', '')])
    const out = stripImageMetadata(png).toString('latin1')
    for (const gone of ['Author', 'GPS', 'XMP']) expect(out).not.toContain(gone)
    expect(out).toContain('IDATpx')
    const pdf = Buffer.from('%PDF-1.4 /Author (someone)')
    expect(stripImageMetadata(pdf)).toBe(pdf)
    const broken = Buffer.from([0xff, 0xd8, 0x00, 0x01])
    expect(stripImageMetadata(broken)).toBe(broken)
  })
})

describe('names and types', () => {
  it('names an upload by the case and the item only', () => {
    expect(neutralFileName('G-2026-0003', 2, 'pdf')).toBe('G-2026-0003-附件2.pdf')
    expect(neutralFileName('<at id=all>', 1, null)).toBe('atidall-附件1')
    expect(extensionOf('张伟 工资条.PDF')).toBe('pdf')
    expect(extensionOf('README')).toBe('')
    expect(uploadFileType('docx')).toBe('doc')
    expect(uploadFileType('zip')).toBe('stream')
  })

  it('refuses files by extension, never images', () => {
    expect(refusedType({ kind: 'file', name: 'a.EXE' }, ['exe'])).toBe('exe')
    expect(refusedType({ kind: 'file', name: 'a.pdf' }, ['exe'])).toBeUndefined()
    expect(refusedType({ kind: 'image' }, ['exe'])).toBeUndefined()
    expect(tooLargeMessage('K-2026-0001', 3, 'image', 10 * 1024 * 1024)).toContain('超过 10 MB')
  })

  it('retries after 1, 2, 4 … minutes, at most an hour', () => {
    expect([1, 2, 3, 7, 20].map((n) => retryDelayMs(n) / 60_000)).toEqual([1, 2, 4, 60, 60])
  })
})
