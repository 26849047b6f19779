// HTTP transport: the public Koa app (Feishu webhook routes, /healthz; /readyz and /metrics only with the bearer token)
// and the internal one (health, readiness, metrics for the operator's network). The webhook reads the raw bytes
// itself (the signature covers them), then verify → normalize → intake.
import Router from '@koa/router'
import Koa from 'koa'
import getRawBody from 'raw-body'
import { WebhookError, errorCode } from '../errors.js'
import { deriveAesKey, safeEqual } from '../feishu/crypto.js'
import { normalizeEnvelope } from '../feishu/normalize.js'
import { verifyRequest, type VerifyConfig } from '../feishu/verify.js'
import type { Intake } from '../intake/intake.js'
import type { Logger } from '../logger.js'
import type { Metrics } from '../metrics.js'

/** Feishu's events are small; anything over 1 MiB is refused with 413 before parsing. */
const MAX_BODY_BYTES = 1024 * 1024

export interface HttpDeps {
  feishu: { verificationToken: string | undefined; encryptKey: string | undefined; replayWindowSeconds: number }
  intake: Intake
  log: Logger
  metrics: Metrics
  /** Readiness: Postgres and Redis reachable (and the long connection up, when it is used; `reasons` say why not). */
  checkReady(): Promise<Readiness>
  /** `/readyz?verbose=1`: the set-up doctor's checks a running bot can answer itself (src/doctor.ts#localChecks). */
  readyDetails?: () => unknown[] | Promise<unknown[]>
  /** METRICS_TOKEN: when set, /readyz and /metrics answer on this app too, to `Authorization: Bearer <token>`. */
  metricsToken?: string | undefined
  now?: () => number
  /** A webhook body not fully received by then is answered 408 and its connection closed (5 s by default). */
  bodyTimeoutMs?: number
  /** Extra routes (the playground) mounted by the composition root. */
  extraRoutes?: (router: Router) => void
  /** Feishu's URL verification was answered (the console's request URL reaches this bot): recorded for the doctor. */
  onChallenge?: () => void
  /** Whether Feishu's webhook routes exist (false with FEISHU_TRANSPORT=websocket: they answer 404). Default true. */
  webhook?: boolean
}

export interface Readiness {
  ok: boolean
  checks: Record<string, boolean>
  /** Why a check fails, when there is more to say than false (e.g. the long connection's last error). */
  reasons?: Record<string, string>
}

export function createHttpApp(deps: HttpDeps): Koa {
  const app = new Koa()
  const router = new Router()
  const verifyConfig: VerifyConfig = {
    verificationToken: deps.feishu.verificationToken,
    encryptKey: deps.feishu.encryptKey,
    aesKey: deps.feishu.encryptKey ? deriveAesKey(deps.feishu.encryptKey) : undefined,
    replayWindowSeconds: deps.feishu.replayWindowSeconds,
  }
  const now = deps.now ?? Date.now
  const bodyTimeoutMs = deps.bodyTimeoutMs ?? 5000

  // Errors Koa sees outside the middleware (a client that aborts or sends garbage mid-body, a socket reset) go to the
  // structured log, code only, instead of Koa's default stack trace on stderr (security review F11).
  app.on('error', (err: unknown, ctx?: Koa.Context) => {
    deps.log.debug({ code: errorCode(err), path: ctx?.path }, 'http connection error')
  })

  app.use(async (ctx, next) => {
    try {
      await next()
    } catch (err) {
      if (err instanceof WebhookError) {
        deps.metrics.requestsRejected.inc({ code: err.code })
        deps.log.info({ code: err.code, status: err.status, path: ctx.path }, 'webhook request refused')
        ctx.status = err.status
        ctx.body = { code: err.code, msg: err.message }
        // The rest of an oversized or late body is never read: close the connection so the client does not reuse it.
        if (err.code === 'BODY_TOO_LARGE' || err.code === 'BODY_TIMEOUT') ctx.set('Connection', 'close')
        return
      }
      deps.log.error({ code: errorCode(err), path: ctx.path }, 'request failed')
      ctx.status = 500
      ctx.body = { code: 'INTERNAL', msg: 'internal error' }
    }
  })

  const webhook = async (ctx: Koa.Context) => {
    const raw = await readRaw(ctx.req, bodyTimeoutMs)
    const verified = verifyRequest(
      raw,
      {
        timestamp: header(ctx.get('x-lark-request-timestamp')),
        nonce: header(ctx.get('x-lark-request-nonce')),
        signature: header(ctx.get('x-lark-signature')),
      },
      verifyConfig,
      now(),
    )
    if (verified.kind === 'challenge') {
      ctx.body = { challenge: verified.challenge }
      deps.onChallenge?.()
      return
    }
    const normalized = normalizeEnvelope(verified.body)
    if (!normalized.ok) {
      if (normalized.reason === 'unknown_type') {
        // Unknown event types are acknowledged and ignored, so Feishu does not retry them.
        ctx.body = {}
        return
      }
      throw new WebhookError('BODY_MALFORMED', normalized.detail)
    }
    const { update, dedupKey } = normalized
    deps.metrics.transportEvents.inc({ transport: 'webhook', type: update.kind })
    if (update.kind === 'card_action') {
      ctx.body = await deps.intake.receiveCardAction(update, dedupKey)
      return
    }
    await deps.intake.receiveEvent(update, dedupKey)
    ctx.body = {}
  }

  // The two webhook paths are answered before the router: they carry nearly all traffic, and matching them by
  // string is cheaper than the router's path matching. Other methods on them fall through to the router (405).
  if (deps.webhook !== false) {
    app.use(async (ctx, next) => {
      if (ctx.method === 'POST' && (ctx.path === '/feishu/events' || ctx.path === '/feishu/cards')) return webhook(ctx)
      return next()
    })
    router.post('/feishu/events', webhook)
    router.post('/feishu/cards', webhook)
  }
  router.get('/healthz', health)
  // Readiness and counters say which stores are down and which requests are refused: not for the internet. Without
  // the token they do not exist here (404, not 401, so nothing advertises them); the internal app serves them.
  const expected = deps.metricsToken ? `Bearer ${deps.metricsToken}` : undefined
  const tokenOnly = (handler: (ctx: Koa.Context) => Promise<void>) => async (ctx: Koa.Context, next: Koa.Next) => {
    if (expected === undefined || !safeEqual(ctx.get('authorization'), expected)) return next()
    return handler(ctx)
  }
  router.get('/readyz', tokenOnly(readiness(deps)))
  router.get('/metrics', tokenOnly(metricsText(deps)))
  deps.extraRoutes?.(router)

  app.use(router.routes())
  app.use(router.allowedMethods())
  return app
}

