// What a message not taken by a conversation means, without a hosted language model: a command word at the start,
// a command word or synonym inside a short sentence, a case number anywhere, a greeting or a bare @-mention — or,
// failing all that, the commands closest by pinyin-insensitive and character similarity (pinyin-pro, fastest-levenshtein).
// Pure: the dispatcher's 'command' step runs it over the router's table; test/talk/utterances.unit.test.ts drives it.
import { distance } from 'fastest-levenshtein'
import { pinyin } from 'pinyin-pro'
import { findAnyNumber } from '../kit/numbers.js'
import type { Mention } from '../feishu/updates.js'
import type { BotRouter, CommandSpec, MatchedCommand } from './router.js'
import { normalizeText, restAsTyped, softNormalize } from './text.js'

/** A command the person may have meant: `word` is what a suggestion button sends (the command's first word). */
export interface Suggestion {
  word: string
  spec: CommandSpec
  score: number
}

/** Why a message was not understood: the label of unionbot_unmatched_total (never the text). */
export type UnmatchedReason = 'near-miss' | 'nothing-close' | 'negated' | 'too-long' | 'kept'

export type Understanding =
  | ({ kind: 'command'; via: 'word' | 'sentence' | 'number' } & MatchedCommand)
  | { kind: 'menu'; why: 'greeting' | 'mention' }
  | { kind: 'unmatched'; reason: UnmatchedReason; suggestions: Suggestion[] }

/** A command word is looked for inside a sentence only up to this many characters (longer text is content). */
export const SENTENCE_MAX_CHARS = 40
/** Near misses are looked for only in text up to this many characters. */
const SUGGEST_MAX_CHARS = 24
/** At most this many suggestions ("您是不是想：" with up to three buttons). */
const MAX_SUGGESTIONS = 3
/** Similarity (0–1) from which a command counts as close. */
const SUGGEST_FROM = 0.6

const GREETINGS = [
  '你好', '您好', '你好呀', '你好啊', '您好呀', '在吗', '在么', '在不在', '在不', '在', '哈喽', '嗨', '喂', '早', '早上好', '上午好',
  '中午好', '下午好', '晚上好', '大家好', '老师好', '请问', '打扰了', '打扰一下', '有人吗', '谢谢', '谢谢你', '多谢', '感谢', 'hi', 'hello',
  'hey', 'hi there', 'hello there', 'thanks', 'thank you', 'ok', '好的', '嗯', '工会', '工会助手', '助手', '小助手', '机器人',
  // What phone users send to close a turn or say hello (issue #14): a thank-you, an acknowledgement. (你是谁 asks who
  // the bot is: the 联系工会 command answers it, handlers/talk.ts.)
  '谢谢啦', '谢啦', '谢了', '辛苦了', '收到', '知道了', '明白了', '好嘞', '好滴', '好吧', '行', '可以',
]
/** A Feishu sticker or emoji sent as text (`[微笑]`, `[赞][赞]`): answered like a greeting. */
const EMOJI_CODES = /^(\[[^\[\]\s]{1,8}\])+$/u
/** Words that make a sentence around a filing command a question about a case already raised. */
const STATUS_QUESTIONS = ['结果', '进展', '进度', '怎么样了', '处理了吗', '处理得', '到哪', '有消息', '有回复', '回复了吗']
/** Words in front of a command word that turn it around (`我不想投诉`): not taken as the command. */
const NEGATIONS = ['不', '别', '没', '不要', '不用', '无需', '不想', '没有']

/** Punctuation, symbols and spaces: dropped when comparing greetings and near misses. */
const NOISE = /[\s\p{P}\p{S}]+/gu
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/
const LATIN_WORD = /^[a-z][a-z -]*$/

/**
 * Which commands the person may run (their roles): a command found inside a sentence, by a case number or offered as
 * a suggestion is one they may use (F33: a worker's 「我被领导骂了」 never suggests an officer's 名单). A command word
 * typed at the start is taken whoever types it (the role step then says it is not theirs). All, when absent.
 */
