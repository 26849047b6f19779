// Feishu card JSON 2.0 → virtual nodes (pure: no DOM, runs in Node for tests). Covers the vocabulary of the bot's
// cards (cards/kit.ts) and of Feishu's published 2.0 examples: header (template colour, subtitle, icon, tags),
// markdown, div/plain_text, hr, column_set/column, button (callback, open_url, form submit/reset, confirm),
// interactive_container, form with input / select_static / multi_select_static / select_person / date_picker /
// picker_time / picker_datetime / checker, img and img_combination (placeholders naming the img_key), chart
// (drawn by VChart in the page), table, person / person_list, text_tag, collapsible_panel, overflow, repeat, and
// the 1.0 note/action blocks, and config.enable_forward = false as a 禁止转发 marker. Anything else becomes a visible
// placeholder, never nothing.
import { headerColors, resolveColor, tagColors } from './colors.js'
import { imagePlaceholder, personChip, renderInline, renderMarkdown, safeUrl } from './markdown.js'
import { h, placeholder } from './vnode.js'

/** @typedef {import('./vnode.js').VNode} VNode */
/** @typedef {import('./vnode.js').VChild} VChild */
/** @typedef {import('./vnode.js').Interaction} Interaction */
/** @typedef {import('./markdown.js').RenderContext} RenderContext */
/** @typedef {Record<string, any>} Json */

/**
 * @typedef {Object} CardRenderOptions
 * @property {(openId: string) => string | undefined} [nameOf] Names for <at>, <person>, person pickers.
 * @property {Array<{ openId: string, name: string }>} [people] Who a person picker offers when the card lists nobody.
 */

/**
 * @typedef {Object} Env
 * @property {RenderContext} ctx
 * @property {Array<{ openId: string, name: string }>} people
 * @property {string | undefined} form Name of the enclosing form, if any.
 */

const isObj = (/** @type {unknown} */ v) => typeof v === 'object' && v !== null && !Array.isArray(v)

const TEXT_SIZES = /** @type {Record<string, string>} */ ({
  'heading-0': '30px',
  'heading-1': '24px',
  'heading-2': '20px',
  'heading-3': '18px',
  'heading-4': '16px',
  heading: '16px',
  normal: '14px',
  normal_v2: '14px',
  notation: '12px',
  'xxxx-large': '30px',
  'xxx-large': '24px',
  'xx-large': '20px',
  'x-large': '18px',
  large: '16px',
  medium: '14px',
  small: '12px',
  'x-small': '10px',
})

const SPACING = /** @type {Record<string, string>} */ ({ small: '4px', medium: '8px', large: '12px', extra_large: '16px' })

/**
 * A spacing or size in px ("8px", "8", "small"), or undefined.
 * @param {unknown} v
 */
function px(v) {
  if (typeof v === 'number' && Number.isFinite(v)) return `${Math.max(-999, Math.min(999, v))}px`
  if (typeof v !== 'string') return undefined
  if (SPACING[v]) return SPACING[v]
  const m = /^\s*(-?\d{1,4}(?:\.\d+)?)(px)?\s*$/.exec(v)
  return m ? `${m[1]}px` : undefined
}

/**
 * A margin or padding of one to four px values ("0px 12px 0px 12px").
 * @param {unknown} v
 */
function box(v) {
  if (typeof v !== 'string') return px(v)
  const parts = v.trim().split(/\s+/)
  if (parts.length < 1 || parts.length > 4) return undefined
  const values = parts.map(px)
  return values.every(Boolean) ? values.join(' ') : undefined
}

/**
 * @param {Json} el
 * @param {Record<string, string>} style
 */
function withMargin(el, style) {
  const m = box(el.margin)
  if (m) style.margin = m
  return style
}

/**
 * The text of a plain_text / lark_md / markdown text object (i18n_content as a fallback).
 * @param {unknown} t
 * @returns {string}
 */
export function textContent(t) {
  if (typeof t === 'string') return t
  if (!isObj(t)) return ''
  const o = /** @type {Json} */ (t)
  if (typeof o.content === 'string') return o.content
  if (isObj(o.i18n_content)) return String(o.i18n_content.zh_cn ?? o.i18n_content.en_us ?? Object.values(o.i18n_content)[0] ?? '')
  if (typeof o.text === 'string') return o.text
  return ''
}

/**
 * A text object as nodes: plain_text literally, lark_md / markdown through the markdown subset.
 * @param {unknown} t
 * @param {Env} env
 * @returns {VChild[]}
 */
