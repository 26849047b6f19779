// The playground's server side against the real bot (real Postgres and Redis): generated credentials with the
// webhook's verification fully on, the page's API acting as people (messages, mentions, clicks, forms), callback
// answers and PATCHes updating cards in place, the event stream, files, seeding on first start only, restart,
// `npm run seed`'s guards, and nothing of it served on the production path.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeOpenApi } from '../../devtools/fake-open-api.js'
import { FeishuEventBuilder, postToBot } from '../../devtools/feishu-events.js'
import { CHAIR, COMMITTEE_CHAT_ID, DEPARTMENT_CONTACT, REPRESENTATIVE, SECOND_REPRESENTATIVE, WORKER, WORKERS_CHAT_ID, p2pChatId } from '../../playground/cast.js'
import { card, md } from '../../cards/kit.js'
import { cardTitle } from '../../playground/seed/driver.js'
import { renderCard } from '../../playground/web/card-render.js'
import { allNodes } from '../../playground/web/vnode.js'
import type { PlaygroundMessage } from '../../playground/session.js'
import { loadConfig } from '../../src/config.js'
import { MESSAGES } from '../../src/dispatch/messages.js'
import { startChildBot } from '../rig/child-bot.js'
import { demoFeature, startPlaygroundBot, type DemoRecord, type PlaygroundBot } from '../rig/playground-bot.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { TEST_ENCRYPT_KEY, TEST_VERIFICATION_TOKEN } from '../rig/test-bot.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const SEEDED = ['join-groups', 'set-up', 'first-contact', 'roles', 'grievances', 'proposals', 'activities', 'care', 'recognition', 'learning', 'mediation', 'democracy', 'notices', 'read-tracking']
let db: TestDatabase
let dir: string
let pg: PlaygroundBot
const records: DemoRecord[] = []

