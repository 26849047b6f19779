// Upgrades without loss (issue #18): a database as an earlier schema left it, holding that release's records, goes
// through today's migrations; every record is still there, unchanged, and the bot still reads it through its commands.
// Every migration added after the snapshot runs here, so `npm test` checks each new one against real data.
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Kysely, Migrator, PostgresDialect } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrationProvider } from '../../migrations/index.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { cardText, textOf } from '../helpers/chat.js'
import { adminDatabaseUrl, databaseUrlFor, testRedisUrl } from '../rig/env.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { dropTestDatabase, type TestDatabase } from '../rig/test-db.js'

/** The schema the fixture was dumped at; move it forward (with a new dump, docs/upgrades.md) at each release. */
const SNAPSHOT_MIGRATION = '0017_holiday_reminders'
const FIXTURE = readFileSync(new URL('./fixtures/schema-0017.sql', import.meta.url), 'utf8')

// The fixture's people (the playground cast) and the committee group of that installation.
const CHAIR = 'ou_pg_chair_wang'
const WORKER = 'ou_pg_worker_zhangwei'
const REPRESENTATIVE = 'ou_pg_rep_lina'
const COMMITTEE_CHAT = 'oc_pg_union_committee'

/** Tables the fixture fills, read from its INSERT statements. */
const FILLED_TABLES = [...new Set([...FIXTURE.matchAll(/^INSERT INTO public\.([a-z_0-9]+) /gm)].map((m) => m[1]!))].sort()

type Snapshot = Map<string, Array<Record<string, unknown>>>

/** Every row of every filled table, as JSON, in a stable order. */
async function snapshot(pool: pg.Pool): Promise<Snapshot> {
  const out: Snapshot = new Map()
  for (const table of FILLED_TABLES) {
    const { rows } = await pool.query<{ row: Record<string, unknown> }>(`select to_jsonb(t) as row from public."${table}" t`)
    out.set(table, rows.map((r) => r.row).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))))
  }
  return out
}

/** The same rows restricted to the columns the old schema had (migrations may add columns, never drop a record). */
function project(rows: Array<Record<string, unknown>>, columns: string[]): string[] {
  return rows.map((row) => JSON.stringify(Object.fromEntries(columns.map((c) => [c, row[c]])))).sort()
}

