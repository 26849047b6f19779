// One shell for every CSV import an officer runs in private chat (会员 导入, 慰问 名单 导入, 学时 导入, 书屋 导入):
// the prompt, the wait for the file, the download and decoding (src/kit/csv-upload.ts), every row checked, all rows
// applied in one transaction or none, the report of rows taken and refused with their line numbers, and the
// "file first" path (QA F13): a CSV sent before the command is remembered for a while and imported by a button of
// the offer card (handlers/imports.ts) without sending it again. A feature gives only what is its own: the words,
// the check of the rows, the write, the report card.
import type { Transaction } from 'kysely'
import type { Database } from '../db/schema.js'
import type { BaseContext, ConversationContext, MessageContext } from '../dispatch/context.js'
import type { OutgoingContent } from '../feishu/outbound.js'
import { defineConversation, type ConversationDefinition } from '../dispatch/conversation.js'
import type { BotRouter } from '../dispatch/router.js'
import type { Card } from '../feishu/card.js'
import { UserFacingError } from '../errors.js'
import { csvFileOf, downloadCsvText, type ReceivedFile } from './csv-upload.js'

/** A row refused, with its line in the file (the header is line 1). */
export interface CsvRefusal {
  line: number
  reason: string
}

/** What a feature's check made of a whole file: the rows it would take, the ones it refuses, the data rows in all. */
export interface CsvCheck<R> {
  rows: R[]
  refused: CsvRefusal[]
  total: number
}

/** What the report card shows. */
export interface CsvReport {
  /** Rows written: all of them, or 0 when any was refused. */
  taken: number
  refused: CsvRefusal[]
  total: number
}

export interface CsvImportSpec<R> {
  /** Conversation name and the offer's id, e.g. 'member.import'. */
  name: string
  /** How the officer knows it (conversation title, the offer's button), e.g. '会员导入'. */
  title: string
  /** The command that starts it, e.g. '会员 导入' (named in the group refusal and the outdated note). */
  command: string
  /** Roles that may run it (any of); checked again when the file arrives. */
  roles: readonly string[]
  /** Said to someone without the role. */
  denied: string
  /** The columns explained, with an example: sent when the import starts. */
  prompt: string
  /** Largest file read. */
  maxBytes: number
  /** Checks every row of the decoded text; an error for the file as a whole (no header, too many rows). */
  check(ctx: BaseContext, text: string): Promise<CsvCheck<R> | { error: string }>
  /** Writes every row, inside the one transaction (a re-run of the same event must not add anything twice). */
  apply(ctx: BaseContext, trx: Transaction<Database>, rows: R[]): Promise<void>
  /** The audit entry of a file taken. */
  audit: { action: string; subjectType: string }
  /** The report card (cards/<feature>/…: the handler passes its builder). */
  report(report: CsvReport): Card
}

/** An import the offer card can run on a remembered file (router.fileImport). */
export interface FileImportRunner {
  name: string
  title: string
  roles: readonly string[]
  denied: string
  run(ctx: BaseContext, tell: (content: OutgoingContent) => Promise<unknown>, file: ReceivedFile): Promise<void>
}

export interface CsvImportDefinition<R> extends FileImportRunner {
  readonly spec: CsvImportSpec<R>
  readonly conversation: ConversationDefinition<Record<string, never>, 'file'>
  /** The command's handler: in private chat, starts the wait and sends the prompt. */
  start(ctx: MessageContext): Promise<void>
  /** Registers the conversation and the file-first runner. */
  register(router: BotRouter): void
}

/** The one short line a non-file answer gets while an import waits (not the whole prompt again: QA F13). */
export const NOT_A_FILE = '请把 CSV 文件发给我（不是文字）；发送「取消」可退出。'

