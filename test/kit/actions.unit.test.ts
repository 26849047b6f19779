// defineAction(): the button value a card builds and the payload a click brings back are checked by one schema.
import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { defineAction, payload } from '../../src/kit/actions.js'
import { RATE as GRIEVANCE_RATE } from '../../src/grievances/actions.js'
import { LIST_PAGE, RATE as PROPOSAL_RATE } from '../../src/proposals/actions.js'
import { CANCEL } from '../../src/activities/actions.js'

const STEP = defineAction('test.step', z.object({ gid: payload.int(), rev: payload.int(), rating: payload.oneOf(['good', 'bad']).optional() }))

describe('defineAction', () => {
  it('builds the value a card sends and reads it back typed', () => {
    const value = STEP.value({ gid: 7, rev: 2, rating: 'good' })
    expect(value).toEqual({ gid: 7, rev: 2, rating: 'good' })
    // Feishu sends the callback value back with the action name in it.
    expect(STEP.parse({ action: STEP.name, ...value })).toEqual({ gid: 7, rev: 2, rating: 'good' })
  })

  it('accepts numbers that come back as digit strings', () => {
    expect(STEP.parse({ action: STEP.name, gid: '7', rev: '0' })).toEqual({ gid: 7, rev: 0 })
  })

  it('rejects garbled, forged and outdated values', () => {
    expect(STEP.parse({ action: STEP.name })).toBeUndefined()
    expect(STEP.parse({ gid: 'abc', rev: 1 })).toBeUndefined()
    expect(STEP.parse({ gid: '7; drop table', rev: 1 })).toBeUndefined()
    expect(STEP.parse({ gid: -1, rev: 1 })).toBeUndefined()
    expect(STEP.parse({ gid: 1.5, rev: 1 })).toBeUndefined()
    expect(STEP.parse({ gid: '', rev: 1 })).toBeUndefined()
    // An older card without the revision it now needs.
    expect(STEP.parse({ gid: 7 })).toBeUndefined()
    expect(STEP.parse({ gid: 7, rev: 1, rating: 'great' })).toBeUndefined()
    expect(STEP.parse({ gid: { $gt: 0 }, rev: 1 })).toBeUndefined()
  })

  it('drops keys the schema does not know', () => {
    expect(STEP.parse({ gid: 1, rev: 1, admin: 'yes' })).toEqual({ gid: 1, rev: 1 })
  })

  it('refuses to build a button that could never work (a card-builder bug fails at once)', () => {
    expect(() => STEP.value({ gid: -3, rev: 1 })).toThrow(/test\.step.*gid/)
    expect(() => STEP.value({ gid: 1, rev: 1, rating: 'meh' as 'good' })).toThrow(/rating/)
  })

  it('gives the features their payloads: ratings by vocabulary, proposal numbers read leniently, bounded reasons', () => {
    expect(GRIEVANCE_RATE.parse({ gid: 3, round: 0, rating: 'basically_satisfied' })).toEqual({ gid: 3, round: 0, rating: 'basically_satisfied' })
    expect(GRIEVANCE_RATE.parse({ gid: 3, round: 0, rating: 'basic' })).toBeUndefined()
    expect(PROPOSAL_RATE.parse({ number: 'p-2026-3', round: '1', satisfaction: 'basically_satisfied' })).toEqual({ number: 'P-2026-003', round: 1, satisfaction: 'basically_satisfied' })
    // Buttons posted before migration 0009 carry the proposals' old words: read as the one vocabulary's.
    expect(PROPOSAL_RATE.parse({ number: 'P-2026-003', round: 1, satisfaction: 'basic' })).toEqual({ number: 'P-2026-003', round: 1, satisfaction: 'basically_satisfied' })
    expect(PROPOSAL_RATE.parse({ number: 'P-2026-003', round: 1, satisfaction: 'unsatisfied' })?.satisfaction).toBe('dissatisfied')
    expect(PROPOSAL_RATE.parse({ number: 'P-2026-003', round: 1, satisfaction: 'constructor' })).toBeUndefined()
    expect(PROPOSAL_RATE.parse({ number: 'not a number', round: 1, satisfaction: 'basic' })).toBeUndefined()
    expect(LIST_PAGE.parse({ window: 2, filter: '', page: 3 })).toEqual({ window: 2, filter: '', page: 3 })
    expect(LIST_PAGE.parse({ page: 1, filter: 'x'.repeat(500) })).toBeUndefined()
    expect(CANCEL.parse({ id: '12', reason: Buffer.from('场地维修', 'utf8').toString('base64url') })).toMatchObject({ id: '12' })
    expect(CANCEL.parse({ id: '12', reason: '<at id=all></at>' })).toBeUndefined()
    expect(CANCEL.parse({ id: 12 })).toEqual({ id: '12' })
  })
})
