// Evidence, the pure half (src/kit/evidence.ts keeps the rows and talks to Feishu): the 「查看附件」 action, what a card
// shows of a subject's evidence, which types are refused, the neutral names, and the image metadata the bot removes
// before re-uploading. No I/O, so cards import it.
import { z } from 'zod'
import { defineAction } from './actions.js'

/** 「查看附件」 on a case card: the re-uploaded images and files go to the clicker privately (if the owner allows). */
export const EVIDENCE_OPEN = defineAction('evidence.open', z.object({ t: z.string().min(1).max(40), id: z.string().min(1).max(40) }))

export type EvidenceKind = 'image' | 'file'

/** An image or file as the person's message carried it. */
export interface EvidenceSource {
  kind: EvidenceKind
  /** Feishu's image_key / file_key of the person's message. */
  key: string
  /** The message it came in (the resource API needs it; kept only until the re-upload exists). */
  messageId: string
  name?: string
}

/** What a card shows: how many are ready to open, and how many are still being fetched or could not be kept. */
export interface EvidenceSummary {
  total: number
  ready: number
  pending: number
  refused: number
  failed: number
}

export const NO_EVIDENCE: EvidenceSummary = { total: 0, ready: 0, pending: 0, refused: 0, failed: 0 }

/** 「可查看 2 个，1 个获取中」: the state line next to a card's attachment count; '' when there is nothing. */
export function evidenceStateLine(s: EvidenceSummary): string {
  if (s.total === 0) return ''
  const parts = [`可查看 ${s.ready} 个`]
  if (s.pending) parts.push(`${s.pending} 个获取中`)
  if (s.refused) parts.push(`${s.refused} 个超出大小或类型限制`)
  if (s.failed) parts.push(`${s.failed} 个未能取回`)
  return parts.join('，')
}

/** The file's extension, lower case, without the dot ('' when none or not a plain one). */
export function extensionOf(name: string | undefined): string {
  const m = /\.([A-Za-z0-9]{1,10})$/.exec(name ?? '')
  return m ? m[1]!.toLowerCase() : ''
}

/** Why an attachment is not taken at once: a refused type (by its name). Sizes are known only when fetched. */
export function refusedType(source: Pick<EvidenceSource, 'kind' | 'name'>, refusedExtensions: readonly string[]): string | undefined {
  if (source.kind !== 'file') return undefined
  const ext = extensionOf(source.name)
  return ext && refusedExtensions.includes(ext) ? ext : undefined
}

/** The worker's words for refused items, e.g. 「不能接收 .exe 文件（程序和脚本），未保存。请改发图片、PDF 或文档。」 */
export function refusedTypeMessage(exts: readonly string[]): string {
  const list = [...new Set(exts)].map((e) => `.${e}`).join('、')
  return `不能接收 ${list} 文件（程序和脚本可能有害），未保存。请改发图片、PDF 或文档。`
}

/** The worker's words for an item too large to keep. */
export function tooLargeMessage(label: string, ordinal: number, kind: EvidenceKind, maxBytes: number): string {
  const mb = Math.round((maxBytes / (1024 * 1024)) * 10) / 10
  const limit = mb >= 1 ? `${mb} MB` : `${Math.max(1, Math.floor(maxBytes / 1024))} KB`
  return `${label} 的第 ${ordinal} 个附件（${kind === 'image' ? '图片' : '文件'}）超过 ${limit}，未能保存。请压缩或拆分后重新发送。`
}

/**
 * The name the bot uploads a file under: the case's label, the item's number and the extension only — never the
 * sender, never the original name (which often names the person, e.g. 「张伟工资条.pdf」).
 */
export function neutralFileName(label: string, ordinal: number, extension: string | null | undefined): string {
  const safeLabel = label.replace(/[^A-Za-z0-9\-\u4e00-\u9fff]/g, '')
  return `${safeLabel || '附件'}-附件${ordinal}${extension ? `.${extension}` : ''}`
}

/** Feishu's upload file_type for an extension (im/v1/files): its own kinds, else 'stream'. */
export function uploadFileType(extension: string | null | undefined): 'pdf' | 'doc' | 'xls' | 'ppt' | 'mp4' | 'opus' | 'stream' {
  switch (extension) {
    case 'pdf':
      return 'pdf'
    case 'doc':
    case 'docx':
      return 'doc'
    case 'xls':
    case 'xlsx':
      return 'xls'
    case 'ppt':
    case 'pptx':
      return 'ppt'
    case 'mp4':
      return 'mp4'
    case 'opus':
      return 'opus'
    default:
      return 'stream'
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
/** PNG chunks that carry text, EXIF (camera, GPS, author) or a time: dropped. */
const PNG_DROPPED = new Set(['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME'])

/**
 * The image without what it says about who made it: JPEG APP1–APP15 segments (EXIF with GPS and camera serial, XMP,
 * IPTC, maker notes) and comments; PNG text, EXIF and time chunks. Pixels are untouched. Other data is returned as it
 * is (not an image this knows: documents keep their own properties, docs/feishu-platform.md#evidence).
 */
export function stripImageMetadata(data: Buffer): Buffer {
  if (data.length > 4 && data[0] === 0xff && data[1] === 0xd8) return stripJpeg(data)
  if (data.length > 8 && data.subarray(0, 8).equals(PNG_SIGNATURE)) return stripPng(data)
  return data
}

function stripJpeg(data: Buffer): Buffer {
  const out: Buffer[] = [data.subarray(0, 2)]
  let i = 2
  while (i + 4 <= data.length) {
    if (data[i] !== 0xff) return data // not a segment where one should be: leave the file alone
    const marker = data[i + 1]!
    if (marker === 0xd9) {
      out.push(data.subarray(i))
      return Buffer.concat(out)
    }
    if (marker === 0xda) {
      // Start of scan: the compressed image follows to the end; nothing after it is metadata we can drop safely.
      out.push(data.subarray(i))
      return Buffer.concat(out)
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      out.push(data.subarray(i, i + 2))
      i += 2
      continue
    }
    const length = data.readUInt16BE(i + 2)
    if (length < 2 || i + 2 + length > data.length) return data
    const dropped = (marker >= 0xe1 && marker <= 0xef) || marker === 0xfe
    if (!dropped) out.push(data.subarray(i, i + 2 + length))
    i += 2 + length
  }
  return data
}

function stripPng(data: Buffer): Buffer {
  const out: Buffer[] = [data.subarray(0, 8)]
  let i = 8
  while (i + 12 <= data.length) {
    const length = data.readUInt32BE(i)
    const type = data.subarray(i + 4, i + 8).toString('latin1')
    const end = i + 12 + length
    if (end > data.length) return data
    if (!PNG_DROPPED.has(type)) out.push(data.subarray(i, end))
    i = end
    if (type === 'IEND') break
  }
  return Buffer.concat(out)
}
