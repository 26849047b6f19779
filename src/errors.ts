// Typed errors with stable codes; the webhook boundary and the dispatcher boundary translate them.

/** Codes of errors that end an HTTP request at the webhook with a specific status. */
export type WebhookErrorCode =
  | 'BODY_TOO_LARGE'
  | 'BODY_TIMEOUT'
  | 'BODY_MALFORMED'
  | 'BODY_UNDECRYPTABLE'
  | 'SIGNATURE_MISSING'
  | 'SIGNATURE_INVALID'
  | 'REQUEST_REPLAYED'
  | 'TOKEN_INVALID'
  | 'INTAKE_UNAVAILABLE'

const webhookStatus: Record<WebhookErrorCode, number> = {
  BODY_TOO_LARGE: 413,
  BODY_TIMEOUT: 408,
  BODY_MALFORMED: 400,
  BODY_UNDECRYPTABLE: 400,
  SIGNATURE_MISSING: 401,
  SIGNATURE_INVALID: 401,
  REQUEST_REPLAYED: 401,
  TOKEN_INVALID: 401,
  // 503 makes Feishu retry (15 s, 5 min, 1 h, 6 h), which is what we want while the store is down.
  INTAKE_UNAVAILABLE: 503,
}

export class WebhookError extends Error {
  readonly status: number
  constructor(
    readonly code: WebhookErrorCode,
    message: string = code,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'WebhookError'
    this.status = webhookStatus[code]
  }
}

/** Codes of errors a handler raises to tell the user, politely, why nothing happened. */
export type UserFacingErrorCode =
  | 'FORBIDDEN_ROLE'
  | 'NOT_FOUND'
  | 'INVALID_INPUT'
  | 'INVALID_STATE'
  | 'STALE_ACTION'
  | 'FILE_TOO_LARGE'

/**
 * An error whose message is written for the user (in Chinese). The dispatcher answers it as a reply
 * or a toast; it is not logged as a failure.
 */
export class UserFacingError extends Error {
  constructor(
    readonly code: UserFacingErrorCode,
    readonly userMessage: string,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${userMessage}`, options)
    this.name = 'UserFacingError'
  }
}

/** A file sent to the bot is larger than the feature reads (e.g. a member import). */
export class FileTooLargeError extends UserFacingError {
  constructor(readonly maxBytes: number) {
    super('FILE_TOO_LARGE', `文件太大（超过 ${Math.floor(maxBytes / 1024)} KB），请拆分后分批发送。`)
    this.name = 'FileTooLargeError'
  }
}

/** Conversation state (Redis) could not be read or written. */
export class StateUnavailableError extends Error {
  readonly code = 'STATE_UNAVAILABLE'
  constructor(options?: { cause?: unknown }) {
    super('conversation state store unavailable', options)
    this.name = 'StateUnavailableError'
  }
}

/**
 * A lock stayed held past the wait (another turn of the same person, or a process that died holding it until its
 * TTL runs out). Transient: the person is told 系统正忙, and a recovered card action is retried.
 */
export class LockBusyError extends Error {
  readonly code = 'LOCK_BUSY'
  constructor(options?: { cause?: unknown }) {
    super('lock busy', options)
    this.name = 'LockBusyError'
  }
}

/** Feishu has not yet told us the bot's own open_id (bot/v3/info), so a group @-mention cannot be read: retry later. */
export class BotIdentityUnknownError extends Error {
  readonly code = 'BOT_IDENTITY_UNKNOWN'
  constructor(options?: { cause?: unknown }) {
    super('bot identity unknown', options)
    this.name = 'BotIdentityUnknownError'
  }
}

export function errorCode(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err) {
    const code = (err as { code: unknown }).code
    if (typeof code === 'string' || typeof code === 'number') return String(code)
  }
  return err instanceof Error ? err.name : 'UNKNOWN'
}