const env = () => ({ DATABASE_URL: db.url, REDIS_URL: db.redisUrl, PGLITE_DATA_DIR: join(dir, 'pglite'), LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' })
const start = (seed?: 'auto' | 'never' | 'force') => startPlaygroundBot({ env: env(), register: demoFeature(records), redisNamespace: db.redisNamespace, ...(seed ? { seed } : {}) })

beforeAll(async () => {
  db = await createTestDatabase()
  dir = mkdtempSync(join(tmpdir(), 'unionbot-pg-session-'))
  pg = await start()
}, 60_000)
afterAll(async () => {
  await pg?.stop()
  await db?.drop()
  rmSync(dir, { recursive: true, force: true })
})

async function api(path: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${pg.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-playground-token': pg.token }, body: JSON.stringify(body) })
  return { status: res.status, body: await res.json() }
}

/** Sends as a person through the page's API and waits until the bot has handled it. */
async function say(as: string, chatId: string, text: string): Promise<string> {
  const res = await api('/playground/api/messages', { as, chatId, text })
  expect(res.status).toBe(200)
  expect(res.body.status).toBe(200)
  await pg.driver.settle()
  return res.body.messageId as string
}

const messagesIn = (chatId: string): PlaygroundMessage[] => pg.playground.session.messages().filter((m) => m.chatId === chatId)
const lastCard = (chatId: string, title: string) => pg.driver.latestCard(chatId, title)

describe('playground mode', () => {
  it('gives the bot generated credentials and an encrypt key, and points its Feishu client at the stand-in', () => {
    const c = pg.playground.config
    expect(c.playground).toBe(true)
    expect(c.feishu.appId).toMatch(/^cli_playground_[0-9a-f]{12}$/)
    expect(c.feishu.appSecret).toBeTruthy()
    expect(c.feishu.verificationToken).toBeTruthy()
    expect(c.feishu.encryptKey).toBeTruthy()
    expect(c.feishu.domain).toBe(pg.playground.openApi.url)
    // Set up the new way (issue #20): no open_id or chat_id configured; the chair and the committee group come from chat.
    expect(c.union.adminChatId).toBeUndefined()
    expect(c.union.officerOpenIds).toEqual([])
    expect(c.union.setupCode).toMatch(/^\d{8}$/)
  })

  it('the seed walked the set-up in chat: 初始化 made 王建国 the chair, 设为委员会群 chose the committee group', async () => {
    const db = pg.bot.services.db
    expect(await db.selectFrom('officers').select(['open_id', 'role']).where('role', '=', 'chair').execute()).toEqual([{ open_id: CHAIR.openId, role: 'chair' }])
    expect(await pg.bot.services.roles.isOfficer(CHAIR.openId)).toBe(true)
    expect(lastCard(p2pChatId(CHAIR.openId), '您已成为工会主席')).toBeDefined()
    expect(messagesIn(COMMITTEE_CHAT_ID).some((m) => (m.text ?? '').startsWith('本群已设为工会委员会群'))).toBe(true)
  })

  it('keeps the webhook verification fully on: unsigned, wrongly signed and wrong-token events are refused', async () => {
    const event = { schema: '2.0', header: { event_id: 'e1', event_type: 'im.message.receive_v1', token: pg.playground.config.feishu.verificationToken, create_time: String(Date.now()), app_id: 'x', tenant_key: 't' }, event: {} }
    const plain = await fetch(`${pg.url}/feishu/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) })
    expect([plain.status, ((await plain.json()) as { code: string }).code]).toEqual([400, 'BODY_UNDECRYPTABLE'])
    const right = new FeishuEventBuilder({ appId: 'x', verificationToken: pg.playground.config.feishu.verificationToken!, encryptKey: pg.playground.config.feishu.encryptKey!, botOpenId: 'ou_bot' })
    const unsigned = await postToBot(pg.url, '/feishu/events', right.encode(right.message({ sender: 'ou_x', chatId: 'oc_x', chatType: 'p2p', text: '帮助' }), { sign: false }))
    expect([unsigned.status, unsigned.body.code]).toEqual([401, 'SIGNATURE_MISSING'])
    const wrongKey = new FeishuEventBuilder({ appId: 'x', verificationToken: pg.playground.config.feishu.verificationToken!, encryptKey: 'not-the-key', botOpenId: 'ou_bot' })
    expect((await postToBot(pg.url, '/feishu/events', wrongKey.encode(wrongKey.message({ sender: 'ou_x', chatId: 'oc_x', chatType: 'p2p', text: '帮助' })))).status).toBe(401)
    const wrongToken = new FeishuEventBuilder({ appId: 'x', verificationToken: 'wrong', encryptKey: pg.playground.config.feishu.encryptKey!, botOpenId: 'ou_bot' })
    expect((await postToBot(pg.url, '/feishu/events', wrongToken.encode(wrongToken.message({ sender: 'ou_x', chatId: 'oc_x', chatType: 'p2p', text: '帮助' })))).status).toBe(401)
  })

  it('seeded the fresh database on first start by driving the bot: it joined both groups and greeted them', async () => {
    expect(pg.seeded).toEqual(SEEDED)
    const chats = await pg.bot.services.db.selectFrom('bot_chats').select(['chat_id', 'added_by']).orderBy('chat_id').execute()
    expect(chats).toEqual([
      { chat_id: COMMITTEE_CHAT_ID, added_by: CHAIR.openId },
      { chat_id: WORKERS_CHAT_ID, added_by: DEPARTMENT_CONTACT.openId },
    ])
    const committee = messagesIn(COMMITTEE_CHAT_ID)
    expect(committee.slice(0, 2).map((m) => m.kind)).toEqual(['system', 'card'])
    expect(cardTitle(committee[1]!.card)).toBe('工会助手 · 使用帮助')
    // What the bot sent went through the stand-in Open API, with the generated app's token.
    expect(pg.playground.openApi.requests.some((r) => r.path === '/open-apis/im/v1/messages' && r.query.receive_id_type === 'chat_id')).toBe(true)
    expect(messagesIn(p2pChatId(WORKER.openId)).slice(0, 2).map((m) => m.kind)).toEqual(['text', 'card'])
  })

  it('seeded the features through the bot: roles, grievances, proposals and activities, as the cards show them', async () => {
    const db = pg.bot.services.db
    // The chair mentioned himself to become a representative (the page lets anyone mention any member).
    const reps = await db.selectFrom('proposal_representatives').select('open_id').where('removed_at', 'is', null).orderBy('open_id').execute()
    expect(reps.map((r) => r.open_id).sort()).toEqual([REPRESENTATIVE.openId, SECOND_REPRESENTATIVE.openId, DEPARTMENT_CONTACT.openId, CHAIR.openId].sort())
    const depts = await db.selectFrom('proposal_departments').select(['name', 'contact_open_id']).where('removed_at', 'is', null).execute()
    expect(depts).toEqual([{ name: '一车间', contact_open_id: DEPARTMENT_CONTACT.openId }])
    const grievances = await db.selectFrom('grievances').select(['number', 'status', 'anonymous']).orderBy('number').execute()
    expect(grievances.map((g) => [g.status, g.anonymous])).toEqual([
      ['accepted', false],
      ['pending', true],
    ])
    const proposals = await db.selectFrom('proposals').select(['number', 'status']).orderBy('number').execute()
    expect(proposals.map((p) => p.status)).toEqual(['in_progress', 'collecting'])
    const activities = await db.selectFrom('activities').select(['title', 'confirmed_count', 'capacity', 'starts_at']).orderBy('starts_at').execute()
    expect(activities.map((a) => [a.title, a.confirmed_count, a.capacity])).toEqual([
      ['春季健步走', 2, 30],
      ['职工读书分享会', 0, 20],
    ])
    expect(activities.every((a) => a.starts_at.getTime() > Date.now())).toBe(true)

    // What people see: the committee's cards updated in place, the department's card, the group's sign-up card.
    const [g1, g2] = grievances
    const review = lastCard(COMMITTEE_CHAT_ID, `维权诉求 ${g1!.number}`)
    expect(review.version).toBe(2)
    expect(JSON.stringify(review.card)).toContain('处理中')
    expect(JSON.stringify(lastCard(COMMITTEE_CHAT_ID, `维权诉求 ${g2!.number}`).card)).toContain('匿名职工')
    expect(messagesIn(p2pChatId(WORKER.openId)).some((m) => m.text === `您的诉求 ${g1!.number} 已受理，当前状态：处理中。`)).toBe(true)
    expect(JSON.stringify(lastCard(COMMITTEE_CHAT_ID, `提案审查 ${proposals[0]!.number}`).card)).toContain('办理中')
    expect(lastCard(p2pChatId(DEPARTMENT_CONTACT.openId), `提案交办 ${proposals[0]!.number}`)).toBeDefined()
    const signup = lastCard(WORKERS_CHAT_ID, '活动报名 · A-001')
    expect(JSON.stringify(signup.card)).toContain('已报名 2/30')
    // 厂务公开: the notice in the workers' group with one confirmation; one anonymous opinion, with no author.
    expect(JSON.stringify(lastCard(WORKERS_CHAT_ID, '厂务公开 · N-001').card)).toContain('已确认 1 人')
    const opinions = await db.selectFrom('notice_opinions').select(['anonymous', 'author_open_id']).execute()
    expect(opinions).toEqual([{ anonymous: true, author_open_id: null }])
    // 学习型组织: outside training credited to 李娜 (2 h) and 张伟 (1.5 h), so 我的学时 and 学时 统计 are not 0 (QA F10).
    const credits = await db.selectFrom('learning_credits').select(['open_id', 'minutes']).orderBy('minutes').execute()
    expect(credits).toEqual([
      { open_id: WORKER.openId, minutes: 90 },
      { open_id: REPRESENTATIVE.openId, minutes: 120 },
    ])
  })

  it('every card the bot sent while seeding, in every version, renders with no placeholder', () => {
    const shown: string[] = []
    const unknown: string[] = []
    for (const m of pg.playground.openApi.messages) {
      if (m.msgType !== 'interactive') continue
      for (const version of [m.content, ...m.patches]) {
        const title = cardTitle(version)
        shown.push(title)
        const tree = renderCard(version as Record<string, unknown>, { nameOf: (id: string) => pg.playground.session.person(id)?.name })
        for (const n of allNodes(tree)) if (n.props.class?.split(' ').includes('fc-unknown')) unknown.push(`${title}: ${n.props.data?.unknown}`)
      }
    }
    expect(unknown).toEqual([])
    // Every feature's cards were among them: the test would prove little otherwise.
    for (const title of ['工会助手 · 使用帮助', '职工代表名单已更新', '已登记承办部门', '提交诉求 · 第 1/4 步', '提交诉求 · 第 4/4 步', '维权诉求 G-', '职代会提案征集开始', '提交提案（3/4）：类别', '职代会提案 P-', '提案审查 P-', '提案交办 P-', '发起活动', '活动已发布 · A-', '活动报名 · A-']) {
      expect(shown.some((t) => t.startsWith(title)), title).toBe(true)
    }
  })

  it('a person typing in a private chat gets the bot’s reply in that chat, as a reply to their message', async () => {
    const chatId = p2pChatId(REPRESENTATIVE.openId)
    const messageId = await say(REPRESENTATIVE.openId, chatId, '帮助')
    const reply = messagesIn(chatId).find((m) => m.replyTo === messageId)
    expect(reply?.kind).toBe('card')
    expect(reply?.sender).toBe(pg.playground.openApi.botOpenId)
  })

  it('in a group the bot answers only when @-mentioned; other mentions arrive as mentions, in place', async () => {
    const before = messagesIn(WORKERS_CHAT_ID).length
    await say(REPRESENTATIVE.openId, WORKERS_CHAT_ID, '帮助')
    expect(messagesIn(WORKERS_CHAT_ID)).toHaveLength(before + 1) // only her own message
    const id = await say(REPRESENTATIVE.openId, WORKERS_CHAT_ID, '@工会助手 回显 请 @张伟 看看')
    const echo = records.find((r) => r.action === 'echo' && r.messageId === id)
    expect(echo).toMatchObject({ operator: REPRESENTATIVE.openId, chatId: WORKERS_CHAT_ID, text: '回显 请 @张伟 看看', mentions: [WORKER.openId] })
    expect(messagesIn(WORKERS_CHAT_ID).find((m) => m.replyTo === id)?.text).toBe('收到')
  })

  it('refuses people outside a chat, unknown people and malformed requests', async () => {
    expect((await api('/playground/api/messages', { as: WORKER.openId, chatId: COMMITTEE_CHAT_ID, text: '帮助' })).status).toBe(403)
    expect((await api('/playground/api/messages', { as: 'ou_nobody', chatId: WORKERS_CHAT_ID, text: '帮助' })).status).toBe(400)
    expect((await api('/playground/api/messages', { as: WORKER.openId })).status).toBe(400)
    const res = await fetch(`${pg.url}/playground/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-playground-token': pg.token }, body: '{not json' })
    expect(res.status).toBe(400)
  })

  it('a click acts as the current person: the role check refuses a worker, the chair’s answer replaces the card in place', async () => {
    await say(WORKER.openId, WORKERS_CHAT_ID, '@工会助手 演示审批')
    const request = lastCard(WORKERS_CHAT_ID, '演示审批')
    const denied = await pg.driver.click(WORKER, request, '批准').catch((err: Error) => err)
    expect(denied).toBeInstanceOf(Error) // the driver treats an error toast as a refusal
    const byWorker = await api('/playground/api/actions', { as: WORKER.openId, messageId: request.id, value: { action: 'demo.approve' }, tag: 'button' })
    expect(byWorker.body).toEqual({ status: 200, cardReplaced: false, toast: { type: 'error', content: MESSAGES.actionDenied } })

    const approved = await pg.driver.click(CHAIR, request, '批准')
    expect(approved.toast).toEqual({ type: 'success', content: '已批准' })
    expect(approved.cardReplaced).toBe(true)
    const now = pg.playground.session.message(request.id)!
    expect(now.version).toBe(2)
    expect(cardTitle(now.card)).toBe('演示审批 · 已批准')
    expect(cardTitle(pg.playground.openApi.currentCard(request.id))).toBe('演示审批 · 已批准')
    expect(records.filter((r) => r.action === 'demo.approve')).toEqual([{ action: 'demo.approve', operator: CHAIR.openId, chatId: WORKERS_CHAT_ID, messageId: request.id, formValue: {} }])

    // A deferred PATCH through the Open API updates the same message again.
    const archived = await pg.driver.click(CHAIR, pg.playground.session.message(request.id)!, '归档')
    expect(archived.toast).toEqual({ type: 'info', content: '正在归档' })
    expect(pg.playground.session.message(request.id)!.version).toBe(3)
    expect(cardTitle(pg.playground.session.message(request.id)!.card)).toBe('演示审批 · 已归档')
    expect(pg.playground.openApi.requests.some((r) => r.method === 'PATCH' && r.path === `/open-apis/im/v1/messages/${request.id}`)).toBe(true)
  })

  it('a callback answered with a 1.0 card is refused as Feishu refuses it (200830), the card stays', async () => {
    await say(WORKER.openId, WORKERS_CHAT_ID, '@工会助手 演示审批')
    const request = lastCard(WORKERS_CHAT_ID, '演示审批')
    const res = await api('/playground/api/actions', { as: WORKER.openId, messageId: request.id, value: { action: 'demo.legacy' }, tag: 'button' })
    expect(res.body.cardReplaced).toBe(false)
    expect(res.body.toast.content).toContain('200830')
    expect(pg.playground.session.message(request.id)!.version).toBe(1)
  })

  it('a form submit carries form_value, the operator and the card’s message and chat', async () => {
    const chatId = p2pChatId(WORKER.openId)
    await say(WORKER.openId, chatId, '演示表单')
    const formCard = lastCard(chatId, '演示表单')
    const values = { reason: '加班费未发', kind: 'pay', day: '2026-12-01 +0800', when: '2026-12-01 09:30 +0800' }
    const res = await pg.driver.submit(WORKER, formCard, values, '提交')
    expect(res.toast).toEqual({ type: 'success', content: '已提交：加班费未发' })
    expect(records.at(-1)).toEqual({ action: 'demo.submit', operator: WORKER.openId, chatId, messageId: formCard.id, formValue: values })
  })

  it('pushes what happens to the page over the event stream', async () => {
    const controller = new AbortController()
    const res = await fetch(`${pg.url}/playground/api/stream?token=${encodeURIComponent(pg.token)}`, { signal: controller.signal })
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const reader = res.body!.getReader()
    const events: any[] = []
    const reading = (async () => {
      let buffer = ''
      for (;;) {
        const { value, done } = await reader.read()
        if (done) return
        buffer += new TextDecoder().decode(value)
        for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
          const chunk = buffer.slice(0, i)
          buffer = buffer.slice(i + 2)
          if (chunk.startsWith('data: ')) events.push(JSON.parse(chunk.slice(6)))
        }
      }
    })().catch(() => undefined)
    const chatId = p2pChatId(DEPARTMENT_CONTACT.openId)
    const id = await say(DEPARTMENT_CONTACT.openId, chatId, '帮助')
    await pg.playground.openApi.waitFor(() => events.some((e) => e.type === 'upsert' && e.message.replyTo === id))
    controller.abort()
    await reading
    expect(events[0]).toEqual({ type: 'hello' })
    expect(events.find((e) => e.type === 'upsert' && e.message.id === id)?.message).toMatchObject({ sender: DEPARTMENT_CONTACT.openId, chatId, kind: 'text', text: '帮助' })
    expect(events.find((e) => e.type === 'upsert' && e.message.replyTo === id)?.message.kind).toBe('card')
  })

  it('serves files the bot sends (e.g. a CSV roster) for download', async () => {
    const chatId = p2pChatId(CHAIR.openId)
    await say(CHAIR.openId, chatId, '演示导出')
    const file = messagesIn(chatId).filter((m) => m.kind === 'file' && m.sender !== CHAIR.openId).at(-1)!
    expect(file.file).toMatchObject({ name: '名单.csv', size: Buffer.byteLength('姓名,部门\n张伟,一车间\n') })
    const res = await fetch(`${pg.url}/playground/api/files/${encodeURIComponent(file.file!.key)}`, { headers: { 'x-playground-token': pg.token } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('名单.csv'))
    expect(await res.text()).toBe('姓名,部门\n张伟,一车间\n')
    expect((await fetch(`${pg.url}/playground/api/files/file_nope`, { headers: { 'x-playground-token': pg.token } })).status).toBe(404)
  })

  it('a person sends a file from the page (📎): 会员 导入 then the CSV reaches the real bot, which downloads and imports it', async () => {
    const chatId = p2pChatId(CHAIR.openId)
    await say(CHAIR.openId, chatId, '会员 导入')
    const csv = `姓名,部门,入会日期\n${REPRESENTATIVE.name},一车间,2024-05-01\n`
    const res = await api('/playground/api/files', { as: CHAIR.openId, chatId, name: '会员.csv', base64: Buffer.from(csv).toString('base64') })
    expect(res.status).toBe(200)
    expect(res.body.status).toBe(200)
    await pg.driver.settle()
    // Shown as the chair's own file message, downloadable like the bot's files.
    const own = messagesIn(chatId).find((m) => m.id === res.body.messageId)!
    expect(own).toMatchObject({ sender: CHAIR.openId, kind: 'file', file: { name: '会员.csv', size: Buffer.byteLength(csv) } })
    const download = await fetch(`${pg.url}/playground/api/files/${encodeURIComponent(own.file!.key)}`, { headers: { 'x-playground-token': pg.token } })
    expect(await download.text()).toBe(csv)
    // The bot fetched it through the message-resource API of the stand-in and took the row.
    expect(pg.playground.openApi.requests.some((r) => r.method === 'GET' && r.path === `/open-apis/im/v1/messages/${res.body.messageId}/resources/${own.file!.key}`)).toBe(true)
    const report = lastCard(chatId, '会员导入结果')
    expect(JSON.stringify(report.card)).toContain('全部 1 行已导入')
    // Too big (over the field's limit; over the body's), or not someone in the chat: refused before anything reaches the bot.
    expect((await api('/playground/api/files', { as: CHAIR.openId, chatId, name: 'big.csv', base64: Buffer.alloc(150 * 1024).toString('base64') })).status).toBe(400)
    expect((await api('/playground/api/files', { as: CHAIR.openId, chatId, name: 'big.csv', base64: Buffer.alloc(200 * 1024).toString('base64') })).status).toBe(413)
    expect((await api('/playground/api/files', { as: WORKER.openId, chatId, name: '会员.csv', base64: '' })).status).toBe(403)
  })

  it('a confidential card (config.enable_forward: false) is kept as sent and patched by the stand-in, and shown as not forwardable', async () => {
    const confidential = (title: string) => ({ ...card({ title, elements: [md('内部')] }), config: { update_multi: true, enable_forward: false } })
    const sent = await pg.bot.services.outbound.sendToChat(COMMITTEE_CHAT_ID, { card: confidential('机密卡片') as never })
    await pg.bot.services.outbound.patchCard(sent.messageId, confidential('机密卡片 · 已更新') as never)
    const delivered = pg.playground.openApi.messages.find((m) => m.messageId === sent.messageId)!
    expect((delivered.content as { config: unknown }).config).toEqual({ update_multi: true, enable_forward: false })
    expect((delivered.patches[0] as { config: unknown }).config).toEqual({ update_multi: true, enable_forward: false })
    const shown = pg.playground.session.message(sent.messageId)!
    expect(cardTitle(shown.card)).toBe('机密卡片 · 已更新')
    const tree = renderCard(shown.card as Record<string, unknown>, {})
    expect(allNodes(tree).some((n) => n.props.class === 'fc-no-forward')).toBe(true)
    // A value Feishu would not take is refused, as Feishu refuses unknown or mistyped card properties.
    await expect(pg.bot.services.outbound.sendToChat(COMMITTEE_CHAT_ID, { card: { ...confidential('x'), config: { update_multi: true, enable_forward: 'no' } } as never })).rejects.toThrow()
  })

  it('serves the page with a strict content security policy, and only its own files', async () => {
    const page = await fetch(`${pg.url}/playground/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(await page.text()).toContain('/playground/app.js')
    expect((await fetch(`${pg.url}/playground`, { redirect: 'manual' })).headers.get('location')).toBe('/playground/')
    for (const file of ['app.js', 'card-render.js', 'markdown.js', 'dom.js', 'vnode.js', 'colors.js', 'style.css']) expect((await fetch(`${pg.url}/playground/${file}`)).status).toBe(200)
    expect((await fetch(`${pg.url}/playground/..%2Fsession.ts`)).status).toBe(404)
    expect((await fetch(`${pg.url}/playground/tsconfig.json`)).status).toBe(404)
    const vchart = await fetch(`${pg.url}/playground/vendor/vchart.js`)
    expect(vchart.status).toBe(200)
    expect((await vchart.text()).length).toBeGreaterThan(1_000_000)
  })

  it('after a restart keeps the chats (cards can still be updated) and does not seed again', async () => {
    const before = pg.playground.session.messages()
    await pg.stop()
    pg = await start()
    expect(pg.seeded).toEqual([])
    expect(pg.playground.session.messages().map((m) => [m.id, m.version])).toEqual(before.map((m) => [m.id, m.version]))
    await say(WORKER.openId, WORKERS_CHAT_ID, '@工会助手 演示审批')
    const fresh = lastCard(WORKERS_CHAT_ID, '演示审批')
    expect(before.some((m) => m.id === fresh.id)).toBe(false)
    const approved = await pg.driver.click(CHAIR, fresh, '批准')
    expect(approved.cardReplaced).toBe(true)
  }, 60_000)
})

describe('outside playground mode', () => {
  it('is off when a Feishu app is configured and PLAYGROUND is unset, on with PLAYGROUND=1', () => {
    expect(loadConfig({ FEISHU_APP_ID: 'cli_real' }).playground).toBe(false)
    expect(loadConfig({ FEISHU_APP_ID: 'cli_real', PLAYGROUND: '0' }).playground).toBe(false)
    expect(loadConfig({ FEISHU_APP_ID: 'cli_real', PLAYGROUND: '1' }).playground).toBe(true)
    expect(loadConfig({}).playground).toBe(true)
    expect(loadConfig({ PLAYGROUND: '0' }).playground).toBe(false)
  })

  it('npm start with a Feishu app serves nothing of the playground', async () => {
    const fake = new FakeOpenApi()
    await fake.start()
    const child = await startChildBot({
      FEISHU_APP_ID: fake.appId,
      FEISHU_APP_SECRET: fake.appSecret,
      FEISHU_VERIFICATION_TOKEN: TEST_VERIFICATION_TOKEN,
      FEISHU_ENCRYPT_KEY: TEST_ENCRYPT_KEY,
      FEISHU_DOMAIN: fake.url,
      DATABASE_URL: db.url,
      REDIS_URL: db.redisUrl,
      SCHEDULER_ENABLED: '0',
    })
    try {
      for (const path of ['/playground', '/playground/', '/playground/app.js', '/playground/api/state', '/playground/vendor/vchart.js']) {
        expect((await fetch(`${child.url}${path}`)).status).toBe(404)
      }
      expect((await fetch(`${child.url}/healthz`)).status).toBe(200)
      expect(child.output()).not.toContain('playground')
    } finally {
      child.kill('SIGTERM')
      await child.exited
      await fake.stop()
    }
  }, 60_000)

  it('npm run seed refuses outside playground mode, and refuses to empty a DATABASE_URL without --reset-database', async () => {
    const run = (extraEnv: Record<string, string>) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'playground/seed-cli.ts'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'silent', ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] })
        let out = ''
        child.stdout.on('data', (d: Buffer) => (out += d.toString()))
        child.stderr.on('data', (d: Buffer) => (out += d.toString()))
        child.on('exit', (code) => resolve({ code, out }))
      })
    const real = await run({ FEISHU_APP_ID: 'cli_real', FEISHU_APP_SECRET: 's' })
    expect(real.code).toBe(1)
    expect(real.out).toContain('only runs in playground mode')
    const postgres = await run({ DATABASE_URL: db.url, PLAYGROUND: '1' })
    expect(postgres.code).toBe(1)
    expect(postgres.out).toContain('--reset-database')
    // Nothing was dropped.
    expect((await pg.bot.services.db.selectFrom('bot_chats').select('chat_id').execute()).length).toBe(2)
  }, 60_000)
})
