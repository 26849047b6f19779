// Structured JSON logs (pino). Log ids, types and timings only: never message text, card content or names.
import { pino, type Logger } from 'pino'

export type { Logger }

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'union-bot' }, timestamp: pino.stdTimeFunctions.isoTime }, destination)
}
