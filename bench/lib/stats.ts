// Small helpers for benchmark figures.
import { readFileSync } from 'node:fs'

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]!
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits

export function ratio(value: number, baseline: number): number {
  return baseline === 0 ? 0 : round(value / baseline, 2)
}

/** The lowest and highest of a set of per-round figures, printed beside their median. */
export interface Spread {
  min: number
  max: number
}

export function spread(values: number[]): Spread {
  return values.length === 0 ? { min: 0, max: 0 } : { min: Math.min(...values), max: Math.max(...values) }
}

/**
 * CPU time (user + system, ms) a process has used so far, from /proc/<pid>/stat (Linux; clock ticks are 1/100 s
 * there). Unlike throughput, it is not lowered by other processes taking turns on the cores.
 */
export function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return 0
  }
}
