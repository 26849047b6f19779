// Feishu card markdown → virtual nodes: the subset Feishu documents (docs/feishu-platform.md#card-markdown) — headings, lists, quotes,
// code, tables, hr, **bold** *italic* ~~strike~~ `code`, [links](…), ![images](img_key), :EMOJI:, and the tags
// <font> <text_tag> <number_tag> <link> <a> <at> <person> <local_datetime> <br> <hr> <raw>. HTML entities
// (&#60; …) decode to literal characters and are never parsed again, which is how escaped user text stays
// literal: "&#60;at id=all&#62;" shows as "<at id=all>" and mentions nobody. Unknown tags show as typed.
import { resolveColor, tagColors } from './colors.js'
import { h } from './vnode.js'

/**
 * @typedef {Object} RenderContext
 * @property {(openId: string) => string | undefined} nameOf Display name of a person (open_id), when known.
 * @property {Record<string, unknown>} [customColors] config.style.color of the card being rendered.
 */

/** @typedef {import('./vnode.js').VChild} VChild */
/** @typedef {import('./vnode.js').VNode} VNode */

const NAMED_ENTITIES = /** @type {Record<string, string>} */ ({
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ensp: '\u2002',
  emsp: '\u2003',
  sim: '~',
  middot: '·',
  times: '×',
  divide: '÷',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  copy: '©',
  reg: '®',
  trade: '™',
  yen: '¥',
  laquo: '«',
  raquo: '»',
  ldquo: '“',
  rdquo: '”',
  lsquo: '‘',
  rsquo: '’',
})

/** Feishu's emoji keys (a selection) as Unicode; unknown keys stay as typed. */
const EMOJI = /** @type {Record<string, string>} */ ({
  OK: '👌',
  THUMBSUP: '👍',
  ThumbsUp: '👍',
  SMILE: '😄',
  LAUGH: '😆',
  JIAYI: '➕',
  DONE: '✅',
  CheckMark: '✔️',
  CrossMark: '❌',
  FIREWORKS: '🎆',
  Fireworks: '🎆',
  PARTY: '🎉',
  Party: '🎉',
  Movie: '🎬',
  HEART: '❤️',
  LOVE: '😍',
  Heart: '❤️',
  FINGERHEART: '🫰',
  APPLAUSE: '👏',
  Clap: '👏',
  MUSCLE: '💪',
  Fire: '🔥',
  FIRE: '🔥',
  ROSE: '🌹',
  GIFT: '🎁',
  Gift: '🎁',
  CAKE: '🎂',
  Trophy: '🏆',
  Alarm: '⏰',
  WAVE: '👋',
  Wave: '👋',
  THINKING: '🤔',
  SWEAT: '😅',
  CRY: '😢',
  Get: '🙆',
  LGTM: '👍',
  Sun: '☀️',
  Coffee: '☕',
  Pin: '📌',
  Loudspeaker: '📢',
})

