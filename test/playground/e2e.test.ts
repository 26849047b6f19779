// End to end in a real browser (Debian's Chromium via playwright-core): the real `npm start` entry point on the
// embedded defaults (PGlite in a temp dir, in-memory state, no Feishu app) serving the playground; people send
// messages and switch, at desktop and phone sizes; cards are clicked and forms submitted. Screenshots go to
// test-artifacts/playground/. On the seeded playground, the flows of issue #8 run with every person's page open at
// once: a worker files a grievance in private chat and the chair accepts it from the committee card; the chair
// publishes an activity from the form and two people sign up from the group card.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { card, md, userText } from '../../cards/kit.js'
import { CHAIR, COMMITTEE_CHAT_ID, DEPARTMENT_CONTACT, REPRESENTATIVE, WORKER, WORKERS_CHAT_ID, p2pChatId } from '../../playground/cast.js'
import { MESSAGES } from '../../src/dispatch/messages.js'
import { addDays, localDate } from '../../src/time.js'
import { launchChromium } from '../rig/browser.js'
import { startChildBot, type ChildBot } from '../rig/child-bot.js'
import { demoFeature, startPlaygroundBot, type DemoRecord, type PlaygroundBot } from '../rig/playground-bot.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const ARTIFACTS = join(ROOT, 'test-artifacts', 'playground')
const EXAMPLES_DIR = process.env.FEISHU_CARD_EXAMPLES_DIR ?? join(ROOT, 'test', 'fixtures', 'card-examples')
const DESKTOP = { width: 1280, height: 860 }
const PHONE = { width: 390, height: 844 }

let browser: Browser

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true })
  browser = await launchChromium()
}, 60_000)
afterAll(async () => {
  await browser?.close()
})

/**
 * A page with the playground open as `as` (in `chat`), failing the test on any script error. `pageUrl` is the URL
 * the playground printed, with this start's token in its fragment.
 */
async function open(pageUrl: string, opts: { as: string; chat?: string; viewport?: { width: number; height: number }; phone?: boolean }): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
  const context = await browser.newContext({
    viewport: opts.viewport ?? DESKTOP,
    timezoneId: 'Asia/Shanghai',
    locale: 'zh-CN',
    ...(opts.phone ? { isMobile: true, hasTouch: true } : {}),
  })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  const printed = new URL(pageUrl)
  const token = new URLSearchParams(printed.hash.slice(1)).get('token') ?? ''
  const hash = new URLSearchParams({ token, as: opts.as, ...(opts.chat ? { chat: opts.chat } : {}) })
  await page.goto(`${printed.origin}/playground/#${hash}`)
  await page.waitForSelector('body[data-connected="true"]')
  return { page, context, errors }
}

const cardCount = (page: Page) => page.locator('.pg-msg[data-kind="card"]').count()

/**
 * Runs `act` (a click, a message) and resolves with the first new card (or text) from the bot in the open chat.
 * Polled from here: the page's content security policy forbids the string evaluation waitForFunction needs.
 */
async function nextFromBot(page: Page, kind: 'card' | 'text', act: () => Promise<unknown>, timeoutMs = 20_000): Promise<Locator> {
  const rows = page.locator(`.pg-msg.pg-from-bot[data-kind="${kind}"]`)
  const before = await rows.count()
  await act()
  for (const deadline = Date.now() + timeoutMs; (await rows.count()) <= before; ) {
    if (Date.now() > deadline) throw new Error(`no new ${kind} from the bot in ${timeoutMs} ms`)
    await page.waitForTimeout(50)
  }
  return rows.nth(before)
}

/** Types in the composer and sends; resolves with the bot's new card (or text) once it has arrived. */
async function send(page: Page, text: string, expect: 'card' | 'text' = 'card'): Promise<Locator> {
  return nextFromBot(page, expect, async () => {
    await page.fill('#input', text)
    await page.press('#input', 'Enter')
  })
}

/** The card message in the open chat whose title contains `title` (the newest, if several). */
const cardTitled = (page: Page, title: string) => page.locator('.pg-msg[data-kind="card"]').filter({ has: page.locator('.fc-title', { hasText: title }) }).last()
/** A button on a card by its exact text (so 受理 is not 不予受理). */
const buttonOn = (row: Locator, text: string) => row.getByRole('button', { name: text, exact: true })
const textOf = async (row: Locator) => ((await row.textContent()) ?? '').replace(/\s+/g, ' ')
const chatsOf = async (page: Page) => Promise.all((await page.locator('#chats [data-chat]').all()).map((e) => e.getAttribute('data-chat')))

