// Debian's Chromium driven by playwright-core (no browser download, docs/stack.md#chromium). A missing Chromium fails the
// run with instructions; the browser tests never skip. Playwright gives every launch a fresh, empty profile.
import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => Boolean(p))
  const found = candidates.find((p) => existsSync(p))
  if (!found) {
    throw new Error(
      `Chromium is required by the browser tests and was not found (looked at ${candidates.join(', ')}). ` +
        "Install Debian's package (`apt-get install -y chromium`, as .ci/run does) or set CHROMIUM_PATH.",
    )
  }
  return found
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    // Without the background-networking flags Chromium keeps trying Google's hosts on this closed network.
    // --lang=zh-CN: the users' locale, so date pickers read as they would on their phones.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=zh-CN'],
  })
}
