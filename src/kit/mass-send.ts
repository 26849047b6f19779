// Mass sends (issue #18): one message to each of thousands of people privately, through a durable queue in Postgres
// (migrations/0030_mass_sends.ts). Feishu, not the bot, sets the pace: 50 messages/s per app, 5/s per user
// (docs/feishu-platform.md#rate-limits), so 10,000 people take at least 200 s. The sends go at the limiter's 'low'
// priority: they never use the share of the app budget reserved for replies (src/feishu/rate-limiter.ts, shared
// across instances in src/state/redis-rate-budget.ts), so someone asking the bot something meanwhile is answered at
// once. Every instance drains every unfinished send (src/dispatch/dispatcher.ts runMassSends, started by the app):
// a batch of recipients is claimed with FOR UPDATE SKIP LOCKED under a lease on Postgres's clock, so two instances
// never take the same person; a claim lapsed by a crash is taken again and the send keeps its uuid (derived from the
// send and the person), so Feishu posts it once. A stopped instance hands its unsent claims back at once.
//
// Why not batch_send (POST /open-apis/message/v4/batch_send/, docs/feishu-platform.md#mass-sends): its messages
// (bm_ ids) cannot be patched and its cards cannot be clicked, so it cannot carry a live card or a 已阅 button;
// it is for plain text to many people, where it takes one call instead of one per person.
import { sql, type Selectable } from 'kysely'
import type { Db } from '../db/schema.js'
import type { MassRecipientStatus, MassSendsTable } from '../db/tables/mass-sends.js'

export type MassSend = Selectable<MassSendsTable>

/** How far a send has got: for the officer's progress (sent N of M) and the final summary. */
export interface MassSendProgress {
  total: number
  sent: number
  gone: number
  pending: number
  done: boolean
}

/**
 * Queues one message to each of `openIds` for the subject (once: a second call for the same subject finds the first
 * send). Returns the send and whether this call created it.
 */
export async function enqueueMassSend(
  db: Db,
  s: { subjectType: string; subjectId: string; owner: string; openIds: readonly string[]; at: Date },
): Promise<{ send: MassSend; created: boolean }> {
  const exec = async (trx: Db) => {
    const openIds = [...new Set(s.openIds)]
    const row = await trx
      .insertInto('mass_sends')
      .values({ subject_type: s.subjectType, subject_id: s.subjectId, owner_open_id: s.owner, total: openIds.length, created_at: s.at })
      .onConflict((oc) => oc.columns(['subject_type', 'subject_id']).doNothing())
      .returningAll()
      .executeTakeFirst()
    if (!row) return { send: await trx.selectFrom('mass_sends').selectAll().where('subject_type', '=', s.subjectType).where('subject_id', '=', s.subjectId).executeTakeFirstOrThrow(), created: false }
    // In slices: one statement per 5,000 people keeps each insert's parameters well under Postgres's 65,535.
    for (let i = 0; i < openIds.length; i += 5000) {
      await trx
        .insertInto('mass_send_recipients')
        .values(openIds.slice(i, i + 5000).map((open_id) => ({ send_id: row.id, open_id })))
        .execute()
    }
    return { send: row, created: true }
  }
  return db.isTransaction ? exec(db) : db.transaction().execute(exec)
}

export async function findMassSend(db: Db, subjectType: string, subjectId: string): Promise<MassSend | undefined> {
  return db.selectFrom('mass_sends').selectAll().where('subject_type', '=', subjectType).where('subject_id', '=', subjectId).executeTakeFirst()
}

/** Sends still going, oldest first, of the subject types named. */
export async function unfinishedMassSends(db: Db, subjectTypes: readonly string[]): Promise<MassSend[]> {
  if (subjectTypes.length === 0) return []
  return db.selectFrom('mass_sends').selectAll().where('status', '=', 'sending').where('subject_type', 'in', [...subjectTypes]).orderBy('created_at').orderBy('id').execute()
}

/**
 * Claims up to `limit` recipients nobody holds (never claimed, or the claim lapsed), for `leaseSeconds` on
 * Postgres's clock. SKIP LOCKED: two instances claiming at once get different people, neither waits.
 */
export async function claimRecipients(db: Db, sendId: string, opts: { by: string; limit: number; leaseSeconds: number }): Promise<string[]> {
  const res = await sql<{ open_id: string }>`
    update mass_send_recipients r set claimed_until = now() + make_interval(secs => ${opts.leaseSeconds}), claimed_by = ${opts.by}, attempts = r.attempts + 1
    where (r.send_id, r.open_id) in (
      select send_id, open_id from mass_send_recipients
      where send_id = ${sendId} and status = 'pending' and (claimed_until is null or claimed_until < now())
      order by open_id limit ${opts.limit} for update skip locked)
    returning r.open_id`.execute(db)
  return res.rows.map((r) => r.open_id)
}

