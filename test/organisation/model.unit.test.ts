// The words of the organisation's commands: officer roles as typed, committee names accepted or refused.
import { describe, expect, it } from 'vitest'
import { COMMITTEE_NAME_MAX, KNOWN_COMMITTEES, parseCommitteeName, parseOfficerRole } from '../../src/organisation/model.js'

describe('officer roles as typed', () => {
  it('reads 主席, 副主席, 委员 and their English, nothing else', () => {
    expect(['主席', '工会主席', 'Chair'].map(parseOfficerRole)).toEqual(['chair', 'chair', 'chair'])
    expect(['副主席', 'vice-chair'].map(parseOfficerRole)).toEqual(['vice_chair', 'vice_chair'])
    expect(['委员', 'member'].map(parseOfficerRole)).toEqual(['member', 'member'])
    expect(['组长', '主席主席', ''].map(parseOfficerRole)).toEqual([undefined, undefined, undefined])
  })
})

describe('committee names', () => {
  it('takes the known names and any other ending in 委员会, within the length', () => {
    for (const name of KNOWN_COMMITTEES) expect(parseCommitteeName(name)).toBe(name)
    expect(parseCommitteeName(' 青年工作委员会 ')).toBe('青年工作委员会')
    expect(parseCommitteeName(`${'长'.repeat(COMMITTEE_NAME_MAX - 3)}委员会`)).toBeDefined()
    expect(parseCommitteeName(`${'长'.repeat(COMMITTEE_NAME_MAX - 2)}委员会`)).toBeUndefined()
  })

  it('refuses a name without 委员会, 委员会 alone and markup', () => {
    for (const bad of ['篮球队', '委员会', '<at id=all>委员会', '**粗体**委员会', '女职工 委员会']) expect(parseCommitteeName(bad), bad).toBeUndefined()
  })
})

describe('closeCommitteeName (QA F16)', () => {
  it('finds the known committee a typed name is a slip for', async () => {
    const { closeCommitteeName, KNOWN_COMMITTEES } = await import('../../src/organisation/model.js')
    expect(closeCommitteeName('女工委员会', KNOWN_COMMITTEES)).toBe('女职工委员会')
    expect(closeCommitteeName('女职工委员 会'.replace(' ', ''), KNOWN_COMMITTEES)).toBeUndefined()
    expect(closeCommitteeName('经审委员会', KNOWN_COMMITTEES)).toBe('经费审查委员会')
    expect(closeCommitteeName('调解委员会', KNOWN_COMMITTEES)).toBe('劳动争议调解委员会')
    expect(closeCommitteeName('提案委员会', KNOWN_COMMITTEES)).toBe('提案工作委员会')
    expect(closeCommitteeName('女职委员会', KNOWN_COMMITTEES)).toBe('女职工委员会')
    expect(closeCommitteeName('文体委员会', KNOWN_COMMITTEES)).toBeUndefined()
    expect(closeCommitteeName('宣传教育委员会', KNOWN_COMMITTEES)).toBeUndefined()
    expect(closeCommitteeName('文艺委员会', [...KNOWN_COMMITTEES, '文体委员会'])).toBe('文体委员会')
  })
})
