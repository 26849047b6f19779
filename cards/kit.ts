// Building blocks for Feishu card JSON 2.0 (docs/feishu-platform.md#card-json): every card the bot sends is made from these.
// Bot-authored markdown goes through md(); anything a user typed goes through userText()/escapeMarkdown().
import type { Card, CardElement, HeaderTemplate } from '../src/feishu/card.js'
import { escapeMarkdown, stripControl, truncate } from './escape.js'

export type { Card, CardElement, HeaderTemplate } from '../src/feishu/card.js'

// Feishu's limits and the one way to shrink a card until it fits (docs/feishu-platform.md#card-limits).
export {
  assertCardWithinLimits,
  CARD_FIT_MARGIN_BYTES,
  CARD_MAX_BYTES,
  CARD_MAX_ELEMENTS,
  cardByteSize,
  CardTooLargeError,
  countElements,
  fitCard,
  halving,
} from '../src/kit/fit-card.js'

export interface CardOptions {
  title: string
  subtitle?: string
  template?: HeaderTemplate
  /** Shown in the chat list preview instead of the title; keep sensitive details out of it. */
  summary?: string
  tags?: Array<{ text: string; color: string }>
  elements: CardElement[]
  /** false: Feishu offers no 转发 for the card (confidential cases; its default is to allow forwarding). */
  forwardable?: false
}

/**
 * A complete 2.0 card. `update_multi: true` is required for cards that are patched later (shared cards).
 * Titles and subtitles are plain_text: they never parse markup, so they may hold user text safely.
 */
export function card(opts: CardOptions): Card {
  const header: NonNullable<Card['header']> = {
    title: { tag: 'plain_text', content: stripControl(opts.title) },
    template: opts.template ?? 'blue',
  }
  if (opts.subtitle) header.subtitle = { tag: 'plain_text', content: stripControl(opts.subtitle) }
  if (opts.tags?.length) {
    header.text_tag_list = opts.tags.map((t) => ({ tag: 'text_tag', text: { tag: 'plain_text', content: stripControl(t.text) }, color: t.color }))
  }
  return {
    schema: '2.0',
    config: {
      update_multi: true,
      width_mode: 'fill',
      ...(opts.summary ? { summary: { content: stripControl(opts.summary) } } : {}),
      ...(opts.forwardable === false ? { enable_forward: false as const } : {}),
    },
    header,
    body: { elements: opts.elements },
  }
}

/** Markdown written by the bot itself (trusted). Never pass user text here: use userText() or escapeMarkdown(). */
export function md(content: string, opts: { size?: 'normal' | 'notation' | 'heading' } = {}): CardElement {
  return { tag: 'markdown', content, ...(opts.size ? { text_size: opts.size } : {}) }
}

/** User text shown as markdown content, escaped so it renders literally and mentions nobody. */
export function userText(text: string, opts: { label?: string; max?: number } = {}): CardElement {
  const body = escapeMarkdown(truncate(text, opts.max ?? 2000))
  return md(opts.label ? `**${opts.label}**\n${body}` : body)
}

/** A "label: value" line where the value may be user text; the label is bot text. */
export function field(label: string, value: string): CardElement {
  return md(`**${label}：**${escapeMarkdown(value)}`)
}

/** Small grey note text (bot-authored). */
export function note(content: string): CardElement {
  return md(`<font color='grey'>${content}</font>`, { size: 'notation' })
}

export function hr(): CardElement {
  return { tag: 'hr' }
}

export type ButtonType = 'default' | 'primary' | 'danger' | 'primary_filled' | 'danger_filled' | 'text' | 'primary_text' | 'danger_text' | 'laser'

export interface ButtonOptions {
  text: string
  /** Routed by the dispatcher: value.action names the handler (e.g. "grievance.accept"). */
  action: string
  value?: Record<string, string | number | boolean>
  type?: ButtonType
  /** A confirmation dialog before the callback fires. */
  confirm?: { title: string; text: string }
  disabled?: boolean
  /** Inside a form: "submit" sends the form's values with this button's callback. */
  formAction?: 'submit' | 'reset'
  /** Component name; required (unique) inside a form. */
  name?: string
  width?: 'default' | 'fill'
}

export function button(opts: ButtonOptions): CardElement {
  const el: CardElement = {
    tag: 'button',
    text: { tag: 'plain_text', content: opts.text },
    type: opts.type ?? 'default',
    behaviors: [{ type: 'callback', value: { action: opts.action, ...(opts.value ?? {}) } }],
  }
  if (opts.width) el.width = opts.width
  if (opts.name) el.name = opts.name
  if (opts.formAction) el.form_action_type = opts.formAction
  if (opts.disabled) el.disabled = true
  if (opts.confirm) {
    el.confirm = { title: { tag: 'plain_text', content: opts.confirm.title }, text: { tag: 'plain_text', content: opts.confirm.text } }
  }
  return el
}

/**
 * A button that answers the current step of a conversation, exactly as if the user had typed `answer`
 * (the dispatcher routes action "conversation.answer" to the flow when flow and step still match).
 */
export function answerButton(opts: { flow: string; step: string; answer: string; text?: string; type?: ButtonType }): CardElement {
  return button({
    text: opts.text ?? opts.answer,
    action: 'conversation.answer',
    value: { flow: opts.flow, step: opts.step, answer: opts.answer },
    type: opts.type ?? 'default',
  })
}

