// Evidence, one mechanism for every feature (issue #13; #17's hardship documents and nomination photos): an image or
// file a person sends with a case is recorded as a row (src/db/tables/evidence.ts), fetched with the message-resource
// API (GET /open-apis/im/v1/messages/:message_id/resources/:file_key, type image|file, scope im:resource), checked
// against the size limits, stripped of image metadata and re-uploaded by the bot (im/v1/images or im/v1/files) under a
// neutral name; the bot's key is stored and the source message id erased. A fetch that fails stays a pending row with
// its attempts and next try, picked up by the `evidence.fetch` periodic task (claimed with a lease, SKIP LOCKED:
// once across instances), so the reference is never lost. Officers open a subject's evidence with 「查看附件」: the
// feature (its EvidenceOwner) says who may; the re-uploads go to them privately. Logs carry ids and codes only.
import { sql, type Selectable } from 'kysely'
import type { Db } from '../db/schema.js'
import type { EvidenceTable } from '../db/tables/evidence.js'
import type { BaseContext } from '../dispatch/context.js'
import { FeishuApiError } from '../feishu/api-errors.js'
import { errorCode, FileTooLargeError } from '../errors.js'
import { deliver } from './deliver.js'
import {
  NO_EVIDENCE,
  extensionOf,
  neutralFileName,
  stripImageMetadata,
  tooLargeMessage,
  uploadFileType,
  type EvidenceKind,
  type EvidenceSource,
  type EvidenceSummary,
} from './evidence-model.js'

export * from './evidence-model.js'

export interface EvidenceSubject {
  type: string
  id: string | number
}

/** A stored item, as the kit hands it to features. */
export interface EvidenceItem {
  id: string
  ordinal: number
  kind: EvidenceKind
  status: 'pending' | 'ready' | 'refused' | 'failed'
  refusal: string | null
  botKey: string | null
  sizeBytes: number | null
  /** Kept only where the feature allowed it at record time (never for anonymous cases). */
  originalName: string | null
}

/** What a feature tells the kit about its subjects. */
export interface EvidenceOwner {
  /** The subject type of its rows ('grievance', 'hardship', …). */
  type: string
  /** The subject's public label (its number) for file names and messages; undefined when it no longer exists. */
  label(ctx: BaseContext, id: string): Promise<string | undefined>
  /**
   * Whether the person who clicked 「查看附件」 may open the subject's evidence: true, or the toast to show. A subject
   * someone may not see must be answered exactly like one that does not exist (recusal: they learn nothing).
   */
  mayOpen(ctx: BaseContext, id: string): Promise<true | string>
  /** Tells whoever sent them that these items could not be kept (too large); the kit has the words. */
  refused?(ctx: BaseContext, id: string, message: string): Promise<void>
  /**
   * Where the feature keeps the source message itself (grievances: the sealed grievance_attachment_sources), so the
   * evidence table never holds it: recorded with `sourceSealed`, resolved here at fetch time.
   */
  sourceOf?(ctx: BaseContext, id: string, key: string): Promise<string | undefined>
  /** After items became ready (cards that show them may be redrawn). */
  ready?(ctx: BaseContext, id: string): Promise<void>
}

/** Settings (src/config.ts `evidence`). */
export interface EvidenceSettings {
  imageMaxBytes: number
  fileMaxBytes: number
  refusedExtensions: readonly string[]
  fetchAttempts: number
}

/** A claim on a row lasts this long; a crash mid-fetch frees it for a later run. */
const CLAIM_MS = 5 * 60_000

function toItem(r: Selectable<EvidenceTable>): EvidenceItem {
  return { id: String(r.id), ordinal: r.ordinal, kind: r.kind, status: r.status, refusal: r.refusal, botKey: r.bot_key, sizeBytes: r.size_bytes, originalName: r.original_name }
}