export type MayUse = (spec: CommandSpec) => boolean

export interface UnderstandOptions {
  mayUse?: MayUse
}

/** Understands one message (its text with the bot's mention removed, other mentions as @name). */
export function understand(router: BotRouter, text: string, mentions: readonly Mention[] = [], opts: UnderstandOptions = {}): Understanding {
  const mayUse = opts.mayUse ?? (() => true)
  const typed = withoutLeadingMentions(text, mentions)
  const normalized = normalizeText(typed)
  const exact = router.matchCommand(typed)
  if (exact) return { kind: 'command', via: 'word', ...withBareNumber(exact) }
  const bare = normalized.replace(NOISE, '')
  if (bare === '') return { kind: 'menu', why: 'mention' }
  if (EMOJI_CODES.test(normalized.replace(/\s+/g, ''))) return { kind: 'menu', why: 'greeting' }
  if (onlyGreetings(bare)) return { kind: 'menu', why: 'greeting' }
  // A greeting in front of the request (`你好，我想投诉`): understood as the request.
  // A greeting word that also starts the request (`工会电话多少`: 工会 is a greeting too) is tried both ways.
  const afterGreeting = greetingPrefix(normalized)
  let greeted: Understanding | undefined
  if (afterGreeting !== undefined) {
    const rest = restAsTyped(typed, afterGreeting)
    const inner = understand(router, rest, [], opts)
    if (inner.kind === 'command') return inner
    if (inner.kind === 'unmatched') greeted = inner
  }
  const whole = understandSentence(router, typed, normalized, mayUse)
  return whole.kind === 'unmatched' && greeted ? greeted : whole
}

/** A sentence that is not a command word, a greeting or a bare mention: a word in it, a case number, or near misses. */
function understandSentence(router: BotRouter, typed: string, normalized: string, mayUse: MayUse): Understanding {
  if ([...normalized].length > SENTENCE_MAX_CHARS) return { kind: 'unmatched', reason: 'too-long', suggestions: [] }
  const inSentence = findInSentence(router, typed, normalized, mayUse)
  if (inSentence && 'matched' in inSentence) return { kind: 'command', via: 'sentence', ...inSentence.matched }
  const number = findAnyNumber(typed)
  if (number && !inSentence) {
    const spec = router.listCommands().find((c) => c.caseNumbers?.includes(number.prefix) && mayUse(c))
    if (spec) return { kind: 'command', via: 'number', spec, args: number.number.toLowerCase(), argsText: number.number, argsTyped: number.number }
  }
  const suggestions = suggest(router, normalized, mayUse)
  if (inSentence && 'negated' in inSentence) return { kind: 'unmatched', reason: 'negated', suggestions: withFirst(inSentence.negated, suggestions) }
  return { kind: 'unmatched', reason: suggestions.length ? 'near-miss' : 'nothing-close', suggestions }
}

/** `2026-1`, `２０２６－０００１`, `2026 / 7`: a yearly case number typed without its letter (not a date: no `-03` after). */
const BARE_YEARLY = /^(\d{4})\s*[-\u2010-\u2015\u2212\uff0d_—–.·/]\s*(\d{1,5})(?![\d\-/.])/

/**
 * `诉求 2026-1`: after a command that answers about case numbers, a number without its letter is that command's
 * number (`G-2026-0001`), so a worker asking about their case is not thrown into a new filing with "2026-1" as text.
 */
