// HTTP routes of the playground, mounted on the bot's own Koa router (BotOptions.extraRoutes) only in playground
// mode: the page and its scripts (served from playground/web as they are: no build step), VChart's browser bundle
// from node_modules, and a small JSON API the page uses to act as a person and to follow the chats (SSE). The API
// is behind playground/guard.ts: this start's token, a local Host, a same-site Origin and JSON bodies only.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type Router from '@koa/router'
import type Koa from 'koa'
import getRawBody from 'raw-body'
import { z } from 'zod'
import { playgroundApiGuard } from './guard.js'
import { PlaygroundError, type PlaygroundSession, type SessionEvent } from './session.js'

const WEB_DIR = fileURLToPath(new URL('./web/', import.meta.url))
const STATIC_FILE = /^[a-z0-9-]+\.(js|css|html|svg)$/
const CONTENT_TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  html: 'text/html; charset=utf-8',
  svg: 'image/svg+xml',
}

/**
 * The page builds every node with createElement/textContent (never innerHTML of card or user text); the policy is
 * a second line: scripts only from here, no plugins, no framing. VChart styles its tooltips inline.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/** VChart's UMD browser bundle (global `VChart`), when the dev dependency is installed. */
export function vchartBundlePath(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('@visactor/vchart/package.json')
    const file = join(dirname(pkg), 'build', 'index.min.js')
    return existsSync(file) ? file : undefined
  } catch {
    return undefined
  }
}

const jsonValue: z.ZodType<unknown> = z.unknown()

const sendSchema = z.object({ as: z.string().min(1), chatId: z.string().min(1), text: z.string().max(20_000) })
const imageSchema = z.object({ as: z.string().min(1), chatId: z.string().min(1) })
/** A file from the page, base64 (the JSON body is capped at 256 KiB: files up to FILE_MAX_BYTES). */
export const FILE_MAX_BYTES = 128 * 1024
const fileSchema = z.object({ as: z.string().min(1), chatId: z.string().min(1), name: z.string().min(1).max(200), base64: z.string().max(Math.ceil(FILE_MAX_BYTES / 3) * 4 + 4) })
const actionSchema = z.object({
  as: z.string().min(1),
  messageId: z.string().min(1),
  value: z.union([z.record(z.string(), jsonValue), z.string()]),
  tag: z.string().max(64).optional(),
  name: z.string().max(200).optional(),
  formValue: z.record(z.string(), jsonValue).optional(),
  option: z.string().max(2000).optional(),
  options: z.array(z.string().max(2000)).max(200).optional(),
  inputValue: z.string().max(20_000).optional(),
  checked: z.boolean().optional(),
})

export interface RouteOptions {
  session: PlaygroundSession
  /** Called when a page's event stream closes, so shutdown can end the others. */
  streams: Set<() => void>
  /** This start's API token (printed in the page's URL). */
  token: string
  /** The configured HOST, accepted as a Host name besides loopback and the address reached. */
  configuredHost?: string | undefined
}