const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: join(ARTIFACTS, name), fullPage })

/**
 * Runs browser-side code given as source text with a JSON argument. (Functions written here would be compiled for
 * Node by vitest, which rewrites their dynamic imports, and type-checked without the DOM library.)
 */
function inPage<T>(page: Page, source: string, arg: unknown = null): Promise<T> {
  return page.evaluate(`(${source})(${JSON.stringify(arg)})`) as Promise<T>
}

/** Renders cards in the page with the playground's own modules; returns per-card counts. */
const RENDER_CARDS = `async (cards) => {
  const { renderCard } = await import('/playground/card-render.js')
  const { mount } = await import('/playground/dom.js')
  document.body.replaceChildren()
  document.body.style.cssText = 'display:block;height:auto;overflow:auto'
  const grid = document.createElement('div')
  grid.style.cssText = 'display:grid;grid-template-columns:repeat(3,450px);gap:16px;padding:16px;align-items:start'
  document.body.appendChild(grid)
  const out = []
  for (const { file, card } of cards) {
    const cell = document.createElement('div')
    cell.dataset.example = file
    grid.appendChild(cell)
    const { node, attached } = mount(renderCard(card, {}), { onCallback: async () => undefined, confirm: async () => true })
    cell.appendChild(node)
    attached()
    out.push({ file, unknown: cell.querySelectorAll('.fc-unknown').length, text: (cell.textContent || '').trim().length })
  }
  return out
}`

/** Mounts one card into the open chat and reports what the DOM shows. */
const SHOW_CARD = `async (card) => {
  const { renderCard } = await import('/playground/card-render.js')
  const { mount } = await import('/playground/dom.js')
  const host = document.createElement('div')
  document.querySelector('#messages').appendChild(host)
  host.appendChild(mount(renderCard(card, {}), { onCallback: async () => undefined, confirm: async () => true }).node)
  await new Promise((r) => setTimeout(r, 300))
  const markdown = [...host.querySelectorAll('.fc-markdown')]
  return {
    title: host.querySelector('.fc-title').textContent,
    typed: markdown[0].textContent,
    entity: markdown[1].textContent,
    elements: host.querySelectorAll('img, a, script, .md-at, em, del, code').length,
    bold: [...host.querySelectorAll('strong')].map((e) => e.textContent),
    pwned: window.__pwned ?? null,
  }
}`

