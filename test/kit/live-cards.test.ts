// The live-cards kit (src/kit/live-cards.ts) on its own subject type, against real Postgres, Redis and the fake Open
// API: a burst of changes becomes about one patch per card per second (also across two instances), a card Feishu
// refuses for good is marked gone and never patched again, and the reconcile catches up a patch that was lost.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { registerHandlers } from '../../handlers/index.js'
import { BaseContext } from '../../src/dispatch/context.js'
import type { Card } from '../../src/feishu/card.js'
import { LiveCards, type LiveCardSpec } from '../../src/kit/live-cards.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'

let db: TestDatabase
let t: TestBot

const noteCard = (text: string): Card => ({ schema: '2.0', config: { update_multi: true }, body: { elements: [{ tag: 'markdown', content: text }] } })
const REPLACED = noteCard('replaced')

/** A subject type of the test's own: a row with a version, drawn as "note <id> v<version>". */
const NOTE: LiveCardSpec = {
  versions: { table: 'kit_test_notes', id: 'id', version: 'version' },
  async render(ctx, id) {
    const { rows } = await sql<{ version: number }>`select version from kit_test_notes where id = ${id}`.execute(ctx.db)
    const row = rows[0]
    return row ? { version: row.version, card: noteCard(`note ${id} v${row.version}`) } : undefined
  },
}

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({
    db,
    botOptions: {
      register: (router) => {
        registerHandlers(router)
        router.liveCard('note', NOTE)
      },
      // Feishu's per-chat limits would stretch the bursts; they are not what is tested here.
      outbound: { retry: { baseDelayMs: 20, maxDelayMs: 100, maxAttempts: 3 }, timeoutMs: 5000, limits: { perApp: 1000, perChat: 1000, perUser: 1000 } },
    },
  })
  await sql`create table kit_test_notes (id text primary key, version integer not null)`.execute(t.bot.services.db)
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

let seq = 0
const ctx = () => new BaseContext(t.bot.services, `evt_kit_${++seq}`, '')

async function newNote(id: string): Promise<void> {
  await sql`insert into kit_test_notes (id, version) values (${id}, 1)`.execute(t.bot.services.db)
}
async function bump(id: string): Promise<void> {
  await sql`update kit_test_notes set version = version + 1 where id = ${id}`.execute(t.bot.services.db)
}
/** Posts the note's card to a group and tracks it, as a feature would. */
async function post(id: string, chatId: string): Promise<string> {
  const c = ctx()
  const subject = (await NOTE.render(c, id))!
  const sent = await c.sendToChat(chatId, { card: subject.card })
  await c.liveCards.track('note', id, { messageId: sent.messageId, chatId, version: subject.version }, REPLACED)
  return sent.messageId
}
const shown = (messageId: string) => JSON.stringify(t.fake.currentCard(messageId))
const patchesOf = (messageId: string) => t.fake.requests.filter((r) => r.method === 'PATCH' && r.path.includes(messageId)).length
const row = (messageId: string) =>
  t.bot.services.db.selectFrom('live_cards').select(['rendered_version', 'gone_at', 'audience']).where('message_id', '=', messageId).executeTakeFirstOrThrow()

describe('live cards', () => {
  it('turns 60 changes with a refresh each, on two instances at once, into about one patch per card per second, ending on the last version', async () => {
    await newNote('n1')
    const cards = [await post('n1', 'oc_kit_a'), await post('n1', 'oc_kit_b'), await post('n1', 'oc_kit_c')]
    // A second instance: its own registry of held slots, the same Redis and database.
    const other = new LiveCards(100)
    other.define('note', NOTE)
    const started = Date.now()
    await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        await new Promise((r) => setTimeout(r, i * 25))
        await bump('n1')
        const c = ctx()
        await (i % 2 === 0 ? c.liveCards.refresh('note', 'n1') : other.refresh(c, 'note', 'n1'))
      }),
    )
    const seconds = (Date.now() - started) / 1000
    for (const m of cards) {
      expect(shown(m)).toContain('note n1 v61')
      expect((await row(m)).rendered_version).toBe(61)
      // One patch per slot second (plus the first and the final look-again), far below the 60 changes.
      expect(patchesOf(m)).toBeGreaterThanOrEqual(1)
      expect(patchesOf(m)).toBeLessThanOrEqual(Math.ceil(seconds) + 2)
    }
    expect(seconds).toBeLessThan(15)
  }, 30_000)

  it('marks a card Feishu refuses for good (230031) gone and never patches it again, while the other card goes on', async () => {
    await newNote('n2')
    const old = await post('n2', 'oc_kit_d')
    const live = await post('n2', 'oc_kit_e')
    t.fake.failNext({ method: 'PATCH', path: old, status: 400, body: { code: 230031, msg: 'card older than 14 days' } })
    await bump('n2')
    await ctx().liveCards.refresh('note', 'n2')
    expect((await row(old)).gone_at).not.toBeNull()
    expect(patchesOf(old)).toBe(1)
    expect(shown(live)).toContain('note n2 v2')

    await bump('n2')
    await ctx().liveCards.refresh('note', 'n2', 'all')
    await t.bot.runPeriodic(new Date())
    expect(patchesOf(old)).toBe(1)
    expect(shown(old)).toContain('note n2 v1')
    expect(shown(live)).toContain('note n2 v3')
    expect(patchesOf(live)).toBe(2)
  })

  it('leaves a card whose patch failed for a passing reason to the reconcile, which brings it up to date', async () => {
    await newNote('n3')
    const m = await post('n3', 'oc_kit_f')
    // Every attempt of the refresh's patch fails (500 is retried, then given up).
    t.fake.failNext({ method: 'PATCH', path: m, status: 500, times: 3 })
    await bump('n3')
    await ctx().liveCards.refresh('note', 'n3')
    expect(patchesOf(m)).toBe(3)
    expect(shown(m)).toContain('note n3 v1')
    expect((await row(m)).gone_at).toBeNull()
    expect((await row(m)).rendered_version).toBe(1)

    await t.bot.runPeriodic(new Date())
    expect(shown(m)).toContain('note n3 v2')
    expect((await row(m)).rendered_version).toBe(2)
    // Up to date now: the next tick has nothing to patch.
    await t.bot.runPeriodic(new Date())
    expect(patchesOf(m)).toBe(4)
  })

  it('replaces the live card of a chat when the subject is posted there again, patching the old one once to say so', async () => {
    await newNote('n4')
    const first = await post('n4', 'oc_kit_g')
    const second = await post('n4', 'oc_kit_g')
    expect((await row(first)).gone_at).not.toBeNull()
    expect(shown(first)).toContain('replaced')
    await bump('n4')
    await ctx().liveCards.refresh('note', 'n4')
    expect(patchesOf(first)).toBe(1)
    expect(shown(second)).toContain('note n4 v2')
  })
})
