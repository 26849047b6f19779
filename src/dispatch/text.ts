// Text normalization for command matching: full-width → half-width (NFKC), trimmed, spaces collapsed,
// Latin letters lower-cased. The original text is kept separately for content.
import type { Mention } from '../feishu/updates.js'

export function normalizeText(text: string): string {
  return softNormalize(text).toLowerCase()
}

/** NFKC and collapsed spaces, case kept: the form command arguments are read from. */
export function softNormalize(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u3000\s]+/g, ' ')
    .trim()
}

/**
 * The text as the user meant it: the bot's own @-mention removed, other mentions shown as @name,
 * `@_all` as @所有人. Placeholders are Feishu's `@_user_N` keys (docs/feishu-platform.md#mentions).
 */
export function renderMentions(rawText: string, mentions: Mention[], botOpenId: string | undefined): string {
  let text = rawText
  // Longest keys first so @_user_1 does not eat into @_user_10.
  for (const m of [...mentions].sort((a, b) => b.key.length - a.key.length)) {
    if (!m.key) continue
    const replacement = botOpenId && m.openId === botOpenId ? '' : `@${m.name || '用户'}`
    text = text.split(m.key).join(replacement)
  }
  return text.replace(/@_all\b/g, '@所有人').trim()
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/

/**
 * If `normalized` starts with one of `words` as a whole word, returns the rest (trimmed). A word matches when
 * followed by the end, a space, or — for a Chinese word — directly by non-Chinese text (`报名A-012`).
 */
export function matchWord(normalized: string, word: string): string | undefined {
  const w = normalizeText(word)
  if (!normalized.startsWith(w)) return undefined
  const rest = normalized.slice(w.length)
  if (rest === '') return ''
  if (rest.startsWith(' ')) return rest.trim()
  const lastOfWord = w[w.length - 1] ?? ''
  if (CJK.test(lastOfWord) && !CJK.test(rest[0] ?? '')) return rest.trim()
  return undefined
}

/**
 * The text after its first `normalizedLength` units of normalizeText(text), cut from the text as typed (trimmed):
 * normalisation is for matching only, so a full-width ，or a double space in what the person wrote stays as it is.
 */
export function restAsTyped(text: string, normalizedLength: number): string {
  if (normalizedLength <= 0) return text.trim()
  let i = 0
  for (const ch of text) {
    if (normalizeText(text.slice(0, i)).length >= normalizedLength) break
    i += ch.length
  }
  return text.slice(i).trim()
}

/** Words that end the active conversation, whatever its step. */
export const CANCEL_WORDS = ['取消', 'cancel', '退出', 'quit']

/** What people say to drop a matter (`算了`, `不填了`) besides the cancel words. */
const GIVING_UP = ['算了', '不用了', '不办了', '不填了', '不弄了', '不要了', '不投诉了', '不提了', '不报了', 'never mind', 'nevermind', 'stop']

/**
 * A cancel word, alone or with a particle (`取消吧`, `取消了`, `退出！`), or giving up in other words (`算了`): with no
 * conversation in progress (or one just expired) this is answered as 取消, never kept as content (F27).
 */
export function soundsLikeCancel(normalized: string): boolean {
  const bare = normalized.replace(/[\s\p{P}\p{S}]+/gu, '')
  if (GIVING_UP.includes(bare) || CANCEL_WORDS.includes(bare)) return true
  return CANCEL_WORDS.some((w) => bare.startsWith(w) && /^(吧|了|啊|呀|掉|掉吧|了吧|吧谢谢|谢谢|一下)$/.test(bare.slice(w.length)))
}

/** Words of the `继续` command (handlers/talk.ts): typed during a conversation, they never interrupt it. */
export const RESUME_WORDS = ['继续', 'continue', 'resume']
