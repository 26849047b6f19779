// The named-step runner behind the dispatcher's message pipeline: order, stopping, and a step calling next() twice.
import { describe, expect, it } from 'vitest'
import { compose, type Step } from '../../src/dispatch/pipeline.js'

const logging = (name: string, opts: { stop?: boolean; twice?: boolean } = {}): Step<string[]> => ({
  name,
  async run(log, next) {
    log.push(`${name}:in`)
    if (opts.stop) return
    await next()
    if (opts.twice) await next()
    log.push(`${name}:out`)
  },
})

describe('compose', () => {
  it('runs the steps in order, each around the rest, like koa-compose', async () => {
    const log: string[] = []
    await compose([logging('a'), logging('b'), logging('c')])(log)
    expect(log).toEqual(['a:in', 'b:in', 'c:in', 'c:out', 'b:out', 'a:out'])
  })

  it('a step that does not call next() ends the run there', async () => {
    const log: string[] = []
    await compose([logging('a'), logging('guard', { stop: true }), logging('handle')])(log)
    expect(log).toEqual(['a:in', 'guard:in', 'a:out'])
  })

  it('a step that calls next() twice is refused, naming the step', async () => {
    await expect(compose([logging('twice', { twice: true }), logging('b')])([])).rejects.toThrow(/"twice" called next\(\) twice/)
  })
})