function renderTextObject(t, env) {
  const content = textContent(t)
  const tag = isObj(t) ? /** @type {Json} */ (t).tag : 'plain_text'
  if (tag === 'lark_md' || tag === 'markdown') return renderMarkdown(content, env.ctx)
  return [content]
}

/**
 * A standard_icon token as a glyph (the playground has no icon font); the token is kept in the title.
 * @param {unknown} icon
 * @param {Env} env
 * @returns {VNode | null}
 */
function renderIcon(icon, env) {
  if (!isObj(icon)) return null
  const o = /** @type {Json} */ (icon)
  if (o.tag === 'custom_icon' && typeof o.img_key === 'string') return h('span', { class: 'fc-icon fc-icon-custom', attrs: { title: o.img_key } }, '🖼')
  const token = typeof o.token === 'string' ? o.token : ''
  const color = resolveColor(o.color, env.ctx.customColors)
  return h('span', { class: 'fc-icon', attrs: { title: token }, style: color ? { color } : {} }, iconGlyph(token))
}

const ICONS = /** @type {Array<[RegExp, string]>} */ ([
  [/calendar|date/, '📅'],
  [/time|clock|alarm/, '🕒'],
  [/local|location|map|place/, '📍'],
  [/bell|notice|remind/, '🔔'],
  [/succeed|success|done|check|approve/, '✅'],
  [/warn|alert|error|risk/, '⚠️'],
  [/chat|message|comment/, '💬'],
  [/member|user|contact|person|group/, '👤'],
  [/file|doc|sheet|bitable|wiki/, '📄'],
  [/link|url/, '🔗'],
  [/search/, '🔍'],
  [/add|plus/, '➕'],
  [/setting|config/, '⚙️'],
  [/robot|bot|ai|gleam|magic|premium/, '✨'],
  [/gift|present/, '🎁'],
  [/like|thumb/, '👍'],
  [/image|photo|picture/, '🖼'],
  [/right|arrow|more|forward/, '›'],
  [/edit|pen/, '✏️'],
  [/delete|trash/, '🗑'],
  [/lock|secure/, '🔒'],
  [/star|favorite/, '⭐'],
  [/data|chart|report|board/, '📊'],
])

/** @param {string} token */
function iconGlyph(token) {
  const t = token.toLowerCase()
  for (const [re, glyph] of ICONS) if (re.test(t)) return glyph
  return '●'
}

/**
 * @param {Json} card
 * @param {CardRenderOptions} [opts]
 * @returns {VNode}
 */
export function renderCard(card, opts = {}) {
  if (!isObj(card)) return h('div', { class: 'fc-card' }, placeholder('无法解析的卡片'))
  const config = isObj(card.config) ? card.config : {}
  const customColors = isObj(config.style) && isObj(config.style.color) ? config.style.color : undefined
  /** @type {Env} */
  const env = {
    ctx: { nameOf: opts.nameOf ?? (() => undefined), ...(customColors ? { customColors } : {}) },
    people: opts.people ?? [],
    form: undefined,
  }
  const body = isObj(card.body) ? card.body : {}
  // 1.0 cards keep their elements at the top level.
  const elements = Array.isArray(body.elements) ? body.elements : Array.isArray(card.elements) ? card.elements : []
  /** @type {Record<string, string>} */
  const bodyStyle = {}
  const padding = box(body.padding)
  if (padding) bodyStyle.padding = padding
  const gap = px(body.vertical_spacing)
  if (gap) bodyStyle.rowGap = gap
  const hgap = px(body.horizontal_spacing)
  if (hgap) bodyStyle.columnGap = hgap
  const width = config.width_mode === 'fill' ? 'fill' : config.width_mode === 'compact' ? 'compact' : 'default'
  const link = isObj(card.card_link) ? safeUrl(card.card_link.url ?? card.card_link.pc_url) : undefined
  return h(
    'div',
    { class: `fc-card fc-card-${width}`, data: { schema: String(card.schema ?? '1.0'), ...(link ? { cardLink: link } : {}) } },
    isObj(card.header) ? renderHeader(card.header, env) : null,
    h('div', { class: `fc-body${body.direction === 'horizontal' ? ' fc-horizontal' : ''}`, style: bodyStyle }, renderElements(elements, env)),
    // Confidential cards turn forwarding off (Feishu then shows no 转发 for them).
    config.enable_forward === false ? h('div', { class: 'fc-no-forward', attrs: { title: '此卡片不可转发（config.enable_forward = false）' } }, h('span', {}, '🔒 禁止转发')) : null,
  )
}

/**
 * @param {Json} header
 * @param {Env} env
 * @returns {VNode}
 */