const ASCII_PUNCT = /[!-/:-@[-`{-~]/

/**
 * An HTML entity at s[i], decoded.
 * @param {string} s
 * @param {number} i
 * @returns {[string, number] | undefined} the character(s) and the entity's length
 */
export function entityAt(s, i) {
  const m = /^&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z][a-zA-Z0-9]{1,31}));/.exec(s.slice(i, i + 40))
  if (!m) return undefined
  if (m[3] !== undefined) {
    const named = NAMED_ENTITIES[m[3]]
    return named === undefined ? undefined : [named, m[0].length]
  }
  const code = m[1] !== undefined ? parseInt(m[1], 10) : parseInt(/** @type {string} */ (m[2]), 16)
  const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
  return [valid ? String.fromCodePoint(code) : '\ufffd', m[0].length]
}

/**
 * Link targets Feishu opens; anything else (javascript:, data:, relative) is shown as text, not linked.
 * @param {unknown} url
 * @returns {string | undefined}
 */
export function safeUrl(url) {
  if (typeof url !== 'string') return undefined
  const t = url.trim()
  if (/^https?:\/\/[^\s]+$/i.test(t) || /^mailto:[^\s]+$/i.test(t) || /^lark:\/\/[^\s]+$/i.test(t) || /^about:blank(#[^\s]*)?$/i.test(t)) return t
  return undefined
}

const TAG_OPEN = /^<([a-zA-Z_][a-zA-Z0-9_]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/
const ATTR = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g

/**
 * @param {string} text
 * @returns {Record<string, string>}
 */
function parseAttrs(text) {
  /** @type {Record<string, string>} */
  const attrs = {}
  for (const m of text.matchAll(ATTR)) attrs[/** @type {string} */ (m[1]).toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? ''
  return attrs
}

/** Tags with content between open and close. */
const PAIRED = new Set(['font', 'text_tag', 'number_tag', 'link', 'a', 'raw'])
/** Tags whose content is ignored: a close tag right after them is consumed, but they stand alone too. */
const SELF = new Set(['at', 'person', 'local_datetime', 'br', 'hr'])

/**
 * The index of the close tag matching an open tag whose content starts at `from`, or -1.
 * @param {string} s
 * @param {string} name
 * @param {number} from
 * @returns {{ start: number, end: number } | undefined}
 */
function findClose(s, name, from) {
  const re = new RegExp(`<(/?)${name}\\b[^>]*>`, 'gi')
  re.lastIndex = from
  let depth = 1
  for (let m = re.exec(s); m; m = re.exec(s)) {
    depth += m[1] ? -1 : 1
    if (depth === 0) return { start: m.index, end: m.index + m[0].length }
  }
  return undefined
}

/**
 * Inline markdown → nodes.
 * @param {string} s
 * @param {RenderContext} ctx
 * @returns {VChild[]}
 */
export function renderInline(s, ctx) {
  /** @type {VChild[]} */
  const out = []
  let buf = ''
  const flush = () => {
    if (buf) out.push(buf)
    buf = ''
  }
  /** @param {VChild | VChild[]} node */
  const push = (node) => {
    flush()
    if (Array.isArray(node)) out.push(...node)
    else out.push(node)
  }
  let i = 0
  while (i < s.length) {
    const c = s[i]
    if (c === '&') {
      const e = entityAt(s, i)
      if (e) {
        buf += e[0]
        i += e[1]
        continue
      }
    } else if (c === '\\' && i + 1 < s.length && ASCII_PUNCT.test(/** @type {string} */ (s[i + 1]))) {
      buf += s[i + 1]
      i += 2
      continue
    } else if (c === '<') {
      const tag = parseTag(s, i, ctx)
      if (tag) {
        push(tag.nodes)
        i = tag.end
        continue
      }
    } else if (c === '*' && s[i + 1] === '*') {
      const close = s.indexOf('**', i + 2)
      if (close > i + 2) {
        push(h('strong', null, renderInline(s.slice(i + 2, close), ctx)))
        i = close + 2
        continue
      }
    } else if (c === '~' && s[i + 1] === '~') {
      const close = s.indexOf('~~', i + 2)
      if (close > i + 2) {
        push(h('del', null, renderInline(s.slice(i + 2, close), ctx)))
        i = close + 2
        continue
      }
    } else if (c === '*' && s[i + 1] !== undefined && !/\s/.test(s[i + 1] ?? '')) {
      const close = findItalicClose(s, i + 1)
      if (close > 0) {
        push(h('em', null, renderInline(s.slice(i + 1, close), ctx)))
        i = close + 1
        continue
      }
    } else if (c === '`') {
      const close = s.indexOf('`', i + 1)
      if (close > i + 1) {
        push(h('code', { class: 'md-inline-code' }, s.slice(i + 1, close)))
        i = close + 1
        continue
      }
    } else if (c === '!' && s[i + 1] === '[') {
      const link = parseLinkAt(s, i + 1)
      if (link) {
        push(imagePlaceholder(link.target, textOfRaw(link.label)))
        i = link.end
        continue
      }
    } else if (c === '[') {
      const link = parseLinkAt(s, i)
      if (link) {
        const url = safeUrl(link.target)
        const label = renderInline(link.label, ctx)
        push(url ? h('a', { class: 'md-link', attrs: { href: url } }, label) : label)
        i = link.end
        continue
      }
    } else if (c === ':') {
      const m = /^:([A-Za-z][A-Za-z0-9_]{0,30}):/.exec(s.slice(i, i + 34))
      const emoji = m ? EMOJI[/** @type {string} */ (m[1])] : undefined
      if (m && emoji) {
        push(h('span', { class: 'md-emoji', attrs: { title: m[0] } }, emoji))
        i += m[0].length
        continue
      }
    } else if ((c === 'h' || c === 'H') && /^https?:\/\//i.test(s.slice(i, i + 8)) && (i === 0 || !/[A-Za-z0-9]/.test(s[i - 1] ?? ''))) {
      const m = /^https?:\/\/[A-Za-z0-9\-._~:/?#@!$&*+,;=%]+/i.exec(s.slice(i))
      if (m) {
        const url = m[0].replace(/[.,;:!?]+$/, '')
        push(h('a', { class: 'md-link', attrs: { href: url } }, url))
        i += url.length
        continue
      }
    }
    buf += c
    i++
  }
  flush()
  return out
}