/** The wait before try n+1 after n failed tries: 1, 2, 4, … minutes, at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60, 2 ** Math.max(0, attempts - 1)) * 60_000
}

/**
 * Records items for a subject, in the transaction that creates or changes it (idempotent: an item already recorded
 * for the subject, by its key, is not added again). `keepNames` false (anonymous cases) keeps only the extension.
 * Returns the ids of the new rows, to settle after the commit.
 */
export async function recordEvidence(trx: Db, subject: EvidenceSubject, sources: readonly EvidenceSource[], opts: { now: Date; keepNames: boolean; sourceSealed?: boolean }): Promise<string[]> {
  if (sources.length === 0) return []
  const subjectId = String(subject.id)
  const last = await trx
    .selectFrom('evidence')
    .select((eb) => eb.fn.max('ordinal').as('n'))
    .where('subject_type', '=', subject.type)
    .where('subject_id', '=', subjectId)
    .executeTakeFirst()
  let ordinal = Number(last?.n ?? 0)
  const ids: string[] = []
  for (const s of sources) {
    const row = await trx
      .insertInto('evidence')
      .values({
        subject_type: subject.type,
        subject_id: subjectId,
        ordinal: ordinal + 1,
        kind: s.kind,
        source_key: s.key,
        // A feature that seals the source itself (EvidenceOwner.sourceOf) keeps it out of this table altogether.
        source_message_id: opts.sourceSealed ? null : s.messageId,
        original_name: opts.keepNames && s.name ? s.name.slice(0, 200) : null,
        extension: extensionOf(s.name) || null,
        next_attempt_at: opts.now,
        created_at: opts.now,
      })
      .onConflict((oc) => oc.columns(['subject_type', 'subject_id', 'source_key']).doNothing())
      .returning('id')
      .executeTakeFirst()
    if (row) {
      ordinal++
      ids.push(String(row.id))
    }
  }
  return ids
}

/** Claims pending rows due at `now` (all due ones, or only the subject's) that nobody else holds; counts the try. */
async function claim(db: Db, now: Date, subject: EvidenceSubject | undefined, limit: number): Promise<Array<Selectable<EvidenceTable>>> {
  const until = new Date(now.getTime() + CLAIM_MS)
  const only = subject ? sql`and subject_type = ${subject.type} and subject_id = ${String(subject.id)}` : sql``
  const res = await sql<Selectable<EvidenceTable>>`
    update evidence set claimed_until = ${until}, attempts = attempts + 1
    where id in (
      select id from evidence
      where status = 'pending' and next_attempt_at <= ${now} and (claimed_until is null or claimed_until < ${now}) ${only}
      order by next_attempt_at, id limit ${limit}
      for update skip locked)
    returning *`.execute(db)
  return res.rows
}

type Outcome = { status: 'ready' } | { status: 'refused'; message: string } | { status: 'retry' } | { status: 'failed' }