function withBareNumber(matched: MatchedCommand): MatchedCommand {
  const typed = matched.argsTyped
  const m = BARE_YEARLY.exec(typed.normalize('NFKC'))
  if (!m || !matched.spec.caseNumbers?.length) return matched
  for (const prefix of matched.spec.caseNumbers) {
    const found = findAnyNumber(`${prefix}-${m[1]}-${m[2]}`)
    if (found?.prefix !== prefix || found.before !== '') continue
    const rest = restAsTyped(typed, normalizeText(m[0]).length)
    const argsTyped = rest === '' ? found.number : `${found.number} ${rest}`
    return { ...matched, args: normalizeText(argsTyped), argsText: softNormalize(argsTyped), argsTyped }
  }
  return matched
}

const BARE_GREETINGS = [...new Set(GREETINGS.map((g) => g.replace(NOISE, '')))].sort((a, b) => b.length - a.length)

/** Greetings and nothing else, however many (`在吗在吗`, `你好你好`). */
function onlyGreetings(bare: string): boolean {
  let rest = bare
  while (rest !== '') {
    const g = BARE_GREETINGS.find((x) => rest.startsWith(x))
    if (!g) return false
    rest = rest.slice(g.length)
  }
  return true
}

/** `@李娜 @工会助手 活动` is about 活动: other people's mentions in front of the words are not part of them. */
function withoutLeadingMentions(text: string, mentions: readonly Mention[]): string {
  let rest = text.trim()
  const names = mentions.map((m) => `@${m.name || '用户'}`).sort((a, b) => b.length - a.length)
  for (let again = true; again; ) {
    again = false
    for (const name of [...names, '@所有人']) {
      if (rest.startsWith(name)) {
        rest = rest.slice(name.length).trim()
        again = true
      }
    }
  }
  return rest
}

/** The normalized length of a greeting (and what follows it) that starts the text and is followed by more. */
function greetingPrefix(normalized: string): number | undefined {
  for (const g of [...GREETINGS].sort((x, y) => y.length - x.length)) {
    if (!normalized.startsWith(g)) continue
    const skipped = normalized.slice(g.length).match(/^(吗|呀|啊|哈)?[\s\p{P}]*/u)![0].length
    if (normalized.length === g.length + skipped) continue
    // A break after the greeting (`你好，…`, `hi …`), or a Chinese greeting of two characters or more (`在吗我想…`).
    if (skipped > 0 || ([...g].length >= 2 && CJK.test(g))) return g.length + skipped
  }
  return undefined
}

/**
 * The longest command word or synonym inside a short sentence (commands anyone may use before role-restricted ones,
 * then the earliest): the command with the rest of the sentence (takesText) or the case number found in it.
 * A word right after a negation is reported as negated instead.
 */
function findInSentence(router: BotRouter, typed: string, normalized: string, mayUse: MayUse): { matched: MatchedCommand } | { negated: CommandSpec } | undefined {
  let best: { word: string; spec: CommandSpec; at: number } | undefined
  let negated: CommandSpec | undefined
  for (const { word, spec } of router.listWords()) {
    if ([...word].length < 2 || !mayUse(spec)) continue
    const at = indexOfWord(normalized, word)
    if (at < 0) continue
    const before = normalized.slice(0, at).trimEnd()
    if (NEGATIONS.some((n) => before.endsWith(n))) {
      negated ??= spec
      continue
    }
    if (!best || better({ word, spec, at }, best)) best = { word, spec, at }
  }
  if (!best) return negated ? { negated } : undefined
  const { spec, word, at } = best
  // `我投诉的事情有结果了吗`: a question about a case already raised, not a new one — the person's own list
  // (the command of the same help section whose word starts with 我的).
  if (spec.takesText && STATUS_QUESTIONS.some((q) => normalized.includes(q)) && /[吗呢?]|怎么样|到哪/.test(normalized)) {
    const own = router.listCommands().find((c) => c !== spec && c.help?.section === spec.help?.section && c.words[0]!.startsWith('我的') && mayUse(c))
    if (own) return { matched: { spec: own, args: '', argsText: '', argsTyped: '' } }
  }
  if (spec.takesText) {
    const argsTyped = restAsTyped(typed, at + word.length)
    return { matched: { spec, args: normalizeText(argsTyped), argsText: softNormalize(argsTyped), argsTyped } }
  }
  const number = findAnyNumber(typed)
  const n = number?.number ?? ''
  return { matched: { spec, args: n.toLowerCase(), argsText: n, argsTyped: n } }
}

