// The official holiday arrangements officers load in chat (`节假日 设置 2027`), one row per year, read by every
// instance's working-day calendar (src/calendar.ts) for years the chinese-days package does not know yet.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('holiday_arrangements')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    // JSON arrays of YYYY-MM-DD text: a year has a few dozen days, read whole, never queried by day.
    .addColumn('holidays', 'jsonb', (c) => c.notNull())
    .addColumn('workdays', 'jsonb', (c) => c.notNull())
    .addColumn('loaded_by', 'text', (c) => c.notNull())
    .addColumn('loaded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('holiday_arrangements').execute()
}