describe('npm start with no Feishu app: the playground on the embedded defaults', () => {
  let dir: string
  let child: ChildBot
  /** The URL it printed, token included. */
  let pageUrl: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'unionbot-pg-e2e-'))
    // The real entry point with nothing configured but where the embedded database lives. (HOST blank counts as
    // unset: the playground's own default bind is what runs here.)
    child = await startChildBot({ PGLITE_DATA_DIR: join(dir, 'pglite'), HOST: '' }, 90_000)
    // It listens first, prints the playground's URL, and seeds the demo data (the "seeded" line ends the seeding).
    for (const deadline = Date.now() + 60_000; !(child.output().includes('playground — open') && child.output().includes('"seeded":')); ) {
      if (Date.now() > deadline) throw new Error(`the playground did not start:\n${child.output()}`)
      await new Promise((r) => setTimeout(r, 100))
    }
    pageUrl = /playground — open (\S+) in a browser/.exec(child.output())![1]!
  }, 120_000)
  afterAll(async () => {
    child?.kill('SIGTERM')
    if (child) expect(await child.exited).toBe(0)
    rmSync(dir, { recursive: true, force: true })
  })

  it('prints the playground URL and runs on PGlite with in-memory state', () => {
    const out = child.output()
    expect(pageUrl).toMatch(new RegExp(`^${child.url.replace(/[.]/g, '\\.')}/playground/#token=[A-Za-z0-9_-]{43}$`))
    expect(out).toContain('DATABASE_URL not set')
    expect(out).toContain('REDIS_URL not set')
    expect(out).toContain('"seeded":["join-groups","set-up","first-contact","roles","grievances","proposals","activities","care","recognition","learning","mediation","democracy","notices","read-tracking"]')
  })

  it('binds 127.0.0.1 with HOST unset, logs the address it bound, and is not reachable on the LAN address', async () => {
    const port = Number(new URL(child.url).port)
    expect(child.url).toBe(`http://127.0.0.1:${port}`)
    expect(child.output()).toContain(`union bot listening on 127.0.0.1:${port}`)
    expect(child.output()).toContain(`listening on 127.0.0.1:${port}\n`)
    expect(child.output()).not.toContain('reachable from other machines')
    const lan = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address
    if (lan) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect({ host: lan, port })
        socket.once('connect', () => (socket.destroy(), resolve('connected')))
        socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'))
      })
      expect(outcome).toBe('ECONNREFUSED')
    }
  })

  it('opened without the printed token, the page shows no chats and says how to open it', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' })
    try {
      const page = await context.newPage()
      await page.goto(`${child.url}/playground/#as=${WORKER.openId}`)
      await page.waitForSelector('body[data-refused="true"]')
      expect(await page.locator('#refused').textContent()).toContain('#token=')
      expect(await page.locator('#chats [data-chat]').count()).toBe(0)
      await shot(page, '00-no-token-refused.png')
    } finally {
      await context.close()
    }
  }, 60_000)

  it('a worker sends 帮助 in private chat and sees the rendered help card', async () => {
    const { page, context, errors } = await open(pageUrl, { as: WORKER.openId, chat: p2pChatId(WORKER.openId) })
    try {
      // Every card the seed left in the worker's private chat is rendered (the first contact's 帮助, the grievances filed
      // step by step, and each feature's scenario: the hardship self-check, the mediation application…): as many as
      // the playground's own state holds for that chat.
      const state = (await (await fetch(`${child.url}/playground/api/state`, { headers: { 'x-playground-token': pageUrl.split('#token=')[1]! } })).json()) as { messages: Array<{ chatId: string; kind: string }> }
      const seededCards = state.messages.filter((m) => m.chatId === p2pChatId(WORKER.openId) && m.kind === 'card').length
      expect(seededCards).toBeGreaterThanOrEqual(9)
      expect(await cardCount(page)).toBe(seededCards)
      // The help card greets the group; other cards may come with it (e.g. in December, the reminder to load next
      // year's holiday arrangement, which the playground's real clock makes due).
      expect(await page.locator('.pg-msg[data-kind="card"] .fc-title').allTextContents()).toContain('工会助手 · 使用帮助')
      await send(page, '帮助')
      const mine = page.locator('.pg-msg.pg-mine').last()
      expect(await mine.locator('.pg-bubble').textContent()).toBe('帮助')
      const reply = page.locator('.pg-msg.pg-from-bot[data-kind="card"]').last()
      expect(await reply.locator('.pg-quote').textContent()).toBe('回复 张伟：帮助')
      const help = reply.locator('.fc-card')
      expect(await help.locator('.fc-title').textContent()).toBe('工会助手 · 使用帮助')
      const header = help.locator('.fc-header')
      expect(await header.getAttribute('data-template')).toBe('red')
      expect(await header.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor)).not.toBe('rgba(0, 0, 0, 0)')
      expect(await help.locator('strong').allTextContents()).toEqual(expect.arrayContaining(['工会助手', '常用', '帮助']))
      // One rule before each feature's section and one before the closing note.
      const sections = await help.locator('.md-p strong').allTextContents()
      expect(sections).toEqual(expect.arrayContaining(['常用']))
      expect(await help.locator('.fc-hr').count()).toBeGreaterThanOrEqual(5)
      expect(await help.locator('.md-li').first().textContent()).toContain('帮助：查看本说明')
      expect(await help.locator('.fc-unknown').count()).toBe(0)
      await shot(page, '01-worker-private-help.png')
      expect(errors).toEqual([])
    } finally {
      await context.close()
    }
  }, 60_000)

  it('switching person and chat: each person sees their own chats; a group needs an @-mention', async () => {
    const { page, context, errors } = await open(pageUrl, { as: WORKER.openId })
    try {
      expect(await chatsOf(page)).toEqual([WORKERS_CHAT_ID, p2pChatId(WORKER.openId)])
      await page.selectOption('#person-select', CHAIR.openId)
      expect(await chatsOf(page)).toEqual([COMMITTEE_CHAT_ID, WORKERS_CHAT_ID, p2pChatId(CHAIR.openId)])
      await page.click(`[data-chat="${COMMITTEE_CHAT_ID}"]`)
      expect(await page.locator('.pg-chat-title').textContent()).toBe('工会委员会')
      expect(await page.locator('.pg-system').first().textContent()).toBe('王建国 将 工会助手 添加到群聊')
      // The help card greets the group; other cards may come with it (e.g. in December, the reminder to load next
      // year's holiday arrangement, which the playground's real clock makes due).
      expect(await page.locator('.pg-msg[data-kind="card"] .fc-title').allTextContents()).toContain('工会助手 · 使用帮助')
      await shot(page, '02-chair-committee-group.png')

      await page.click(`[data-person="${REPRESENTATIVE.openId}"]`)
      await page.click(`[data-chat="${WORKERS_CHAT_ID}"]`)
      expect(await page.inputValue('#input')).toBe('@工会助手 ')
      await send(page, '@工会助手 帮助')
      const reply = page.locator('.pg-msg.pg-from-bot[data-kind="card"]').last()
      expect(await reply.locator('.pg-quote').textContent()).toBe('回复 李娜：@工会助手 帮助')
      // Not addressed to the bot: nothing comes back. (Her events are handled in order, so once the next
      // message is answered, the first one has been handled too.)
      await page.fill('#input', '大家好')
      await page.press('#input', 'Enter')
      await page.waitForSelector('.pg-msg.pg-mine >> text=大家好')
      await send(page, '@工会助手 help')
      // (The chair's seeded commands in this group were answered too.)
      const quotes = await page.locator('.pg-msg.pg-from-bot .pg-quote').allTextContents()
      expect(quotes.filter((q) => q.startsWith('回复 李娜'))).toEqual(['回复 李娜：@工会助手 帮助', '回复 李娜：@工会助手 help'])
      await shot(page, '03-representative-workers-group.png')
      expect(errors).toEqual([])
    } finally {
      await context.close()
    }
  }, 60_000)

  it('works at a phone size: the chat list, then the conversation, and the card fits the screen', async () => {
    const { page, context, errors } = await open(pageUrl, { as: WORKER.openId, viewport: PHONE, phone: true })
    try {
      expect(await page.locator('.pg-side').isVisible()).toBe(true)
      expect(await page.locator('#chat').isVisible()).toBe(false)
      // The people chips are not shown on a phone (the header's select switches person): nor is their heading.
      expect(await page.locator('.pg-side-title', { hasText: '切换身份' }).isVisible()).toBe(false)
      expect(await page.locator('#person-select').isVisible()).toBe(true)
      await shot(page, '04-phone-chat-list.png')
      await page.tap(`[data-chat="${p2pChatId(WORKER.openId)}"]`)
      expect(await page.locator('#chat').isVisible()).toBe(true)
      expect(await page.locator('.pg-side').isVisible()).toBe(false)
      await send(page, '帮助')
      const help = page.locator('.pg-msg.pg-from-bot[data-kind="card"] .fc-card').last()
      await help.scrollIntoViewIfNeeded()
      const box = (await help.boundingBox())!
      expect(box.x).toBeGreaterThanOrEqual(0)
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width)
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width)
      await shot(page, '05-phone-help-card.png')
      // A long message quoted above the answer card: the quote's text stops before the card's 「{ } JSON」 toggle.
      await send(page, '你好，我想了解一下工会最近有什么活动可以参加，还有怎么报名')
      const answer = page.locator('.pg-msg.pg-from-bot[data-kind="card"]').last()
      const quoteEnd = await answer.locator('.pg-quote').evaluate((el) => {
        const g = globalThis as unknown as { getComputedStyle(e: unknown): { paddingRight: string } }
        const r = (el as unknown as { getBoundingClientRect(): { right: number; top: number; bottom: number } }).getBoundingClientRect()
        return { textRight: r.right - parseFloat(g.getComputedStyle(el).paddingRight), top: r.top, bottom: r.bottom }
      })
      const toggle = (await answer.locator('.pg-json-toggle').boundingBox())!
      expect(toggle.y < quoteEnd.bottom && toggle.y + toggle.height > quoteEnd.top).toBe(true)
      expect(quoteEnd.textRight).toBeLessThanOrEqual(toggle.x)
      await page.tap('#back')
      expect(await page.locator('.pg-side').isVisible()).toBe(true)
      expect(errors).toEqual([])
    } finally {
      await context.close()
    }
  }, 60_000)
  it('the seeded playground answers from real data (我的诉求, 提案列表, 活动); no chat shows a placeholder', async () => {
    const { page, context, errors } = await open(pageUrl, { as: WORKER.openId, chat: p2pChatId(WORKER.openId) })
    try {
      expect(await page.locator('.fc-unknown').count()).toBe(0)
      const mine = await send(page, '我的诉求')
      expect(await mine.locator('.fc-title').textContent()).toBe('我的诉求')
      expect(await textOf(mine)).toMatch(/G-\d{4}-0001 劳动报酬 · 处理中 .*G-\d{4}-0002 劳动安全卫生 · 待受理|G-\d{4}-0002 劳动安全卫生 · 待受理 .*G-\d{4}-0001 劳动报酬 · 处理中/)

      await page.click(`[data-chat="${WORKERS_CHAT_ID}"]`)
      const list = await send(page, '@工会助手 活动')
      expect(await list.locator('.fc-title').textContent()).toBe('近期活动')
      const activities = await textOf(list)
      expect(activities).toMatch(/A-001 春季健步走.*剩余 28 个名额（2\/30）/)
      expect(activities).toMatch(/A-002 职工读书分享会.*剩余 20 个名额（0\/20）/)
      // The seeded sign-up card shows the two seeded sign-ups.
      expect(await textOf(cardTitled(page, '活动报名 · A-001'))).toContain('已报名 2/30')
      expect(await page.locator('.fc-unknown').count()).toBe(0)

      await page.selectOption('#person-select', REPRESENTATIVE.openId)
      await page.click(`[data-chat="${p2pChatId(REPRESENTATIVE.openId)}"]`)
      const proposals = await send(page, '提案列表')
      expect(await proposals.locator('.fc-title').textContent()).toBe('提案列表 · 第五届职代会第三次会议')
      const listed = await textOf(proposals)
      expect(listed).toContain('征集附议 1')
      expect(listed).toContain('办理中 1')
      expect(listed).toMatch(/P-\d{4}-001 关于改善夜班职工就餐条件的提案\s?办理中（期限 \d{4}-\d{2}-\d{2}）/)
      expect(listed).toMatch(/P-\d{4}-002 关于增设职工子女暑期托管班的提案\s?征集附议/)
      expect(await page.locator('.fc-unknown').count()).toBe(0)

      // The department contact has the assigned proposal with its answer form; the committee its review cards.
      await page.selectOption('#person-select', DEPARTMENT_CONTACT.openId)
      await page.click(`[data-chat="${p2pChatId(DEPARTMENT_CONTACT.openId)}"]`)
      const assigned = cardTitled(page, '提案交办 P-')
      expect(await assigned.locator('[data-field]').evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { field: string } }).dataset.field))).toEqual(['answer', 'answer_class', 'answer_btn'])
      expect(await page.locator('.fc-unknown').count()).toBe(0)
      await page.selectOption('#person-select', CHAIR.openId)
      await page.click(`[data-chat="${COMMITTEE_CHAT_ID}"]`)
      expect(await textOf(cardTitled(page, '维权诉求 G-'))).toContain('匿名职工')
      expect(await cardTitled(page, '提案审查 P-').locator('.fc-header-tags').textContent()).toBe('办理中')
      expect(await page.locator('.fc-unknown').count()).toBe(0)
      await shot(page, '11-seeded-committee-group.png')
      await page.click(`[data-chat="${p2pChatId(CHAIR.openId)}"]`)
      expect(await cardTitled(page, '职代会提案征集开始').count()).toBe(1)
      expect(await page.locator('.fc-unknown').count()).toBe(0)
      expect(errors).toEqual([])
    } finally {
      await context.close()
    }
  }, 60_000)

  it('a worker files a grievance in private chat; the chair accepts it from the committee card; each page shows it live', async () => {
    const worker = await open(pageUrl, { as: WORKER.openId, chat: p2pChatId(WORKER.openId) })
    const chair = await open(pageUrl, { as: CHAIR.openId, chat: COMMITTEE_CHAT_ID })
    try {
      const w = worker.page
      // Step by step, answered with the step cards' buttons and by typing.
      const category = await send(w, '投诉')
      expect(await category.locator('.fc-title').textContent()).toBe('提交诉求 · 第 1/4 步')
      const description = await nextFromBot(w, 'card', () => buttonOn(category, '1 劳动报酬').click())
      expect(await description.locator('.fc-title').textContent()).toBe('提交诉求 · 第 2/4 步')
      expect(await textOf(description)).toContain('类别：劳动报酬')
      // Typed text with markup in it shows literally on every card, as in Feishu.
      const typed = '二车间<空调>坏了一个月，**35 度**还要连续加班 @所有人'
      const anonymity = await send(w, typed)
      expect(await anonymity.locator('.fc-title').textContent()).toBe('提交诉求 · 第 3/4 步')
      const confirm = await nextFromBot(w, 'card', () => buttonOn(anonymity, '实名').click())
      expect(await confirm.locator('.fc-title').textContent()).toBe('提交诉求 · 第 4/4 步')
      expect(await confirm.locator('.fc-markdown', { hasText: '问题描述' }).textContent()).toBe(`问题描述${typed}`)
      const ack = await nextFromBot(w, 'text', () => buttonOn(confirm, '确认提交').click())
      const ackText = (await ack.textContent()) ?? ''
      const number = ackText.match(/G-\d{4}-\d{4}/)?.[0]
      expect(number).toMatch(/-0003$/)
      expect(ackText).toContain('状态：待受理')
      await shot(w, '12-worker-filed-grievance.png')

      // The chair's page, open all along, receives the review card.
      const c = chair.page
      const review = cardTitled(c, `维权诉求 ${number}`)
      await review.waitFor()
      const id = await review.getAttribute('data-id')
      expect(await review.locator('.fc-header').getAttribute('data-template')).toBe('orange')
      expect(await review.locator('.fc-header-tags').textContent()).toBe('待受理')
      expect(await textOf(review)).toContain('反映人：张伟')
      expect(await review.locator('.fc-markdown', { hasText: '问题描述：' }).first().textContent()).toBe(`问题描述：${typed}`)
      expect(await review.locator('.md-at').count()).toBe(0)
      await buttonOn(review, '受理（一般）').click()
      await c.locator('.pg-toast-success', { hasText: '已受理，已通知职工' }).waitFor()
      // Updated in place: the same message, its next version.
      const accepted = c.locator(`.pg-msg[data-id="${id}"][data-version="2"]`)
      await accepted.waitFor()
      expect(await accepted.locator('.fc-header').getAttribute('data-template')).toBe('blue')
      expect(await accepted.locator('.fc-header-tags').textContent()).toBe('处理中')
      expect(await textOf(accepted)).toContain('状态：处理中')
      expect(await buttonOn(accepted, '受理（一般）').count()).toBe(0)
      expect(await buttonOn(accepted, '办结').count()).toBe(1)
      expect(await c.locator(`.pg-msg[data-id="${id}"]`).count()).toBe(1)
      await shot(c, '13-chair-accepted-grievance.png')

      // The worker's page: told privately, no toast of the chair's, and no sight of the committee group.
      await w.locator('.pg-msg.pg-from-bot[data-kind="text"]', { hasText: `您的诉求 ${number} 已受理，当前状态：处理中。` }).waitFor()
      expect(await w.locator('.pg-toast').count()).toBe(0)
      expect(await chatsOf(w)).toEqual([WORKERS_CHAT_ID, p2pChatId(WORKER.openId)])
      const mine = await send(w, '我的诉求')
      expect(await textOf(mine)).toContain(`${number} 劳动报酬 · 处理中`)
      await shot(w, '14-worker-notified.png')
      expect(worker.errors).toEqual([])
      expect(chair.errors).toEqual([])
    } finally {
      await worker.context.close()
      await chair.context.close()
    }
    // The same chat on a phone.
    const phone = await open(pageUrl, { as: WORKER.openId, chat: p2pChatId(WORKER.openId), viewport: PHONE, phone: true })
    try {
      const notice = phone.page.locator('.pg-msg.pg-from-bot[data-kind="text"]', { hasText: '已受理，当前状态：处理中' }).last()
      await notice.scrollIntoViewIfNeeded()
      expect(await phone.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width)
      await shot(phone.page, '15-phone-worker-notified.png')
      expect(phone.errors).toEqual([])
    } finally {
      await phone.context.close()
    }
  }, 90_000)

  it('the chair publishes an activity from the form; 张伟 and 李娜 sign up from the group card; every page shows 已报名 2/N', async () => {
    const chair = await open(pageUrl, { as: CHAIR.openId, chat: WORKERS_CHAT_ID })
    const zhang = await open(pageUrl, { as: WORKER.openId, chat: WORKERS_CHAT_ID })
    const li = await open(pageUrl, { as: REPRESENTATIVE.openId, chat: WORKERS_CHAT_ID, viewport: PHONE, phone: true })
    try {
      const c = chair.page
      const form = await send(c, '@工会助手 发起活动')
      const formId = await form.getAttribute('data-id')
      expect(await form.locator('.fc-title').textContent()).toBe('发起活动')
      // Dates a few days ahead, in the zone the page (Asia/Shanghai) and the bot share.
      const day = (n: number) => addDays(localDate(new Date(), 'Asia/Shanghai'), n)
      await form.locator('[data-field="title"]').fill('车间羽毛球友谊赛')
      await form.locator('[data-field="description"]').fill('双打，自由组队；球拍和球由工会提供。')
      await form.locator('[data-field="starts_at"]').fill(`${day(3)}T19:00`)
      await form.locator('[data-field="ends_at"]').fill(`${day(3)}T21:00`)
      await form.locator('[data-field="place"]').fill('职工活动中心羽毛球馆')
      await form.locator('[data-field="capacity"]').fill('8')
      await form.locator('[data-field="deadline"]').fill(`${day(2)}T12:00`)
      await shot(c, '16-chair-activity-form.png')
      // (Watched from before the click: the toast may be gone by the time the sign-up card has come.)
      const toast = c.locator('.pg-toast-success', { hasText: '活动 A-003 已发布' }).waitFor()
      const signup = await nextFromBot(c, 'card', () => buttonOn(form, '发布活动').click())
      await toast
      const number = 'A-003'
      // The form was answered in place with the result; the sign-up card came as a new message.
      expect(await c.locator(`.pg-msg[data-id="${formId}"] .fc-title`).textContent()).toBe(`活动已发布 · ${number}`)
      expect(await signup.locator('.fc-title').textContent()).toBe(`活动报名 · ${number}`)
      expect(await textOf(signup)).toContain('已报名 0/8')
      const id = await signup.getAttribute('data-id')
      const cardOn = (page: Page) => page.locator(`.pg-msg[data-id="${id}"]`)

      // 张伟 (desktop) and 李娜 (phone) see it arrive and sign up; each gets their own toast.
      await cardOn(zhang.page).waitFor()
      await buttonOn(cardOn(zhang.page), '报名').click()
      await zhang.page.locator('.pg-toast-success', { hasText: '报名成功' }).waitFor()
      await cardOn(li.page).waitFor()
      await cardOn(li.page).scrollIntoViewIfNeeded()
      await buttonOn(cardOn(li.page), '报名').tap()
      await li.page.locator('.pg-toast-success', { hasText: '报名成功' }).waitFor()
      // The shared card is patched for everyone (coalesced: about a second after the clicks).
      for (const page of [c, zhang.page, li.page]) await cardOn(page).filter({ hasText: '已报名 2/8' }).waitFor({ timeout: 15_000 })
      expect(await c.locator('.pg-toast', { hasText: '报名成功' }).count()).toBe(0)
      expect(await cardOn(c).getAttribute('data-version')).not.toBe('1')
      const box = (await cardOn(li.page).locator('.fc-card').boundingBox())!
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width)
      await shot(c, '17-chair-activity-signed-up.png')
      await cardOn(li.page).scrollIntoViewIfNeeded()
      await shot(li.page, '18-phone-representative-signed-up.png')
      // Signing up again changes nothing.
      await buttonOn(cardOn(zhang.page), '报名').click()
      await zhang.page.locator('.pg-toast-info', { hasText: '您已报名' }).waitFor()
      for (const p of [chair, zhang, li]) expect(p.errors).toEqual([])
    } finally {
      await chair.context.close()
      await zhang.context.close()
      await li.context.close()
    }
  }, 90_000)
})

