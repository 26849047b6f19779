// Baseline (b): what a typical Feishu bot does — the node-sdk's adaptKoa + EventDispatcher pipeline (body parser,
// signature check, decrypt, dispatch to a handler that does nothing). No de-duplication, nothing durable.
import * as lark from '@larksuiteoapi/node-sdk'
import Koa from 'koa'
import { bodyParser } from '@koa/bodyparser'

const quiet = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined, trace: () => undefined }
const dispatcher = new lark.EventDispatcher({
  encryptKey: process.env.FEISHU_ENCRYPT_KEY ?? '',
  verificationToken: process.env.FEISHU_VERIFICATION_TOKEN ?? '',
  logger: quiet,
}).register({ 'im.message.receive_v1': async () => ({}) })
const app = new Koa()
app.use(bodyParser())
app.use(lark.adaptKoa('/feishu/events', dispatcher, { autoChallenge: true, logger: quiet }))
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address()
  console.log(JSON.stringify({ url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` }))
})
