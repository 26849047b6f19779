// Drives the real bot the way people do, for seed scenarios: type in a chat, add the bot to a group, click a button
// or submit a form on a card the bot sent. Everything goes through the webhook as encrypted, signed events, so the
// seed needs no knowledge of any feature's tables, and each step waits until the bot has finished reacting.
import type { Bot } from '../../src/app.js'
import { p2pChatId, type Cast, type CastPerson } from '../cast.js'
import type { ActionOutcome, PlaygroundMessage, PlaygroundSession } from '../session.js'

/** A button found on a card: its callback value and, for form submits, the form it belongs to. */
export interface FoundButton {
  text: string
  value: Record<string, unknown> | string
  name?: string
  formAction?: 'submit' | 'reset'
  formName?: string
}

type Json = Record<string, unknown>
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Every callback button on a card, in reading order (forms, columns and containers included). */
export function buttonsOf(card: unknown): FoundButton[] {
  const found: FoundButton[] = []
  const visit = (v: unknown, formName: string | undefined): void => {
    if (Array.isArray(v)) return v.forEach((x) => visit(x, formName))
    if (!isObj(v)) return
    if (v.tag === 'form') return visit(v.elements, typeof v.name === 'string' ? v.name : '')
    if (v.tag === 'button') {
      const text = isObj(v.text) && typeof v.text.content === 'string' ? v.text.content : ''
      const behaviors = Array.isArray(v.behaviors) ? v.behaviors.filter(isObj) : []
      const callback = behaviors.find((b) => b.type === 'callback')
      const formAction = v.form_action_type === 'submit' || v.form_action_type === 'reset' ? v.form_action_type : undefined
      const value = callback && (isObj(callback.value) || typeof callback.value === 'string') ? callback.value : isObj(v.value) ? v.value : undefined
      if (value !== undefined || formAction) {
        found.push({
          text,
          value: value ?? {},
          ...(typeof v.name === 'string' ? { name: v.name } : {}),
          ...(formAction ? { formAction } : {}),
          ...(formName !== undefined ? { formName } : {}),
        })
      }
      return
    }
    for (const [k, child] of Object.entries(v)) if (k !== 'chart_spec') visit(child, formName)
  }
  visit(isObj(card) ? card.body : undefined, undefined)
  return found
}

/** A named input of a card's form (input, select, picker…), with a select's options and an initial value. */
export interface FoundField {
  name: string
  tag: string
  formName: string
  options: Array<{ text: string; value: string }>
  initial?: string
}

/** Every named form component of a card (buttons excepted), in reading order. */
export function fieldsOf(card: unknown): FoundField[] {
  const found: FoundField[] = []
  const text = (t: unknown) => (isObj(t) && typeof t.content === 'string' ? t.content : typeof t === 'string' ? t : '')
  const visit = (v: unknown, formName: string | undefined): void => {
    if (Array.isArray(v)) return v.forEach((x) => visit(x, formName))
    if (!isObj(v)) return
    if (v.tag === 'form') return visit(v.elements, typeof v.name === 'string' ? v.name : '')
    if (formName !== undefined && typeof v.tag === 'string' && v.tag !== 'button' && typeof v.name === 'string') {
      const options = Array.isArray(v.options) ? v.options.filter(isObj).map((o) => ({ text: text(o.text), value: String(o.value ?? '') })) : []
      const initial = [v.initial_option, v.initial_date, v.initial_datetime, v.initial_time, v.default_value].find((x) => typeof x === 'string') as string | undefined
      found.push({ name: v.name, tag: v.tag, formName, options, ...(initial !== undefined ? { initial } : {}) })
      return
    }
    for (const [k, child] of Object.entries(v)) if (k !== 'chart_spec') visit(child, formName)
  }
  visit(isObj(card) ? card.body : undefined, undefined)
  return found
}

/** The card's header title, or '' when it has none. */
export function cardTitle(card: unknown): string {
  const title = isObj(card) && isObj(card.header) && isObj(card.header.title) ? card.header.title.content : undefined
  return typeof title === 'string' ? title : ''
}

export class SeedDriver {
  constructor(
    readonly session: PlaygroundSession,
    private readonly bot: Bot,
  ) {}

  get cast(): Cast {
    return this.session.cast
  }

  /** The bot's clock (dates in forms are chosen relative to it) and time zone. */
  now(): Date {
    return this.bot.services.clock.now()
  }
  /** The one-time code of `初始化` (the playground sets UNION_SETUP_CODE at every start). */
  get setupCode(): string | undefined {
    return this.bot.config.union.setupCode
  }
  get timeZone(): string {
    return this.bot.config.timezone
  }

  /** A person's private chat with the bot. */
  p2p(person: CastPerson): string {
    return p2pChatId(person.openId)
  }