function renderHeader(header, env) {
  const colors = headerColors(header.template)
  const tags = Array.isArray(header.text_tag_list) ? header.text_tag_list.filter(isObj).map((t) => renderTextTag(t, env)) : []
  /** @type {Record<string, string>} */
  const style = { background: colors.background }
  const padding = box(header.padding)
  if (padding) style.padding = padding
  return h(
    'div',
    { class: 'fc-header', style, data: { template: typeof header.template === 'string' ? header.template : 'default' } },
    renderIcon(header.icon, env),
    h(
      'div',
      { class: 'fc-header-text' },
      h('div', { class: 'fc-title', style: { color: colors.title } }, renderTextObject(header.title, env)),
      header.subtitle ? h('div', { class: 'fc-subtitle', style: { color: colors.subtitle } }, renderTextObject(header.subtitle, env)) : null,
    ),
    tags.length ? h('div', { class: 'fc-header-tags' }, tags) : null,
  )
}

/**
 * @param {unknown[]} elements
 * @param {Env} env
 * @returns {VChild[]}
 */
function renderElements(elements, env) {
  return elements.map((el) => renderElement(el, env))
}

/**
 * One element of a card body (or of a column, form, container, panel).
 * @param {unknown} raw
 * @param {Env} env
 * @returns {VChild}
 */
export function renderElement(raw, env) {
  if (!isObj(raw)) return placeholder('非对象元素')
  const el = /** @type {Json} */ (raw)
  const tag = typeof el.tag === 'string' ? el.tag : ''
  switch (tag) {
    case 'markdown':
    case 'lark_md':
      return renderMarkdownElement(el, env)
    case 'div':
      return renderDiv(el, env)
    case 'plain_text':
      return h('div', { class: 'fc-plain', style: withMargin(el, textStyle(el, env)) }, textContent(el))
    case 'hr':
      return h('hr', { class: 'fc-hr', style: withMargin(el, {}) })
    case 'column_set':
      return renderColumnSet(el, env)
    case 'column':
      return renderColumn(el, env)
    case 'button':
      return renderButton(el, env)
    case 'interactive_container':
      return renderContainer(el, env)
    case 'form':
      return renderForm(el, env)
    case 'input':
      return renderInput(el, env)
    case 'select_static':
    case 'multi_select_static':
    case 'select_person':
    case 'multi_select_person':
      return renderSelect(el, env)
    case 'date_picker':
    case 'picker_time':
    case 'picker_datetime':
      return renderPicker(el, env)
    case 'checker':
      return renderChecker(el, env)
    case 'overflow':
      return renderOverflow(el, env)
    case 'img':
    case 'image':
      return renderImage(el)
    case 'img_combination':
      return renderImageCombination(el)
    case 'chart':
      return renderChart(el)
    case 'table':
      return renderTable(el, env)
    case 'person':
      return h('div', { class: 'fc-person-el', style: withMargin(el, {}) }, personChip(String(el.user_id ?? el.id ?? ''), env.ctx, { showAvatar: el.show_avatar !== false, showName: el.show_name !== false, style: el.style }))
    case 'person_list':
      return renderPersonList(el, env)
    case 'text_tag':
      return renderTextTag(el, env)
    case 'collapsible_panel':
      return renderPanel(el, env)
    case 'repeat':
      // A template loop: without template data, the card builder previews one pass of its elements.
      return h('div', { class: 'fc-repeat', data: { variable: String(el.variable ?? '') } }, renderElements(Array.isArray(el.elements) ? el.elements : [], env))
    case 'note':
      return h('div', { class: 'fc-note', style: withMargin(el, {}) }, (Array.isArray(el.elements) ? el.elements : []).map((e) => (isObj(e) && (e.tag === 'plain_text' || e.tag === 'lark_md') ? h('span', { class: 'fc-note-item' }, renderTextObject(e, env)) : renderElement(e, env))))
    case 'action':
      return h('div', { class: 'fc-action', style: withMargin(el, {}) }, renderElements(Array.isArray(el.actions) ? el.actions : [], env))
    default:
      return placeholder(tag ? `<${tag}>` : '没有 tag 的元素')
  }
}

/**
 * @param {Json} el
 * @param {Env} env
 */
function textStyle(el, env) {
  /** @type {Record<string, string>} */
  const style = {}
  const size = typeof el.text_size === 'string' ? TEXT_SIZES[el.text_size] : undefined
  if (size) style.fontSize = size
  if (el.text_size === 'heading' || (typeof el.text_size === 'string' && el.text_size.startsWith('heading'))) style.fontWeight = '600'
  if (el.text_align === 'center' || el.text_align === 'right' || el.text_align === 'left') style.textAlign = el.text_align
  const color = resolveColor(el.text_color, env.ctx.customColors)
  if (color) style.color = color
  return style
}