/**
 * The closing "*" of an italic run starting at `from` (not "**", not after a space), or -1.
 * @param {string} s
 * @param {number} from
 */
function findItalicClose(s, from) {
  for (let j = from + 1; j < s.length; j++) {
    if (s[j] === '\n') return -1
    if (s[j] === '*' && s[j + 1] !== '*' && s[j - 1] !== '*' && !/\s/.test(s[j - 1] ?? '')) return j
  }
  return -1
}

/**
 * `[label](target)` at s[i] === '['.
 * @param {string} s
 * @param {number} i
 * @returns {{ label: string, target: string, end: number } | undefined}
 */
function parseLinkAt(s, i) {
  const close = s.indexOf(']', i + 1)
  if (close < 0 || s[close + 1] !== '(') return undefined
  const label = s.slice(i + 1, close)
  if (label.includes('[') || label.includes('\n')) return undefined
  const end = s.indexOf(')', close + 2)
  if (end < 0) return undefined
  const target = s.slice(close + 2, end).trim()
  if (/\s/.test(target) || target === '') return undefined
  return { label, target, end: end + 1 }
}

/** @param {string} s */
function textOfRaw(s) {
  let out = ''
  for (let i = 0; i < s.length; ) {
    const e = s[i] === '&' ? entityAt(s, i) : undefined
    if (e) {
      out += e[0]
      i += e[1]
    } else out += s[i++]
  }
  return out
}

/**
 * An image the playground cannot fetch (Feishu serves it by img_key): a box naming the key.
 * @param {string} key
 * @param {string} [alt]
 * @returns {VNode}
 */
export function imagePlaceholder(key, alt) {
  return h('span', { class: 'fc-img-ph md-img', data: { imgKey: key }, attrs: { title: alt || key } }, h('span', { class: 'fc-img-icon' }, '🖼'), h('span', { class: 'fc-img-key' }, key))
}

/**
 * A known tag at s[i] === '<', rendered; undefined when it is not one (the "<" then shows as typed).
 * @param {string} s
 * @param {number} i
 * @param {RenderContext} ctx
 * @returns {{ nodes: VChild[], end: number } | undefined}
 */
function parseTag(s, i, ctx) {
  const closeMatch = /^<\/([a-zA-Z_][a-zA-Z0-9_]*)\s*>/.exec(s.slice(i, i + 40))
  if (closeMatch) {
    // A stray close tag of a known element shows nothing (as in Feishu); an unknown one shows as typed.
    const name = /** @type {string} */ (closeMatch[1]).toLowerCase()
    return PAIRED.has(name) || SELF.has(name) ? { nodes: [], end: i + closeMatch[0].length } : undefined
  }
  const m = TAG_OPEN.exec(s.slice(i))
  if (!m) return undefined
  const name = /** @type {string} */ (m[1]).toLowerCase()
  if (!PAIRED.has(name) && !SELF.has(name)) return undefined
  const attrs = parseAttrs(m[2] ?? '')
  const afterOpen = i + m[0].length
  if (SELF.has(name)) {
    let end = afterOpen
    const close = new RegExp(`^[^<]*</${name}\\s*>`, 'i').exec(s.slice(afterOpen))
    if (close && name !== 'br' && name !== 'hr') end += close[0].length
    return { nodes: [selfTag(name, attrs, ctx)], end }
  }
  const close = m[3] === '/' ? { start: afterOpen, end: afterOpen } : findClose(s, name, afterOpen)
  const inner = close ? s.slice(afterOpen, close.start) : s.slice(afterOpen)
  const end = close ? close.end : s.length
  return { nodes: pairedTag(name, attrs, inner, ctx), end }
}

