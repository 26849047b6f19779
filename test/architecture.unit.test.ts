// The one-way dependency rules of issue #11 §1, checked over the real import graph so they keep: every import and
// export-from (static and dynamic) of src/, handlers/, cards/, migrations/ and the dev tools, read with TypeScript's
// own pre-processor. A unit test: no database, no Redis.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, posix, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const SCANNED = ['src', 'handlers', 'cards', 'migrations', 'playground', 'devtools', 'bench']

/** One import: `from` and `to` are repository paths (`src/app.ts`), or `to` is a package name (`koa`). */
export interface ImportEdge {
  from: string
  to: string
}

interface Rule {
  name: string
  /** Why the rule holds, shown with every violation. */
  why: string
  from: (file: string) => boolean
  to: (target: string) => boolean
}

const under = (...dirs: string[]) => (p: string) => dirs.some((d) => p === d || p.startsWith(`${d}/`))
const isPackage = (...names: string[]) => (p: string) => names.some((n) => p === n || p.startsWith(`${n}/`))
const DEV_TOOLS = under('playground', 'devtools', 'bench')

export const RULES: readonly Rule[] = [
  {
    name: 'src-below-features',
    why: 'src/ is the infrastructure, kit and feature records; handlers and cards sit on top of it (only src/main.ts, the composition root, wires handlers in)',
    from: (f) => under('src')(f) && f !== 'src/main.ts',
    to: under('handlers', 'cards'),
  },
  {
    name: 'cards-are-pure',
    why: 'cards are pure functions over view models: no stores, figures, table types, database, state or dispatch, no handlers',
    from: under('cards'),
    to: (t) =>
      /^src\/[^/]+\/(store|tables|figures)[^/]*\.ts$/.test(t) ||
      under('src/db', 'src/state', 'src/dispatch', 'src/http', 'src/intake', 'handlers')(t) ||
      isPackage('kysely', 'pg', 'ioredis', 'koa', '@electric-sql/pglite', '@larksuiteoapi/node-sdk')(t),
  },
  {
    name: 'handlers-above-transport',
    why: 'handlers see contexts, never Koa, HTTP, the intake or the dispatcher internals (src/dispatch/context.ts and router.ts are their interface)',
    from: under('handlers'),
    to: (t) => under('src/http', 'src/intake')(t) || t === 'src/dispatch/dispatcher.ts' || isPackage('koa', '@koa/router', 'koa-router', 'koa-bodyparser')(t),
  },
  {
    name: 'no-dev-tools-in-the-bot',
    why: 'the playground, the fake Open API and the benchmarks are development tools; the bot and its migrations never depend on them',
    from: (f) => !DEV_TOOLS(f),
    to: DEV_TOOLS,
  },
]

/**
 * The exceptions, each with its reason. An entry that no import needs any more fails the test too, so the list only
 * shrinks.
 */
export const ALLOWED: ReadonlyArray<ImportEdge & { rule: string; why: string }> = [
  {
    from: 'src/main.ts',
    to: 'playground/index.ts',
    rule: 'no-dev-tools-in-the-bot',
    why: 'the composition root loads the playground with a dynamic import only when PLAYGROUND is configured (never in production)',
  },
]

export interface Violation {
  edge: ImportEdge
  rule: string
  message: string
}

/** The edges that break a rule and are not allowed, and the allow-list entries no edge needs. */
export function checkImports(edges: readonly ImportEdge[], rules: readonly Rule[] = RULES, allowed: typeof ALLOWED = ALLOWED): { violations: Violation[]; unusedAllowances: string[] } {
  const used = new Set<number>()
  const violations: Violation[] = []
  for (const edge of edges) {
    for (const rule of rules) {
      if (!rule.from(edge.from) || !rule.to(edge.to)) continue
      const i = allowed.findIndex((a) => a.from === edge.from && a.to === edge.to && a.rule === rule.name)
      if (i >= 0) {
        used.add(i)
        continue
      }
      violations.push({ edge, rule: rule.name, message: `${edge.from} → ${edge.to} breaks rule "${rule.name}": ${rule.why}` })
    }
  }
  const unusedAllowances = allowed.filter((_, i) => !used.has(i)).map((a) => `allow-list entry ${a.from} → ${a.to} (${a.rule}) is no longer needed: remove it`)
  return { violations, unusedAllowances }
}

function tsFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...tsFiles(p))
    else if (/\.(ts|tsx|mts)$/.test(name) && !name.endsWith('.d.ts')) out.push(p)
  }
  return out
}

/** Resolves a relative specifier as NodeNext does for our sources: `./x.js` is `./x.ts`, a folder is its index. */
function resolveSpecifier(fromFile: string, spec: string): string {
  if (!spec.startsWith('.')) {
    if (spec.startsWith('node:')) return spec
    // Package name: `@scope/name` or `name`, without a subpath.
    const parts = spec.split('/')
    return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!
  }
  const abs = resolve(dirname(join(ROOT, fromFile)), spec)
  const candidates = [abs.replace(/\.(m?js|jsx)$/, (e) => (e === '.mjs' ? '.mts' : e === '.jsx' ? '.tsx' : '.ts')), abs, `${abs}.ts`, join(abs, 'index.ts')]
  const hit = candidates.find((c) => {
    try {
      return statSync(c).isFile()
    } catch {
      return false
    }
  })
  return relative(ROOT, hit ?? abs).split('\\').join(posix.sep)
}

