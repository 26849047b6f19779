// The one satisfaction vocabulary (src/kit/satisfaction.ts) and migration 0009, which rewrites proposals' stored
// basic/unsatisfied (ratings and their timeline steps) to the grievance words and then refuses the old ones.
import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as m0009 from '../../migrations/0009_satisfaction_vocabulary.js'
import { connectDatabase, type DatabaseHandle } from '../../src/db/connect.js'
import type { Database } from '../../src/db/schema.js'
import { SATISFACTIONS, SATISFACTION_LABEL, isSatisfaction, toSatisfaction } from '../../src/kit/satisfaction.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'

describe('the vocabulary', () => {
  it('labels every value and reads the words old proposal buttons carry', () => {
    expect(SATISFACTIONS.map((s) => SATISFACTION_LABEL[s])).toEqual(['满意', '基本满意', '不满意'])
    expect(toSatisfaction('basic')).toBe('basically_satisfied')
    expect(toSatisfaction('unsatisfied')).toBe('dissatisfied')
    expect(toSatisfaction('satisfied')).toBe('satisfied')
    for (const bad of ['toString', 'constructor', '', 'Basic', undefined, 3]) expect(toSatisfaction(bad)).toBeUndefined()
    expect(isSatisfaction('basic')).toBe(false)
  })
})

describe('migration 0009', () => {
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

  it('rewrites stored proposal ratings and rating steps, and refuses the old words afterwards', async () => {
    // Back to the state before 0009 (the template database is fully migrated), then old rows as they were stored.
    await m0009.down(db)
    const now = new Date('2026-03-01T02:00:00Z')
    const w = await db.insertInto('proposal_windows').values({ name: '第一届', opened_at: now, opened_by: 'ou_x' }).returning('id').executeTakeFirstOrThrow()
    const ids: number[] = []
    for (const [i, s] of (['basic', 'unsatisfied', 'satisfied', null] as const).entries()) {
      const p = await sql<{ id: number }>`
        insert into proposals (number, year, seq, window_id, proposer_open_id, title, content, category, status, submitted_at, satisfaction, updated_at)
        values (${`P-2026-00${i + 1}`}, 2026, ${i + 1}, ${w.id}, 'ou_p', 't', 'c', '其他', 'closed', ${now}, ${s}, ${now}) returning id`.execute(db)
      const id = p.rows[0]!.id
      ids.push(id)
      if (s) {
        await sql`insert into proposal_timeline (proposal_id, at, kind, detail, event_id)
          values (${id}, ${now}, 'rated', ${JSON.stringify({ satisfaction: s, department: '后勤处' })}::jsonb, ${`ev${i}`})`.execute(db)
      }
    }
    await m0009.up(db)
    const rows = await db.selectFrom('proposals').select(['id', 'satisfaction']).where('id', 'in', ids).orderBy('id').execute()
    expect(rows.map((r) => r.satisfaction)).toEqual(['basically_satisfied', 'dissatisfied', 'satisfied', null])
    const steps = await db.selectFrom('proposal_timeline').select(['proposal_id', 'detail']).where('proposal_id', 'in', ids).orderBy('proposal_id').execute()
    expect(steps.map((s) => s.detail)).toEqual([
      { satisfaction: 'basically_satisfied', department: '后勤处' },
      { satisfaction: 'dissatisfied', department: '后勤处' },
      { satisfaction: 'satisfied', department: '后勤处' },
    ])
    await expect(sql`update proposals set satisfaction = 'basic' where id = ${ids[0]!}`.execute(db)).rejects.toThrow(/proposals_satisfaction_check/)
  })
})
