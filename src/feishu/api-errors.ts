// Open API failures as one typed error, classified by meaning: retryable, recipient gone, our own malformed
// request, or refused for another reason (codes: docs/feishu-platform.md#error-codes).
import type { AxiosError } from 'axios'

/** How Outbound treats a failure: retry it, refetch the token and retry once, or give up. */
export type RetryClass = 'retry' | 'permanent' | 'refresh_token'

/**
 * What a failure means for the caller (src/kit/deliver.ts acts on it):
 * - `retryable`: rate limits, 5xx, network trouble, a card mid-interaction; trying again later may work.
 * - `recipient_gone`: the chat, user or message can no longer be reached (bot removed, user left, message recalled);
 *   skipping it is the normal outcome.
 * - `malformed`: Feishu rejected what we sent (bad card JSON, too long, bad parameter); a bug on our side, never
 *   retried (the same request would fail again), logged as an error and counted (unionbot_feishu_format_errors_total).
 * - `refused`: any other permanent refusal (group forbids bots, no permission, muted, token or app trouble, unknown codes).
 */
export type ErrorKind = 'retryable' | 'recipient_gone' | 'malformed' | 'refused'

/** Feishu codes that are worth retrying: rate limits and transient server trouble. */
const RETRYABLE_CODES = new Set([
  99991400, // gateway rate limit ("request trigger frequency limit"), HTTP 429 + x-ogw-ratelimit-reset
  230020, // IM rate limit for the chat/user
  11310, // 2.0 card mid-interaction ("card action is lock"): retry later
])

/** Tenant token rejected: refetch it once and retry. */
const TOKEN_CODES = new Set([99991661, 99991663, 99991671, 99991677])

/**
 * Codes known to be permanent; listed so logs and metrics show a meaningful reason. Anything not retryable is
 * treated as permanent, these included: 230002 bot not in chat, 230013 user outside availability,
 * 230099 card content error, 230025 too long, 230001 bad parameter, 230006 bot disabled, 230018 group forbids,
 * 230027 no permission, 230034 bad receive_id, 230035 muted, 230053 user blocked bot, 232009 chat dissolved,
 * 230011/230110/231003 message recalled or deleted, 230031 card older than 14 days.
 */
export const PERMANENT_CODES = new Set([
  230001, 230002, 230006, 230011, 230013, 230018, 230025, 230027, 230031, 230034, 230035, 230053, 230099, 230110,
  231003, 232009,
])

/** The bot is no longer able to post to this chat/user: callers may disable what targets it. */
export const RECIPIENT_GONE_CODES = new Set([230002, 230013, 230053, 232009, 230006])

/** The message a patch targets is gone for good: recalled or deleted, or a card older than 14 days. */
const MESSAGE_GONE_CODES = new Set([230011, 230110, 231003, 230031])

/**
 * Feishu rejected the request itself: 230099 card content error (any sub-code: too many elements, bad `<at>` id,
 * bad JSON, bad chart, tag not in 2.0), 230025 body too long, 230001 bad parameter
 * (docs/feishu-platform.md#error-codes, docs/feishu-platform.md#card-limits).
 */
export const MALFORMED_CODES = new Set([230099, 230025, 230001])

/** The meaning of a failure (see ErrorKind); `retryClass` decides retries inside Outbound, this decides the caller. */
export function kindOf(code: number, retryClass: RetryClass): ErrorKind {
  // A token still refused after one refetch propagates like a transient failure, so the event is retried later.
  if (retryClass !== 'permanent') return 'retryable'
  if (RECIPIENT_GONE_CODES.has(code) || MESSAGE_GONE_CODES.has(code)) return 'recipient_gone'
  if (MALFORMED_CODES.has(code)) return 'malformed'
  return 'refused'
}

export class FeishuApiError extends Error {
  constructor(
    readonly method: string,
    /** Feishu's business code, or 0 when none came back (network error, bare HTTP error). */
    readonly code: number,
    readonly httpStatus: number | undefined,
    readonly logId: string | undefined,
    readonly retryClass: RetryClass,
    /** Seconds Feishu asked us to wait (x-ogw-ratelimit-reset), when it said. */
    readonly retryAfterSeconds: number | undefined,
    feishuMessage: string,
    options?: { cause?: unknown },
  ) {
    super(`${method} failed: code ${code}${httpStatus ? `, HTTP ${httpStatus}` : ''}: ${feishuMessage}`, options)
    this.name = 'FeishuApiError'
  }

  get kind(): ErrorKind {
    return kindOf(this.code, this.retryClass)
  }

  /** Trying again will not help (every kind but `retryable`). */
  get permanent(): boolean {
    return this.kind !== 'retryable'
  }

  /** True when the chat or user cannot receive the bot's messages any more (bot removed, user left). */
  get recipientGone(): boolean {
    return RECIPIENT_GONE_CODES.has(this.code)
  }
}

export function classifyCode(code: number, httpStatus: number | undefined): RetryClass {
  if (TOKEN_CODES.has(code)) return 'refresh_token'
  if (RETRYABLE_CODES.has(code)) return 'retry'
  if (PERMANENT_CODES.has(code)) return 'permanent'
  if (httpStatus === 429 || (httpStatus !== undefined && httpStatus >= 500)) return 'retry'
  return 'permanent'
}

/** A resolved Open API body with code != 0 (HTTP 200 with a business error resolves in the SDK). */
export function errorFromBody(method: string, body: { code?: unknown; msg?: unknown; error?: unknown }, httpStatus = 200): FeishuApiError {
  const code = typeof body.code === 'number' ? body.code : -1
  const logId = readLogId(body)
  return new FeishuApiError(method, code, httpStatus, logId, classifyCode(code, httpStatus), undefined, String(body.msg ?? ''))
}

/** An axios rejection: HTTP 4xx/5xx with a body, or no response at all (network error, timeout). */
export function errorFromAxios(method: string, err: unknown): FeishuApiError {
  const ax = err as AxiosError<{ code?: unknown; msg?: unknown }>
  const response = ax?.response
  if (!response) {
    // No response: connection refused, reset or timed out. The request may or may not have reached Feishu,
    // so it is retried with the same idempotency uuid.
    return new FeishuApiError(method, 0, undefined, undefined, 'retry', undefined, ax?.code ?? 'network error', { cause: err })
  }
  const body = (response.data && typeof response.data === 'object' ? response.data : {}) as { code?: unknown; msg?: unknown }
  const code = typeof body.code === 'number' ? body.code : 0
  const resetHeader = response.headers?.['x-ogw-ratelimit-reset']
  const reset = resetHeader !== undefined ? Number(resetHeader) : undefined
  const retryClass = code === 0 ? classifyCode(-1, response.status) : classifyCode(code, response.status)
  return new FeishuApiError(
    method,
    code,
    response.status,
    readLogId(body),
    retryClass,
    reset !== undefined && Number.isFinite(reset) && reset >= 0 ? reset : undefined,
    String(body.msg ?? ax.message ?? ''),
    { cause: err },
  )
}

function readLogId(body: object): string | undefined {
  const e = (body as { error?: unknown }).error
  if (e && typeof e === 'object' && 'log_id' in e && typeof (e as { log_id: unknown }).log_id === 'string') {
    return (e as { log_id: string }).log_id
  }
  return undefined
}
