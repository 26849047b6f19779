// Baseline (a): a bare Koa app answering 200 on the webhook route — the ceiling for any Koa-based webhook.
import Koa from 'koa'

const app = new Koa()
app.use((ctx) => {
  if (ctx.method === 'POST' && ctx.path === '/feishu/events') ctx.body = { ok: true }
})
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address()
  console.log(JSON.stringify({ url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` }))
})
