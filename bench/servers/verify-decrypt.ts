// Baseline (c): the bot's own webhook crypto with no storage — Koa, the raw body, verifyRequest (signature, replay
// window, AES decrypt, token) and normalizeEnvelope, then 200. bot / this baseline is what durability costs (issue #18).
import Koa from 'koa'
import getRawBody from 'raw-body'
import { deriveAesKey } from '../../src/feishu/crypto.js'
import { normalizeEnvelope } from '../../src/feishu/normalize.js'
import { verifyRequest, type VerifyConfig } from '../../src/feishu/verify.js'

const encryptKey = process.env.FEISHU_ENCRYPT_KEY ?? ''
const cfg: VerifyConfig = {
  verificationToken: process.env.FEISHU_VERIFICATION_TOKEN,
  encryptKey,
  aesKey: deriveAesKey(encryptKey),
  replayWindowSeconds: 300,
}
const app = new Koa()
app.use(async (ctx) => {
  if (ctx.method !== 'POST' || ctx.path !== '/feishu/events') return
  const raw = await getRawBody(ctx.req, { limit: 1024 * 1024 })
  const verified = verifyRequest(
    raw,
    { timestamp: ctx.get('x-lark-request-timestamp') || undefined, nonce: ctx.get('x-lark-request-nonce') || undefined, signature: ctx.get('x-lark-signature') || undefined },
    cfg,
    Date.now(),
  )
  if (verified.kind === 'challenge') {
    ctx.body = { challenge: verified.challenge }
    return
  }
  const normalized = normalizeEnvelope(verified.body)
  ctx.status = normalized.ok ? 200 : 400
  ctx.body = {}
})
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address()
  console.log(JSON.stringify({ url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` }))
})