describe('cards in the browser: official examples, escaping, buttons and forms', () => {
  let dir: string
  let pg: PlaygroundBot
  const records: DemoRecord[] = []

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'unionbot-pg-cards-'))
    pg = await startPlaygroundBot({ env: { PGLITE_DATA_DIR: join(dir, 'pglite'), LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' }, register: demoFeature(records) })
  }, 90_000)
  afterAll(async () => {
    await pg?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it("renders Feishu's 28 published cards with no placeholder, the chart drawn by VChart", async () => {
    const examples = readdirSync(EXAMPLES_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((file) => ({ file, card: (JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as { card: unknown }).card }))
    expect(examples).toHaveLength(28)
    const { page, context, errors } = await open(pg.pageUrl, { as: WORKER.openId, viewport: { width: 1440, height: 900 } })
    try {
      const result = await inPage<Array<{ file: string; unknown: number; text: number }>>(page, RENDER_CARDS, examples)
      expect(result.filter((r) => r.unknown > 0)).toEqual([])
      expect(result.every((r) => r.text > 0)).toBe(true)
      const chart = page.locator('[data-example="data-report-dashboard.json"] .fc-chart')
      expect(await chart.getAttribute('data-chart-drawn')).toBe('true')
      expect(await chart.locator('canvas').count()).toBeGreaterThan(0)
      await shot(page, '06-official-card-examples.png', true)
      expect(errors).toEqual([])
    } finally {
      await context.close()
    }
  }, 90_000)

  it('shows escaped user text literally in the DOM and runs none of it', async () => {
    const typed = '<at id=all></at> <img src=x onerror="window.__pwned=1"> **粗** [链接](javascript:window.__pwned=2) &#60;at id=all&#62;'
    const c = card({ title: '<b>标题</b>', elements: [userText(typed, { label: '反映内容' }), md('&#60;at id=all&#62;')] })
    const { page, context, errors } = await open(pg.pageUrl, { as: WORKER.openId })
    try {
      const shown = await inPage(page, SHOW_CARD, c)
      expect(shown).toEqual({ title: '<b>标题</b>', typed: `反映内容${typed}`, entity: '<at id=all>', elements: 0, bold: ['反映内容'], pwned: null })
      expect(errors).toEqual([])
    } finally {
      await context.close()
    }
  }, 60_000)

  it('buttons act as the current person: a worker is refused, the chair approves after the confirm, the card updates in place', async () => {
    const { page, context, errors } = await open(pg.pageUrl, { as: WORKER.openId, chat: WORKERS_CHAT_ID })
    try {
      await send(page, '@工会助手 演示审批')
      const row = page.locator('.pg-msg.pg-from-bot[data-kind="card"]').last()
      const id = await row.getAttribute('data-id')
      await row.locator('button.fc-btn', { hasText: '批准' }).click()
      expect(await page.locator('#modal-title').textContent()).toBe('确认批准？')
      await page.click('#modal-ok')
      await page.locator('.pg-toast-error', { hasText: MESSAGES.actionDenied }).waitFor()
      await shot(page, '07-worker-refused.png')

      await page.selectOption('#person-select', CHAIR.openId)
      expect(await page.locator('#chat').getAttribute('data-chat')).toBe(WORKERS_CHAT_ID)
      const card = page.locator(`.pg-msg[data-id="${id}"]`)
      // Cancelling the confirm sends nothing.
      await card.locator('button.fc-btn', { hasText: '批准' }).click()
      await page.click('#modal-cancel')
      await card.locator('button.fc-btn', { hasText: '批准' }).click()
      await page.click('#modal-ok')
      await page.locator('.pg-toast-success', { hasText: '已批准' }).waitFor()
      await page.locator(`.pg-msg[data-id="${id}"][data-version="2"]`).waitFor()
      expect(await card.locator('.fc-title').textContent()).toBe('演示审批 · 已批准')
      expect(await card.locator('.fc-header').getAttribute('data-template')).toBe('green')
      await shot(page, '08-chair-approved-in-place.png')
      await card.locator('button.fc-btn', { hasText: '归档' }).click()
      await page.locator('.pg-toast-info', { hasText: '正在归档' }).waitFor()
      await page.locator(`.pg-msg[data-id="${id}"][data-version="3"]`).waitFor()
      expect(await card.locator('.fc-title').textContent()).toBe('演示审批 · 已归档')
      expect(records.filter((r) => r.messageId === id).map((r) => [r.action, r.operator, r.chatId])).toEqual([
        ['demo.approve', CHAIR.openId, WORKERS_CHAT_ID],
        ['demo.archive', CHAIR.openId, WORKERS_CHAT_ID],
      ])
      await shot(page, '09-chair-archived-by-patch.png')
      expect(errors).toEqual([])
    } finally {
      await context.close()
    }
  }, 60_000)

  it('forms: required fields are checked in the page, values arrive as form_value in Feishu formats', async () => {
    const { page, context, errors } = await open(pg.pageUrl, { as: WORKER.openId, chat: p2pChatId(WORKER.openId), viewport: PHONE, phone: true })
    try {
      await send(page, '演示表单')
      const formCard = page.locator('.pg-msg.pg-from-bot[data-kind="card"]').last()
      const id = await formCard.getAttribute('data-id')
      const before = records.length
      await formCard.locator('button.fc-btn', { hasText: '提交' }).tap()
      expect(await formCard.locator('.fc-field-error').first().textContent()).toBe('请填写事由')
      expect(records.length).toBe(before)
      await formCard.locator('[data-field="reason"]').fill('加班费<未发>')
      await formCard.locator('[data-field="kind"]').selectOption('hours')
      await formCard.locator('[data-field="day"]').fill('2026-12-01')
      await formCard.locator('[data-field="when"]').fill('2026-12-01T09:30')
      await shot(page, '10-phone-form-filled.png')
      await formCard.locator('button.fc-btn', { hasText: '提交' }).tap()
      await page.locator('.pg-toast-success', { hasText: '已提交：加班费<未发>' }).waitFor()
      expect(records.at(-1)).toEqual({
        action: 'demo.submit',
        operator: WORKER.openId,
        chatId: p2pChatId(WORKER.openId),
        messageId: id,
        formValue: { reason: '加班费<未发>', kind: 'hours', day: '2026-12-01 +0800', when: '2026-12-01 09:30 +0800' },
      })
      expect(errors).toEqual([])
    } finally {
      await context.close()
    }
  }, 60_000)
})
