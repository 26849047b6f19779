// FeishuApiError.kind: every documented code lands in the kind its meaning calls for (docs/feishu-platform.md#error-codes).
import { describe, expect, it } from 'vitest'
import { errorFromAxios, errorFromBody, FeishuApiError, kindOf } from '../../src/feishu/api-errors.js'

const fromBody = (code: number, status = 400) => errorFromBody('message.create', { code, msg: 'x' }, status)

describe('FeishuApiError.kind', () => {
  it.each([230002, 230013, 230053, 232009, 230006, 230011, 230110, 231003, 230031])('%i: recipient_gone', (code) => {
    expect(fromBody(code).kind).toBe('recipient_gone')
    expect(fromBody(code).permanent).toBe(true)
  })

  it.each([230099, 230025, 230001])('%i: malformed (our own card or message)', (code) => {
    expect(fromBody(code).kind).toBe('malformed')
    expect(fromBody(code).permanent).toBe(true)
    expect(fromBody(code).recipientGone).toBe(false)
  })

  it.each([230020, 99991400, 11310])('%i: retryable', (code) => {
    expect(fromBody(code).kind).toBe('retryable')
    expect(fromBody(code).permanent).toBe(false)
  })

  it.each([230018, 230027, 230034, 230035, 230022, 123456])('%i: refused (permanent, neither gone nor malformed)', (code) => {
    expect(fromBody(code).kind).toBe('refused')
    expect(fromBody(code).permanent).toBe(true)
  })

  it('HTTP 429 and 5xx without a known code are retryable, a bare 4xx is refused', () => {
    expect(errorFromAxios('message.create', { response: { status: 429, data: {}, headers: {} } }).kind).toBe('retryable')
    expect(errorFromAxios('message.create', { response: { status: 503, data: {}, headers: {} } }).kind).toBe('retryable')
    expect(errorFromAxios('message.create', { response: { status: 404, data: {}, headers: {} } }).kind).toBe('refused')
  })

  it('a network error (no response) is retryable', () => {
    const err = errorFromAxios('message.create', { code: 'ECONNRESET' })
    expect(err).toBeInstanceOf(FeishuApiError)
    expect(err.kind).toBe('retryable')
  })

  it('a token still refused after its refetch propagates as retryable, as before (not skipped as a refusal)', () => {
    expect(fromBody(99991663).retryClass).toBe('refresh_token')
    expect(fromBody(99991663).kind).toBe('retryable')
    expect(kindOf(99991663, 'refresh_token')).toBe('retryable')
  })

  it('recipientGone stays the narrower "chat or user unreachable" set that stops digest subscriptions', () => {
    expect(fromBody(230002).recipientGone).toBe(true)
    expect(fromBody(230011).recipientGone).toBe(false) // message recalled: gone for a patch, not a dead chat
  })
})
