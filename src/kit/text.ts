// Text measures shared by every feature's input limits.

/** Counts characters as people do: code points, so an emoji or a rare CJK character (surrogate pair) is one. */
export function charCount(text: string): number {
  return Array.from(text).length
}

/**
 * Text a person typed into a form, tidied for storing and showing: runs of spaces (also the full-width 　) become
 * one, and the ends are trimmed — nothing else. Full-width punctuation stays as typed (QA F12): NFKC folding is for
 * matching commands only (src/dispatch/text.ts).
 */
export function tidyText(text: string): string {
  return text.replace(/[\u3000\s]+/g, ' ').trim()
}
