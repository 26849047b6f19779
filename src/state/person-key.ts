// Redis keys that name a person carry a keyed hash of the open_id, never the open_id itself (security review F2):
// someone who can read Redis (often shared, sometimes unauthenticated) cannot tell whose conversation or lock a key is.
import { createHmac } from 'node:crypto'

/**
 * Shortest STATE_KEY_SECRET accepted: 32 characters. A random base64 string of that length carries ~190 bits, far
 * more than the 128 bits of the key itself; a shorter, typed-in secret could be guessed and every open_id tried.
 */
export const MIN_STATE_KEY_SECRET_LENGTH = 32

/**
 * The one way to turn an open_id into a state-store key part: HMAC-SHA256(secret, open_id), cut to 128 bits and
 * written base64url (22 characters). 128 bits make a collision between two people practically impossible; the
 * secret (the same on every instance) makes the key impossible to reverse by hashing a list of open_ids.
 */
export function personKey(secret: string, openId: string): string {
  return createHmac('sha256', secret).update(openId, 'utf8').digest().subarray(0, 16).toString('base64url')
}
