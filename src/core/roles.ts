// Who may do what: union officers (configured or kept in the database) and roles that features add.
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'

export type RoleCheck = (openId: string) => Promise<boolean>

export class Roles {
  private readonly checks = new Map<string, RoleCheck>()

  constructor(
    private readonly db: Kysely<Database>,
    private readonly configuredOfficers: readonly string[],
  ) {
    this.checks.set('officer', (openId) => this.isOfficer(openId))
  }

  /** Adds a role kept by a feature (e.g. "representative"); the check decides membership. */
  define(role: string, check: RoleCheck): void {
    if (this.checks.has(role)) throw new Error(`role ${role} defined twice`)
    this.checks.set(role, check)
  }

  async has(openId: string, role: string): Promise<boolean> {
    const check = this.checks.get(role)
    if (!check) throw new Error(`unknown role ${role}`)
    return check(openId)
  }

  async hasAny(openId: string, roles: readonly string[]): Promise<boolean> {
    for (const role of roles) if (await this.has(openId, role)) return true
    return false
  }

  async isOfficer(openId: string): Promise<boolean> {
    if (this.configuredOfficers.includes(openId)) return true
    const row = await this.db.selectFrom('officers').select('open_id').where('open_id', '=', openId).executeTakeFirst()
    return row !== undefined
  }

  /** Every officer's open_id: configured ones and those kept in the database. */
  async officerOpenIds(): Promise<string[]> {
    const rows = await this.db.selectFrom('officers').select('open_id').execute()
    return [...new Set([...this.configuredOfficers, ...rows.map((r) => r.open_id)])]
  }
}
