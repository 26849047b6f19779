// Human case numbers (G-2026-0007, P-2026-003, A-012, and the prefixes later features declare): one place that
// formats them, reads them as people type them, and finds them in free text.

/**
 * Dash-like characters people type between the parts (hyphens, minus signs, full-width and small dashes, em/en
 * dashes, and the underscore, dot and middle dot some input methods produce). Each is one UTF-16 unit, so folding
 * them to '-' keeps every index in place.
 */
const DASHES = /[\u2010-\u2015\u2212\ufe58\ufe63\uff0d_—–.·]/g

/** Years a yearly number can carry; anything else is not a case number (a phone number, a typo). */
const MIN_YEAR = 2000
const MAX_YEAR = 2999

export interface NumberSpec {
  /** One to three capital Latin letters: `G`, `P`, `A`, … */
  prefix: string
  /** Digits the sequence is padded to (more once it grows past them). */
  digits: number
  /** Most digits a typed sequence may have, leading zeros not counted. */
  maxDigits: number
}

export interface SerialSpec extends NumberSpec {
  /** Whether a parse accepts the bare sequence without the prefix (`12` for `A-012`). Finding in text never does. */
  bareDigits?: boolean
}

/** Where a number was found: `before` and `after` are the text around it exactly as given. */
export interface Found<P> {
  number: string
  parts: P
  before: string
  after: string
}

interface Registered {
  prefix: string
  yearly: boolean
  find(text: string): Found<unknown> | undefined
}

const registry = new Map<string, Registered & { spec: string }>()

function register(entry: Registered, spec: NumberSpec & { yearly: boolean }): void {
  if (!/^[A-Z]{1,3}$/.test(entry.prefix)) throw new Error(`case number prefix must be 1-3 capital letters: ${entry.prefix}`)
  const key = JSON.stringify(spec)
  const known = registry.get(entry.prefix)
  if (known && known.spec !== key) throw new Error(`case number prefix ${entry.prefix} is already declared differently`)
  registry.set(entry.prefix, { ...entry, spec: key })
}

/** The prefixes declared so far (by the features whose modules are loaded). */
export function declaredPrefixes(): string[] {
  return [...registry.keys()].sort()
}

/** The first number of any declared kind in the text (earliest position wins). */
export function findAnyNumber(text: string): (Found<unknown> & { prefix: string }) | undefined {
  let best: (Found<unknown> & { prefix: string }) | undefined
  for (const r of registry.values()) {
    const f = r.find(text)
    if (f && (!best || f.before.length < best.before.length)) best = { ...f, prefix: r.prefix }
  }
  return best
}

/**
 * The text to match against: each character NFKC-folded (full-width digits and letters become ASCII) and every
 * dash-like one made '-'; `at[i]` is where the i-th folded unit came from in the original, so what surrounds a
 * match is cut from the text as typed (a worker's full-width ，and ： stay as they are).
 */
function fold(text: string): { dashed: string; at: number[] } {
  let dashed = ''
  const at: number[] = []
  let i = 0
  for (const ch of text) {
    const f = ch.normalize('NFKC').replace(DASHES, '-')
    for (let k = 0; k < f.length; k++) at.push(i)
    dashed += f
    i += ch.length
  }
  at.push(text.length)
  return { dashed, at }
}

function pad(seq: number, digits: number): string {
  return String(seq).padStart(digits, '0')
}

abstract class Numbering<P> {
  protected abstract readonly inText: RegExp
  protected abstract readonly whole: RegExp
  protected abstract partsOf(m: RegExpMatchArray): P | undefined
  abstract formatParts(parts: P): string

  /** Reads a whole input (`g-2026-7`, `Ｇ２０２６－０００７`, `G2026 0007`): the canonical number, or undefined. */
  parse(text: string): string | undefined {
    const p = this.parseParts(text)
    return p ? this.formatParts(p) : undefined
  }

  parseParts(text: string): P | undefined {
    const m = fold(text).dashed.trim().match(this.whole)
    return m ? this.partsOf(m) : undefined
  }

  /** The first number in free text (`帮我查一下p-2026-12的进展`), with the text before and after it. */
  find(text: string): Found<P> | undefined {
    const { dashed, at } = fold(text)
    for (const m of dashed.matchAll(this.inText)) {
      const parts = this.partsOf(m)
      if (!parts) continue
      const start = at[m.index!]!
      const end = at[m.index! + m[0].length]!
      return { number: this.formatParts(parts), parts, before: text.slice(0, start), after: text.slice(end) }
    }
    return undefined
  }

