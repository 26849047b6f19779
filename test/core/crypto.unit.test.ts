// Feishu crypto checked against the published test vectors (copied to test/fixtures; docs/feishu-platform.md#encryption).
import { createCipheriv } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { computeSignature, decryptPayload, deriveAesKey, encryptPayload, isSignatureValid, safeEqual } from '../../src/feishu/crypto.js'

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'))

describe('Feishu event crypto', () => {
  it('decrypts the documented vector ("test key" → "hello world")', () => {
    const v = fixture('encrypted-event.test-vector.json').doc_vector
    expect(decryptPayload(deriveAesKey(v.encrypt_key), v.encrypt)).toBe(v.decrypted_plaintext)
  })

  it('decrypts the SDK test vector to the full event', () => {
    const v = fixture('encrypted-event.test-vector.json')
    expect(decryptPayload(deriveAesKey(v.encrypt_key), v.encrypt)).toBe(v.decrypted_plaintext)
  })

  it('decrypts the encrypted url_verification sample', () => {
    const v = fixture('url_verification.encrypted.json')
    expect(JSON.parse(decryptPayload(deriveAesKey(v.encrypt_key), v.request.encrypt))).toEqual(v.decrypted)
  })

  it('round-trips what it encrypts, with a random IV each time', () => {
    const key = deriveAesKey('k')
    const a = encryptPayload(key, '{"中文":"✓"}')
    const b = encryptPayload(key, '{"中文":"✓"}')
    expect(a).not.toBe(b)
    expect(decryptPayload(key, a)).toBe('{"中文":"✓"}')
  })

  it('rejects ciphertexts of a wrong length or padding', () => {
    const key = deriveAesKey('k')
    expect(() => decryptPayload(key, 'AAAA')).toThrow()
    // A block whose last byte is 0x00 (not a PKCS#7 pad), encrypted without padding: the right length, bad padding.
    const iv = Buffer.alloc(16, 7)
    const cipher = createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false)
    const badPad = Buffer.concat([iv, cipher.update(Buffer.alloc(16, 0)), cipher.final()]).toString('base64')
    expect(() => decryptPayload(key, badPad)).toThrow()
    // The wrong key never yields the plaintext (its garbage has valid padding about once in 256 IVs, so no toThrow).
    let wrong: string | undefined
    try {
      wrong = decryptPayload(deriveAesKey('other'), encryptPayload(key, 'x'.repeat(40)))
    } catch {
      wrong = undefined
    }
    expect(wrong).not.toBe('x'.repeat(40))
  })

  it('computes the signature of the computed vector over the raw body', () => {
    const v = fixture('signature.computed-vector.json')
    const h = v.headers
    const sig = computeSignature(h['X-Lark-Request-Timestamp'], h['X-Lark-Request-Nonce'], v.encrypt_key, Buffer.from(v.raw_body))
    expect(sig).toBe(h['X-Lark-Signature'])
    expect(isSignatureValid(sig, h['X-Lark-Request-Timestamp'], h['X-Lark-Request-Nonce'], v.encrypt_key, Buffer.from(v.raw_body))).toBe(true)
    // One byte of whitespace changes it: the check is over bytes, not re-serialized JSON.
    expect(isSignatureValid(sig, h['X-Lark-Request-Timestamp'], h['X-Lark-Request-Nonce'], v.encrypt_key, Buffer.from(v.raw_body + ' '))).toBe(false)
    expect(isSignatureValid(sig.slice(0, -1), h['X-Lark-Request-Timestamp'], h['X-Lark-Request-Nonce'], v.encrypt_key, Buffer.from(v.raw_body))).toBe(false)
  })

  it('compares tokens exactly', () => {
    expect(safeEqual('abc', 'abc')).toBe(true)
    expect(safeEqual('abc', 'abd')).toBe(false)
    expect(safeEqual('abc', 'abcd')).toBe(false)
  })
})
