// The bot's notion of "now", injected everywhere so tests can move time (deadlines, reminders, digests).

export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** A clock tests set and advance by hand. */
export class ManualClock implements Clock {
  private current: number
  constructor(start: Date | string | number) {
    this.current = new Date(start).getTime()
  }
  now(): Date {
    return new Date(this.current)
  }
  set(to: Date | string | number): void {
    this.current = new Date(to).getTime()
  }
  advance(ms: number): void {
    this.current += ms
  }
}
