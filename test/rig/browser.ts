// The browser of the playground's browser tests, driven by playwright-core (which never downloads one,
// docs/stack.md#chromium): the system's Chromium when there is one (Debian's `chromium`, or CHROMIUM_PATH), else the
// binary shipped inside the npm package @sparticuz/chromium (a devDependency), so `npm test` passes on a fresh
// machine with no manual step. CHROMIUM_SOURCE=package uses the package even when a system Chromium exists.
// The browser tests never skip. Playwright gives every launch a fresh, empty profile.
import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

const SYSTEM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser']

export interface ChromiumChoice {
  path: string
  source: 'system' | 'package'
  /** The package's own switches (for its bundled build), added to ours. */
  args: string[]
}

export function systemChromiumPath(): string | undefined {
  if (process.env.CHROMIUM_SOURCE === 'package') return undefined
  const candidates = [process.env.CHROMIUM_PATH, ...SYSTEM_CANDIDATES].filter((p): p is string => Boolean(p))
  return candidates.find((p) => existsSync(p))
}

let packaged: Promise<ChromiumChoice> | undefined

/** The system Chromium, else the package's binary (unpacked to /tmp once per process on first use). */
export async function chooseChromium(): Promise<ChromiumChoice> {
  const system = systemChromiumPath()
  if (system) return { path: system, source: 'system', args: [] }
  packaged ??= import('@sparticuz/chromium').then(
    async ({ default: bundled }) => {
      // The package defaults to its serverless switches (single process, no zygote…): only the ones needed to run.
      bundled.setGraphicsMode = false
      return { path: await bundled.executablePath(), source: 'package' as const, args: [] }
    },
    (err: unknown) => {
      throw new Error(
        `Chromium is required by the browser tests: no system Chromium (looked at CHROMIUM_PATH, ${SYSTEM_CANDIDATES.join(', ')}) and the ` +
          `@sparticuz/chromium package did not load (${err instanceof Error ? err.message : String(err)}). Run \`npm ci\`, or install Debian's \`chromium\`.`,
      )
    },
  )
  return packaged
}

export async function launchChromium(): Promise<Browser> {
  const choice = await chooseChromium()
  return chromium.launch({
    executablePath: choice.path,
    headless: true,
    // Without the background-networking flags Chromium keeps trying Google's hosts on this closed network.
    // --lang=zh-CN: the users' locale, so date pickers read as they would on their phones.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=zh-CN', ...choice.args],
  })
}
