// The one satisfaction vocabulary for every rating a worker gives (grievances, proposals, and later features):
// stored values, their Chinese labels, and the check for a value carried by a button.

export const SATISFACTIONS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const
export type Satisfaction = (typeof SATISFACTIONS)[number]

export const SATISFACTION_LABEL: Record<Satisfaction, string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  dissatisfied: '不满意',
}

/**
 * Proposals said `basic` and `unsatisfied` until migration 0009; rating buttons on cards posted before it still
 * carry those words, so a click on one is read as the value it meant.
 */
const LEGACY: Record<string, Satisfaction> = { basic: 'basically_satisfied', unsatisfied: 'dissatisfied' }

export function isSatisfaction(v: unknown): v is Satisfaction {
  return typeof v === 'string' && (SATISFACTIONS as readonly string[]).includes(v)
}

/** A stored or clicked value as one of the vocabulary (older words included); undefined for anything else. */
export function toSatisfaction(v: unknown): Satisfaction | undefined {
  if (isSatisfaction(v)) return v
  return typeof v === 'string' && Object.hasOwn(LEGACY, v) ? LEGACY[v] : undefined
}