function better(a: { word: string; spec: CommandSpec; at: number }, b: { word: string; spec: CommandSpec; at: number }): boolean {
  if (a.word.length !== b.word.length) return a.word.length > b.word.length
  const ar = a.spec.roles?.length ? 1 : 0
  const br = b.spec.roles?.length ? 1 : 0
  if (ar !== br) return ar < br
  return a.at < b.at
}

/** Where `word` occurs in `text`; a Latin word only as a whole word (`help` not inside `helper`). */
function indexOfWord(text: string, word: string): number {
  if (!LATIN_WORD.test(word)) return text.indexOf(word)
  const m = new RegExp(`(?<![a-z])${word.replace(/[-]/g, '\\-')}(?![a-z])`).exec(text)
  return m ? m.index : -1
}

/** Up to three commands closest to the text, by characters and by pinyin (tones and homophones ignored). */
export function suggest(router: BotRouter, normalized: string, mayUse: MayUse = () => true): Suggestion[] {
  const input = normalized.replace(NOISE, '')
  if (input === '' || [...input].length > SUGGEST_MAX_CHARS) return []
  const inputPinyin = syllables(input)
  const best = new Map<CommandSpec, number>()
  for (const { word, spec } of router.listWords()) {
    const w = word.replace(NOISE, '')
    if (w.length < 2 || !mayUse(spec)) continue
    const score = Math.max(similarity([...input], [...w]), CJK.test(w) ? 0.95 * similarity(inputPinyin, syllables(w)) : swapped(input, w))
    if (score >= SUGGEST_FROM && score > (best.get(spec) ?? 0)) best.set(spec, score)
  }
  for (const spec of router.listCommands()) {
    // A topic word anywhere in the text: offered, a little below a close word.
    if (mayUse(spec) && spec.hints?.some((h) => input.includes(normalizeText(h)))) best.set(spec, Math.max(best.get(spec) ?? 0, 0.7))
  }
  return [...best]
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_SUGGESTIONS)
    .map(([spec, score]) => ({ word: spec.words[0]!, spec, score }))
}

/** Latin letters typed in another order (`hlep`, `singup`): edit distance counts these twice. */
function swapped(input: string, word: string): number {
  const sorted = (s: string) => [...s].sort().join('')
  return input.length >= 3 && sorted(input) === sorted(word) ? 0.8 : 0
}

function withFirst(spec: CommandSpec, rest: Suggestion[]): Suggestion[] {
  return [{ word: spec.words[0]!, spec, score: 1 }, ...rest.filter((s) => s.spec !== spec)].slice(0, MAX_SUGGESTIONS)
}

/** Toneless pinyin syllables of Chinese characters; other characters stand for themselves. */
function syllables(text: string): string[] {
  return pinyin(text, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true })
}

/**
 * 1 − edit distance / length, taking the best window of the input (as many units as the word has) when it is longer
 * than the word (`我想头诉` is close to 投诉), slightly discounted for the extra words around it. Units are
 * characters, or pinyin syllables compared letter by letter (`toushu` is close to `tousu`).
 */
function similarity(input: string[], word: string[]): number {
  const w = word.join('')
  const score = (units: string[]) => {
    const s = units.join('')
    return 1 - distance(s, w) / Math.max(s.length, w.length)
  }
  const whole = score(input)
  if (input.length <= word.length) return whole
  let bestWindow = 0
  for (let i = 0; i + word.length <= input.length; i++) bestWindow = Math.max(bestWindow, score(input.slice(i, i + word.length)))
  return Math.max(whole, bestWindow * 0.9)
}
