// Learning hours and the 职工书屋 as kept in Postgres: activities that carry hours (credited to everyone checked in,
// read from activity_signups — the check-in itself is the activities feature's), imported credits, books, loans
// and reading check-ins. Functions take `db` or a transaction first.
import { sql } from 'kysely'
import type { Db } from '../db/schema.js'
import { localDate, zonedInstant } from '../time.js'
import type { BookView, HoursLine, LearningKind } from './model.js'

const yearBounds = (year: number, tz: string) => ({ from: zonedInstant(`${year}-01-01`, '00:00', tz), to: zonedInstant(`${year + 1}-01-01`, '00:00', tz), first: `${year}-01-01`, last: `${year}-12-31` })

// ---- activities that carry hours ----

export async function setActivityHours(db: Db, a: { activityId: string; kind: LearningKind; minutes: number; by: string; at: Date }): Promise<void> {
  await db
    .insertInto('learning_activities')
    .values({ activity_id: a.activityId, kind: a.kind, minutes: a.minutes, set_by: a.by, set_at: a.at })
    .onConflict((oc) => oc.column('activity_id').doUpdateSet({ kind: a.kind, minutes: a.minutes, set_by: a.by, set_at: a.at }))
    .execute()
}

export async function activityHours(db: Db, activityId: string): Promise<{ kind: LearningKind; minutes: number } | undefined> {
  return db.selectFrom('learning_activities').select(['kind', 'minutes']).where('activity_id', '=', activityId).executeTakeFirst()
}

// ---- a person's year ----

/** Every source of a person's hours in a year: learning activities they checked in to, and imported credits. */
export async function hoursOf(db: Db, openId: string, year: number, tz: string): Promise<HoursLine[]> {
  const y = yearBounds(year, tz)
  const attended = await db
    .selectFrom('activity_signups as s')
    .innerJoin('learning_activities as l', 'l.activity_id', 's.activity_id')
    .innerJoin('activities as a', 'a.id', 's.activity_id')
    .select(['a.title', 'a.starts_at', 'l.kind', 'l.minutes'])
    .where('s.open_id', '=', openId)
    .where('s.checked_in_at', 'is not', null)
    .where('a.status', '!=', 'cancelled')
    .where('a.starts_at', '>=', y.from)
    .where('a.starts_at', '<', y.to)
    .execute()
  const credits = await db.selectFrom('learning_credits').select(['on_date', 'source', 'minutes']).where('open_id', '=', openId).where('on_date', '>=', y.first).where('on_date', '<=', y.last).execute()
  const lines: HoursLine[] = [
    ...attended.map((r) => ({ date: localDate(r.starts_at, tz), what: r.title, kind: r.kind, minutes: r.minutes })),
    ...credits.map((c) => ({ date: c.on_date, what: c.source, kind: '外部培训' as const, minutes: c.minutes })),
  ]
  return lines.sort((a, b) => a.date.localeCompare(b.date))
}

/** Everyone's minutes in a year, with their name and department (members first, else the bot's directory). */
export async function minutesByPerson(db: Db, year: number, tz: string): Promise<Array<{ openId: string; name: string; department: string | undefined; minutes: number }>> {
  const y = yearBounds(year, tz)
  const res = await sql<{ open_id: string; minutes: string; name: string | null; department: string | null }>`
    with credited as (
      select s.open_id, l.minutes from activity_signups s
        join learning_activities l on l.activity_id = s.activity_id
        join activities a on a.id = s.activity_id
        where s.checked_in_at is not null and a.status <> 'cancelled' and a.starts_at >= ${y.from} and a.starts_at < ${y.to}
      union all
      select open_id, minutes from learning_credits where on_date >= ${y.first} and on_date <= ${y.last}
    )
    select c.open_id, sum(c.minutes)::text as minutes, coalesce(m.name, u.name) as name, m.department
    from credited c left join members m on m.open_id = c.open_id left join users u on u.open_id = c.open_id
    group by c.open_id, m.name, u.name, m.department
    order by m.department nulls last, coalesce(m.name, u.name), c.open_id`.execute(db)
  return res.rows.map((r) => ({ openId: r.open_id, name: r.name ?? '', department: r.department ?? undefined, minutes: Number(r.minutes) }))
}

