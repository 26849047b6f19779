// Virtual nodes → DOM, and the card's interactions: buttons and containers (callback / open_url, confirm dialogs),
// form submit and reset with Feishu's required-field check and form_value formats, standalone inputs, selects,
// pickers and checkers, table pages, and charts drawn with VChart. Text is only ever set with text nodes and
// attributes only from an allow-list, so nothing from a card or a user is parsed as HTML.
import { pickerValue } from './card-render.js'

/** @typedef {import('./vnode.js').VNode} VNode */
/** @typedef {import('./vnode.js').VChild} VChild */
/** @typedef {import('./vnode.js').Interaction} Interaction */

/**
 * What a card interaction asks the page to do.
 * @typedef {Object} CallbackDetail
 * @property {unknown} value
 * @property {string} tag
 * @property {string} [name]
 * @property {Record<string, unknown>} [formValue]
 * @property {string} [option]
 * @property {string[]} [options]
 * @property {string} [inputValue]
 * @property {boolean} [checked]
 */

/**
 * @typedef {Object} Handlers
 * @property {(detail: CallbackDetail) => Promise<void>} onCallback
 * @property {(title: string, text: string) => Promise<boolean>} confirm
 * @property {(url: string) => void} [openUrl]
 */

const ATTRS = new Set(['type', 'placeholder', 'maxlength', 'rows', 'title', 'tabindex', 'role', 'size', 'multiple', 'disabled', 'open'])
const SAFE_HREF = /^(https?:\/\/|mailto:|lark:\/\/|about:blank|\/playground\/api\/files\/)/i

/** @type {WeakMap<Element, Interaction>} */
const interactions = new WeakMap()

/**
 * Builds the DOM for a tree. Call attached() once the node is in the document (charts need a laid-out box).
 * @param {VChild} vnode
 * @param {Handlers} handlers
 * @returns {{ node: Node, attached: () => void }}
 */
export function mount(vnode, handlers) {
  /** @type {Array<() => void>} */
  const later = []
  const node = build(vnode, handlers, later)
  return { node, attached: () => later.forEach((f) => f()) }
}

/**
 * @param {VChild} v
 * @param {Handlers} handlers
 * @param {Array<() => void>} later
 * @returns {Node}
 */
function build(v, handlers, later) {
  if (typeof v === 'string') return document.createTextNode(v)
  const el = document.createElement(v.tag)
  const p = v.props
  if (p.class) el.className = p.class
  if (p.style) for (const [k, val] of Object.entries(p.style)) /** @type {any} */ (el.style)[k] = val
  if (p.data) for (const [k, val] of Object.entries(p.data)) el.dataset[k] = val
  if (p.attrs) {
    for (const [k, val] of Object.entries(p.attrs)) {
      if (k === 'href') {
        if (typeof val === 'string' && SAFE_HREF.test(val)) {
          el.setAttribute('href', val)
          el.setAttribute('target', '_blank')
          el.setAttribute('rel', 'noopener noreferrer')
        }
      } else if (k === 'value' && (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement)) {
        el.defaultValue = String(val)
        el.value = String(val)
      } else if (k === 'value' && el instanceof HTMLOptionElement) {
        el.value = String(val)
      } else if (k === 'checked' && el instanceof HTMLInputElement) {
        el.defaultChecked = val === true
        el.checked = val === true
      } else if (k === 'selected' && el instanceof HTMLOptionElement) {
        el.defaultSelected = val === true
        el.selected = val === true
      } else if (k === 'maxlength') {
        el.setAttribute('maxlength', String(val))
      } else if (ATTRS.has(k)) {
        if (val === false) continue
        el.setAttribute(k, val === true ? '' : String(val))
      }
    }
  }
  for (const child of v.children) el.appendChild(build(child, handlers, later))
  if (p.on) wire(el, p.on, handlers, later)
  return el
}

/**
 * @param {HTMLElement} el
 * @param {Interaction} on
 * @param {Handlers} handlers
 * @param {Array<() => void>} later
 */
function wire(el, on, handlers, later) {
  interactions.set(el, on)
  if (on.name && on.kind !== 'form') el.dataset.field = on.name
  switch (on.kind) {
    case 'button':
    case 'container':
      el.addEventListener('click', (e) => {
        // A button inside a clickable container acts alone.
        e.stopPropagation()
        void press(el, on, handlers)
      })
      break
    case 'input':
      if (on.callback) {
        el.addEventListener('change', () => void fire(el, handlers, { value: on.value, tag: on.tag ?? 'input', name: on.name ?? '', inputValue: /** @type {HTMLInputElement} */ (el).value }))
      }
      el.addEventListener('input', () => clearError(el))
      break
    case 'select':
    case 'person':
    case 'multi_select':
    case 'multi_person':
    case 'date':
    case 'time':
    case 'datetime':
      el.addEventListener('change', () => {
        clearError(el)
        if (!on.callback) return
        const v = fieldValue(el, on)
        /** @type {CallbackDetail} */
        const detail = { value: on.value, tag: on.tag ?? on.kind, name: on.name ?? '' }
        if (Array.isArray(v)) detail.options = v
        else if (typeof v === 'string') detail.option = v
        void fire(el, handlers, detail)
      })
      break
    case 'checker':
      el.addEventListener('change', () => {
        if (on.callback) void fire(el, handlers, { value: on.value, tag: 'checker', name: on.name ?? '', checked: /** @type {HTMLInputElement} */ (el).checked })
      })
      break
    case 'table_page':
      el.addEventListener('click', () => turnPage(el))
      break
    case 'chart':
      later.push(() => drawChart(el, on))
      break
    default:
      break
  }
}