export function defineCsvImport<R>(spec: CsvImportSpec<R>): CsvImportDefinition<R> {
  async function run(ctx: BaseContext, tell: (content: OutgoingContent) => Promise<unknown>, file: ReceivedFile, waiting: boolean): Promise<'done' | 'again'> {
    if (!(await ctx.services.roles.hasAny(ctx.actorOpenId, spec.roles))) return void (await tell({ text: spec.denied })), 'done'
    const text = await downloadCsvText(ctx, tell, file, spec.maxBytes)
    if (text === undefined) return 'again'
    const checked = await spec.check(ctx, text)
    if ('error' in checked) {
      await tell({ text: `${checked.error}请改正后重新发送文件${waiting ? '，或发送「取消」' : ''}。` })
      return 'again'
    }
    if (checked.refused.length === 0) {
      // All or nothing: a row that changed since the check (someone applied meanwhile) rolls the whole file back.
      await ctx.db.transaction().execute(async (trx) => {
        await spec.apply(ctx, trx, checked.rows)
        await ctx.audit({ action: spec.audit.action, subjectType: spec.audit.subjectType, subjectId: ctx.eventId, detail: { rows: checked.rows.length } }, trx)
      })
    }
    await tell({ card: spec.report({ taken: checked.refused.length ? 0 : checked.rows.length, refused: checked.refused, total: checked.total }) })
    ctx.log.info({ eventId: ctx.eventId, import: spec.name, rows: checked.total, refused: checked.refused.length }, 'csv import checked')
    return 'done'
  }

  const conversation = defineConversation<Record<string, never>, 'file'>({
    name: spec.name,
    title: spec.title,
    version: 1,
    initial: 'file',
    read: () => ({}),
    outdated: `之前的${spec.title}已失效，请重新发送「${spec.command}」。`,
    steps: {
      file: {
        // Re-asked: one short line (the prompt with its example was sent when the import started).
        prompt: async (ctx, _data, note) => void (await ctx.say({ text: note && 'hint' in note ? note.hint : spec.prompt })),
        parse: (input) => {
          const file = csvFileOf(input)
          if ('hint' in file) return { hint: file.hint === NO_FILE_HINT ? NOT_A_FILE : file.hint }
          return {
            run: async (ctx: ConversationContext) => {
              const outcome = await run(ctx, (c) => ctx.say(c), file, true)
              if (outcome === 'done') await ctx.finish()
            },
          }
        },
      },
    },
  })

  const definition: CsvImportDefinition<R> = {
    spec,
    conversation,
    name: spec.name,
    title: spec.title,
    roles: spec.roles,
    denied: spec.denied,
    run: async (ctx, tell, file) => void (await run(ctx, tell, file, false)),
    async start(ctx) {
      if (ctx.isGroup) throw new UserFacingError('INVALID_INPUT', `${spec.title}请私聊我发送「${spec.command}」，再发送 CSV 文件。`)
      await conversation.start(ctx, {})
      await ctx.reply({ text: spec.prompt })
    },
    register(router) {
      router.conversation(conversation)
      router.fileImport(definition)
    },
  }
  return definition
}

/** csvFileOf's hint when the answer carries no file at all. */
const NO_FILE_HINT = '请发送 CSV 文件。'

/** How long a CSV sent before any import is remembered for the offer's buttons (QA F13). */
export const OFFERED_FILE_SECONDS = 10 * 60

/** The state-store key of the file a person sent before any import (personKey, never the open_id). */
export function offeredFileKey(ctx: BaseContext): string {
  return `csv-offer:${ctx.services.conversations.personKey(ctx.actorOpenId)}`
}

/** Remembers the file for OFFERED_FILE_SECONDS; a newer file replaces it. */
export async function rememberOfferedFile(ctx: BaseContext, file: ReceivedFile): Promise<void> {
  await ctx.services.state.set(offeredFileKey(ctx), JSON.stringify(file), OFFERED_FILE_SECONDS)
}

/**
 * Takes the remembered file for one import, once: the file of that very message (a newer one replaced it
 * otherwise), claimed by this click's event so a second click imports nothing (a re-run of the same click may).
 */
export async function takeOfferedFile(ctx: BaseContext, messageId: string): Promise<ReceivedFile | 'gone' | 'taken'> {
  const raw = await ctx.services.state.get(offeredFileKey(ctx))
  const file = raw ? readFile(raw) : undefined
  if (!file || file.messageId !== messageId) return 'gone'
  const claim = `csv-offer-taken:${ctx.services.conversations.personKey(`${ctx.actorOpenId}:${messageId}`)}`
  if (!(await ctx.services.state.setIfAbsent(claim, ctx.eventId, OFFERED_FILE_SECONDS * 1000)) && (await ctx.services.state.get(claim)) !== ctx.eventId) return 'taken'
  return file
}

function readFile(raw: string): ReceivedFile | undefined {
  try {
    const v = JSON.parse(raw) as Record<string, unknown>
    if (typeof v.messageId !== 'string' || typeof v.fileKey !== 'string') return undefined
    return { messageId: v.messageId, fileKey: v.fileKey, ...(typeof v.name === 'string' ? { name: v.name } : {}) }
  } catch {
    return undefined
  }
}