/**
 * @param {Json} el
 * @param {Env} env
 */
function renderMarkdownElement(el, env) {
  const icon = renderIcon(el.icon, env)
  const content = renderMarkdown(textContent(el), env.ctx)
  return h('div', { class: `fc-markdown${icon ? ' fc-with-icon' : ''}`, style: withMargin(el, textStyle(el, env)) }, icon, icon ? h('div', { class: 'fc-markdown-body' }, content) : content)
}

/**
 * @param {Json} el
 * @param {Env} env
 */
function renderDiv(el, env) {
  const text = isObj(el.text) ? el.text : undefined
  const fields = Array.isArray(el.fields) ? el.fields.filter(isObj) : []
  const icon = renderIcon(el.icon, env)
  return h(
    'div',
    { class: `fc-div${icon ? ' fc-with-icon' : ''}`, style: withMargin(el, text ? textStyle(text, env) : {}) },
    icon,
    text ? h('div', { class: 'fc-div-text' }, renderTextObject(text, env)) : null,
    fields.length
      ? h(
          'div',
          { class: 'fc-fields' },
          fields.map((f) => h('div', { class: f.is_short ? 'fc-field fc-field-short' : 'fc-field' }, renderTextObject(f.text, env))),
        )
      : null,
  )
}

/**
 * @param {Json} el
 * @param {Env} env
 */
function renderColumnSet(el, env) {
  /** @type {Record<string, string>} */
  const style = withMargin(el, {})
  const gap = px(el.horizontal_spacing)
  if (gap) style.columnGap = gap
  const bg = resolveColor(el.background_style, env.ctx.customColors)
  if (bg && el.background_style !== 'default') {
    style.background = bg
    style.borderRadius = '8px'
    style.padding = '8px'
  }
  if (el.horizontal_align === 'center' || el.horizontal_align === 'right') style.justifyContent = el.horizontal_align === 'center' ? 'center' : 'flex-end'
  const mode = typeof el.flex_mode === 'string' ? el.flex_mode : 'none'
  const columns = Array.isArray(el.columns) ? el.columns : []
  const link = behaviorsOf(el)
  return h(
    'div',
    { class: `fc-columns fc-flex-${mode}`, style, ...(link ? { on: link } : {}) },
    columns.map((c) => (isObj(c) && c.tag === 'column' ? renderColumn(c, env) : renderElement(c, env))),
  )
}

/**
 * @param {Json} el
 * @param {Env} env
 */
function renderColumn(el, env) {
  /** @type {Record<string, string>} */
  const style = withMargin(el, {})
  const width = el.width
  // Feishu accepts fixed column widths of 16–600px; others fall back to a weighted column.
  const fixed = typeof width === 'string' && /^\d+px$/.test(width) && parseInt(width, 10) >= 16 && parseInt(width, 10) <= 600 ? width : undefined
  if (width === 'auto') style.flex = '0 0 auto'
  else if (fixed) style.flex = `0 0 ${fixed}`
  else {
    const weight = Number.isInteger(el.weight) && el.weight > 0 && el.weight <= 5 ? el.weight : 1
    style.flex = `${weight} 1 0`
  }
  if (el.vertical_align === 'center') style.alignSelf = 'center'
  else if (el.vertical_align === 'bottom') style.alignSelf = 'flex-end'
  const padding = box(el.padding)
  if (padding) style.padding = padding
  const gap = px(el.vertical_spacing)
  if (gap) style.rowGap = gap
  if (el.horizontal_align === 'center') style.alignItems = 'center'
  else if (el.horizontal_align === 'right') style.alignItems = 'flex-end'
  const bg = resolveColor(el.background_style, env.ctx.customColors)
  if (bg && el.background_style !== 'default') {
    style.background = bg
    style.borderRadius = '8px'
    if (!padding) style.padding = '8px'
  }
  const link = behaviorsOf(el)
  return h('div', { class: `fc-column${el.direction === 'horizontal' ? ' fc-horizontal' : ''}`, style, ...(link ? { on: link } : {}) }, renderElements(Array.isArray(el.elements) ? el.elements : [], env))
}

/**
 * What clicking an element does: its behaviours (2.0) — callback and/or open_url.
 * @param {Json} el
 * @param {Interaction['kind']} [kind]
 * @returns {Interaction | undefined}
 */