// ---- imported credits ----

export async function addCredit(db: Db, c: { openId: string; onDate: string; minutes: number; source: string; by: string; eventId: string; at: Date }): Promise<void> {
  await db.insertInto('learning_credits').values({ open_id: c.openId, on_date: c.onDate, minutes: c.minutes, source: c.source, imported_by: c.by, import_event_id: c.eventId, at: c.at }).execute()
}

export async function importDone(db: Db, eventId: string): Promise<boolean> {
  return (await db.selectFrom('learning_credits').select('id').where('import_event_id', '=', eventId).limit(1).executeTakeFirst()) !== undefined
}

// ---- the 职工书屋 ----

export async function listBooks(db: Db): Promise<BookView[]> {
  const rows = await db
    .selectFrom('library_books as b')
    .select(['b.title', 'b.author', 'b.copies'])
    .select((eb) => eb.selectFrom('library_loans as l').select((e) => e.fn.countAll<string>().as('n')).whereRef('l.book_id', '=', 'b.id').where('l.returned_on', 'is', null).as('on_loan'))
    .orderBy('b.title')
    .execute()
  return rows.map((r) => ({ title: r.title, author: r.author ?? undefined, copies: r.copies, onLoan: Number(r.on_loan ?? 0) }))
}

/** Adds the books of an import (a title already there gets the file's author and copies). */
export async function upsertBook(db: Db, b: { title: string; author: string | undefined; copies: number; at: Date }): Promise<void> {
  await db
    .insertInto('library_books')
    .values({ title: b.title, author: b.author ?? null, copies: b.copies, added_at: b.at })
    .onConflict((oc) => oc.column('title').doUpdateSet({ author: b.author ?? null, copies: b.copies }))
    .execute()
}

/** Books whose title contains the text (NFKC, case-insensitive), for 借阅 / 归还. */
export async function findBooks(db: Db, text: string): Promise<Array<{ id: number; title: string; copies: number }>> {
  const exact = await db.selectFrom('library_books').select(['id', 'title', 'copies']).where('title', '=', text).execute()
  if (exact.length) return exact
  return db.selectFrom('library_books').select(['id', 'title', 'copies']).where(sql<boolean>`position(lower(${text}) in lower(title)) > 0`).orderBy('title').limit(5).execute()
}

export async function openLoans(db: Db, bookId: number): Promise<number> {
  const row = await db.selectFrom('library_loans').select((eb) => eb.fn.countAll<string>().as('n')).where('book_id', '=', bookId).where('returned_on', 'is', null).executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function myOpenLoans(db: Db, openId: string): Promise<Array<{ id: number; title: string; dueOn: string }>> {
  const rows = await db.selectFrom('library_loans as l').innerJoin('library_books as b', 'b.id', 'l.book_id').select(['l.id', 'b.title', 'l.due_on']).where('l.open_id', '=', openId).where('l.returned_on', 'is', null).orderBy('l.due_on').execute()
  return rows.map((r) => ({ id: r.id, title: r.title, dueOn: r.due_on }))
}

/** Loans still out whose return date is `day` (the reminder goes the day before). */
export async function loansDueOn(db: Db, day: string): Promise<Array<{ id: number; openId: string; title: string; dueOn: string }>> {
  const rows = await db.selectFrom('library_loans as l').innerJoin('library_books as b', 'b.id', 'l.book_id').select(['l.id', 'l.open_id', 'b.title', 'l.due_on']).where('l.due_on', '=', day).where('l.returned_on', 'is', null).orderBy('l.id').execute()
  return rows.map((r) => ({ id: r.id, openId: r.open_id, title: r.title, dueOn: r.due_on }))
}
