// Reading and checking a 关怀名单 file (慰问 名单 导入): CSV with a header row, one person per row, giving the
// birthday and/or the retirement date the union knows. Every row is checked before anything is written; the file
// is taken whole or not at all. The CSV reader is the kit's (src/kit/csv.ts); people are found as every import finds
// them (src/organisation/imported-person.ts).
import type { Db } from '../db/schema.js'
import { readTypedDate } from '../kit/dates.js'
import { charCount } from '../kit/text.js'
import { parseCsv } from '../kit/csv.js'
import { personOfRow, shownCell } from '../organisation/imported-person.js'
import { DEPARTMENT_NAME_MAX } from '../organisation/model.js'
import { ROSTER_MAX_ROWS } from './model.js'
import type { RosterRow } from './store.js'

export const ROSTER_MAX_BYTES = 512 * 1024

const HEADERS = {
  name: ['姓名', 'name'],
  openId: ['open_id', 'openid'],
  department: ['部门', 'department'],
  birthday: ['生日', '出生日期', 'birthday'],
  retires: ['退休日期', '退休时间', 'retirement', 'retires_on'],
} as const

const readDate = readTypedDate

/** A birthday as MM-DD: from a full date (出生日期) or a month and day (`05-17`, `5月17日`). */
function readBirthday(value: string): string | undefined {
  const full = readDate(value)
  if (full) return full.slice(5)
  const m = /^(\d{1,2})(?:[-/.]|月)(\d{1,2})日?$/.exec(value.trim())
  if (!m) return undefined
  const md = `${m[1]!.padStart(2, '0')}-${m[2]!.padStart(2, '0')}`
  // 2024 is a leap year, so 02-29 is a real birthday.
  return readDate(`2024-${md}`) ? md : undefined
}

const shown = shownCell

export async function checkRoster(db: Db, text: string): Promise<{ rows: RosterRow[]; refused: Array<{ line: number; reason: string }>; total: number } | { error: string }> {
  const [header, ...data] = parseCsv(text)
  if (!header) return { error: '文件是空的。' }
  const col = (names: readonly string[]) => header.findIndex((h) => names.includes(h.trim().toLowerCase()))
  const idx = { name: col(HEADERS.name), openId: col(HEADERS.openId), department: col(HEADERS.department), birthday: col(HEADERS.birthday), retires: col(HEADERS.retires) }
  if ((idx.birthday < 0 && idx.retires < 0) || (idx.name < 0 && idx.openId < 0)) {
    return { error: '第一行应是表头，包含「姓名」或「open_id」，以及「生日」「退休日期」中的至少一列（可另加「部门」）。' }
  }
  if (data.length === 0) return { error: '文件只有表头，没有数据行。' }
  if (data.length > ROSTER_MAX_ROWS) return { error: `一次最多导入 ${ROSTER_MAX_ROWS} 行，请拆分文件。` }
  const rows: RosterRow[] = []
  const refused: Array<{ line: number; reason: string }> = []
  const seen = new Map<string, number>()
  const cell = (r: string[], i: number) => (i >= 0 ? (r[i] ?? '').trim() : '')
  for (const [n, r] of data.entries()) {
    const line = n + 2
    const refuse = (reason: string) => void refused.push({ line, reason })
    const name = cell(r, idx.name)
    const department = cell(r, idx.department) || undefined
    const birthdayText = cell(r, idx.birthday)
    const retiresText = cell(r, idx.retires)
    const birthday = birthdayText ? readBirthday(birthdayText) : undefined
    const retiresOn = retiresText ? readDate(retiresText) : undefined
    if (birthdayText && !birthday) {
      refuse(`生日「${shown(birthdayText)}」无效（应为 1980-05-17 或 05-17）`)
      continue
    }
    if (retiresText && !retiresOn) {
      refuse(`退休日期「${shown(retiresText)}」无效（应为 2026-09-30 这样的日期）`)
      continue
    }
    if (!birthday && !retiresOn) {
      refuse('没有生日，也没有退休日期')
      continue
    }
    if (department && charCount(department) > DEPARTMENT_NAME_MAX) {
      refuse(`部门名称超过 ${DEPARTMENT_NAME_MAX} 个字`)
      continue
    }
    const person = await personOfRow(db, { openId: cell(r, idx.openId), name })
    if ('reason' in person) {
      refuse(person.reason)
      continue
    }
    const { openId } = person
    const earlier = seen.get(openId)
    if (earlier !== undefined) {
      refuse(`与第 ${earlier} 行是同一个人`)
      continue
    }
    seen.set(openId, line)
    const known = name || ((await db.selectFrom('users').select('name').where('open_id', '=', openId).executeTakeFirst())?.name ?? '')
    rows.push({ openId, name: known, department, birthday, retiresOn })
  }
  return { rows, refused, total: data.length }
}
