// Recognising Postgres errors by their SQLSTATE (https://www.postgresql.org/docs/current/errcodes-appendix.html).

/** A unique constraint refused the row (SQLSTATE 23505, unique_violation): someone else inserted it first. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505'
}
