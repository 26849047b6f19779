// Where the test services are: the local Postgres and Redis by default, overridable for other machines.
export function adminDatabaseUrl(): string {
  return process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
}

export function databaseUrlFor(database: string): string {
  const url = new URL(adminDatabaseUrl())
  url.pathname = `/${database}`
  return url.toString()
}

export function testRedisUrl(): string {
  return process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
}