  /** `by` adds the bot to a group; resolves when the bot has greeted it. */
  async addBotToGroup(chatId: string, by: CastPerson): Promise<PlaygroundMessage[]> {
    return this.reacting(async () => expectOk(await this.session.botAdded(chatId, by.openId), 'bot added'))
  }

  /**
   * `person` types `text` in a chat (write `@工会助手` to address the bot in a group); resolves with what the bot
   * sent anywhere in reaction, once it has finished.
   */
  async say(person: CastPerson, chatId: string, text: string): Promise<PlaygroundMessage[]> {
    return this.reacting(async () => expectOk((await this.session.sendText(person.openId, chatId, text)).status, 'message'))
  }

  /** `person` sends a picture (e.g. as evidence in a conversation). */
  async sendImage(person: CastPerson, chatId: string): Promise<PlaygroundMessage[]> {
    return this.reacting(async () => expectOk((await this.session.sendImage(person.openId, chatId)).status, 'image'))
  }

  /** `person` sends a file (e.g. the member list after 会员 导入). */
  async sendFile(person: CastPerson, chatId: string, name: string, data: Buffer): Promise<PlaygroundMessage[]> {
    return this.reacting(async () => expectOk((await this.session.sendFile(person.openId, chatId, name, data)).status, 'file'))
  }

  /** `person` clicks the button labelled `buttonText` on a card. */
  async click(person: CastPerson, card: PlaygroundMessage, buttonText: string): Promise<ActionOutcome & { sent: PlaygroundMessage[] }> {
    const button = this.button(card, buttonText)
    return this.act(person, card, button, undefined)
  }

  /** `person` fills in the card's form (values by component name) and presses its submit button `buttonText`. */
  async submit(person: CastPerson, card: PlaygroundMessage, values: Record<string, unknown>, buttonText: string): Promise<ActionOutcome & { sent: PlaygroundMessage[] }> {
    const button = this.button(card, buttonText)
    if (button.formAction !== 'submit') throw new Error(`seed: "${buttonText}" is not a form's submit button`)
    return this.act(person, card, button, values)
  }

  /** The newest card in a chat whose title contains `title` (default: any card). */
  latestCard(chatId: string, title = ''): PlaygroundMessage {
    const card = this.session
      .messages()
      .filter((m) => m.chatId === chatId && m.kind === 'card' && cardTitle(m.card).includes(title))
      .pop()
    if (!card) throw new Error(`seed: no card titled "${title}" in ${chatId}`)
    return card
  }

  /** The newest text the bot sent in a chat matching `pattern`, with the match. */
  latestText(chatId: string, pattern: RegExp): { message: PlaygroundMessage; match: RegExpMatchArray } {
    for (const m of this.session.messages().reverse()) {
      if (m.chatId !== chatId || m.kind !== 'text' || m.sender !== this.session.botOpenId) continue
      const match = (m.text ?? '').match(pattern)
      if (match) return { message: m, match }
    }
    throw new Error(`seed: no text matching ${pattern} from the bot in ${chatId}`)
  }

  /** Waits until every event the bot accepted has been handled (deferred card work included). */
  async settle(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      await this.bot.processor.idle()
      const pending = await this.bot.services.db
        .selectFrom('inbox_events')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('status', '=', 'pending')
        .executeTakeFirstOrThrow()
      if (Number(pending.n) === 0 && this.bot.processor.queuedCount === 0) return
      await new Promise((r) => setTimeout(r, 25))
    }
    throw new Error('seed: the bot did not finish handling its events in time')
  }

  private button(card: PlaygroundMessage, buttonText: string): FoundButton {
    const button = buttonsOf(card.card).find((b) => b.text === buttonText)
    if (!button) throw new Error(`seed: no button "${buttonText}" on card "${cardTitle(card.card)}"`)
    return button
  }

  private async act(person: CastPerson, card: PlaygroundMessage, button: FoundButton, formValue: Record<string, unknown> | undefined) {
    let outcome: ActionOutcome | undefined
    const sent = await this.reacting(async () => {
      outcome = await this.session.cardAction(person.openId, {
        messageId: card.id,
        value: button.value,
        tag: 'button',
        ...(button.name ? { name: button.name } : {}),
        ...(formValue ? { formValue } : {}),
      })
      expectOk(outcome.status, 'card action')
      if (outcome.toast?.type === 'error') throw new Error(`seed: "${button.text}" was refused by the bot (error toast)`)
    })
    return { ...outcome!, sent }
  }

  private async reacting(act: () => Promise<void>): Promise<PlaygroundMessage[]> {
    const before = new Map(this.session.messages().map((m) => [m.id, m.version]))
    await act()
    await this.settle()
    return this.session.messages().filter((m) => m.sender === this.session.botOpenId && before.get(m.id) !== m.version)
  }
}

function expectOk(status: number, what: string): void {
  if (status !== 200) throw new Error(`seed: the webhook answered ${status} to a ${what}`)
}
