// The one escaping helper for user text in cards: every markdown-significant character becomes an HTML entity,
// so user text can never @-mention anyone, link, format or inject tags (Feishu doc "特殊字符转义说明").

/**
 * Feishu's card-markdown escape table (docs/feishu-platform.md#escaping), plus `&` (so entities typed by the user stay literal),
 * `|` and `=` (tables and setext headings). `~` is written as Feishu's documented `&sim;`.
 */
const ENTITY: Record<string, string> = {
  '&': '&#38;',
  '<': '&#60;',
  '>': '&#62;',
  '*': '&#42;',
  '-': '&#45;',
  '!': '&#33;',
  '/': '&#47;',
  '\\': '&#92;',
  '[': '&#91;',
  ']': '&#93;',
  '(': '&#40;',
  ')': '&#41;',
  '#': '&#35;',
  ':': '&#58;',
  '+': '&#43;',
  '"': '&#34;',
  "'": '&#39;',
  $: '&#36;',
  _: '&#95;',
  '`': '&#96;',
  '~': '&sim;',
  '|': '&#124;',
  '=': '&#61;',
  '@': '&#64;',
}

const PATTERN = /[&<>*\-!/\\[\]()#:+"'$_`~|=@]/g

/** Escapes user text for a card `markdown` element. Control characters other than newline and tab are dropped. */
export function escapeMarkdown(text: string): string {
  return stripControl(text).replace(PATTERN, (ch) => ENTITY[ch] ?? ch)
}

/** For plain_text elements and text messages: no markup is parsed there, but control characters still go. */
export function stripControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '')
}

/** Shortens user text to at most max characters (by code point), marking the cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text)
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`
}

const BOLD = /&#42;&#42;(?=\S)(.+?)&#42;&#42;/g
const STRIKE = /&sim;&sim;(?=\S)(.+?)&sim;&sim;/g

/**
 * Text an officer wrote for a published card (a 厂务公开 notice's body): escaped like user text, then the plain
 * formatting of Feishu markdown given back — **bold**, ~~strike~~, `- ` list items and numbered lines — so an
 * officer can lay a notice out. Links, tags, @-mentions and URLs stay escaped: a notice to every worker must not
 * mention everyone or carry a link nobody checked (docs/democracy.md).
 */
/**
 * One line of an officer's text with its formatting marks taken out (a list item's `- ` becomes ・, `**` and `~~` go),
 * escaped: a correction's changed lines are shown as words, not raw markdown (QA F11).
 */
export function officerPlainLine(line: string): string {
  return escapeMarkdown(line.replace(/^(\s*)[-*] /, '$1・').replace(/\*\*(.+?)\*\*/g, '$1').replace(/~~(.+?)~~/g, '$1'))
}

export function officerMarkdown(text: string): string {
  return escapeMarkdown(text)
    .split('\n')
    .map((line) => line.replace(/^(\s*)&#45; /, '$1- ').replace(BOLD, '**$1**').replace(STRIKE, '~~$1~~'))
    .join('\n')
}
