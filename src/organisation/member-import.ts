// Reading and checking a member import file (会员 导入): CSV with a header row, one person per row. Every row is
// checked before anything is written; the caller imports all rows in one transaction, or none when any is refused.
import type { Db } from '../db/schema.js'
import { parseCsv } from '../kit/csv.js'
import { readTypedDate } from '../kit/dates.js'
import { charCount } from '../kit/text.js'
import { DEPARTMENT_NAME_MAX } from './model.js'
import { personOfRow, shownCell, type EmployeeIdLookup } from './imported-person.js'
import { IMPORT_MAX_ROWS, MEMBER_STATUS_LABEL, type MemberStatus } from './members-model.js'

// The reader moved to the kit (learning hours and the book list import CSV too); re-exported for existing callers.
export { parseCsv }

/** Largest file read (about 5000 rows of a few columns). */
export const IMPORT_MAX_BYTES = 512 * 1024

export interface ImportRow {
  /** Line in the file (the header is line 1). */
  line: number
  openId: string
  name: string
  department: string | undefined
  joinedOn: string
}

export interface ImportCheck {
  rows: ImportRow[]
  refused: Array<{ line: number; reason: string }>
  /** Data rows in the file. */
  total: number
}

const HEADERS = {
  name: ['姓名', 'name'],
  employeeId: ['工号', '员工编号', 'employee_id', 'employee id'],
  openId: ['open_id', 'openid'],
  joined: ['入会日期', '入会时间', 'joined', 'joined_on', 'joined date'],
  department: ['部门', 'department'],
} as const

/** A typed date (src/kit/dates.ts: 2024-05-01, 2024/5/1, 2024年5月1日 …), a real one, not after today; undefined otherwise. */
export function readDate(value: string, today: string): string | undefined {
  const date = readTypedDate(value)
  if (!date || date > today || date < '1925-05-01') return undefined
  return date
}

const shown = shownCell

/** Checks every row against the file, the bot's directory of names and the members already recorded. */
export type EmployeeLookup = EmployeeIdLookup

export async function checkImport(db: Db, text: string, today: string, byEmployeeId?: EmployeeLookup): Promise<ImportCheck | { error: string }> {
  const [header, ...data] = parseCsv(text)
  if (!header) return { error: '文件是空的。' }
  const col = (names: readonly string[]) => header.findIndex((h) => names.includes(h.trim().toLowerCase()))
  const idx = { name: col(HEADERS.name), employeeId: col(HEADERS.employeeId), openId: col(HEADERS.openId), joined: col(HEADERS.joined), department: col(HEADERS.department) }
  if (idx.joined < 0 || (idx.name < 0 && idx.openId < 0 && idx.employeeId < 0)) {
    return { error: '第一行应是表头，包含「入会日期」和「姓名」「工号」「open_id」中的至少一列（可另加「部门」）。' }
  }
  if (data.length === 0) return { error: '文件只有表头，没有数据行。' }
  if (data.length > IMPORT_MAX_ROWS) return { error: `一次最多导入 ${IMPORT_MAX_ROWS} 行，请拆分文件。` }
  const rows: ImportRow[] = []
  const refused: ImportCheck['refused'] = []
  const seen = new Map<string, number>()
  const cell = (r: string[], i: number) => (i >= 0 ? (r[i] ?? '').trim() : '')
  for (const [n, r] of data.entries()) {
    const line = n + 2
    const refuse = (reason: string) => void refused.push({ line, reason })
    const name = cell(r, idx.name)
    const department = cell(r, idx.department) || undefined
    const joinedOn = readDate(cell(r, idx.joined), today)
    if (!joinedOn) {
      refuse(`入会日期「${shown(cell(r, idx.joined))}」无效（应为 2024-05-01 或 2024年5月1日 这样的日期，且不晚于今天）`)
      continue
    }
    if (department && charCount(department) > DEPARTMENT_NAME_MAX) {
      refuse(`部门名称超过 ${DEPARTMENT_NAME_MAX} 个字`)
      continue
    }
    const person = await personOfRow(db, { openId: cell(r, idx.openId), name, employeeId: cell(r, idx.employeeId) }, byEmployeeId)
    if ('reason' in person) {
      refuse(person.reason)
      continue
    }
    const { openId } = person
    const fromDirectory = person.directoryName ?? ''
    const earlier = seen.get(openId)
    if (earlier !== undefined) {
      refuse(`与第 ${earlier} 行是同一个人`)
      continue
    }
    seen.set(openId, line)
    const existing = await db.selectFrom('members').select('status').where('open_id', '=', openId).executeTakeFirst()
    const status = existing?.status as MemberStatus | undefined
    if (status === 'member' || status === 'applied') {
      refuse(status === 'member' ? '已是会员' : `正在申请入会（${MEMBER_STATUS_LABEL.applied}），请在申请卡片上批准`)
      continue
    }
    const known = name || fromDirectory || ((await db.selectFrom('users').select('name').where('open_id', '=', openId).executeTakeFirst())?.name ?? '')
    rows.push({ line, openId, name: known, department, joinedOn })
  }
  return { rows, refused, total: data.length }
}
