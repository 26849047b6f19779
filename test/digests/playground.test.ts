// The digest cards in a real browser (Debian's Chromium, the playground's card renderer): the chair asks for 周报 in
// the committee group and in a workers' group, and each card renders with no unknown component and its chart
// drawn by VChart itself — the library whose spec Feishu's chart element takes — so the spec is one VChart accepts.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { CHAIR, COMMITTEE_CHAT_ID, WORKERS_CHAT_ID } from '../../playground/cast.js'
import { launchChromium } from '../rig/browser.js'
import { startPlaygroundBot, type PlaygroundBot } from '../rig/playground-bot.js'

const ARTIFACTS = join(fileURLToPath(new URL('../..', import.meta.url)), 'test-artifacts', 'playground')

let browser: Browser
let pg: PlaygroundBot
let dir: string

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true })
  dir = mkdtempSync(join(tmpdir(), 'unionbot-pg-digest-'))
  browser = await launchChromium()
  // No seed, so no set-up in chat: the chair and the committee group come from the bootstrap variables.
  pg = await startPlaygroundBot({
    env: { PGLITE_DATA_DIR: join(dir, 'pglite'), LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', UNION_OFFICER_OPEN_IDS: CHAIR.openId, UNION_ADMIN_CHAT_ID: COMMITTEE_CHAT_ID },
    seed: 'never',
  })
  // Cases in the two weeks before this one (the playground runs on the real clock): a public digest charts
  // completed weeks only, and each of these has enough cases (4) for a bar.
  const now = Date.now()
  const categories = ['劳动报酬', '劳动报酬', '劳动报酬', '劳动报酬', '劳动安全卫生', '工作时间与休息休假', '劳动报酬', '劳动安全卫生']
  for (const [i, category] of categories.entries()) {
    const filed = new Date(now - (1 + (i % 2)) * 7 * 86_400_000 - 3_600_000)
    await pg.bot.services.db
      .insertInto('grievances')
      .values({
        number: `G-2026-${String(9100 + i)}`,
        category,
        description: '浏览器测试用的诉求',
        attachments: '[]',
        anonymous: true,
        filed_at: filed,
        accept_due_at: new Date(filed.getTime() + 3 * 86_400_000),
        resolve_due_at: new Date(filed.getTime() + 21 * 86_400_000),
        filing_key: `pg-digest-${i}`,
      })
      .execute()
  }
}, 120_000)
afterAll(async () => {
  await pg?.stop()
  await browser?.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Opens the playground as the chair in a chat, sends a message and returns the page once a new card has arrived. */
async function askFor(chat: string, text: string): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1400 }, timezoneId: 'Asia/Shanghai', locale: 'zh-CN' })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  await page.goto(`${pg.url}/playground/#${new URLSearchParams({ token: pg.token, as: CHAIR.openId, chat })}`)
  await page.waitForSelector('body[data-connected="true"]')
  const cards = page.locator('.pg-msg.pg-from-bot[data-kind="card"]')
  const before = await cards.count()
  await page.fill('#input', text)
  await page.press('#input', 'Enter')
  const deadline = Date.now() + 15_000
  while ((await cards.count()) <= before) {
    if (Date.now() > deadline) throw new Error('no digest card from the bot')
    await page.waitForTimeout(50)
  }
  return { page, errors, close: () => context.close() }
}

async function expectRendered(page: Page, title: string): Promise<void> {
  const card = page.locator('.pg-msg.pg-from-bot[data-kind="card"] .fc-card').last()
  await card.scrollIntoViewIfNeeded()
  expect(await card.locator('.fc-title').textContent()).toBe(title)
  expect(await card.locator('.fc-unknown').count()).toBe(0)
  const chart = card.locator('.fc-chart')
  await chart.scrollIntoViewIfNeeded()
  const deadline = Date.now() + 10_000
  while ((await chart.getAttribute('data-chart-drawn')) !== 'true') {
    const error = await chart.getAttribute('data-chart-error')
    if (error) throw new Error(`VChart refused the spec: ${error}`)
    if (Date.now() > deadline) throw new Error('the chart was not drawn')
    await page.waitForTimeout(100)
  }
  expect(await chart.locator('canvas').count()).toBeGreaterThan(0)
  expect(await chart.getAttribute('data-chart-type')).toBe('bar')
}

it('draws the committee digest with its chart', async () => {
  const { page, errors, close } = await askFor(COMMITTEE_CHAT_ID, '@工会助手 周报')
  try {
    await expectRendered(page, '工会周报（委员会版）')
    await page.screenshot({ path: join(ARTIFACTS, 'digest-committee.png'), fullPage: true })
    expect(errors).toEqual([])
  } finally {
    await close()
  }
}, 60_000)

it('draws the public digest with its chart (small categories merged)', async () => {
  const { page, errors, close } = await askFor(WORKERS_CHAT_ID, '@工会助手 周报')
  try {
    await expectRendered(page, '工会周报')
    await page.screenshot({ path: join(ARTIFACTS, 'digest-public.png'), fullPage: true })
    expect(errors).toEqual([])
  } finally {
    await close()
  }
}, 60_000)