/**
 * @param {string} name
 * @param {Record<string, string>} attrs
 * @param {RenderContext} ctx
 * @returns {VNode}
 */
function selfTag(name, attrs, ctx) {
  switch (name) {
    case 'br':
      return h('br')
    case 'hr':
      return h('hr', { class: 'md-hr' })
    case 'at': {
      const ids = (attrs.ids ?? attrs.id ?? attrs.user_id ?? attrs.open_id ?? '').split(',').map((x) => x.trim()).filter(Boolean)
      const email = attrs.email
      const names = ids.length ? ids.map((id) => (id === 'all' ? '所有人' : (ctx.nameOf(id) ?? id))) : email ? [email] : ['?']
      return h('span', { class: 'md-at', data: { at: ids.join(',') || email || '' } }, names.map((n) => `@${n}`).join(' '))
    }
    case 'person':
      return personChip(attrs.id ?? attrs.user_id ?? '', ctx, { showAvatar: attrs.show_avatar !== 'false', showName: attrs.show_name !== 'false', style: attrs.style ?? 'normal' })
    case 'local_datetime': {
      const ms = Number(attrs.millisecond ?? attrs.ms ?? Date.now())
      return h('span', { class: 'md-datetime' }, formatDateTime(Number.isFinite(ms) ? ms : Date.now(), attrs.format_type ?? 'date_num'))
    }
    default:
      return h('span', null)
  }
}

/**
 * @param {string} name
 * @param {Record<string, string>} attrs
 * @param {string} inner
 * @param {RenderContext} ctx
 * @returns {VChild[]}
 */
function pairedTag(name, attrs, inner, ctx) {
  switch (name) {
    case 'font': {
      const color = resolveColor(attrs.color, ctx.customColors)
      return [h('span', { class: 'md-font', style: color ? { color } : {} }, renderInline(inner, ctx))]
    }
    case 'text_tag': {
      const content = renderInline(inner, ctx)
      if (!content.length) return []
      const c = tagColors(attrs.color)
      return [h('span', { class: 'fc-text-tag', style: { background: c.background, color: c.text } }, content)]
    }
    case 'number_tag': {
      const background = resolveColor(attrs.background_color) ?? '#dee0e3'
      const color = resolveColor(attrs.font_color) ?? '#1f2329'
      const node = h('span', { class: 'md-number-tag', style: { background, color } }, renderInline(inner, ctx))
      const url = safeUrl(attrs.url)
      return [url ? h('a', { class: 'md-link', attrs: { href: url } }, node) : node]
    }
    case 'link':
    case 'a': {
      const url = safeUrl(name === 'a' ? attrs.href : (attrs.url ?? attrs.pc_url))
      const label = renderInline(inner, ctx)
      const icon = name === 'link' && attrs.icon ? h('span', { class: 'md-link-icon', attrs: { title: attrs.icon } }, '🔗') : null
      return [url ? h('a', { class: 'md-link', attrs: { href: url } }, icon, label) : h('span', { class: 'md-link' }, icon, label)]
    }
    case 'raw':
      return [inner]
    default:
      return [inner]
  }
}

/**
 * A person as Feishu shows one: avatar initial and name.
 * @param {string} id
 * @param {RenderContext} ctx
 * @param {{ showAvatar?: boolean, showName?: boolean, style?: string }} [opts]
 * @returns {VNode}
 */
export function personChip(id, ctx, opts = {}) {
  const name = ctx.nameOf(id) ?? id ?? '?'
  return h(
    'span',
    { class: `fc-person fc-person-${opts.style === 'capsule' ? 'capsule' : 'normal'}`, data: { person: id } },
    opts.showAvatar !== false ? h('span', { class: 'fc-avatar', attrs: { title: name } }, Array.from(name)[0] ?? '?') : null,
    opts.showName !== false ? h('span', { class: 'fc-person-name' }, name) : null,
  )
}

/**
 * @param {number} ms
 * @param {string} format
 */
function formatDateTime(ms, format) {
  const d = new Date(ms)
  /** @type {Intl.DateTimeFormatOptions} */
  const opts =
    format === 'time' ? { hour: '2-digit', minute: '2-digit' }
    : format === 'time_sec' ? { hour: '2-digit', minute: '2-digit', second: '2-digit' }
    : format === 'date_short' ? { month: 'long', day: 'numeric' }
    : format === 'date' ? { year: 'numeric', month: 'long', day: 'numeric' }
    : format === 'week' || format === 'week_short' ? { weekday: 'long' }
    : { year: 'numeric', month: '2-digit', day: '2-digit' }
  return new Intl.DateTimeFormat('zh-CN', opts).format(d)
}

