// Responsible departments and their contacts (部门 添加 名称 @联系人): the organisation's (issue #20); proposals,
// supervision and notices route to them. Functions take `db` or a transaction first.
import type { Selectable } from 'kysely'
import type { Db } from '../db/schema.js'
import type { ProposalDepartmentsTable } from './roster-tables.js'

export interface Department {
  id: number
  name: string
  contactOpenId: string
  contactName: string
  active: boolean
}

const toDepartment = (r: Selectable<ProposalDepartmentsTable>): Department => ({
  id: r.id,
  name: r.name,
  contactOpenId: r.contact_open_id,
  contactName: r.contact_name,
  active: r.removed_at === null,
})

/** Adds a department or, when the name exists, sets its contact (and restores it if it was removed). */
export async function upsertDepartment(
  db: Db,
  d: { name: string; contactOpenId: string; contactName: string; by: string; at: Date },
): Promise<{ department: Department; created: boolean; previousContact: string | undefined }> {
  const before = await db.selectFrom('proposal_departments').selectAll().where('name', '=', d.name).executeTakeFirst()
  const row = await db
    .insertInto('proposal_departments')
    .values({ name: d.name, contact_open_id: d.contactOpenId, contact_name: d.contactName, added_by: d.by, added_at: d.at, updated_at: d.at })
    .onConflict((oc) => oc.column('name').doUpdateSet({ contact_open_id: d.contactOpenId, contact_name: d.contactName, updated_at: d.at, removed_at: null }))
    .returningAll()
    .executeTakeFirstOrThrow()
  return { department: toDepartment(row), created: !before || before.removed_at !== null, previousContact: before?.removed_at === null ? before.contact_open_id : undefined }
}

export async function removeDepartment(db: Db, id: number, at: Date): Promise<void> {
  await db.updateTable('proposal_departments').set({ removed_at: at, updated_at: at }).where('id', '=', id).execute()
}

export async function findDepartmentByName(db: Db, name: string): Promise<Department | undefined> {
  const row = await db.selectFrom('proposal_departments').selectAll().where('name', '=', name).where('removed_at', 'is', null).executeTakeFirst()
  return row ? toDepartment(row) : undefined
}

export async function getDepartment(db: Db, id: number): Promise<Department | undefined> {
  const row = await db.selectFrom('proposal_departments').selectAll().where('id', '=', id).executeTakeFirst()
  return row ? toDepartment(row) : undefined
}

export async function listDepartments(db: Db): Promise<Department[]> {
  const rows = await db.selectFrom('proposal_departments').selectAll().where('removed_at', 'is', null).orderBy('name').execute()
  return rows.map(toDepartment)
}

export async function isDepartmentContact(db: Db, openId: string): Promise<boolean> {
  const row = await db.selectFrom('proposal_departments').select('id').where('contact_open_id', '=', openId).where('removed_at', 'is', null).executeTakeFirst()
  return row !== undefined
}

export async function countOpenProposalsOfDepartment(db: Db, departmentId: number): Promise<number> {
  const row = await db
    .selectFrom('proposals')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('department_id', '=', departmentId)
    .where('status', 'in', ['in_progress', 'answered'])
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
