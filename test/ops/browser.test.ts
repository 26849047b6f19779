// The browser tests' Chromium on a fresh machine (issue #12): without a system Chromium the one shipped inside the
// @sparticuz/chromium package is used, and it runs under playwright-core.
import { afterEach, describe, expect, it } from 'vitest'
import { chooseChromium, launchChromium } from '../rig/browser.js'

const saved = process.env.CHROMIUM_SOURCE
afterEach(() => {
  if (saved === undefined) delete process.env.CHROMIUM_SOURCE
  else process.env.CHROMIUM_SOURCE = saved
})

describe('the browser tests’ Chromium', () => {
  it('falls back to the packaged binary when no system Chromium is chosen, and playwright drives it', async () => {
    process.env.CHROMIUM_SOURCE = 'package'
    const choice = await chooseChromium()
    expect(choice.source).toBe('package')
    const browser = await launchChromium()
    try {
      const page = await browser.newPage()
      await page.setContent('<h1 id="t">工会助手</h1><script>document.title = String(1 + 1)</script>')
      expect(await page.textContent('#t')).toBe('工会助手')
      expect(await page.title()).toBe('2')
    } finally {
      await browser.close()
    }
  }, 60_000)
})
