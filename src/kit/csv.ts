// The one CSV writer for every file the bot sends (rosters, reports): RFC 4180 quoting, CRLF, a UTF-8 BOM for
// Excel, and no cell that a spreadsheet could run as a formula (CSV injection, security review F16); and the one
// reader of the files officers import (members, learning hours, the book list).

/**
 * A cell a spreadsheet might evaluate: its first non-whitespace character is = + - @ (some importers trim before
 * they look, so " =1+1" counts), or it starts with a tab or carriage return (OWASP's CSV-injection list).
 */
const FORMULA_START = /^(?:[\t\r]|\s*[=+\-@])/

/** One cell: defused with a leading apostrophe when it could start a formula, then quoted when RFC 4180 needs it. */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** The whole file: rows joined with CRLF (RFC 4180), ending in CRLF, behind a UTF-8 BOM so Excel reads Chinese. */
export function toCsv(rows: ReadonlyArray<readonly string[]>): Buffer {
  const text = rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])
}

/** RFC 4180 rows: quoted cells with "" escapes and line breaks, CRLF or LF, a UTF-8 BOM dropped. */
export function parseCsv(text: string): string[][] {
  const src = text.replace(/^\ufeff/, '')
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') (cell += '"'), i++
      else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"' && cell === '') quoted = true
    else if (c === ',') row.push(cell), (cell = '')
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++
      row.push(cell), rows.push(row), (row = []), (cell = '')
    } else cell += c
  }
  if (cell !== '' || row.length > 0) row.push(cell), rows.push(row)
  return rows.filter((r) => r.some((x) => x.trim() !== ''))
}
