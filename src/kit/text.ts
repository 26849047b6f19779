// Text measures shared by every feature's input limits.

/** Counts characters as people do: code points, so an emoji or a rare CJK character (surrogate pair) is one. */
export function charCount(text: string): number {
  return Array.from(text).length
}