/** Fetches, strips and re-uploads one claimed row and records what came of it. */
async function settleRow(ctx: BaseContext, owner: EvidenceOwner | undefined, row: Selectable<EvidenceTable>, settings: EvidenceSettings): Promise<Outcome> {
  const now = ctx.now()
  const label = owner ? await owner.label(ctx, row.subject_id) : undefined
  const messageId = row.source_message_id ?? (owner?.sourceOf ? await owner.sourceOf(ctx, row.subject_id, row.source_key) : undefined)
  if (!owner || label === undefined || !messageId) {
    // The subject is gone (erased, withdrawn) or nothing is left to fetch: nothing to keep.
    await ctx.db.updateTable('evidence').set({ status: 'failed', claimed_until: null, last_error: 'subject gone' }).where('id', '=', row.id).execute()
    return { status: 'failed' }
  }
  const maxBytes = row.kind === 'image' ? settings.imageMaxBytes : settings.fileMaxBytes
  const outbound = ctx.services.outbound
  // No causeEventId: in the sender's turn it is the sender's own event (an anonymous reporter's), and outbound logs it.
  const once = { attempts: 1 }
  try {
    const original = await outbound.downloadMessageFile(messageId, row.source_key, maxBytes, row.kind, once)
    // Pictures lose EXIF/XMP/text chunks (GPS, camera serial, author) whether sent as an image or as a file.
    const data = stripImageMetadata(original)
    const botKey =
      row.kind === 'image'
        ? await outbound.uploadImage(data, once)
        : await outbound.uploadFile(neutralFileName(label, row.ordinal, row.extension), data, uploadFileType(row.extension), once)
    await ctx.db
      .updateTable('evidence')
      .set({ status: 'ready', bot_key: botKey, size_bytes: data.length, source_message_id: null, claimed_until: null, last_error: null, ready_at: now })
      .where('id', '=', row.id)
      .execute()
    ctx.log.info({ evidence: row.id, subject: row.subject_type, kind: row.kind, attempt: row.attempts }, 'evidence re-uploaded')
    return { status: 'ready' }
  } catch (err) {
    // Too large (our limit while reading, Feishu's 234037 on the resource, 234006 on the upload): say so, keep nothing.
    const tooLarge = err instanceof FileTooLargeError || (err instanceof FeishuApiError && (err.code === 234037 || err.code === 234006))
    if (tooLarge) {
      await ctx.db.updateTable('evidence').set({ status: 'refused', refusal: 'too_large', source_message_id: null, claimed_until: null, last_error: null }).where('id', '=', row.id).execute()
      ctx.log.info({ evidence: row.id, subject: row.subject_type, kind: row.kind }, 'evidence refused: too large')
      return { status: 'refused', message: tooLargeMessage(label, row.ordinal, row.kind, maxBytes) }
    }
    const code = errorCode(err)
    const giveUp = row.attempts >= settings.fetchAttempts
    await ctx.db
      .updateTable('evidence')
      .set({
        status: giveUp ? 'failed' : 'pending',
        claimed_until: null,
        last_error: String(code).slice(0, 60),
        next_attempt_at: new Date(now.getTime() + retryDelayMs(row.attempts)),
      })
      .where('id', '=', row.id)
      .execute()
    ctx.log.warn({ evidence: row.id, subject: row.subject_type, attempt: row.attempts, code, gaveUp: giveUp }, 'evidence fetch failed')
    return { status: giveUp ? 'failed' : 'retry' }
  }
}

/** Settles claimed rows and tells the owners (refusals to the sender, one message per subject; ready → redraw). */
async function settleAll(ctx: BaseContext, owners: ReadonlyMap<string, EvidenceOwner>, rows: Array<Selectable<EvidenceTable>>, settings: EvidenceSettings): Promise<void> {
  const refusals = new Map<string, { owner: EvidenceOwner; id: string; lines: string[] }>()
  const readied = new Map<string, { owner: EvidenceOwner; id: string }>()
  for (const row of rows) {
    const owner = owners.get(row.subject_type)
    const outcome = await settleRow(ctx, owner, row, settings)
    if (!owner) continue
    const k = `${row.subject_type}:${row.subject_id}`
    if (outcome.status === 'refused') {
      const entry = refusals.get(k) ?? { owner, id: row.subject_id, lines: [] }
      entry.lines.push(outcome.message)
      refusals.set(k, entry)
    }
    if (outcome.status === 'ready') readied.set(k, { owner, id: row.subject_id })
  }
  for (const r of refusals.values()) if (r.owner.refused) await r.owner.refused(ctx, r.id, r.lines.join('\n'))
  for (const r of readied.values()) if (r.owner.ready) await r.owner.ready(ctx, r.id)
}

/**
 * Fetches a subject's due items now (right after the commit that recorded them, in the sender's turn): the sender
 * hears at once about an item too large; a failure leaves the row to the periodic retry.
 */
