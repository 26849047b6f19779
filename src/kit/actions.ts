// Typed button payloads: a card action is defined once with a zod schema; cards build the button's value with it and
// router.action(def, …) validates the value a click brings back before the handler sees it. No I/O, so cards may import it.
import { z } from 'zod'

/** What a click with a value the schema rejects (an outdated card, a forged or garbled value) is told, politely. */
export const OUTDATED_ACTION_TOAST = '该按钮已失效，请重新发起操作。'

/** A value a Feishu callback carries: button values are JSON, so plain strings and numbers. */
export type ButtonValue = Record<string, string | number>

export interface ActionDef<S extends z.ZodType = z.ZodType> {
  /** The namespaced action name carried in value.action ("grievance.accept"). */
  readonly name: string
  readonly schema: S
  /** The button's value for this payload (checked against the schema, so a card-builder bug fails at once). */
  value(payload: z.input<S>): ButtonValue
  /** The payload a click carries, or undefined when it does not fit the schema. */
  parse(raw: Record<string, unknown>): z.output<S> | undefined
}

export type PayloadOf<D> = D extends ActionDef<infer S> ? z.output<S> : never

/** Defines a card action and its payload. The schema should be a z.object of strings and numbers. */
export function defineAction<S extends z.ZodType<unknown, ButtonValue>>(name: string, schema: S): ActionDef<S> {
  return {
    name,
    schema,
    value(payload) {
      // The input is what the card sends; parse only proves it fits (a button that could never work is a bug).
      const checked = schema.safeParse(payload)
      if (!checked.success) throw new Error(`card action "${name}": button value does not fit its schema (${issuePaths(checked.error)})`)
      return { ...(payload as ButtonValue) }
    },
    parse(raw) {
      const { action: _action, ...rest } = raw
      const parsed = schema.safeParse(rest)
      return parsed.success ? parsed.data : undefined
    },
  }
}

/** Where a value failed its schema (paths only, never the values: a payload may carry user text). */
export function issuePaths(error: z.ZodError): string {
  return error.issues.map((i) => i.path.join('.') || '(root)').join(', ')
}

/** Field schemas that accept what Feishu gives back for what a card sent: a number may come back as a string. */
export const payload = {
  /** A non-negative integer (an id, a revision, a round, a page). */
  int: () => z.union([z.number(), z.string().regex(/^\d{1,15}$/).transform(Number)]).pipe(z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)),
  /** A database id kept as digits (bigint ids travel as strings). */
  digits: (max = 18) => z.union([z.string(), z.number().int().nonnegative().transform(String)]).pipe(z.string().regex(new RegExp(`^\\d{1,${max}}$`))),
  /** One of a few codes. */
  oneOf: <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values),
  /** Short free text a card put there (a filter, a chat id); bounded, so a forged value cannot be huge. */
  text: (max = 200) => z.string().max(max),
}
