// Named steps run in order, koa-compose style: each step gets the run's state and next(); a step that does not call
// next() ends the run there (a refusal, an answer already given). Used by the dispatcher's message pipeline.

/** One named step of a pipeline; `name` shows in errors and lets tests and docs refer to the step. */
export interface Step<T> {
  readonly name: string
  run(state: T, next: () => Promise<void>): Promise<void>
}

/** Runs the steps in order over one state; next() called twice by the same step is a bug and throws. */
export function compose<T>(steps: ReadonlyArray<Step<T>>): (state: T) => Promise<void> {
  return (state) => {
    let last = -1
    const dispatch = async (i: number): Promise<void> => {
      if (i <= last) throw new Error(`pipeline step "${steps[i - 1]?.name ?? '?'}" called next() twice`)
      last = i
      const step = steps[i]
      if (step) await step.run(state, () => dispatch(i + 1))
    }
    return dispatch(0)
  }
}
