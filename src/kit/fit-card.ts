// Feishu's card limits (30 KB request body, 200 elements: docs/feishu-platform.md#card-limits) and one fitCard()
// that list cards call to shrink until they fit. Pure functions over card JSON; cards/ uses them, never the reverse.
import type { Card } from '../feishu/card.js'

/** A card message's request body may be at most 30 KB (else 230025) and hold at most 200 elements (else 230099). */
export const CARD_MAX_BYTES = 30 * 1024
export const CARD_MAX_ELEMENTS = 200

/**
 * The headroom fitCard() leaves under CARD_MAX_BYTES. cardByteSize() measures only `{msg_type, content}`; the real
 * body also carries receive_id, uuid and their keys (about 120 bytes), and Feishu does not say whether "30 KB" is
 * 30 720 or 30 000 bytes. 1 KB covers both. The hard check (assertCardWithinLimits) stays at the full limit, so a
 * card at its smallest may still use the margin.
 */
export const CARD_FIT_MARGIN_BYTES = 1024

/** Serialized size as Feishu counts it: the card travels as a JSON string inside the request body. */
export function cardByteSize(c: Card): number {
  return Buffer.byteLength(JSON.stringify({ msg_type: 'interactive', content: JSON.stringify(c) }), 'utf8')
}

/** Components Feishu counts against the 200: every tagged object but text objects; a chart's spec is one. */
export function countElements(c: Card): number {
  let n = 0
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit)
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>
      if (typeof o.tag === 'string' && o.tag !== 'plain_text' && o.tag !== 'lark_md') n++
      for (const [k, child] of Object.entries(o)) if (k !== 'chart_spec') visit(child)
    }
  }
  visit(c.body.elements)
  return n
}

export class CardTooLargeError extends Error {
  readonly code = 'CARD_TOO_LARGE'
}

/** Throws when a card breaks Feishu's size or element limits; builders call it on cards that hold lists. */
export function assertCardWithinLimits(c: Card): Card {
  const bytes = cardByteSize(c)
  const elements = countElements(c)
  if (bytes > CARD_MAX_BYTES || elements > CARD_MAX_ELEMENTS) {
    throw new CardTooLargeError(`card too large: ${bytes} bytes, ${elements} elements`)
  }
  return c
}

/** True when the card fits with CARD_FIT_MARGIN_BYTES to spare and within the element limit. */
export function fitsWithMargin(c: Card): boolean {
  return cardByteSize(c) <= CARD_MAX_BYTES - CARD_FIT_MARGIN_BYTES && countElements(c) <= CARD_MAX_ELEMENTS
}

/**
 * The first of `build(level)` for `levels` (largest first) that fits with the margin; the last level is the
 * fallback and must fit the hard limits (else CardTooLargeError). A builder shows fewer lines, shorter history or a
 * compact layout at lower levels, and says what it left out.
 */
export function fitCard<L>(levels: readonly L[], build: (level: L) => Card): Card {
  if (levels.length === 0) throw new Error('fitCard needs at least one level')
  for (let i = 0; i < levels.length - 1; i++) {
    const c = build(levels[i]!)
    if (fitsWithMargin(c)) return c
  }
  return assertCardWithinLimits(build(levels[levels.length - 1]!))
}

/** n, n/2, n/4, …, 1, 0: the levels for a list cut by halves. */
export function halving(n: number): number[] {
  const levels: number[] = []
  for (let k = Math.max(0, Math.floor(n)); k > 0; k = Math.floor(k / 2)) levels.push(k)
  levels.push(0)
  return levels
}
