// Named steps run in order, koa-compose style: each step gets the run's state and next(); a step that does not call
// next() ends the run there (a refusal, an answer already given). Used by the dispatcher's message pipeline.

/** One named step of a pipeline; `name` shows in errors and lets tests and docs refer to the step. */
export interface Step<T> {
  readonly name: string
  run(state: T, next: () => Promise<void>): Promise<void>
}

/** Runs the steps in order over one state; next() called twice by the same step is a bug and throws. */
export function compose<T>(steps: ReadonlyArray<Step<T>>): (state: T) => Promise<void> {
  return (state) => runFrom(steps, state, 0, { last: -1 })
}

// A module-level function rather than a closure made per run: the pipeline runs for every message.
async function runFrom<T>(steps: ReadonlyArray<Step<T>>, state: T, i: number, progress: { last: number }): Promise<void> {
  if (i <= progress.last) throw new Error(`pipeline step "${steps[i - 1]?.name ?? '?'}" called next() twice`)
  progress.last = i
  const step = steps[i]
  if (step) await step.run(state, () => runFrom(steps, state, i + 1, progress))
}
