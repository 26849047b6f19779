// The kit's guarded transition() on a scratch table of the real Postgres: refusal with a stable code, a re-run of
// the same event, a double click, a move the table forbids (rolled back), history and audit in one transaction.
import { sql, type Transaction } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import type { Database } from '../../src/db/schema.js'
import { BaseContext } from '../../src/dispatch/context.js'
import { UserFacingError } from '../../src/errors.js'
import { TransitionNotAllowedError, TransitionRefusedError, canMove, transition, type Machine, type StepSpec } from '../../src/kit/transition.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'

type Status = 'draft' | 'open' | 'done'
interface Thing {
  id: number
  number: string
  status: Status
}

const MACHINE: Machine<Thing, Status> = {
  subject: 'thing',
  table: { draft: ['open'], open: ['done'], done: [] },
  status: (r) => r.status,
  subjectId: (r) => r.number,
}

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-06-02T02:00:00Z')

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock })
  await sql`create table kit_things (id serial primary key, number text not null, status text not null)`.execute(t.bot.services.db)
  await sql`create table kit_thing_history (thing_id int not null, step text not null, event_id text not null, unique (thing_id, step, event_id))`.execute(t.bot.services.db)
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

let thingId = 0
beforeEach(async () => {
  const { rows } = await sql<{ id: number }>`insert into kit_things (number, status) values ('T-1', 'draft') returning id`.execute(t.bot.services.db)
  thingId = rows[0]!.id
})

const ctxFor = (eventId: string, actor = 'ou_officer') => new BaseContext(t.bot.services, eventId, actor)
const lock = async (trx: Transaction<Database>) => (await sql<Thing>`select * from kit_things where id = ${thingId} for update`.execute(trx)).rows[0]
const rowNow = async () => (await sql<Thing>`select * from kit_things where id = ${thingId}`.execute(t.bot.services.db)).rows[0]!
const historyCount = async () => Number((await sql<{ n: string }>`select count(*) as n from kit_thing_history where thing_id = ${thingId}`.execute(t.bot.services.db)).rows[0]!.n)
const audits = () => t.bot.services.db.selectFrom('audit_log').selectAll().where('subject_type', '=', 'thing').where('subject_id', '=', 'T-1').orderBy('id').execute()

/** A step to `to` from `from`, recording (thing, step, event) as its history. */
function step(ctx: BaseContext, name: string, from: Status[], to: Status, extra: Partial<StepSpec<Thing, Status>> = {}): StepSpec<Thing, Status> {
  return {
    step: name,
    lock,
    missing: () => new UserFacingError('NOT_FOUND', '没有这件事'),
    replayed: async (trx, r) =>
      (await sql`select 1 from kit_thing_history where thing_id = ${r.id} and step = ${name} and event_id = ${ctx.eventId}`.execute(trx)).rows.length > 0,
    from,
    refusal: (r) => `当前为「${r.status}」，不能${name}。`,
    apply: async (trx, r) => (await sql<Thing>`update kit_things set status = ${to} where id = ${r.id} returning *`.execute(trx)).rows[0]!,
    history: async (trx, r) => void (await sql`insert into kit_thing_history values (${r.id}, ${name}, ${ctx.eventId})`.execute(trx)),
    audit: { action: `thing.${name}`, detail: () => ({ note: 'ids only' }) },
    ...extra,
  }
}