describe(`upgrading a database at ${SNAPSHOT_MIGRATION} to today's schema`, () => {
  let db: TestDatabase
  let pool: pg.Pool
  let before: Snapshot
  let after: Snapshot
  let applied: string[]
  let t: TestBot

  beforeAll(async () => {
    const name = `ub_t_${process.ppid}_${process.env.VITEST_POOL_ID ?? '0'}_up${randomBytes(2).toString('hex')}`
    const admin = new pg.Client({ connectionString: adminDatabaseUrl() })
    await admin.connect()
    try {
      await admin.query(`create database "${name}"`)
    } finally {
      await admin.end()
    }
    db = { name, url: databaseUrlFor(name), redisUrl: testRedisUrl(), redisNamespace: `${name}:`, drop: () => dropTestDatabase(name, `${name}:`) }
    pool = new pg.Pool({ connectionString: db.url, max: 2 })
    const kysely = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: db.url, max: 1 }) }) })
    try {
      const old = await new Migrator({ db: kysely, provider: migrationProvider }).migrateTo(SNAPSHOT_MIGRATION)
      if (old.error) throw old.error
      // The fixture is the whole content of its tables at the snapshot, rows the migrations seeded included.
      await pool.query(`truncate table ${FILLED_TABLES.map((t) => `public."${t}"`).join(", ")} cascade`)
      await pool.query(FIXTURE)
      before = await snapshot(pool)
      applied = await migrateToLatest(kysely)
      // Read before the bot starts: starting writes settings of its own (the committee group from the environment).
      after = await snapshot(pool)
    } finally {
      await kysely.destroy()
    }
    t = await startTestBot({ db, env: { UNION_OFFICER_OPEN_IDS: CHAIR, UNION_ADMIN_CHAT_ID: COMMITTEE_CHAT } })
  }, 120_000)

  afterAll(async () => {
    await t?.stop()
    await pool?.end()
    await db?.drop()
  })

  it('the fixture is a real year of records, and the migrations after the snapshot ran', () => {
    expect(FILLED_TABLES).toEqual(expect.arrayContaining(['grievances', 'grievance_reporters', 'proposals', 'proposal_cosigners', 'activities', 'activity_signups', 'members', 'audit_log']))
    for (const table of FILLED_TABLES) expect(before.get(table)!.length, table).toBeGreaterThan(0)
    // What ran after the snapshot is exactly the migrations named after it (none when the snapshot is the latest).
    expect(applied.every((m) => m > SNAPSHOT_MIGRATION)).toBe(true)
  })

  it('keeps every record, with the values it had, in every table the old schema filled', () => {
    for (const table of FILLED_TABLES) {
      const old = before.get(table)!
      const columns = Object.keys(old[0]!)
      expect(project(after.get(table)!, columns), table).toEqual(project(old, columns))
    }
  })

  async function ask(who: string, text: string, chatId = `oc_p2p_${who}`): Promise<string> {
    const seen = t.fake.messages.length
    await t.sendMessage({ sender: who, chatId, chatType: chatId.startsWith('oc_p2p_') ? 'p2p' : 'group', text, ...(chatId.startsWith('oc_p2p_') ? {} : { mentionBot: true }) })
    await t.settle()
    const said = t.fake.messages.slice(seen).map((m) => (m.msgType === 'interactive' ? cardText(m.content) : textOf(m)))
    // Cards carry user text escaped as entities (cards/escape.ts): read them as a person would.
    return said.join('\n').replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
  }

  it('the reporter still finds both grievances, the anonymous one too (reporter keys survive)', async () => {
    const mine = await ask(WORKER, '我的诉求')
    expect(mine).toContain('G-2026-0001')
    expect(mine).toContain('G-2026-0002')
  })

  it('the chair reads the anonymous case, and nothing names its reporter', async () => {
    const text = await ask(CHAIR, '诉求 G-2026-0002')
    expect(text).toContain('防护罩')
    expect(text).not.toContain('张伟')
    expect(text).not.toContain(WORKER)
    const list = await ask(CHAIR, '诉求列表')
    expect(list).toContain('G-2026-0001')
    expect(list).toContain('G-2026-0002')
  })

  it('proposals, their co-signers and activities with their sign-ups read as before', async () => {
    expect(await ask(REPRESENTATIVE, '提案 P-2026-001')).toContain('夜班职工就餐')
    expect(await ask(REPRESENTATIVE, '我的提案')).toContain('P-2026-001')
    expect(await ask(WORKER, '我的活动')).toContain('春季健步走')
  })

  it('the approved member is still a member, with the date they joined', async () => {
    const text = await ask(WORKER, '我的会籍')
    expect(text).toContain('2026-12-05')
  })

  it('npm run backup writes a dump that restores into a new database the bot answers from', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ub-backup-'))
    const restoredName = `${db.name}_r`
    const restored: TestDatabase = { name: restoredName, url: databaseUrlFor(restoredName), redisUrl: testRedisUrl(), redisNamespace: `${restoredName}:`, drop: () => dropTestDatabase(restoredName, `${restoredName}:`) }
    let second: TestBot | undefined
    try {
      const out = execFileSync(process.execPath, ['--import', 'tsx', 'src/db/backup-cli.ts'], {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATABASE_URL: db.url, BACKUP_DIR: dir, ENV_FILE: '' },
        encoding: 'utf8',
      })
      expect(out).toContain('backup written')
      const [dump] = readdirSync(dir)
      expect(dump).toMatch(/^union-bot-\d{8}-\d{6}\.dump$/)
      const admin = new pg.Client({ connectionString: adminDatabaseUrl() })
      await admin.connect()
      try {
        await admin.query(`create database "${restoredName}"`)
      } finally {
        await admin.end()
      }
      execFileSync('pg_restore', ['--no-owner', `--dbname=${restored.url}`, join(dir, dump!)], { stdio: 'pipe' })
      second = await startTestBot({ db: restored, env: { UNION_OFFICER_OPEN_IDS: CHAIR, UNION_ADMIN_CHAT_ID: COMMITTEE_CHAT } })
      const seen = second.fake.messages.length
      await second.sendMessage({ sender: WORKER, chatId: `oc_p2p_${WORKER}`, chatType: 'p2p', text: '我的诉求' })
      await second.settle()
      const said = second.fake.messages.slice(seen).map((m) => (m.msgType === 'interactive' ? cardText(m.content) : textOf(m))).join('\n')
      expect(said).toContain('G-2026-0001')
      expect(said).toContain('G-2026-0002')
    } finally {
      await second?.stop()
      await restored.drop()
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})