function behaviorsOf(el, kind = 'container') {
  const behaviors = Array.isArray(el.behaviors) ? el.behaviors.filter(isObj) : []
  const callback = behaviors.find((b) => b.type === 'callback')
  const open = behaviors.find((b) => b.type === 'open_url')
  const url = open ? safeUrl(open.default_url ?? open.pc_url ?? open.url) : undefined
  if (!callback && !url) return undefined
  /** @type {Interaction} */
  const on = { kind, tag: String(el.tag ?? '') }
  if (callback) {
    on.callback = true
    on.value = callback.value ?? {}
  }
  if (url) on.url = url
  if (typeof el.name === 'string') on.name = el.name
  return on
}

/**
 * @param {Json} el
 * @param {Env} env
 */
function renderButton(el, env) {
  const type = typeof el.type === 'string' && /^[a-z_]+$/.test(el.type) ? el.type : 'default'
  const size = typeof el.size === 'string' && /^[a-z]+$/.test(el.size) ? el.size : 'medium'
  /** @type {Interaction} */
  const on = behaviorsOf(el, 'button') ?? { kind: 'button', tag: 'button' }
  on.tag = 'button'
  // 1.0 buttons carry value / url / multi_url directly.
  if (!on.callback && el.value !== undefined) {
    on.callback = true
    on.value = el.value
  }
  if (!on.url) {
    const legacy = safeUrl(el.url ?? (isObj(el.multi_url) ? el.multi_url.url : undefined))
    if (legacy) on.url = legacy
  }
  if (typeof el.name === 'string') on.name = el.name
  if (el.form_action_type === 'submit' || el.form_action_type === 'reset') on.formAction = el.form_action_type
  if (isObj(el.confirm)) on.confirm = { title: textContent(el.confirm.title), text: textContent(el.confirm.text) }
  /** @type {Record<string, string>} */
  const style = withMargin(el, {})
  const w = px(el.width)
  if (w) style.width = w
  /** @type {Record<string, string | boolean>} */
  const attrs = { type: 'button' }
  if (el.disabled === true) attrs.disabled = true
  const tips = textContent(el.hover_tips) || (el.disabled === true ? textContent(el.disabled_tips) : '')
  if (tips) attrs.title = tips
  return h(
    'button',
    { class: `fc-btn fc-btn-${type} fc-btn-${size}${el.width === 'fill' ? ' fc-btn-fill' : ''}`, style, attrs, on, data: { form: env.form ?? '' } },
    renderIcon(el.icon, env),
    h('span', { class: 'fc-btn-text' }, textContent(el.text)),
  )
}

/**
 * @param {Json} el
 * @param {Env} env
 */
function renderContainer(el, env) {
  /** @type {Record<string, string>} */
  const style = withMargin(el, {})
  const padding = box(el.padding)
  if (padding) style.padding = padding
  const radius = px(el.corner_radius)
  if (radius) style.borderRadius = radius
  const bg = resolveColor(el.background_style, env.ctx.customColors)
  if (bg && el.background_style !== 'default') style.background = bg
  if (el.has_border === true) style.border = `1px solid ${resolveColor(el.border_color, env.ctx.customColors) ?? '#dee0e3'}`
  const gap = px(el.vertical_spacing)
  if (gap) style.rowGap = gap
  const on = behaviorsOf(el, 'container')
  return h(
    'div',
    { class: `fc-container${on ? ' fc-clickable' : ''}${el.direction === 'horizontal' ? ' fc-horizontal' : ''}`, style, ...(on ? { on } : {}), ...(on ? { attrs: { tabindex: 0, role: 'button' } } : {}) },
    renderElements(Array.isArray(el.elements) ? el.elements : [], env),
  )
}

/**
 * @param {Json} el
 * @param {Env} env
 */
function renderForm(el, env) {
  const name = typeof el.name === 'string' ? el.name : ''
  const inner = { ...env, form: name }
  /** @type {Record<string, string>} */
  const style = withMargin(el, {})
  const gap = px(el.vertical_spacing)
  if (gap) style.rowGap = gap
  return h('div', { class: 'fc-form', style, data: { formName: name }, on: { kind: 'form', name } }, renderElements(Array.isArray(el.elements) ? el.elements : [], inner))
}

/**
 * Label (top or left) around a form component.
 * @param {Json} el
 * @param {Env} env
 * @param {VNode} control
 */
function labelled(el, env, control) {
  const label = el.label ? textContent(el.label) : ''
  /** @type {Record<string, string>} */
  const style = withMargin(el, {})
  const w = px(el.width)
  if (w) style.width = w
  return h(
    'div',
    { class: `fc-field-wrap${el.label_position === 'left' ? ' fc-label-left' : ''}${el.width === 'fill' || !el.width ? ' fc-fill' : ''}`, style },
    label ? h('label', { class: 'fc-label' }, label, el.required === true ? h('span', { class: 'fc-required' }, '*') : null) : null,
    control,
    h('div', { class: 'fc-field-error', data: { errorFor: String(el.name ?? '') } }),
  )
}