  /** A number at the very start of the text (`G-2026-0007 具体情况……`) and the rest, trimmed; undefined otherwise. */
  splitLeading(text: string): { number: string; parts: P; rest: string } | undefined {
    const f = this.find(text)
    if (!f || f.before.trim() !== '') return undefined
    return { number: f.number, parts: f.parts, rest: f.after.trim() }
  }
}

/** Numbers counted per year: `G-2026-0007`. */
export class YearlyNumbering extends Numbering<{ year: number; seq: number }> {
  readonly prefix: string
  protected readonly inText: RegExp
  protected readonly whole: RegExp

  constructor(private readonly spec: NumberSpec) {
    super()
    this.prefix = spec.prefix
    const body = `${spec.prefix}\\s*-?\\s*(\\d{4})\\s*-?\\s*0*(\\d{1,${spec.maxDigits}})(?!\\d)`
    // Not inside a Latin word (`ep2026…`).
    this.inText = new RegExp(`(?<![a-z])${body}`, 'gi')
    this.whole = new RegExp(`^${body}$`, 'i')
    register({ prefix: this.prefix, yearly: true, find: (t) => this.find(t) }, { ...spec, yearly: true })
  }

  format(year: number, seq: number): string {
    return `${this.prefix}-${year}-${pad(seq, this.spec.digits)}`
  }

  /** Matches a number as the bot writes it (`G-2026-0007`), to pick it out of the bot's own messages. */
  get displayed(): RegExp {
    return new RegExp(`${this.prefix}-\\d{4}-\\d{${this.spec.digits},}`)
  }

  formatParts(p: { year: number; seq: number }): string {
    return this.format(p.year, p.seq)
  }

  protected partsOf(m: RegExpMatchArray): { year: number; seq: number } | undefined {
    const year = Number(m[1])
    const seq = Number(m[2])
    return year >= MIN_YEAR && year <= MAX_YEAR && seq >= 1 ? { year, seq } : undefined
  }
}

/** Numbers counted across years: `A-012`. */
export class SerialNumbering extends Numbering<{ seq: number }> {
  readonly prefix: string
  protected readonly inText: RegExp
  protected readonly whole: RegExp

  constructor(private readonly spec: SerialSpec) {
    super()
    this.prefix = spec.prefix
    const seq = `0*(\\d{1,${spec.maxDigits}})(?!\\d)`
    this.inText = new RegExp(`(?<![a-z])${spec.prefix}\\s*-?\\s*${seq}`, 'gi')
    this.whole = new RegExp(spec.bareDigits ? `^(?:${spec.prefix})?\\s*-?\\s*${seq}$` : `^${spec.prefix}\\s*-?\\s*${seq}$`, 'i')
    register({ prefix: this.prefix, yearly: false, find: (t) => this.find(t) }, { ...spec, yearly: false })
  }

  format(seq: number): string {
    return `${this.prefix}-${pad(seq, this.spec.digits)}`
  }

  /** Matches a number as the bot writes it (`A-012`), to pick it out of the bot's own messages. */
  get displayed(): RegExp {
    return new RegExp(`${this.prefix}-\\d{${this.spec.digits},}`)
  }

  formatParts(p: { seq: number }): string {
    return this.format(p.seq)
  }

  /** The sequence of a typed number (`A-012`, `a012`, `A 12`, and `12` when bare digits are allowed). */
  parseSeq(text: string): number | undefined {
    return this.parseParts(text)?.seq
  }

  protected partsOf(m: RegExpMatchArray): { seq: number } | undefined {
    const seq = Number(m[1])
    return seq >= 1 ? { seq } : undefined
  }
}

/** Declares a feature's yearly numbers (`G-2026-0007`); the prefix then belongs to it. */
export function yearlyNumbers(spec: NumberSpec): YearlyNumbering {
  return new YearlyNumbering(spec)
}

/** Declares a feature's serial numbers (`A-012`); the prefix then belongs to it. */
export function serialNumbers(spec: SerialSpec): SerialNumbering {
  return new SerialNumbering(spec)
}