/** Marks one recipient done (sent, or gone for good). */
export async function markRecipient(db: Db, sendId: string, openId: string, status: Exclude<MassRecipientStatus, 'pending'>, at: Date): Promise<void> {
  await db.updateTable('mass_send_recipients').set({ status, done_at: at, claimed_until: null }).where('send_id', '=', sendId).where('open_id', '=', openId).execute()
}

/** Hands back the claims `by` still holds on unsent recipients (a graceful stop): another instance takes them now. */
export async function releaseClaims(db: Db, by: string): Promise<void> {
  await db.updateTable('mass_send_recipients').set({ claimed_until: null, claimed_by: null }).where('claimed_by', '=', by).where('status', '=', 'pending').execute()
}

export async function massSendProgress(db: Db, send: MassSend): Promise<MassSendProgress> {
  const rows = await db
    .selectFrom('mass_send_recipients')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('send_id', '=', send.id)
    .groupBy('status')
    .execute()
  const by = (s: MassRecipientStatus) => Number(rows.find((r) => r.status === s)?.n ?? 0)
  return { total: send.total, sent: by('sent'), gone: by('gone'), pending: by('pending'), done: send.status === 'done' }
}

/**
 * Closes the send when nobody is left pending. Exactly one caller across instances gets the send back (the row's
 * status moves once), so the final summary goes out once.
 */
export async function finishIfDone(db: Db, sendId: string, at: Date): Promise<MassSend | undefined> {
  return db
    .updateTable('mass_sends')
    .set({ status: 'done', finished_at: at })
    .where('id', '=', sendId)
    .where('status', '=', 'sending')
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('mass_send_recipients').select('open_id').where('send_id', '=', sendId).where('status', '=', 'pending'))))
    .returningAll()
    .executeTakeFirst()
}

/** How one recipient's message goes out: true when delivered, false when Feishu refused for good (gone). */
export type SendOne = (openId: string) => Promise<boolean>

export interface DrainOptions {
  /** This instance, named on its claims so a graceful stop can hand them back. */
  by: string
  /** Recipients claimed at a time; they are sent side by side and the limiter paces them. */
  batch: number
  leaseSeconds: number
  /** Checked between batches: a stopping instance ends its drain there. */
  stopped: () => boolean
  now: () => Date
}

/**
 * Sends to the recipients of `send` until none is left to claim (others may still hold some) or `stopped()`. A
 * failure that is not a refusal (Feishu down, retries used up) leaves that recipient pending: its claim lapses and
 * a later drain tries again. Returns how many this drain sent.
 */
export async function drainMassSend(db: Db, send: MassSend, sendOne: SendOne, opts: DrainOptions): Promise<{ sent: number; failed: number }> {
  let sent = 0
  let failed = 0
  while (!opts.stopped()) {
    const claimed = await claimRecipients(db, send.id, { by: opts.by, limit: opts.batch, leaseSeconds: opts.leaseSeconds })
    if (claimed.length === 0) break
    const results = await Promise.allSettled(
      claimed.map(async (openId) => {
        const delivered = await sendOne(openId)
        await markRecipient(db, send.id, openId, delivered ? 'sent' : 'gone', opts.now())
        return delivered
      }),
    )
    for (const r of results) {
      if (r.status === 'fulfilled' && r.value) sent++
      else if (r.status === 'rejected') failed++
    }
    // Every send of a batch failing means Feishu (or the network) is down: stop here, the claims lapse and the next
    // round tries again, instead of spinning through everyone.
    if (failed > 0 && results.every((r) => r.status === 'rejected')) break
  }
  return { sent, failed }
}

/**
 * Each instance's loop over the mass sends: a round (Dispatcher.runMassSends), then a pause of `pollMs`, until
 * stopped. stop() ends the round between batches and hands this instance's unsent claims back.
 */
export class MassSendLoop {
  private stopped = false
  private running: Promise<void> | undefined
  private wake: (() => void) | undefined

  constructor(
    private readonly db: Db,
    private readonly by: string,
    private readonly pollMs: number,
    private readonly round: (stopped: () => boolean) => Promise<void>,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    this.running ??= this.loop()
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      await this.round(() => this.stopped).catch(this.onError)
      if (this.stopped) break
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, this.pollMs)
        this.wake = () => {
          clearTimeout(t)
          resolve()
        }
      })
    }
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.wake?.()
    await this.running
    if (this.running) await releaseClaims(this.db, this.by).catch(this.onError)
  }
}