describe('transition()', () => {
  it('applies a step, writing history and audit with from → to in the same transaction', async () => {
    const ctx = ctxFor('evt_open_1')
    const r = await transition(ctx, MACHINE, step(ctx, 'open', ['draft'], 'open'))
    expect(r.outcome).toBe('done')
    expect(r.after.status).toBe('open')
    expect(await historyCount()).toBe(1)
    const [audit] = await audits().then((a) => a.slice(-1))
    expect(audit).toMatchObject({ action: 'thing.open', actor_open_id: 'ou_officer', event_id: 'evt_open_1', detail: { from: 'draft', to: 'open', note: 'ids only' } })
  })

  it('recognises a re-run of the same event: nothing changes a second time', async () => {
    const ctx = ctxFor('evt_open_2')
    await transition(ctx, MACHINE, step(ctx, 'open', ['draft'], 'open'))
    const auditsBefore = (await audits()).length
    const again = ctxFor('evt_open_2')
    const r = await transition(again, MACHINE, step(again, 'open', ['draft'], 'open'))
    expect(r).toMatchObject({ outcome: 'replay', after: { status: 'open' } })
    expect(await historyCount()).toBe(1)
    expect((await audits()).length).toBe(auditsBefore)
  })

  it('answers a second click (another event) with "already" when the state it reaches is in place', async () => {
    const first = ctxFor('evt_open_3a')
    await transition(first, MACHINE, step(first, 'open', ['draft'], 'open'))
    const second = ctxFor('evt_open_3b')
    const r = await transition(second, MACHINE, step(second, 'open', ['draft'], 'open', { already: (row) => row.status === 'open' }))
    expect(r.outcome).toBe('already')
    expect(await historyCount()).toBe(1)
  })

  it('refuses a step the state does not allow, with a stable code and the reason for the user', async () => {
    const ctx = ctxFor('evt_done_1')
    const err = await transition(ctx, MACHINE, step(ctx, 'finish', ['open'], 'done')).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TransitionRefusedError)
    expect(err).toBeInstanceOf(UserFacingError)
    expect(err).toMatchObject({ code: 'INVALID_STATE', userMessage: '当前为「draft」，不能finish。', step: 'finish' })
    expect(await rowNow()).toMatchObject({ status: 'draft' })
    expect(await historyCount()).toBe(0)
  })

  it('refuses a button made for an older version of the row (current() false), even in an allowed status', async () => {
    const ctx = ctxFor('evt_open_4')
    const err = await transition(ctx, MACHINE, step(ctx, 'open', ['draft'], 'open', { current: () => false, refusal: () => '卡片已过期' })).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'INVALID_STATE', userMessage: '卡片已过期' })
    expect(await rowNow()).toMatchObject({ status: 'draft' })
  })

  it('runs the guard under the lock and lets its error through, changing nothing', async () => {
    const ctx = ctxFor('evt_open_5', 'ou_stranger')
    const guard = () => {
      throw new UserFacingError('FORBIDDEN_ROLE', '只有负责人可以操作。')
    }
    await expect(transition(ctx, MACHINE, step(ctx, 'open', ['draft'], 'open', { guard }))).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' })
    expect(await rowNow()).toMatchObject({ status: 'draft' })
  })

  it('rolls back a move the feature table does not allow (change, history and audit)', async () => {
    const ctx = ctxFor('evt_skip_1')
    const auditsBefore = (await audits()).length
    const err = await transition(ctx, MACHINE, step(ctx, 'skip', ['draft'], 'done')).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TransitionNotAllowedError)
    expect(err).toMatchObject({ code: 'TRANSITION_NOT_ALLOWED', from: 'draft', to: 'done' })
    expect(await rowNow()).toMatchObject({ status: 'draft' })
    expect(await historyCount()).toBe(0)
    expect((await audits()).length).toBe(auditsBefore)
  })

  it('throws the feature\'s not-found error for a row that does not exist', async () => {
    const ctx = ctxFor('evt_missing')
    const missingLock = async (trx: Transaction<Database>) => (await sql<Thing>`select * from kit_things where id = -1 for update`.execute(trx)).rows[0]
    await expect(transition(ctx, MACHINE, step(ctx, 'open', ['draft'], 'open', { lock: missingLock }))).rejects.toMatchObject({ code: 'NOT_FOUND', userMessage: '没有这件事' })
  })

  it('runs in the caller\'s transaction when given one, committing or rolling back with the caller\'s own change', async () => {
    const ctx = ctxFor('evt_in_trx_1')
    await t.bot.services.db.transaction().execute(async (trx) => {
      await sql`update kit_things set number = 'T-1' where id = ${thingId}`.execute(trx)
      const r = await transition(ctx, MACHINE, step(ctx, 'open', ['draft'], 'open'), trx)
      expect(r.outcome).toBe('done')
    })
    expect(await rowNow()).toMatchObject({ status: 'open' })
    const refused = ctxFor('evt_in_trx_2')
    await expect(
      t.bot.services.db.transaction().execute(async (trx) => {
        await sql`update kit_things set number = 'T-changed' where id = ${thingId}`.execute(trx)
        await transition(refused, MACHINE, step(refused, 'reopen', ['draft'], 'open'), trx)
      }),
    ).rejects.toBeInstanceOf(TransitionRefusedError)
    expect(await rowNow()).toMatchObject({ number: 'T-1', status: 'open' })
  })

  it('lets a step keep the status (a note) without a table entry', () => {
    expect(canMove(MACHINE.table, 'done', 'done')).toBe(true)
    expect(canMove(MACHINE.table, 'open', 'draft')).toBe(false)
  })
})
