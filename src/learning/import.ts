// Reading and checking the files officers import: hours of outside training (学时 导入) and the book list (书屋 导入).
// Every row is checked before anything is written; the caller takes all rows in one transaction, or none.
import type { Db } from '../db/schema.js'
import { parseCsv } from '../kit/csv.js'
import { charCount } from '../kit/text.js'
import { personOfRow, shownCell } from '../organisation/imported-person.js'
import { readDate } from '../organisation/member-import.js'
import { BOOK_TITLE_MAX, SOURCE_MAX, parseHours } from './model.js'

export const IMPORT_MAX_BYTES = 512 * 1024
export const IMPORT_MAX_ROWS = 5000

export interface Refusal {
  line: number
  reason: string
}

export interface CreditRow {
  line: number
  openId: string
  onDate: string
  minutes: number
  source: string
}

const header = (row: string[], names: readonly string[]) => row.findIndex((h) => names.includes(h.trim().toLowerCase()))
const shown = shownCell

/** 学时 导入: 姓名 / open_id, 日期, 学时 (1.5 or 90分钟), 内容. */
export async function checkCredits(db: Db, text: string, today: string): Promise<{ rows: CreditRow[]; refused: Refusal[]; total: number } | { error: string }> {
  const [head, ...data] = parseCsv(text)
  if (!head) return { error: '文件是空的。' }
  const idx = { name: header(head, ['姓名', 'name']), openId: header(head, ['open_id', 'openid']), date: header(head, ['日期', '培训日期', 'date']), hours: header(head, ['学时', '时长', 'hours']), source: header(head, ['内容', '培训内容', '名称', 'source']) }
  if (idx.date < 0 || idx.hours < 0 || idx.source < 0 || (idx.name < 0 && idx.openId < 0)) return { error: '第一行应是表头：「姓名」或「open_id」，以及「日期」「学时」「内容」。' }
  if (data.length === 0) return { error: '文件只有表头，没有数据行。' }
  if (data.length > IMPORT_MAX_ROWS) return { error: `一次最多导入 ${IMPORT_MAX_ROWS} 行，请拆分文件。` }
  const cell = (r: string[], i: number) => (i >= 0 ? (r[i] ?? '').trim() : '')
  const rows: CreditRow[] = []
  const refused: Refusal[] = []
  for (const [n, r] of data.entries()) {
    const line = n + 2
    const onDate = readDate(cell(r, idx.date), today)
    if (!onDate) {
      refused.push({ line, reason: `日期「${shown(cell(r, idx.date))}」无效（应为 2026-05-01 这样的日期，且不晚于今天）` })
      continue
    }
    const minutes = parseHours(cell(r, idx.hours))
    if (minutes === undefined) {
      refused.push({ line, reason: `学时「${shown(cell(r, idx.hours))}」无效（如 2、1.5、90分钟；最多 100 学时）` })
      continue
    }
    const source = cell(r, idx.source)
    if (!source || charCount(source) > SOURCE_MAX) {
      refused.push({ line, reason: `内容应为 1–${SOURCE_MAX} 个字` })
      continue
    }
    const person = await personOfRow(db, { openId: cell(r, idx.openId), name: cell(r, idx.name) })
    if ('reason' in person) {
      refused.push({ line, reason: person.reason })
      continue
    }
    rows.push({ line, openId: person.openId, onDate, minutes, source })
  }
  return { rows, refused, total: data.length }
}

export interface BookRow {
  line: number
  title: string
  author: string | undefined
  copies: number
}

/** 书屋 导入: 书名, 作者 (选填), 册数 (选填, 1 by default). */
export function checkBooks(text: string): { rows: BookRow[]; refused: Refusal[]; total: number } | { error: string } {
  const [head, ...data] = parseCsv(text)
  if (!head) return { error: '文件是空的。' }
  const idx = { title: header(head, ['书名', 'title']), author: header(head, ['作者', 'author']), copies: header(head, ['册数', '数量', 'copies']) }
  if (idx.title < 0) return { error: '第一行应是表头，至少包含「书名」（可另加「作者」「册数」）。' }
  if (data.length === 0) return { error: '文件只有表头，没有数据行。' }
  if (data.length > IMPORT_MAX_ROWS) return { error: `一次最多导入 ${IMPORT_MAX_ROWS} 行，请拆分文件。` }
  const cell = (r: string[], i: number) => (i >= 0 ? (r[i] ?? '').trim() : '')
  const rows: BookRow[] = []
  const refused: Refusal[] = []
  const seen = new Map<string, number>()
  for (const [n, r] of data.entries()) {
    const line = n + 2
    const title = cell(r, idx.title)
    if (!title || charCount(title) > BOOK_TITLE_MAX) {
      refused.push({ line, reason: `书名应为 1–${BOOK_TITLE_MAX} 个字` })
      continue
    }
    const copiesText = cell(r, idx.copies)
    const copies = copiesText === '' ? 1 : /^\d{1,4}$/.test(copiesText) ? Number(copiesText) : NaN
    if (!(copies >= 1 && copies <= 1000)) {
      refused.push({ line, reason: `册数「${shown(copiesText)}」无效（1–1000）` })
      continue
    }
    const earlier = seen.get(title)
    if (earlier !== undefined) {
      refused.push({ line, reason: `与第 ${earlier} 行是同一本书` })
      continue
    }
    seen.set(title, line)
    const author = cell(r, idx.author)
    rows.push({ line, title, author: author ? [...author].slice(0, BOOK_TITLE_MAX).join('') : undefined, copies })
  }
  return { rows, refused, total: data.length }
}