/**
 * @param {Json} el
 * @param {Env} env
 */
function fieldOn(el, env) {
  const callback = behaviorsOf(el, 'input')
  return {
    tag: String(el.tag),
    name: typeof el.name === 'string' ? el.name : '',
    required: el.required === true,
    label: textContent(el.label) || textContent(el.placeholder) || String(el.name ?? ''),
    ...(env.form === undefined && callback ? { callback: true, value: callback.value } : {}),
  }
}

/**
 * @param {Json} el
 * @param {Env} env
 */
function renderInput(el, env) {
  const multiline = el.input_type === 'multiline_text'
  /** @type {Record<string, string | number | boolean>} */
  const attrs = { placeholder: textContent(el.placeholder) }
  if (typeof el.default_value === 'string') attrs.value = el.default_value
  if (Number.isInteger(el.max_length) && el.max_length > 0) attrs.maxlength = el.max_length
  if (el.disabled === true) attrs.disabled = true
  if (multiline) attrs.rows = Number.isInteger(el.rows) && el.rows > 0 && el.rows < 20 ? el.rows : 3
  else attrs.type = el.input_type === 'password' ? 'password' : 'text'
  /** @type {Interaction} */
  const on = { kind: 'input', ...fieldOn(el, env) }
  return labelled(el, env, h(multiline ? 'textarea' : 'input', { class: 'fc-input', attrs, on, data: { form: env.form ?? '' } }))
}

/**
 * @param {Json} el
 * @param {Env} env
 */
function renderSelect(el, env) {
  const tag = String(el.tag)
  const multi = tag.startsWith('multi_')
  const person = tag.endsWith('_person')
  const rawOptions = Array.isArray(el.options) ? el.options.filter(isObj) : []
  /** @type {Array<{ value: string, text: string }>} */
  const options = person
    ? (rawOptions.length ? rawOptions.map((o) => String(o.value ?? '')) : env.people.map((p) => p.openId)).map((id) => ({ value: id, text: env.ctx.nameOf(id) ?? id }))
    : rawOptions.map((o) => ({ value: String(o.value ?? ''), text: textContent(o.text) }))
  const initial = new Set(
    multi ? (Array.isArray(el.selected_values) ? el.selected_values : Array.isArray(el.initial_options) ? el.initial_options : []).map(String) : el.initial_option !== undefined ? [String(el.initial_option)] : [],
  )
  const placeholderText = textContent(el.placeholder) || '请选择'
  /** @type {Record<string, string | number | boolean>} */
  const attrs = {}
  if (multi) {
    attrs.multiple = true
    attrs.size = Math.min(5, Math.max(2, options.length))
  }
  if (el.disabled === true) attrs.disabled = true
  /** @type {Interaction} */
  const on = { kind: person ? (multi ? 'multi_person' : 'person') : multi ? 'multi_select' : 'select', ...fieldOn(el, env) }
  const select = h(
    'select',
    { class: `fc-select${multi ? ' fc-multi' : ''}`, attrs, on, data: { form: env.form ?? '' } },
    multi ? null : h('option', { attrs: { value: '', disabled: true, selected: initial.size === 0 } }, placeholderText),
    options.map((o) => h('option', { attrs: { value: o.value, selected: initial.has(o.value) } }, o.text)),
  )
  return labelled(el, env, select)
}

/**
 * @param {Json} el
 * @param {Env} env
 */
function renderPicker(el, env) {
  const tag = String(el.tag)
  const type = tag === 'date_picker' ? 'date' : tag === 'picker_time' ? 'time' : 'datetime-local'
  /** @type {Record<string, string | number | boolean>} */
  const attrs = { type, placeholder: textContent(el.placeholder) }
  const initial = tag === 'date_picker' ? el.initial_date : tag === 'picker_time' ? el.initial_time : el.initial_datetime
  if (typeof initial === 'string') {
    const value = type === 'datetime-local' ? initial.trim().replace(' ', 'T').slice(0, 16) : initial.trim().slice(0, type === 'date' ? 10 : 5)
    attrs.value = value
  }
  if (el.disabled === true) attrs.disabled = true
  /** @type {Interaction} */
  const on = { kind: type === 'date' ? 'date' : type === 'time' ? 'time' : 'datetime', ...fieldOn(el, env) }
  return labelled(el, env, h('input', { class: 'fc-input fc-picker', attrs, on, data: { form: env.form ?? '' } }))
}

