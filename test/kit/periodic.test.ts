// claimOnce (src/kit/periodic.ts) against real Postgres: one claim wins among concurrent runs, a lapsed lease of
// unfinished work is taken over (with the attempt counted), and finished work is never claimed again.
import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectDatabase, type DatabaseHandle } from '../../src/db/connect.js'
import type { Database } from '../../src/db/schema.js'
import { claimOnce, type ClaimLedger } from '../../src/kit/periodic.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'

let tdb: TestDatabase
let handle: DatabaseHandle
let db: Kysely<Database>

beforeAll(async () => {
  tdb = await createTestDatabase()
  handle = await connectDatabase({ databaseUrl: tdb.url, pgliteDataDir: ':memory:' })
  db = handle.db
})

afterAll(async () => {
  await handle?.close()
  await tdb?.drop()
})

const DAY_LEDGER: ClaimLedger = { table: 'grievance_reminders', keyColumns: ['day'], unfinished: sql`grievance_reminders.sent_at is null` }
const DELIVERY_LEDGER: ClaimLedger = {
  table: 'digest_deliveries',
  keyColumns: ['chat_id', 'kind', 'period'],
  unfinished: sql`digest_deliveries.status = 'claimed'`,
  attemptsColumn: 'attempts',
  claimedAtColumn: 'claimed_at',
}
const at = (iso: string) => new Date(iso)
const LEASE = 5 * 60_000

describe('claimOnce', () => {
  it('gives a key to exactly one of many concurrent runs', async () => {
    const now = at('2026-10-12T01:00:00Z')
    const claims = await Promise.all(Array.from({ length: 12 }, () => claimOnce(db, DAY_LEDGER, { day: '2026-10-12' }, { now, leaseMs: LEASE })))
    expect(claims.filter((c) => c !== undefined)).toEqual([{ attempt: 1 }])
    const row = await db.selectFrom('grievance_reminders').selectAll().where('day', '=', '2026-10-12').executeTakeFirstOrThrow()
    expect(row.claimed_until).toEqual(at('2026-10-12T01:05:00Z'))
  })

  it('refuses a live claim, takes over a lapsed one, and never claims finished work again', async () => {
    const key = { day: '2026-10-13' }
    expect(await claimOnce(db, DAY_LEDGER, key, { now: at('2026-10-13T01:00:00Z'), leaseMs: LEASE })).toEqual({ attempt: 1 })
    expect(await claimOnce(db, DAY_LEDGER, key, { now: at('2026-10-13T01:04:59Z'), leaseMs: LEASE })).toBeUndefined()
    // The holder died: after the lease someone else gets it.
    expect(await claimOnce(db, DAY_LEDGER, key, { now: at('2026-10-13T01:05:01Z'), leaseMs: LEASE })).toEqual({ attempt: 1 })
    await db.updateTable('grievance_reminders').set({ sent_at: at('2026-10-13T01:05:02Z') }).where('day', '=', key.day).execute()
    expect(await claimOnce(db, DAY_LEDGER, key, { now: at('2026-10-13T09:00:00Z'), leaseMs: LEASE })).toBeUndefined()
    // A different key is independent.
    expect(await claimOnce(db, DAY_LEDGER, { day: '2026-10-14' }, { now: at('2026-10-13T09:00:00Z'), leaseMs: LEASE })).toEqual({ attempt: 1 })
  })

  it('counts attempts, sets the claim time and extra columns where the ledger keeps them', async () => {
    const key = { chat_id: 'oc_claims', kind: 'daily', period: '2026-10-14' }
    const first = await claimOnce(db, DELIVERY_LEDGER, key, { now: at('2026-10-14T01:00:00Z'), leaseMs: LEASE, values: { status: 'claimed' } })
    expect(first).toEqual({ attempt: 1 })
    expect(await claimOnce(db, DELIVERY_LEDGER, key, { now: at('2026-10-14T01:01:00Z'), leaseMs: LEASE, values: { status: 'claimed' } })).toBeUndefined()
    const second = await claimOnce(db, DELIVERY_LEDGER, key, { now: at('2026-10-14T01:06:00Z'), leaseMs: LEASE, values: { status: 'claimed' } })
    expect(second).toEqual({ attempt: 2 })
    const row = await db.selectFrom('digest_deliveries').selectAll().where('chat_id', '=', key.chat_id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ status: 'claimed', attempts: 2, claimed_at: at('2026-10-14T01:06:00Z'), claimed_until: at('2026-10-14T01:11:00Z') })
    await db.updateTable('digest_deliveries').set({ status: 'sent' }).where('chat_id', '=', key.chat_id).execute()
    expect(await claimOnce(db, DELIVERY_LEDGER, key, { now: at('2026-10-14T02:00:00Z'), leaseMs: LEASE, values: { status: 'claimed' } })).toBeUndefined()
  })

  it('refuses a key that lacks one of the ledger key columns', async () => {
    await expect(claimOnce(db, DELIVERY_LEDGER, { chat_id: 'oc_x', kind: 'daily' }, { now: at('2026-10-14T01:00:00Z'), leaseMs: LEASE })).rejects.toThrow(/period missing/)
  })
})
