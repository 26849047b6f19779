// Structured JSON logs (pino). Log ids, types and timings only: never message text, card content or names.
// LOG_FORMAT=pretty turns each line into one short human line (a small formatter here, no extra dependency).
import { pino, type Logger } from 'pino'

export type { Logger }

export const LOG_FORMATS = ['json', 'pretty'] as const
export type LogFormat = (typeof LOG_FORMATS)[number]

export function createLogger(level: string, destination?: pino.DestinationStream, format: LogFormat = 'json'): Logger {
  const out = format === 'pretty' ? prettyStream(destination ?? process.stdout) : destination
  return pino({ level, base: { service: 'union-bot' }, timestamp: pino.stdTimeFunctions.isoTime }, out)
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' }
/** Fields every line has: the pretty line shows them in its own way or not at all. */
const OMITTED = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname'])

/** `12:00:01.234 INFO  union bot listening on … url=http://…`: the message first, then the fields as key=value. */
export function formatPretty(line: string): string {
  let entry: Record<string, unknown>
  try {
    entry = JSON.parse(line) as Record<string, unknown>
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`
  }
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 23) : ''
  const level = LEVELS[entry.level as number] ?? String(entry.level)
  const fields = Object.entries(entry)
    .filter(([k]) => !OMITTED.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? (/\s/.test(v) ? JSON.stringify(v) : v) : JSON.stringify(v)}`)
  return `${time} ${level} ${String(entry.msg ?? '')}${fields.length ? `  ${fields.join(' ')}` : ''}\n`
}

function prettyStream(target: { write(s: string): unknown }): pino.DestinationStream {
  return { write: (line: string) => void target.write(formatPretty(line)) }
}