export async function settleEvidence(ctx: BaseContext, owner: EvidenceOwner, id: string | number): Promise<void> {
  const rows = await claim(ctx.db, ctx.now(), { type: owner.type, id }, 100)
  await settleAll(ctx, new Map([[owner.type, owner]]), rows, ctx.config.evidence)
}

/** The periodic retry: every due pending row (at most `limit` a run), whichever feature it belongs to. */
export async function retryDueEvidence(ctx: BaseContext, owners: readonly EvidenceOwner[], limit = 20): Promise<number> {
  const rows = await claim(ctx.db, ctx.now(), undefined, limit)
  await settleAll(ctx, new Map(owners.map((o) => [o.type, o])), rows, ctx.config.evidence)
  return rows.length
}

/** A subject's items in order. */
export async function evidenceOf(db: Db, subject: EvidenceSubject): Promise<EvidenceItem[]> {
  const rows = await db.selectFrom('evidence').selectAll().where('subject_type', '=', subject.type).where('subject_id', '=', String(subject.id)).orderBy('ordinal').execute()
  return rows.map(toItem)
}

export function summarize(items: readonly EvidenceItem[]): EvidenceSummary {
  if (items.length === 0) return NO_EVIDENCE
  const count = (s: EvidenceItem['status']) => items.filter((i) => i.status === s).length
  return { total: items.length, ready: count('ready'), pending: count('pending'), refused: count('refused'), failed: count('failed') }
}

export async function evidenceSummary(db: Db, subject: EvidenceSubject): Promise<EvidenceSummary> {
  return summarize(await evidenceOf(db, subject))
}

/** The bot's key of a subject's first ready image (a nomination's photo on its cards); undefined when none. */
export async function firstReadyImage(db: Db, subject: EvidenceSubject): Promise<string | undefined> {
  const row = await db
    .selectFrom('evidence')
    .select('bot_key')
    .where('subject_type', '=', subject.type)
    .where('subject_id', '=', String(subject.id))
    .where('kind', '=', 'image')
    .where('status', '=', 'ready')
    .orderBy('ordinal')
    .executeTakeFirst()
  return row?.bot_key ?? undefined
}

/** Erases a subject's evidence rows (retention, a withdrawn nomination); the re-uploads' keys go with them. */
export async function eraseEvidence(db: Db, subject: EvidenceSubject): Promise<void> {
  await db.deleteFrom('evidence').where('subject_type', '=', subject.type).where('subject_id', '=', String(subject.id)).execute()
}

/**
 * Sends a subject's ready items to `openId` privately: a short note with the label and counts, then each image and
 * file as its own message (uuids from the causing event and the item). Returns how many were sent.
 */
export async function sendEvidenceTo(ctx: BaseContext, openId: string, subject: EvidenceSubject, label: string): Promise<number> {
  const items = await evidenceOf(ctx.db, subject)
  const ready = items.filter((i) => i.status === 'ready' && i.botKey)
  const s = summarize(items)
  const rest = [s.pending ? `${s.pending} 个正在获取，稍后可再点「查看附件」` : '', s.refused ? `${s.refused} 个超出大小或类型限制，未保存` : '', s.failed ? `${s.failed} 个未能从飞书取回` : '']
    .filter(Boolean)
    .join('；')
  const head = ready.length ? `${label} 的附件（${ready.length} 个）如下，请勿转发。` : `${label} 暂无可查看的附件。`
  await deliver(ctx, 'evidence:note', () => ctx.sendToUser(openId, { text: rest ? `${head}${rest}。` : head }, { key: `evidence:${subject.type}:${subject.id}:note:${openId}` }))
  let sent = 0
  for (const item of ready) {
    const r = await deliver(ctx, 'evidence:item', () => ctx.sendUploadedToUser(openId, { kind: item.kind, key: item.botKey! }, { key: `evidence:${item.id}:to:${openId}` }), { evidence: item.id })
    if (r.sent) sent++
  }
  return sent
}
