// Small helpers for benchmark figures.

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]!
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits

export function ratio(value: number, baseline: number): number {
  return baseline === 0 ? 0 : round(value / baseline, 2)
}
