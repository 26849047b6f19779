// fitCard(): the first level that fits 30 KB / 200 elements with the margin, the last level as a checked fallback.
import { describe, expect, it } from 'vitest'
import { card, md, type Card } from '../../cards/kit.js'
import {
  assertCardWithinLimits,
  CARD_FIT_MARGIN_BYTES,
  CARD_MAX_BYTES,
  CARD_MAX_ELEMENTS,
  cardByteSize,
  CardTooLargeError,
  countElements,
  fitCard,
  halving,
} from '../../src/kit/fit-card.js'

/** A card of `lines` markdown elements of `width` characters each. */
const listCard = (lines: number, width = 10): Card => card({ title: 't', elements: Array.from({ length: lines }, () => md('x'.repeat(width))) })

describe('halving', () => {
  it('halves down to 1, then 0', () => {
    expect(halving(80)).toEqual([80, 40, 20, 10, 5, 2, 1, 0])
    expect(halving(1)).toEqual([1, 0])
    expect(halving(0)).toEqual([0])
  })
})

describe('fitCard', () => {
  it('returns the first level when it fits', () => {
    const built: number[] = []
    const c = fitCard([10, 5, 0], (n) => (built.push(n), listCard(n)))
    expect(built).toEqual([10])
    expect(countElements(c)).toBe(10)
  })

  it('shrinks past levels over the byte limit', () => {
    // 300 lines of 200 bytes ≈ 60 KB; 150 ≈ 30 KB (too close); 75 fits.
    const c = fitCard(halving(300), (n) => listCard(n, 200))
    expect(countElements(c)).toBe(75)
    expect(cardByteSize(c)).toBeLessThanOrEqual(CARD_MAX_BYTES - CARD_FIT_MARGIN_BYTES)
  })

  it('shrinks past levels over the element limit even when the bytes fit', () => {
    const c = fitCard([250, 201, 200, 0], (n) => listCard(n, 1))
    expect(countElements(c)).toBe(CARD_MAX_ELEMENTS)
  })

  it('keeps the margin: a card inside 30 KB but within the margin of it is not taken while a smaller level remains', () => {
    const width = (bytes: number) => {
      // Grow one element until the card's size is exactly in the margin band.
      let w = 1000
      while (cardByteSize(listCard(1, w)) < bytes) w += 100
      return w
    }
    const w = width(CARD_MAX_BYTES - CARD_FIT_MARGIN_BYTES / 2)
    const big = listCard(1, w)
    expect(cardByteSize(big)).toBeLessThanOrEqual(CARD_MAX_BYTES)
    expect(cardByteSize(big)).toBeGreaterThan(CARD_MAX_BYTES - CARD_FIT_MARGIN_BYTES)
    expect(fitCard(['big', 'small'], (l) => (l === 'big' ? big : listCard(1)))).not.toBe(big)
    // As the last level it is accepted: the hard limit is the full 30 KB.
    expect(fitCard(['big'], () => big)).toBe(big)
  })

  it('throws CardTooLargeError when even the last level breaks the hard limits', () => {
    expect(() => fitCard([1], () => listCard(1, CARD_MAX_BYTES))).toThrow(CardTooLargeError)
    expect(() => fitCard([0], () => listCard(CARD_MAX_ELEMENTS + 1, 1))).toThrow(CardTooLargeError)
    expect(() => assertCardWithinLimits(listCard(CARD_MAX_ELEMENTS + 1, 1))).toThrow(CardTooLargeError)
  })

  it('needs at least one level', () => {
    expect(() => fitCard([], () => listCard(1))).toThrow()
  })
})