/** Buttons side by side (2.0 has no `action` module: buttons sit in columns). */
export function buttonRow(buttons: CardElement[]): CardElement {
  return {
    tag: 'column_set',
    flex_mode: 'flow',
    horizontal_spacing: '8px',
    columns: buttons.map((b) => ({ tag: 'column', width: 'auto', elements: [b] })),
  }
}

/** Columns of equal weight, e.g. key figures side by side. */
export function columns(cols: CardElement[][]): CardElement {
  return {
    tag: 'column_set',
    flex_mode: 'bisect',
    horizontal_spacing: '8px',
    columns: cols.map((elements) => ({ tag: 'column', width: 'weighted', weight: 1, elements })),
  }
}

/** A form container (only at body root); its children need unique names (Feishu error 200530 otherwise). */
export function form(name: string, elements: CardElement[]): CardElement {
  return { tag: 'form', name, elements }
}

export function input(opts: { name: string; placeholder: string; label?: string; defaultValue?: string; maxLength?: number; multiline?: boolean; required?: boolean }): CardElement {
  const el: CardElement = {
    tag: 'input',
    name: opts.name,
    placeholder: { tag: 'plain_text', content: opts.placeholder },
    width: 'fill',
  }
  if (opts.label) {
    el.label = { tag: 'plain_text', content: opts.label }
    el.label_position = 'top'
  }
  if (opts.defaultValue !== undefined) el.default_value = stripControl(opts.defaultValue)
  if (opts.maxLength) el.max_length = opts.maxLength
  if (opts.multiline) {
    el.input_type = 'multiline_text'
    el.rows = 3
  }
  if (opts.required) el.required = true
  return el
}

export function selectStatic(opts: { name: string; placeholder: string; options: Array<{ text: string; value: string }>; initial?: string; required?: boolean }): CardElement {
  const el: CardElement = {
    tag: 'select_static',
    name: opts.name,
    placeholder: { tag: 'plain_text', content: opts.placeholder },
    width: 'fill',
    options: opts.options.map((o) => ({ text: { tag: 'plain_text', content: stripControl(o.text) }, value: o.value })),
  }
  if (opts.initial) el.initial_option = opts.initial
  if (opts.required) el.required = true
  return el
}

export function datePicker(opts: { name: string; placeholder: string; initialDate?: string; required?: boolean }): CardElement {
  const el: CardElement = { tag: 'date_picker', name: opts.name, placeholder: { tag: 'plain_text', content: opts.placeholder }, width: 'fill' }
  if (opts.initialDate) el.initial_date = opts.initialDate
  if (opts.required) el.required = true
  return el
}

export function dateTimePicker(opts: { name: string; placeholder: string; initialDatetime?: string; required?: boolean }): CardElement {
  const el: CardElement = { tag: 'picker_datetime', name: opts.name, placeholder: { tag: 'plain_text', content: opts.placeholder }, width: 'fill' }
  if (opts.initialDatetime) el.initial_datetime = opts.initialDatetime
  if (opts.required) el.required = true
  return el
}

/** A checkbox (2.0 `checker`); inside a form its state comes back in form_value[name] as true/false. */
export function checker(opts: { name: string; text: string; checked?: boolean }): CardElement {
  return { tag: 'checker', name: opts.name, checked: opts.checked ?? false, text: { tag: 'plain_text', content: stripControl(opts.text) } }
}

/**
 * A bar chart (2.0 `chart`, a VChart spec without JavaScript; at most 5 per card, docs/feishu-platform.md#card-json).
 * Labels are plain chart text, never markdown; `media: []` stops the client's automatic media queries.
 */
export function barChart(bars: Array<{ label: string; value: number }>, opts: { aspectRatio?: '2:1' | '4:3' | '16:9' } = {}): CardElement {
  return {
    tag: 'chart',
    aspect_ratio: opts.aspectRatio ?? '16:9',
    chart_spec: {
      type: 'bar',
      data: { values: bars.map((b) => ({ label: stripControl(b.label), value: b.value })) },
      xField: 'label',
      yField: 'value',
      label: { visible: true },
      axes: COUNT_AXES,
      media: [],
    },
  }
}

/**
 * A panel shown collapsed (its title only) until tapped: long text and history that a phone need not show at once
 * (docs/feishu-platform.md#card-json). It cannot hold a form or form components (PLATFORM-NOTES: collapsible_panel).
 */
export function collapsiblePanel(title: string, elements: CardElement[]): CardElement {
  return {
    tag: 'collapsible_panel',
    expanded: false,
    header: {
      title: { tag: 'markdown', content: title },
      icon: { tag: 'standard_icon', token: 'down-small-ccm_outlined', size: '16px 16px' },
      icon_position: 'right',
      icon_expanded_angle: -180,
    },
    border: { color: 'grey', corner_radius: '5px' },
    vertical_spacing: '8px',
    padding: '8px 8px 8px 8px',
    elements,
  }
}

/**
 * Axes of a bar chart of counts (votes, cases): the value axis (left) ticks at whole numbers only, never 0.5 件
 * (VChart `axes[].tick.noDecimals`; QA2 F14). Every count chart uses these, the digest's and the polls'.
 */
export const COUNT_AXES: ReadonlyArray<Record<string, unknown>> = [
  { orient: 'left', type: 'linear', min: 0, tick: { noDecimals: true } },
  { orient: 'bottom', type: 'band' },
]
