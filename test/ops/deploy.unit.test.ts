// The production start is one command in three places (npm run start:prod, the Docker image, the systemd unit): the
// same entry point with the same V8 flags, the ones the memory benchmark measures (bench/memory.ts reads start:prod).
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')
const startProd = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts['start:prod']!

describe('the production start', () => {
  it('npm run start:prod runs the compiled entry point with plain node and a small young generation', () => {
    expect(startProd).toMatch(/^node (--[\w-]+=\S+ )*dist\/src\/main\.js$/)
    expect(startProd).toContain('--max-semi-space-size=')
  })

  it('the Docker image starts exactly that', () => {
    const cmd = read('deploy/Dockerfile').match(/^CMD (\[.*\])$/m)
    expect(cmd).not.toBeNull()
    expect((JSON.parse(cmd![1]!) as string[]).join(' ')).toBe(startProd)
  })

  it('the systemd unit starts exactly that', () => {
    const exec = read('deploy/union-bot.service').match(/^ExecStart=\/usr\/bin\/(.*)$/m)
    expect(exec?.[1]).toBe(startProd)
  })
})
