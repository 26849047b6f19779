// Who a row of an imported CSV names (会员 导入, 慰问 名单 导入, 学时 导入): one rule for every import, so a file
// that works for one works for all. An open_id as given; else a 工号 looked up in the contact directory (when the
// import can); else a name that is exactly one member, or one person the bot knows.
import type { Db } from '../db/schema.js'
import { charCount } from '../kit/text.js'

/** A cell quoted in a refusal: at most 20 characters, so a pasted paragraph does not fill the report card. */
export const shownCell = (v: string): string => (charCount(v) > 20 ? `${[...v].slice(0, 20).join('')}…` : v)

/** Finds a person by 工号 (Feishu's user_id) in the contact directory; undefined when unknown or not allowed. */
export type EmployeeIdLookup = (employeeId: string) => Promise<{ openId: string; name?: string } | undefined>

export interface ImportedPersonCells {
  openId: string
  name: string
  /** The 工号 column, for imports that have one. */
  employeeId?: string
}

/** The row's person, with the directory's name when found by 工号; or the reason the row is refused. */
export async function personOfRow(
  db: Db,
  cells: ImportedPersonCells,
  byEmployeeId?: EmployeeIdLookup,
): Promise<{ openId: string; directoryName?: string } | { reason: string }> {
  const { openId, name, employeeId } = cells
  if (openId) return /^ou_[0-9a-zA-Z_]{1,100}$/.test(openId) ? { openId } : { reason: `open_id「${shownCell(openId)}」格式不对` }
  if (employeeId) {
    // 工号 first (it is unique, names are not); without the contact scope, a name still does.
    const found = byEmployeeId && /^[0-9A-Za-z_.-]{1,64}$/.test(employeeId) ? await byEmployeeId(employeeId) : undefined
    if (found) return { openId: found.openId, ...(found.name ? { directoryName: found.name } : {}) }
    if (!name) return { reason: byEmployeeId ? `通讯录里找不到工号「${shownCell(employeeId)}」（或未授权读取），请填写姓名或 open_id` : '暂不能按工号查找人员，请填写姓名或 open_id' }
  }
  if (!name) return { reason: '没有姓名，也没有 open_id' }
  const members = await db.selectFrom('members').select('open_id').where('name', '=', name).where('status', '=', 'member').limit(2).execute()
  const found = members.length ? members : await db.selectFrom('users').select('open_id').where('name', '=', name).limit(2).execute()
  if (found.length !== 1) {
    return { reason: found.length === 0 ? `找不到「${shownCell(name)}」（此人还没有和工会助手打过交道，请填写 open_id）` : `「${shownCell(name)}」有重名，请填写 open_id` }
  }
  return { openId: found[0]!.open_id }
}
