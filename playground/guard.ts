// The playground API's gate (issue #19): the page acts as anyone, so only a browser that was given this start's
// random token (in the printed URL), on this machine's own Host name, with a JSON body may use it. Refusals are
// JSON { error, code } with a stable code; logs carry codes only.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type Koa from 'koa'

/** Header the page sends its token in; EventSource and download links cannot set headers and use `?token=`. */
export const TOKEN_HEADER = 'x-playground-token'

export type GuardCode = 'PLAYGROUND_TOKEN_INVALID' | 'PLAYGROUND_HOST_REFUSED' | 'PLAYGROUND_ORIGIN_REFUSED' | 'PLAYGROUND_NOT_JSON'

/** A fresh token per start: 32 random bytes, URL-safe. */
export function newPlaygroundToken(): string {
  return randomBytes(32).toString('base64url')
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]'])

export interface GuardOptions {
  token: string
  /** The HOST the bot was told to bind (a name or an address), allowed as a Host name besides loopback. */
  configuredHost?: string | undefined
}

/**
 * Koa middleware for /playground/api/*. Order: Host (421: DNS rebinding — a foreign name pointed at this address),
 * token (403), Origin (403: another site), then for POSTs the content type (415: a cross-site "simple" text/plain
 * POST needs no preflight).
 */
export function playgroundApiGuard(opts: GuardOptions): Koa.Middleware {
  const expected = digest(opts.token)
  return async (ctx, next) => {
    const host = (ctx.get('host') || '').toLowerCase()
    if (!hostAllowed(host, ctx, opts.configuredHost)) {
      return refuse(ctx, 421, 'PLAYGROUND_HOST_REFUSED', '请求的主机名不是本机地址，已拒绝（防 DNS 重绑定）：请用启动时打印的地址打开演示页面')
    }
    const given = ctx.get(TOKEN_HEADER) || (ctx.method === 'GET' && typeof ctx.query.token === 'string' ? ctx.query.token : '')
    if (!given || !timingSafeEqual(digest(given), expected)) {
      return refuse(ctx, 403, 'PLAYGROUND_TOKEN_INVALID', '缺少或无效的访问令牌：请用本次启动时打印的完整地址（含 #token=…）打开演示页面')
    }
    const origin = ctx.get('origin')
    if (origin && originHost(origin) !== host) {
      return refuse(ctx, 403, 'PLAYGROUND_ORIGIN_REFUSED', '请求来自其他网站，已拒绝')
    }
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD' && !ctx.is('application/json')) {
      return refuse(ctx, 415, 'PLAYGROUND_NOT_JSON', '请求内容须为 JSON（content-type: application/json）')
    }
    await next()
  }
}

function refuse(ctx: Koa.Context, status: number, code: GuardCode, error: string): void {
  ctx.status = status
  ctx.set('cache-control', 'no-store')
  ctx.body = { error, code }
}

/** Hashing first gives both sides the same length, so the compare is constant-time whatever was sent. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest()
}

function originHost(origin: string): string | undefined {
  try {
    const u = new URL(origin)
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.host.toLowerCase() : undefined
  } catch {
    return undefined // "null" (sandboxed frames, file:) and anything unparsable
  }
}

/**
 * Loopback names on any port (port forwarding), or the address this very connection reached (what a browser sends
 * when it was pointed at the IP), or the configured HOST — each with the bound port. A rebinding attacker's page
 * can only send its own domain name.
 */
function hostAllowed(host: string, ctx: Koa.Context, configuredHost: string | undefined): boolean {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d+))?$/.exec(host)
  if (!m) return false
  const name = m[1]!
  const port = m[2] ?? '80'
  if (LOOPBACK_NAMES.has(name)) return true
  const socket = ctx.req.socket
  if (String(socket.localPort) !== port) return false
  const local = (socket.localAddress ?? '').replace(/^::ffff:/, '')
  const localName = local.includes(':') ? `[${local}]` : local
  if (name === localName) return true
  return configuredHost !== undefined && name === configuredHost.toLowerCase() && !['0.0.0.0', '::', '[::]'].includes(name)
}
