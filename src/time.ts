// Dates in a given IANA time zone (the server may run in UTC while users live in Asia/Shanghai).

/** The zone's UTC offset at `instant`, in milliseconds (positive east of Greenwich). */
export function zoneOffsetMs(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant)
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000
}

/** 'YYYY-MM-DD' of `instant` in the zone. */
export function localDate(instant: Date, timeZone: string): string {
  const offset = zoneOffsetMs(instant, timeZone)
  return new Date(instant.getTime() + offset).toISOString().slice(0, 10)
}

/** Wall-clock parts of `instant` in the zone. */
export function localParts(instant: Date, timeZone: string): { date: string; year: number; month: number; day: number; hour: number; minute: number; weekday: number } {
  const shifted = new Date(instant.getTime() + zoneOffsetMs(instant, timeZone))
  return {
    date: shifted.toISOString().slice(0, 10),
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    // 0 = Sunday … 6 = Saturday
    weekday: shifted.getUTCDay(),
  }
}

/** The instant when wall-clock `date` (YYYY-MM-DD) at `time` (HH:MM[:SS.mmm]) occurs in the zone. */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const [h = 0, m = 0, s = 0] = time.split(':').map(Number)
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number]
  const wall = Date.UTC(y, mo - 1, d, h, m, Math.floor(s), Math.round((s % 1) * 1000))
  let guess = wall - zoneOffsetMs(new Date(wall), timeZone)
  // Second pass for instants near an offset change (DST zones).
  guess = wall - zoneOffsetMs(new Date(guess), timeZone)
  return new Date(guess)
}

/** Adds whole days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10)
}

/** "2026-11-25 14:05" in the zone, for cards and messages. */
export function formatDateTime(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone)
  return `${p.date} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`
}
