// The one-time setup code of a union without a chair (issue #20): printed once at start, checked by `初始化 <码>`,
// locked after too many wrong codes. Only salted hashes are kept; the code is never logged again nor audited.
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'
import type { Config } from '../config.js'
import type { Db } from '../db/schema.js'
import type { Logger } from '../logger.js'
import { GENERATED_SETUP_CODE_DIGITS } from './model.js'
import { chairExists, upsertOfficer } from './store.js'

/** The log line's words (operators and the first-start test look for them). */
export const SETUP_CODE_LOG = '工会助手 setup code:'

const hashOf = (code: string, salt: string): string => createHash('sha256').update(`${salt}:${code}`).digest('hex')

async function keepCode(db: Db, code: string): Promise<void> {
  const salt = randomBytes(16).toString('hex')
  await db.insertInto('organisation_setup_codes').values({ code_hash: hashOf(code, salt), salt }).execute()
}

/**
 * At start, when no chair exists: keeps the code's hash and prints a generated code once (a configured
 * UNION_SETUP_CODE is not printed: whoever configured it knows it). A union already set up prints nothing. Each
 * start of an instance adds its own code, so instances starting together do not void each other's.
 */
export async function prepareSetupCode(db: Db, config: Config, log: Logger): Promise<void> {
  if (await chairExists(db)) return
  const configured = config.union.setupCode
  if (configured) {
    await keepCode(db, configured)
    log.info('no 工会主席 yet: send the bot 初始化 <UNION_SETUP_CODE> privately to become the chair')
    return
  }
  const code = String(randomInt(0, 10 ** GENERATED_SETUP_CODE_DIGITS)).padStart(GENERATED_SETUP_CODE_DIGITS, '0')
  await keepCode(db, code)
  log.warn(`${SETUP_CODE_LOG} ${code}`)
}

export type SetupOutcome = 'done' | 'wrong' | 'locked' | 'already'

export interface SetupLimits {
  maxWrong: number
  windowMinutes: number
  lockMinutes: number
}

export interface SetupResult {
  outcome: SetupOutcome
  /** This attempt was already answered (the inbox ran the event again). */
  replayed: boolean
  /** Set when the command is (now) locked. */
  lockedUntil?: Date
}

/**
 * One `初始化` attempt, in the caller's transaction: serialized on the `setup` settings row, recorded by event (a
 * re-run answers the same), refused while locked, and a lock set when the wrong codes in the window reach the limit.
 */
export async function attemptSetup(trx: Db, a: { eventId: string; openId: string; code: string; now: Date; limits: SetupLimits }): Promise<SetupResult> {
  const row = await trx.selectFrom('organisation_settings').select('value').where('key', '=', 'setup').forUpdate().executeTakeFirstOrThrow()
  const lockedUntil = row.value ? new Date(row.value) : undefined
  const seen = await trx.selectFrom('organisation_setup_attempts').select('outcome').where('event_id', '=', a.eventId).executeTakeFirst()
  if (seen) return { outcome: seen.outcome, replayed: true, ...(lockedUntil && lockedUntil > a.now ? { lockedUntil } : {}) }
  const record = (outcome: SetupOutcome) => trx.insertInto('organisation_setup_attempts').values({ event_id: a.eventId, open_id: a.openId, at: a.now, outcome }).execute()

  if (await chairExists(trx)) {
    await record('already')
    return { outcome: 'already', replayed: false }
  }
  if (lockedUntil && lockedUntil > a.now) {
    await record('locked')
    return { outcome: 'locked', replayed: false, lockedUntil }
  }
  const codes = await trx.selectFrom('organisation_setup_codes').select(['code_hash', 'salt']).execute()
  const typed = a.code.trim()
  const right = typed !== '' && codes.some((c) => timingSafeEqual(Buffer.from(hashOf(typed, c.salt), 'hex'), Buffer.from(c.code_hash, 'hex')))
  if (right) {
    await upsertOfficer(trx, { openId: a.openId, role: 'chair', by: a.openId, at: a.now })
    // Used: no code is valid any more, and no start prints one (a chair exists).
    await trx.deleteFrom('organisation_setup_codes').execute()
    await record('done')
    return { outcome: 'done', replayed: false }
  }
  await record('wrong')
  // Wrong codes in the window, counted afresh after a lock has ended.
  const windowStart = new Date(a.now.getTime() - a.limits.windowMinutes * 60_000)
  const since = lockedUntil && lockedUntil > windowStart ? lockedUntil : windowStart
  const wrong = await trx
    .selectFrom('organisation_setup_attempts')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('outcome', '=', 'wrong')
    .where('at', '>', since)
    .where('at', '<=', a.now)
    .executeTakeFirstOrThrow()
  if (Number(wrong.n) >= a.limits.maxWrong) {
    const until = new Date(a.now.getTime() + a.limits.lockMinutes * 60_000)
    await trx.updateTable('organisation_settings').set({ value: until.toISOString(), set_at: a.now }).where('key', '=', 'setup').execute()
    return { outcome: 'wrong', replayed: false, lockedUntil: until }
  }
  return { outcome: 'wrong', replayed: false }
}

/** What the members of a would-be committee group are (QA F1): the review cards must not reach workers. */
export type GroupCheck =
  | { kind: 'officers-only' }
  | { kind: 'non-officers'; count: number }
  /** The member list could not be read (no scope, bot not in the group, API error): the chair must confirm. */
  | { kind: 'unknown' }

/** Counts the members who are not union officers. Bots do not count: Feishu's member list never includes them. */
export async function checkGroupMembers(memberOpenIds: readonly string[], isOfficer: (openId: string) => Promise<boolean>): Promise<GroupCheck> {
  let count = 0
  for (const id of new Set(memberOpenIds)) if (!(await isOfficer(id))) count++
  return count === 0 ? { kind: 'officers-only' } : { kind: 'non-officers', count }
}
