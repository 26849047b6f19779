// Feishu event crypto: AES-256-CBC body decryption and the SHA-256 request signature over raw bytes.
// Rules (docs/feishu-platform.md#encryption, #signature): key = SHA256(EncryptKey); payload = base64(iv[16] + ciphertext),
// PKCS#7 padding; X-Lark-Signature = hex(SHA256(timestamp + nonce + encryptKey + rawBody)).
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** Derives the AES key once per encrypt key; callers keep the result. */
export function deriveAesKey(encryptKey: string): Buffer {
  return createHash('sha256').update(encryptKey, 'utf8').digest()
}

/** Decrypts the `encrypt` field of a Feishu body; throws on bad base64, length or padding. */
export function decryptPayload(aesKey: Buffer, encrypted: string): string {
  const buf = Buffer.from(encrypted, 'base64')
  if (buf.length < 32 || (buf.length - 16) % 16 !== 0) throw new Error('ciphertext has an invalid length')
  const decipher = createDecipheriv('aes-256-cbc', aesKey, buf.subarray(0, 16))
  return Buffer.concat([decipher.update(buf.subarray(16)), decipher.final()]).toString('utf8')
}

/** Encrypts like Feishu does (random IV in front); used by the test rig and the playground. */
export function encryptPayload(aesKey: Buffer, plaintext: string, iv: Buffer = randomBytes(16)): string {
  const cipher = createCipheriv('aes-256-cbc', aesKey, iv)
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64')
}

/** hex(SHA256(timestamp + nonce + encryptKey + rawBody)), hashing the body's exact bytes. */
export function computeSignature(timestamp: string, nonce: string, encryptKey: string, rawBody: Buffer): string {
  return createHash('sha256').update(timestamp + nonce + encryptKey, 'utf8').update(rawBody).digest('hex')
}

/** Constant-time check of X-Lark-Signature against the raw body. */
export function isSignatureValid(
  signature: string,
  timestamp: string,
  nonce: string,
  encryptKey: string,
  rawBody: Buffer,
): boolean {
  const expected = Buffer.from(computeSignature(timestamp, nonce, encryptKey, rawBody), 'utf8')
  const given = Buffer.from(signature.trim().toLowerCase(), 'utf8')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/**
 * Constant-time comparison for verification tokens: timingSafeEqual over the bytes. Only the length can leak,
 * which says nothing useful about a random token.
 */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8')
  const y = Buffer.from(b, 'utf8')
  return x.length === y.length && timingSafeEqual(x, y)
}