/** Every import, export-from, `import type` and dynamic `import()` of the scanned trees. */
export function readImportGraph(): ImportEdge[] {
  const edges: ImportEdge[] = []
  for (const dir of SCANNED) {
    for (const abs of tsFiles(join(ROOT, dir))) {
      const from = relative(ROOT, abs).split('\\').join(posix.sep)
      const info = ts.preProcessFile(readFileSync(abs, 'utf8'), true, true)
      for (const f of info.importedFiles) edges.push({ from, to: resolveSpecifier(from, f.fileName) })
    }
  }
  return edges
}

describe('import directions (#11 §1)', () => {
  it('reads the real graph: it finds known imports of each layer', () => {
    const edges = readImportGraph()
    // Positive controls: if the reader missed imports, the rules below would pass vacuously.
    expect(edges.length).toBeGreaterThan(300)
    expect(edges).toContainEqual({ from: 'src/main.ts', to: 'playground/index.ts' }) // a dynamic import()
    expect(edges).toContainEqual({ from: 'cards/kit.ts', to: 'src/feishu/card.ts' }) // import type and export-from
    expect(edges.some((e) => e.from.startsWith('handlers/') && e.to === 'src/dispatch/router.ts')).toBe(true)
    expect(edges.some((e) => e.from.startsWith('src/http/') && e.to === 'koa')).toBe(true)
  })

  it('has no import in a forbidden direction and no stale allow-list entry', () => {
    const { violations, unusedAllowances } = checkImports(readImportGraph())
    expect([...violations.map((v) => v.message), ...unusedAllowances]).toEqual([])
  })

  it('the checker fails on each forbidden direction (self-test on a synthetic graph)', () => {
    const bad: ImportEdge[] = [
      { from: 'src/app.ts', to: 'handlers/index.ts' },
      { from: 'src/feishu/outbound.ts', to: 'cards/kit.ts' },
      { from: 'cards/digests/digest.ts', to: 'src/digests/store.ts' },
      { from: 'cards/grievances/review.ts', to: 'src/grievances/tables.ts' },
      { from: 'cards/grievances/review.ts', to: 'src/grievances/figures.ts' },
      { from: 'cards/activities/activity.ts', to: 'src/db/schema.ts' },
      { from: 'cards/activities/activity.ts', to: 'kysely' },
      { from: 'handlers/proposals/admin.ts', to: 'koa' },
      { from: 'handlers/proposals/admin.ts', to: 'src/intake/inbox.ts' },
      { from: 'handlers/proposals/admin.ts', to: 'src/dispatch/dispatcher.ts' },
      { from: 'src/dispatch/context.ts', to: 'devtools/fake-open-api.ts' },
      { from: 'handlers/index.ts', to: 'bench/run.ts' },
    ]
    const { violations } = checkImports(bad, RULES, [])
    expect(violations.map((v) => v.rule)).toEqual([
      'src-below-features',
      'src-below-features',
      'cards-are-pure',
      'cards-are-pure',
      'cards-are-pure',
      'cards-are-pure',
      'cards-are-pure',
      'handlers-above-transport',
      'handlers-above-transport',
      'handlers-above-transport',
      'no-dev-tools-in-the-bot',
      'no-dev-tools-in-the-bot',
    ])
    expect(violations[0]!.message).toBe(`src/app.ts → handlers/index.ts breaks rule "src-below-features": ${RULES[0]!.why}`)
  })

  it('the checker lets the allowed directions through and reports an allow-list entry nothing needs', () => {
    const good: ImportEdge[] = [
      { from: 'src/main.ts', to: 'handlers/index.ts' },
      { from: 'cards/digests/digest.ts', to: 'src/digests/model.ts' },
      { from: 'cards/kit.ts', to: 'src/feishu/card.ts' },
      { from: 'handlers/proposals/admin.ts', to: 'src/proposals/store.ts' },
      { from: 'handlers/proposals/admin.ts', to: 'src/dispatch/router.ts' },
      { from: 'playground/index.ts', to: 'devtools/fake-open-api.ts' },
      { from: 'bench/run.ts', to: 'playground/index.ts' },
    ]
    const allowed = [{ from: 'src/x.ts', to: 'cards/y.ts', rule: 'src-below-features', why: 'test' }]
    const r = checkImports(good, RULES, allowed)
    expect(r.violations).toEqual([])
    expect(r.unusedAllowances).toEqual(['allow-list entry src/x.ts → cards/y.ts (src-below-features) is no longer needed: remove it'])
    expect(checkImports([{ from: 'src/x.ts', to: 'cards/y.ts' }], RULES, allowed)).toEqual({ violations: [], unusedAllowances: [] })
  })
})