/**
 * @param {HTMLElement} el
 * @param {Interaction} on
 * @param {Handlers} handlers
 */
async function press(el, on, handlers) {
  if (el.hasAttribute('disabled') || el.classList.contains('fc-busy')) return
  if (on.confirm && !(await handlers.confirm(on.confirm.title, on.confirm.text))) return
  const form = el.closest('.fc-form')
  if (on.formAction === 'reset' && form) return resetForm(form)
  if (on.formAction === 'submit' && form) {
    const collected = collectForm(form)
    if (!collected.ok) return
    return fire(el, handlers, { value: on.value ?? {}, tag: 'button', name: on.name ?? '', formValue: collected.values })
  }
  if (on.url) (handlers.openUrl ?? ((u) => window.open(u, '_blank', 'noopener')))(on.url)
  if (on.callback) await fire(el, handlers, { value: on.value, tag: on.kind === 'container' ? 'interactive_container' : 'button', name: on.name ?? '' })
}

/**
 * Runs a callback with the element marked busy (Feishu shows a spinner until the answer).
 * @param {HTMLElement} el
 * @param {Handlers} handlers
 * @param {CallbackDetail} detail
 */
async function fire(el, handlers, detail) {
  el.classList.add('fc-busy')
  try {
    await handlers.onCallback(detail)
  } finally {
    el.classList.remove('fc-busy')
  }
}

/**
 * Form values keyed by component name, as Feishu sends them in action.form_value; false when a required field is
 * empty (Feishu then marks the field and does not send anything).
 * @param {Element} form
 * @returns {{ ok: true, values: Record<string, unknown> } | { ok: false }}
 */
export function collectForm(form) {
  /** @type {Record<string, unknown>} */
  const values = {}
  let ok = true
  for (const el of form.querySelectorAll('[data-field]')) {
    const on = interactions.get(el)
    if (!on || !on.name || on.kind === 'button' || on.kind === 'container') continue
    const v = fieldValue(/** @type {HTMLElement} */ (el), on)
    const empty = v === undefined || v === '' || (Array.isArray(v) && v.length === 0)
    if (on.required && (empty || v === false)) {
      ok = false
      showError(/** @type {HTMLElement} */ (el), `请填写${on.label ?? ''}`)
      continue
    }
    if (!empty) values[on.name] = v
  }
  return ok ? { ok: true, values } : { ok: false }
}

/**
 * @param {HTMLElement} el
 * @param {Interaction} on
 * @returns {string | string[] | boolean | undefined}
 */
function fieldValue(el, on) {
  const offset = -new Date().getTimezoneOffset()
  switch (on.kind) {
    case 'input':
      return /** @type {HTMLInputElement} */ (el).value
    case 'select':
    case 'person':
      return /** @type {HTMLSelectElement} */ (el).value || undefined
    case 'multi_select':
    case 'multi_person':
      return Array.from(/** @type {HTMLSelectElement} */ (el).selectedOptions).map((o) => o.value)
    case 'date':
    case 'time':
    case 'datetime': {
      const v = /** @type {HTMLInputElement} */ (el).value
      return v ? pickerValue(on.kind, v, offset) : undefined
    }
    case 'checker':
      return /** @type {HTMLInputElement} */ (el).checked
    default:
      return undefined
  }
}

/** @param {Element} form */
function resetForm(form) {
  for (const el of form.querySelectorAll('[data-field]')) {
    if (el instanceof HTMLInputElement) {
      if (el.type === 'checkbox') el.checked = el.defaultChecked
      else el.value = el.defaultValue
    } else if (el instanceof HTMLTextAreaElement) el.value = el.defaultValue
    else if (el instanceof HTMLSelectElement) for (const o of el.options) o.selected = o.defaultSelected
    clearError(/** @type {HTMLElement} */ (el))
  }
}

/**
 * @param {HTMLElement} el
 * @param {string} message
 */
function showError(el, message) {
  el.classList.add('fc-invalid')
  const slot = el.closest('.fc-field-wrap')?.querySelector('.fc-field-error')
  if (slot) slot.textContent = message
}

/** @param {HTMLElement} el */
function clearError(el) {
  el.classList.remove('fc-invalid')
  const slot = el.closest('.fc-field-wrap')?.querySelector('.fc-field-error')
  if (slot) slot.textContent = ''
}

/** @param {HTMLElement} pager */
function turnPage(pager) {
  const pages = Number(pager.dataset.pages ?? '1')
  const current = Number(pager.dataset.current ?? '0')
  const next = (current + 1) % pages
  pager.dataset.current = String(next)
  pager.textContent = `第 ${next + 1}/${pages} 页`
  for (const tr of pager.parentElement?.querySelectorAll('tbody tr') ?? []) tr.classList.toggle('fc-hidden', /** @type {HTMLElement} */ (tr).dataset.page !== String(next))
}

/**
 * Draws a chart element with VChart (the library whose spec Feishu's chart element takes).
 * @param {HTMLElement} el
 * @param {Interaction} on
 */
function drawChart(el, on) {
  const lib = /** @type {any} */ (window).VChart
  const VChart = lib?.VChart ?? lib?.default
  if (!VChart) {
    el.classList.add('fc-chart-missing')
    el.dataset.chartError = 'VChart is not loaded'
    return
  }
  const fallback = el.querySelector('.fc-chart-fallback')
  try {
    const spec = structuredClone(on.spec)
    const chart = new VChart(spec, { dom: el, animation: false })
    chart.renderSync()
    fallback?.remove()
    el.dataset.chartDrawn = 'true'
  } catch (err) {
    el.classList.add('fc-chart-missing')
    el.dataset.chartError = err instanceof Error ? err.message : String(err)
  }
}