/**
 * @param {Json} el
 * @param {Env} env
 */
function renderChecker(el, env) {
  /** @type {Interaction} */
  const on = { kind: 'checker', ...fieldOn(el, env) }
  const cb = behaviorsOf(el, 'checker')
  if (cb?.callback && env.form === undefined) {
    on.callback = true
    on.value = cb.value
  }
  /** @type {Record<string, string | boolean>} */
  const attrs = { type: 'checkbox' }
  if (el.checked === true) attrs.checked = true
  if (el.disabled === true) attrs.disabled = true
  return h(
    'label',
    { class: 'fc-checker', style: withMargin(el, {}) },
    h('input', { class: 'fc-checkbox', attrs, on, data: { form: env.form ?? '' } }),
    h('span', { class: 'fc-checker-text' }, renderTextObject(el.text, env)),
  )
}

/**
 * @param {Json} el
 * @param {Env} env
 */
function renderOverflow(el, env) {
  const options = Array.isArray(el.options) ? el.options.filter(isObj) : []
  /** @type {Interaction} */
  const on = { kind: 'select', tag: 'overflow', name: String(el.name ?? ''), callback: true, value: el.value ?? behaviorsOf(el)?.value ?? {} }
  return h(
    'select',
    { class: 'fc-overflow', attrs: { title: '更多' }, on, style: withMargin(el, {}) },
    h('option', { attrs: { value: '', selected: true, disabled: true } }, '···'),
    options.map((o) => h('option', { attrs: { value: String(o.value ?? '') } }, textContent(o.text))),
  )
}

/** @param {Json} el */
function renderImage(el) {
  const key = String(el.img_key ?? '')
  const alt = textContent(el.alt)
  /** @type {Record<string, string>} */
  const style = withMargin(el, {})
  const size = typeof el.size === 'string' ? el.size : ''
  const fixed = /^(\d{1,4})px\s+(\d{1,4})px$/.exec(size)
  if (fixed) {
    style.width = `${fixed[1]}px`
    style.height = `${fixed[2]}px`
  }
  const radius = px(el.corner_radius)
  if (radius) style.borderRadius = radius
  const cls = fixed ? 'fc-img-fixed' : ['large', 'medium', 'small', 'tiny', 'stretch_without_padding'].includes(size) ? `fc-img-${size}` : 'fc-img-stretch'
  return h('div', { class: `fc-img ${cls}`, style, data: { imgKey: key } }, imagePlaceholder(key, alt))
}

/** @param {Json} el */
function renderImageCombination(el) {
  const list = Array.isArray(el.img_list) ? el.img_list.filter(isObj) : []
  const mode = typeof el.combination_mode === 'string' ? el.combination_mode : 'bisect'
  return h('div', { class: `fc-img-grid fc-img-grid-${/^[a-z_]+$/.test(mode) ? mode : 'bisect'}`, style: withMargin(el, {}) }, list.map((img) => imagePlaceholder(String(img.img_key ?? ''))))
}

/** @param {Json} el */
function renderChart(el) {
  /** @type {Record<string, string>} */
  const style = withMargin(el, {})
  const height = px(el.height)
  const ratio = typeof el.aspect_ratio === 'string' && /^\d{1,2}:\d{1,2}$/.test(el.aspect_ratio) ? el.aspect_ratio.replace(':', ' / ') : undefined
  if (height) style.height = height
  else style.aspectRatio = ratio ?? '16 / 9'
  const spec = isObj(el.chart_spec) ? el.chart_spec : {}
  const title = isObj(spec.title) && typeof spec.title.text === 'string' ? spec.title.text : ''
  return h(
    'div',
    { class: 'fc-chart', style, data: { chartType: String(spec.type ?? '') }, on: { kind: 'chart', spec, theme: typeof el.color_theme === 'string' ? el.color_theme : 'brand' } },
    h('div', { class: 'fc-chart-fallback' }, `📊 图表${title ? `：${title}` : ''}（${String(spec.type ?? '未知类型')}）`),
  )
}

/**
 * @param {Json} el
 * @param {Env} env
 */
