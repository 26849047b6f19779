// The table of realistic worker and officer utterances (test/fixtures/utterances.json, issue #14): greetings,
// typos, full- and half-width forms, numbers anywhere, mixed English, sentences around commands. Each row names the
// command it should run (its first word), `menu`, `none` (not understood), or the first command suggested.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { registerHandlers } from '../../handlers/index.js'
import { understand } from '../../src/dispatch/intents.js'
import { BotRouter, type CommandSpec } from '../../src/dispatch/router.js'

interface Row {
  text: string
  /** The command's first word, 'menu', or 'none'. */
  intent?: string
  /** The first suggestion of "您是不是想：". */
  suggest?: string
  /** The command's arguments as typed, when they matter. */
  args?: string
  /**
   * Who says it: `worker` holds no role, so nothing restricted is found in the sentence or suggested (F33); every
   * command otherwise (an officer who holds every role).
   */
  as?: 'worker'
}

const rows = JSON.parse(readFileSync(new URL('../fixtures/utterances.json', import.meta.url), 'utf8')) as Row[]
const router = new BotRouter()
registerHandlers(router)

const asWorker = (spec: CommandSpec) => !spec.roles?.length

/** What the bot made of the text, in the table's terms. */
function outcome(text: string, as?: 'worker'): Row {
  const u = understand(router, text, [], as === 'worker' ? { mayUse: asWorker } : {})
  if (u.kind === 'command') return { text, intent: u.spec.words[0]!, args: u.argsTyped }
  if (u.kind === 'menu') return { text, intent: 'menu' }
  return u.suggestions.length ? { text, suggest: u.suggestions[0]!.word } : { text, intent: 'none' }
}

describe('the utterance table', () => {
  it('has at least 200 rows, each with one expectation', () => {
    expect(rows.length).toBeGreaterThanOrEqual(200)
    for (const r of rows) expect(Number(r.intent !== undefined) + Number(r.suggest !== undefined), r.text).toBe(1)
  })

  it.each(rows.map((r) => [r.text, r] as const))('%s', (_text, row) => {
    const got = outcome(row.text, row.as)
    if (row.suggest !== undefined) expect(got.suggest, JSON.stringify(got)).toBe(row.suggest)
    else if (row.intent === 'none') expect(got.intent === 'none' || got.suggest !== undefined, JSON.stringify(got)).toBe(true)
    else expect(got.intent, JSON.stringify(got)).toBe(row.intent)
    if (row.args !== undefined) expect(got.args).toBe(row.args)
  })

  it('never finds or suggests a restricted command for a worker, whatever the row (F33)', () => {
    for (const r of rows) {
      const u = understand(router, r.text, [], { mayUse: asWorker })
      if (u.kind === 'command' && u.via !== 'word') expect(asWorker(u.spec), r.text).toBe(true)
      if (u.kind === 'unmatched') for (const s of u.suggestions) expect(asWorker(s.spec), `${r.text} → ${s.word}`).toBe(true)
    }
    // 我被领导骂了 offered 名单 (an officer's command) before F33; a worker now gets 投诉 and no officer command.
    const scolded = understand(router, '我被领导骂了', [], { mayUse: asWorker })
    expect(scolded.kind === 'unmatched' && scolded.suggestions.map((s) => s.word)).toEqual(['投诉', '帮助'])
  })

  it('reports the share understood (a command or the menu) and the share helped (understood or the right suggestion)', () => {
    const results = rows.map((r) => ({ r, got: outcome(r.text, r.as) }))
    const understood = results.filter(({ got }) => got.intent !== undefined && got.intent !== 'none').length
    const helped = results.filter(({ r, got }) => (r.suggest !== undefined ? got.suggest === r.suggest : r.intent === got.intent || r.intent === 'none')).length
    console.log(`utterances: ${rows.length}; understood ${understood} (${((100 * understood) / rows.length).toFixed(1)}%); as expected ${helped} (${((100 * helped) / rows.length).toFixed(1)}%)`)
    expect(helped).toBe(rows.length)
  })
})