/** The internal listener's app (INTERNAL_HOST:INTERNAL_PORT): health, readiness and metrics, no webhook. */
export function createOpsApp(deps: Pick<HttpDeps, 'metrics' | 'checkReady' | 'log' | 'readyDetails'>): Koa {
  const app = new Koa()
  const router = new Router()
  app.on('error', (err: unknown) => deps.log.debug({ code: errorCode(err) }, 'internal http connection error'))
  router.get('/healthz', health)
  router.get('/readyz', readiness(deps))
  router.get('/metrics', metricsText(deps))
  app.use(router.routes())
  app.use(router.allowedMethods())
  return app
}

/** Liveness: says only that the process answers. */
function health(ctx: Koa.Context): void {
  ctx.body = { status: 'ok' }
}

function readiness(deps: Pick<HttpDeps, 'checkReady' | 'readyDetails'>) {
  return async (ctx: Koa.Context) => {
    const ready = await deps.checkReady()
    ctx.status = ready.ok ? 200 : 503
    const verbose = ctx.query.verbose === '1' && deps.readyDetails ? { doctor: await deps.readyDetails() } : {}
    ctx.body = { status: ready.ok ? 'ready' : 'unavailable', checks: ready.checks, ...(ready.reasons ? { reasons: ready.reasons } : {}), ...verbose }
  }
}

function metricsText(deps: Pick<HttpDeps, 'metrics'>) {
  return async (ctx: Koa.Context) => {
    ctx.type = deps.metrics.registry.contentType
    ctx.body = await deps.metrics.registry.metrics()
  }
}

function header(value: string): string | undefined {
  return value === '' ? undefined : value
}

/** Reads the body, at most 1 MiB and within timeoutMs (raw-body has no timeout of its own). */
async function readRaw(req: Koa.Request['req'], timeoutMs: number): Promise<Buffer> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new WebhookError('BODY_TIMEOUT', 'body not received in time')), timeoutMs)
  })
  const reading = getRawBody(req, { limit: MAX_BODY_BYTES })
  // After a timeout the read is abandoned; it ends when the connection is closed.
  reading.catch(() => undefined)
  try {
    return await Promise.race([reading, late])
  } catch (err) {
    if (err instanceof WebhookError) throw err
    const type = (err as { type?: string }).type
    if (type === 'entity.too.large') throw new WebhookError('BODY_TOO_LARGE', 'body over 1 MiB')
    throw new WebhookError('BODY_MALFORMED', 'body could not be read', { cause: err })
  } finally {
    clearTimeout(timer)
  }
}
