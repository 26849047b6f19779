// Feishu card colours: the named palette (blue, grey-600, …) that markdown <font color>, text tags, header templates
// and backgrounds use, resolved to CSS colours. Anything not recognised resolves to undefined (no raw CSS passes).

/** Base (500) tone of each palette hue, after Feishu's design tokens. */
const BASE = /** @type {Record<string, string>} */ ({
  blue: '#3370ff',
  wathet: '#14c0ff',
  turquoise: '#14c9c9',
  green: '#34c724',
  lime: '#b3d600',
  yellow: '#ffc60a',
  orange: '#ff8800',
  red: '#f54a45',
  carmine: '#f01d94',
  violet: '#d136d1',
  purple: '#7f3bf5',
  indigo: '#4954e6',
  grey: '#8f959e',
  neutral: '#8f959e',
})

/** Greys are used for text everywhere, so their shades follow the tokens exactly. */
const GREY = /** @type {Record<string, string>} */ ({
  '0': '#ffffff',
  '00': '#ffffff',
  '50': '#f5f6f7',
  '100': '#f2f3f5',
  '150': '#eff0f1',
  '200': '#dee0e3',
  '300': '#bbbfc4',
  '350': '#a6abb2',
  '400': '#8f959e',
  '500': '#646a73',
  '600': '#646a73',
  '650': '#4e535a',
  '700': '#373c43',
  '800': '#2b2f36',
  '900': '#1f2329',
  '1000': '#000000',
})

const FIXED = /** @type {Record<string, string>} */ ({
  white: '#ffffff',
  black: '#1f2329',
  default: '#1f2329',
  // Plain "grey" in text is Feishu's secondary text colour.
  grey: '#646a73',
})

/**
 * @param {string} hex
 * @returns {[number, number, number]}
 */
function rgb(hex) {
  const n = parseInt(hex.slice(1), 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}

/**
 * @param {string} a
 * @param {string} b
 * @param {number} t 0 → a, 1 → b
 */
function mix(a, b, t) {
  const [r1, g1, b1] = rgb(a)
  const [r2, g2, b2] = rgb(b)
  const c = (/** @type {number} */ x, /** @type {number} */ y) => Math.round(x + (y - x) * t).toString(16).padStart(2, '0')
  return `#${c(r1, r2)}${c(g1, g2)}${c(b1, b2)}`
}

/** How far each shade is from the base tone: towards white below 500, towards black above. */
const SHADE = /** @type {Record<string, [string, number]>} */ ({
  '50': ['#ffffff', 0.94],
  '100': ['#ffffff', 0.88],
  '200': ['#ffffff', 0.7],
  '300': ['#ffffff', 0.5],
  '350': ['#ffffff', 0.38],
  '400': ['#ffffff', 0.25],
  '500': ['#ffffff', 0],
  '600': ['#000000', 0.15],
  '700': ['#000000', 0.3],
  '800': ['#000000', 0.45],
  '900': ['#000000', 0.6],
})

/**
 * A palette name ("red", "green-600", "grey-00", "light_grey"), a hex colour or rgb()/rgba(), as CSS; else undefined.
 * @param {unknown} name
 * @param {Record<string, unknown>} [custom] config.style.color of the card: {name: {light_mode, dark_mode}}
 * @returns {string | undefined}
 */
export function resolveColor(name, custom) {
  if (typeof name !== 'string') return undefined
  const key = name.trim().toLowerCase().replace(/^light_/, '')
  if (/^#[0-9a-f]{3}([0-9a-f]{3})?([0-9a-f]{2})?$/.test(key)) return key
  if (/^rgba?\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*(,\s*(0|1|0?\.\d+)\s*)?\)$/.test(key)) return key
  if (FIXED[key]) return FIXED[key]
  const m = /^([a-z]+)-(\d{1,4})$/.exec(key)
  if (m) {
    const hue = m[1] ?? ''
    const shade = m[2] ?? ''
    if ((hue === 'grey' || hue === 'neutral') && GREY[shade]) return GREY[shade]
    const base = BASE[hue]
    const s = SHADE[shade]
    if (base && s) return mix(base, s[0], s[1])
    if (base && shade === '0') return '#ffffff'
    return undefined
  }
  if (BASE[key]) return BASE[key]
  if (custom && Object.prototype.hasOwnProperty.call(custom, name)) {
    const def = /** @type {{ light_mode?: unknown }} */ (custom[name])
    if (def && typeof def === 'object') return resolveColor(def.light_mode)
  }
  return undefined
}

/**
 * Header template → background and title colours (2.0 cards have light headers with a coloured title).
 * @param {unknown} template
 * @returns {{ background: string, title: string, subtitle: string }}
 */
export function headerColors(template) {
  const t = typeof template === 'string' ? template : 'default'
  const base = BASE[t]
  if (!base || t === 'default') return { background: '#ffffff', title: '#1f2329', subtitle: '#646a73' }
  if (t === 'grey' || t === 'neutral') return { background: '#eff0f1', title: '#1f2329', subtitle: '#646a73' }
  return { background: mix(base, '#ffffff', 0.86), title: mix(base, '#000000', t === 'yellow' || t === 'lime' ? 0.55 : 0.3), subtitle: '#646a73' }
}

/**
 * Background of a text tag / number tag of a colour: a light tint, with the colour's dark tone as text.
 * @param {unknown} color
 * @returns {{ background: string, text: string }}
 */
export function tagColors(color) {
  const t = typeof color === 'string' ? color.toLowerCase() : 'neutral'
  const base = BASE[t] ?? BASE.neutral ?? '#8f959e'
  return { background: mix(base, '#ffffff', 0.82), text: mix(base, '#000000', t === 'yellow' || t === 'lime' ? 0.55 : 0.3) }
}