function renderTable(el, env) {
  const columns = Array.isArray(el.columns) ? el.columns.filter(isObj) : []
  const rows = Array.isArray(el.rows) ? el.rows.filter(isObj) : []
  const pageSize = Number.isInteger(el.page_size) && el.page_size > 0 ? Math.min(el.page_size, 10) : 5
  const pages = Math.max(1, Math.ceil(rows.length / pageSize))
  const headerBg = isObj(el.header_style) ? resolveColor(el.header_style.background_style) : undefined
  const cell = (/** @type {Json} */ col, /** @type {unknown} */ v) => {
    switch (col.data_type) {
      case 'lark_md':
      case 'markdown':
        return renderInline(String(v ?? ''), env.ctx)
      case 'persons':
        return (Array.isArray(v) ? v : [v]).filter((x) => x !== undefined && x !== null).map((id) => personChip(String(id), env.ctx, { style: 'capsule' }))
      case 'options':
        return (Array.isArray(v) ? v : [v]).filter(isObj).map((o) => renderTextTag({ text: { content: String(o.text ?? '') }, color: o.color }, env))
      case 'date': {
        const ms = Number(v)
        return [Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString().slice(0, 10) : String(v ?? '')]
      }
      case 'number': {
        const n = Number(v)
        const decimals = isObj(col.format) && Number.isInteger(col.format.precision) ? col.format.precision : undefined
        return [Number.isFinite(n) ? (decimals !== undefined ? n.toFixed(decimals) : String(n)) : String(v ?? '')]
      }
      default:
        return [String(v ?? '')]
    }
  }
  return h(
    'div',
    { class: 'fc-table-wrap', style: withMargin(el, {}) },
    h(
      'table',
      { class: 'fc-table' },
      h('thead', null, h('tr', { style: headerBg ? { background: headerBg } : {} }, columns.map((c) => h('th', { style: { textAlign: c.horizontal_align === 'right' ? 'right' : c.horizontal_align === 'center' ? 'center' : 'left' } }, String(c.display_name ?? c.name ?? ''))))),
      h(
        'tbody',
        null,
        rows.map((r, n) => h('tr', { data: { page: String(Math.floor(n / pageSize)) }, class: n >= pageSize ? 'fc-hidden' : '' }, columns.map((c) => h('td', null, cell(c, r[String(c.name)]))))),
      ),
    ),
    pages > 1 ? h('div', { class: 'fc-table-pager', on: { kind: 'table_page' }, data: { pages: String(pages) } }, `第 1/${pages} 页`) : null,
  )
}

/**
 * @param {Json} el
 * @param {Env} env
 */
function renderPersonList(el, env) {
  const persons = Array.isArray(el.persons) ? el.persons.filter(isObj) : []
  return h(
    'div',
    { class: 'fc-person-list', style: withMargin(el, {}) },
    persons.map((p) => personChip(String(p.id ?? p.user_id ?? ''), env.ctx, { showAvatar: el.show_avatar !== false, showName: el.show_name !== false })),
  )
}

/**
 * @param {Json} el
 * @param {Env} env
 */
function renderTextTag(el, env) {
  const c = tagColors(el.color)
  return h('span', { class: 'fc-text-tag', style: withMargin(el, { background: c.background, color: c.text }) }, renderTextObject(el.text, env))
}

/**
 * @param {Json} el
 * @param {Env} env
 */
function renderPanel(el, env) {
  const header = isObj(el.header) ? el.header : {}
  /** @type {Record<string, string | boolean>} */
  const attrs = {}
  if (el.expanded === true) attrs.open = true
  /** @type {Record<string, string>} */
  const style = withMargin(el, {})
  if (isObj(el.border)) style.border = `1px solid ${resolveColor(el.border.color) ?? '#dee0e3'}`
  const bg = resolveColor(el.background_color ?? header.background_color, env.ctx.customColors)
  if (bg) style.background = bg
  return h(
    'details',
    { class: 'fc-panel', attrs, style },
    h('summary', { class: 'fc-panel-header' }, renderTextObject(header.title, env)),
    h('div', { class: 'fc-panel-body' }, renderElements(Array.isArray(el.elements) ? el.elements : [], env)),
  )
}

/**
 * The value a picker puts in form_value / action.option, as Feishu sends it: "2024-04-01 +0800", "09:30 +0800",
 * "2024-04-29 07:07 +0800" (docs/feishu-platform.md#picker-values).
 * @param {'date' | 'time' | 'datetime'} kind
 * @param {string} value what the browser's input holds ("2024-04-01", "09:30", "2024-04-29T07:07")
 * @param {number} offsetMinutes minutes east of UTC (−Date#getTimezoneOffset())
 * @returns {string}
 */
export function pickerValue(kind, value, offsetMinutes) {
  const sign = offsetMinutes >= 0 ? '+' : '-'
  const abs = Math.abs(offsetMinutes)
  const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`
  const v = kind === 'datetime' ? value.replace('T', ' ').slice(0, 16) : kind === 'date' ? value.slice(0, 10) : value.slice(0, 5)
  return `${v} ${zone}`
}