// ---- blocks ----

const FENCE = /^\s{0,3}(```+|~~~+)\s*([^`\s]*)\s*$/
const HEADING = /^\s{0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/
const HR = /^\s{0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$|^\s*<hr\s*\/?>\s*$/i
const LIST = /^([ \t]*)([-*+]|\d{1,9}[.)])[ \t]+(.*)$/
const QUOTE = /^\s{0,3}>[ \t]?(.*)$/
const TABLE_SEP = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/

/**
 * @param {string} line
 * @param {string | undefined} next
 */
function blockStart(line, next) {
  return FENCE.test(line) || HEADING.test(line) || HR.test(line) || QUOTE.test(line) || LIST.test(line) || (line.trim().startsWith('|') && next !== undefined && TABLE_SEP.test(next))
}

/**
 * Markdown (a card markdown element's content) → block nodes.
 * @param {string} src
 * @param {RenderContext} ctx
 * @returns {VNode[]}
 */
export function renderMarkdown(src, ctx) {
  const lines = String(src).replace(/\r\n?/g, '\n').split('\n')
  return renderBlocks(lines, ctx)
}

/**
 * @param {string[]} lines
 * @param {RenderContext} ctx
 * @returns {VNode[]}
 */
function renderBlocks(lines, ctx) {
  /** @type {VNode[]} */
  const out = []
  let i = 0
  while (i < lines.length) {
    const line = /** @type {string} */ (lines[i])
    if (line.trim() === '') {
      i++
      continue
    }
    const fence = FENCE.exec(line)
    if (fence) {
      const marker = /** @type {string} */ (fence[1])
      const body = []
      i++
      while (i < lines.length && !(/** @type {string} */ (lines[i]).trim().startsWith(marker))) body.push(lines[i++])
      i++
      out.push(h('pre', { class: 'md-code' }, h('code', null, body.join('\n'))))
      continue
    }
    const heading = HEADING.exec(line)
    if (heading) {
      const level = /** @type {string} */ (heading[1]).length
      out.push(h('div', { class: `md-h md-h${level}` }, renderInline(heading[2] ?? '', ctx)))
      i++
      continue
    }
    if (HR.test(line)) {
      out.push(h('hr', { class: 'md-hr' }))
      i++
      continue
    }
    if (line.trim().startsWith('|') && i + 1 < lines.length && TABLE_SEP.test(/** @type {string} */ (lines[i + 1]))) {
      const rows = [line]
      const sep = /** @type {string} */ (lines[i + 1])
      i += 2
      while (i < lines.length && /** @type {string} */ (lines[i]).trim().startsWith('|')) rows.push(/** @type {string} */ (lines[i++]))
      out.push(renderTable(rows, sep, ctx))
      continue
    }
    if (QUOTE.test(line)) {
      const inner = []
      while (i < lines.length && QUOTE.test(/** @type {string} */ (lines[i]))) inner.push(/** @type {RegExpExecArray} */ (QUOTE.exec(/** @type {string} */ (lines[i++])))[1] ?? '')
      out.push(h('blockquote', { class: 'md-quote' }, renderBlocks(inner, ctx)))
      continue
    }
    if (LIST.test(line)) {
      const head = /** @type {RegExpExecArray} */ (LIST.exec(line))
      const baseIndent = indentOf(head[1] ?? '')
      const ordered = /^\d/.test(head[2] ?? '')
      const block = []
      while (i < lines.length) {
        const l = /** @type {string} */ (lines[i])
        // A marker of the other kind at the list's own indentation starts a new list.
        const item = LIST.exec(l)
        if (block.length && item && indentOf(item[1] ?? '') <= baseIndent && /^\d/.test(item[2] ?? '') !== ordered) break
        if (l.trim() === '') {
          // A blank line ends the list unless the next line continues it.
          const next = lines[i + 1]
          if (next !== undefined && (LIST.test(next) || /^[ \t]{2,}\S/.test(next))) {
            i++
            continue
          }
          break
        }
        if (block.length && !LIST.test(l) && !/^[ \t]+\S/.test(l) && blockStart(l, lines[i + 1])) break
        block.push(l)
        i++
      }
      out.push(renderList(block, ctx))
      continue
    }
    const para = []
    while (i < lines.length && /** @type {string} */ (lines[i]).trim() !== '' && (para.length === 0 || !blockStart(/** @type {string} */ (lines[i]), lines[i + 1]))) para.push(lines[i++])
    /** @type {VChild[]} */
    const children = []
    para.forEach((l, n) => {
      if (n > 0) children.push(h('br'))
      children.push(...renderInline(/** @type {string} */ (l), ctx))
    })
    out.push(h('p', { class: 'md-p' }, children))
  }
  return out
}

/**
 * A list block (with nested items by indentation). Markers are text, as Feishu shows them.
 * @param {string[]} lines
 * @param {RenderContext} ctx
 * @param {number} [depth]
 * @returns {VNode}
 */
function renderList(lines, ctx, depth = 0) {
  const first = /** @type {RegExpExecArray} */ (LIST.exec(/** @type {string} */ (lines[0])))
  const baseIndent = indentOf(first[1] ?? '')
  const ordered = /^\d/.test(first[2] ?? '')
  /** @type {Array<{ marker: string, text: string[], nested: string[] }>} */
  const items = []
  for (const line of lines) {
    const m = LIST.exec(line)
    const indent = m ? indentOf(m[1] ?? '') : indentOf(/^[ \t]*/.exec(line)?.[0] ?? '')
    const current = items[items.length - 1]
    if (m && indent <= baseIndent) items.push({ marker: m[2] ?? '-', text: [m[3] ?? ''], nested: [] })
    else if (current && (current.nested.length || (m && indent > baseIndent))) current.nested.push(line)
    else if (current) current.text.push(line.trim())
    else items.push({ marker: '-', text: [line.trim()], nested: [] })
  }
  const bullets = ['•', '◦', '▪']
  return h(
    ordered ? 'ol' : 'ul',
    { class: 'md-list' },
    items.map((item) => {
      /** @type {VChild[]} */
      const body = []
      item.text.forEach((t, n) => {
        if (n > 0) body.push(h('br'))
        body.push(...renderInline(t, ctx))
      })
      const marker = ordered ? `${parseInt(item.marker, 10)}.` : (bullets[depth % bullets.length] ?? '•')
      return h(
        'li',
        { class: 'md-li' },
        h('span', { class: 'md-marker' }, marker),
        h('div', { class: 'md-li-body' }, body, item.nested.length ? [renderList(item.nested, ctx, depth + 1)] : []),
      )
    }),
  )
}

/** @param {string} ws */
function indentOf(ws) {
  return ws.replace(/\t/g, '    ').length
}

/**
 * @param {string[]} rows
 * @param {string} sep
 * @param {RenderContext} ctx
 * @returns {VNode}
 */
function renderTable(rows, sep, ctx) {
  const align = splitRow(sep).map((c) => (c.trim().startsWith(':') && c.trim().endsWith(':') ? 'center' : c.trim().endsWith(':') ? 'right' : 'left'))
  const [head, ...body] = rows.map(splitRow)
  const cell = (/** @type {string} */ tag, /** @type {string} */ text, /** @type {number} */ n) => h(tag, { style: { textAlign: align[n] ?? 'left' } }, renderInline(text.trim(), ctx))
  return h(
    'div',
    { class: 'md-table-wrap' },
    h('table', { class: 'md-table' }, h('thead', null, h('tr', null, (head ?? []).map((t, n) => cell('th', t, n)))), h('tbody', null, body.map((r) => h('tr', null, r.map((t, n) => cell('td', t, n)))))),
  )
}

/** @param {string} line */
function splitRow(line) {
  let t = line.trim()
  if (t.startsWith('|')) t = t.slice(1)
  if (t.endsWith('|') && !t.endsWith('\\|')) t = t.slice(0, -1)
  /** @type {string[]} */
  const cells = []
  let cur = ''
  for (let i = 0; i < t.length; i++) {
    if (t[i] === '\\' && t[i + 1] === '|') {
      cur += '|'
      i++
    } else if (t[i] === '|') {
      cells.push(cur)
      cur = ''
    } else cur += t[i]
  }
  cells.push(cur)
  return cells
}