export function mountPlaygroundRoutes(router: Router, opts: RouteOptions): void {
  const { session } = opts
  const guard = playgroundApiGuard({ token: opts.token, configuredHost: opts.configuredHost })
  const vchart = vchartBundlePath()
  let vchartBundle: Buffer | undefined

  // The router matches "/playground" with or without the trailing slash; the page's relative URLs want the slash.
  router.get('/playground', (ctx) => {
    if (ctx.path.endsWith('/')) serveStatic(ctx, 'index.html')
    else ctx.redirect('/playground/')
  })
  router.get('/playground/vendor/vchart.js', (ctx) => {
    if (!vchart) {
      ctx.status = 404
      ctx.body = '/* @visactor/vchart is not installed (npm install): charts show as placeholders */'
      ctx.type = 'text/javascript'
      return
    }
    vchartBundle ??= readFileSync(vchart)
    ctx.set('cache-control', 'public, max-age=86400')
    ctx.type = 'text/javascript; charset=utf-8'
    ctx.body = vchartBundle
  })
  router.get('/playground/:file', (ctx) => serveStatic(ctx, ctx.params.file ?? ''))

  router.get('/playground/api/state', guard, (ctx) => {
    ctx.set('cache-control', 'no-store')
    ctx.body = {
      bot: { openId: session.botOpenId, name: session.botName },
      committeeChatId: session.cast.committeeChatId,
      people: session.people(),
      chats: session.chats(),
      messages: session.messages(),
    }
  })

  router.get('/playground/api/stream', guard, (ctx) => {
    // Written to the socket directly (not a Koa body stream), so a page going away is a normal end, not an error.
    ctx.respond = false
    const res = ctx.res
    ctx.req.socket.setTimeout(0)
    ctx.req.socket.setNoDelay(true)
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' })
    const write = (event: SessionEvent | { type: 'hello' }) => {
      if (!res.writableEnded) res.write(`data: ${JSON.stringify(event)}\n\n`)
    }
    write({ type: 'hello' })
    const unsubscribe = session.subscribe(write)
    const ping = setInterval(() => res.writableEnded || res.write(': ping\n\n'), 15_000)
    const close = () => {
      clearInterval(ping)
      unsubscribe()
      opts.streams.delete(close)
      if (!res.writableEnded) res.end()
    }
    opts.streams.add(close)
    ctx.req.on('close', close)
  })

  router.post('/playground/api/messages', guard, api(async (ctx) => {
    const body = sendSchema.parse(await readJson(ctx))
    ctx.body = await session.sendText(body.as, body.chatId, body.text)
  }))

  router.post('/playground/api/images', guard, api(async (ctx) => {
    const body = imageSchema.parse(await readJson(ctx))
    ctx.body = await session.sendImage(body.as, body.chatId)
  }))

  router.post('/playground/api/files', guard, api(async (ctx) => {
    const body = fileSchema.parse(await readJson(ctx))
    const data = Buffer.from(body.base64, 'base64')
    if (data.length > FILE_MAX_BYTES) throw new PlaygroundError(413, `file over ${FILE_MAX_BYTES} bytes`)
    ctx.body = await session.sendFile(body.as, body.chatId, body.name, data)
  }))

  router.post('/playground/api/actions', guard, api(async (ctx) => {
    const { as, ...req } = actionSchema.parse(await readJson(ctx))
    const action: Parameters<PlaygroundSession['cardAction']>[1] = { messageId: req.messageId, value: req.value }
    if (req.tag !== undefined) action.tag = req.tag
    if (req.name !== undefined) action.name = req.name
    if (req.formValue !== undefined) action.formValue = req.formValue
    if (req.option !== undefined) action.option = req.option
    if (req.options !== undefined) action.options = req.options
    if (req.inputValue !== undefined) action.inputValue = req.inputValue
    if (req.checked !== undefined) action.checked = req.checked
    ctx.body = await session.cardAction(as, action)
  }))

  router.get('/playground/api/files/:key', guard, (ctx) => {
    const file = session.file(ctx.params.key ?? '')
    if (!file) {
      ctx.status = 404
      ctx.body = { error: 'no such file' }
      return
    }
    ctx.set('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`)
    ctx.type = 'application/octet-stream'
    ctx.body = file.data
  })
}

type Handler = (ctx: Koa.Context) => Promise<void>

/** Errors of the playground API as JSON (the webhook routes keep their own handling in src/http/server.ts). */
function api(handler: Handler): Handler {
  return async (ctx) => {
    try {
      await handler(ctx)
    } catch (err) {
      if (err instanceof PlaygroundError) {
        ctx.status = err.status
        ctx.body = { error: err.message }
      } else if (err instanceof z.ZodError) {
        ctx.status = 400
        ctx.body = { error: 'invalid request', issues: err.issues.map((i) => i.path.join('.')) }
      } else if (err instanceof SyntaxError) {
        ctx.status = 400
        ctx.body = { error: 'body is not JSON' }
      } else {
        throw err
      }
    }
  }
}

function serveStatic(ctx: Koa.Context, file: string): void {
  const match = STATIC_FILE.exec(file)
  const path = match ? join(WEB_DIR, file) : undefined
  if (!match || !path || !existsSync(path)) {
    ctx.status = 404
    ctx.body = 'not found'
    return
  }
  // Read on every request, so an edit in playground/web shows on reload.
  ctx.set('cache-control', 'no-cache')
  ctx.set('x-content-type-options', 'nosniff')
  if (match[1] === 'html') {
    ctx.set('content-security-policy', CONTENT_SECURITY_POLICY)
    ctx.set('referrer-policy', 'no-referrer')
  }
  ctx.type = CONTENT_TYPES[match[1]!]!
  ctx.body = readFileSync(path)
}

async function readJson(ctx: Koa.Context): Promise<unknown> {
  let raw: string
  try {
    raw = await getRawBody(ctx.req, { limit: 256 * 1024, encoding: 'utf8' })
  } catch (err) {
    // A body over the limit is the sender's mistake (a file too big), not a server error.
    if ((err as { type?: unknown }).type === 'entity.too.large') throw new PlaygroundError(413, 'request body over 256 KiB')
    throw err
  }
  return JSON.parse(raw)
}
