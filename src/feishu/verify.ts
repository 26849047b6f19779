// Verifies and decodes one webhook request from its raw bytes: signature (constant time, over the exact body),
// replay window, decryption, then the verification token. Throws WebhookError with the status to answer.
import { WebhookError } from '../errors.js'
import { decryptPayload, isSignatureValid, safeEqual } from './crypto.js'
import { readHeader } from './normalize.js'

export interface VerifyConfig {
  verificationToken: string | undefined
  encryptKey: string | undefined
  /** SHA256(encryptKey), derived once. */
  aesKey: Buffer | undefined
  /**
   * Bounds X-Lark-Request-Timestamp of signed requests and, without an Encrypt Key (ALLOW_UNSIGNED_WEBHOOK=1),
   * header.create_time: there is no signature then, so the body's own date is all that stops an old capture.
   */
  replayWindowSeconds: number
}

export interface RequestHeaders {
  timestamp: string | undefined
  nonce: string | undefined
  signature: string | undefined
}

export type Verified =
  | { kind: 'challenge'; challenge: string }
  | { kind: 'event'; body: Record<string, unknown> }

export function verifyRequest(raw: Buffer, headers: RequestHeaders, cfg: VerifyConfig, nowMs: number): Verified {
  const signed = headers.signature !== undefined || headers.timestamp !== undefined || headers.nonce !== undefined
  if (cfg.encryptKey && signed) checkSignature(raw, headers, cfg.encryptKey, cfg.replayWindowSeconds, nowMs)

  let outer: unknown
  try {
    outer = JSON.parse(raw.toString('utf8'))
  } catch {
    throw new WebhookError('BODY_MALFORMED', 'body is not JSON')
  }
  if (!isObj(outer)) throw new WebhookError('BODY_MALFORMED', 'body is not a JSON object')

  let body: Record<string, unknown> = outer
  if (typeof outer.encrypt === 'string') {
    if (!cfg.aesKey) throw new WebhookError('BODY_UNDECRYPTABLE', 'encrypted body but FEISHU_ENCRYPT_KEY is not set')
    let plain: string
    try {
      plain = decryptPayload(cfg.aesKey, outer.encrypt)
    } catch {
      throw new WebhookError('BODY_UNDECRYPTABLE', 'body could not be decrypted')
    }
    let inner: unknown
    try {
      inner = JSON.parse(plain)
    } catch {
      throw new WebhookError('BODY_MALFORMED', 'decrypted body is not JSON')
    }
    if (!isObj(inner)) throw new WebhookError('BODY_MALFORMED', 'decrypted body is not a JSON object')
    body = inner
  } else if (cfg.encryptKey) {
    // With an Encrypt Key configured Feishu always encrypts; a plaintext body did not come from Feishu.
    throw new WebhookError('BODY_UNDECRYPTABLE', 'plaintext body while encryption is required')
  }

  if (body.type === 'url_verification') {
    // Feishu's SDKs do not sign-check the challenge (docs/feishu-platform.md#url-verification); it has no effect, and when encrypted,
    // decrypting it already proves the sender knows the Encrypt Key. The token is still checked.
    checkToken(typeof body.token === 'string' ? body.token : undefined, cfg.verificationToken)
    if (typeof body.challenge !== 'string') throw new WebhookError('BODY_MALFORMED', 'challenge missing')
    return { kind: 'challenge', challenge: body.challenge }
  }

  // Everything else must be signed when an Encrypt Key is configured.
  if (cfg.encryptKey && !signed) throw new WebhookError('SIGNATURE_MISSING', 'signature headers missing')
  const header = readHeader(body)
  const token = header ? header.token : typeof body.token === 'string' ? body.token : undefined
  checkToken(token, cfg.verificationToken)
  // Unsigned mode: the static token is in every body (and so in proxy logs); only the date limits a replay.
  // What cannot be dated (v1 events, no create_time) is refused rather than trusted.
  if (!cfg.encryptKey) {
    const created = header?.createTimeMs
    if (created === undefined) throw new WebhookError('REQUEST_REPLAYED', 'unsigned event without a usable header.create_time')
    if (Math.abs(nowMs - created) > cfg.replayWindowSeconds * 1000) throw new WebhookError('REQUEST_REPLAYED', 'event create_time outside the accepted window')
  }
  return { kind: 'event', body }
}

function checkSignature(raw: Buffer, h: RequestHeaders, encryptKey: string, windowSeconds: number, nowMs: number): void {
  if (!h.signature || !h.timestamp || h.nonce === undefined) throw new WebhookError('SIGNATURE_MISSING', 'signature headers missing')
  if (!isSignatureValid(h.signature, h.timestamp, h.nonce, encryptKey, raw)) throw new WebhookError('SIGNATURE_INVALID', 'signature mismatch')
  // X-Lark-Request-Timestamp is Unix seconds (docs/feishu-platform.md#timestamp: not documented, so the window is configurable).
  const ts = Number(h.timestamp)
  if (!Number.isFinite(ts) || Math.abs(nowMs / 1000 - ts) > windowSeconds) {
    throw new WebhookError('REQUEST_REPLAYED', 'request timestamp outside the accepted window')
  }
}

function checkToken(given: string | undefined, expected: string | undefined): void {
  if (!expected) throw new WebhookError('TOKEN_INVALID', 'FEISHU_VERIFICATION_TOKEN is not configured')
  if (given === undefined || !safeEqual(given, expected)) throw new WebhookError('TOKEN_INVALID', 'verification token mismatch')
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
