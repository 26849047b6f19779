// Virtual nodes: what the card renderer produces. Plain data, no DOM, so the renderer runs in Node (tests) and in
// the browser alike; dom.js turns them into elements with createElement/textContent only (never innerHTML).

/**
 * @typedef {Object} VProps
 * @property {string} [class]
 * @property {Record<string, string>} [style] CSS properties (camelCase) with values the renderer has validated.
 * @property {Record<string, string>} [data] data-* attributes.
 * @property {Record<string, string | number | boolean>} [attrs] Other attributes, from dom.js's allow-list.
 * @property {Interaction} [on] What happens on interaction (dom.js wires it up).
 */

/**
 * @typedef {Object} VNode
 * @property {string} tag
 * @property {VProps} props
 * @property {VChild[]} children
 */

/** @typedef {VNode | string} VChild */

/**
 * An interactive part of a card.
 * @typedef {Object} Interaction
 * @property {'button' | 'container' | 'input' | 'select' | 'multi_select' | 'person' | 'multi_person' | 'date' | 'time' | 'datetime' | 'checker' | 'chart' | 'form' | 'collapse' | 'table_page'} kind
 * @property {unknown} [value] The callback value of the first callback behaviour.
 * @property {boolean} [callback] Whether a callback behaviour is present.
 * @property {string} [url] open_url behaviour: the (checked) address.
 * @property {'submit' | 'reset'} [formAction]
 * @property {{ title: string, text: string }} [confirm]
 * @property {string} [name] Component name (form field name).
 * @property {string} [tag] The component's tag, sent back as action.tag.
 * @property {boolean} [required]
 * @property {string} [label] For validation messages.
 * @property {unknown} [spec] chart: the VChart spec.
 * @property {string} [theme] chart: color_theme.
 */

/**
 * @param {string} tag
 * @param {VProps | null} [props]
 * @param {...(VChild | VChild[] | null | undefined | false)} children
 * @returns {VNode}
 */
export function h(tag, props, ...children) {
  /** @type {VChild[]} */
  const flat = []
  const add = (/** @type {unknown} */ c) => {
    if (c === null || c === undefined || c === false || c === '') return
    if (Array.isArray(c)) c.forEach(add)
    else flat.push(/** @type {VChild} */ (c))
  }
  children.forEach(add)
  return { tag, props: props ?? {}, children: flat }
}

/**
 * The text a node shows, as textContent would give it (line breaks as "\n").
 * @param {VChild | VChild[]} node
 * @returns {string}
 */
export function textOf(node) {
  if (Array.isArray(node)) return node.map(textOf).join('')
  if (typeof node === 'string') return node
  if (node.tag === 'br') return '\n'
  return node.children.map(textOf).join('')
}

/**
 * Every node in a tree, depth first.
 * @param {VChild | VChild[]} node
 * @returns {VNode[]}
 */
export function allNodes(node) {
  /** @type {VNode[]} */
  const out = []
  const visit = (/** @type {VChild | VChild[]} */ n) => {
    if (Array.isArray(n)) return n.forEach(visit)
    if (typeof n === 'string') return
    out.push(n)
    n.children.forEach(visit)
  }
  visit(node)
  return out
}

/**
 * A visible stand-in for something the renderer does not know: never let an element silently vanish.
 * @param {string} what
 * @returns {VNode}
 */
export function placeholder(what) {
  return h('div', { class: 'fc-unknown', data: { unknown: what } }, `⚠ 演示环境暂不支持：${what}`)
}
