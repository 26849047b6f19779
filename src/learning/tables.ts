// Kysely table types of the learning organisation (migrations/0026_learning.ts); added to Database in src/db/schema.ts.
import type { Generated } from 'kysely'
import type { NullableTimestamp, Timestamp } from '../db/schema.js'
import type { LearningKind } from './model.js'

export interface LearningActivitiesTable {
  activity_id: string
  kind: LearningKind
  /** Whole minutes credited to everyone checked in. */
  minutes: number
  set_by: string
  set_at: Timestamp
}

export interface LearningCreditsTable {
  id: Generated<string>
  open_id: string
  /** Local date of the training. */
  on_date: string
  minutes: number
  /** What the training was (typed by the officer in the file). */
  source: string
  imported_by: string
  import_event_id: string
  at: Timestamp
}

export interface LibraryBooksTable {
  id: Generated<number>
  title: string
  author: string | null
  copies: number
  added_at: Timestamp
}

export interface LibraryLoansTable {
  id: Generated<number>
  book_id: number
  open_id: string
  borrowed_on: string
  due_on: string
  returned_on: string | null
  created_event_id: string
}

export interface LibraryRemindersTable {
  loan_id: number
  claimed_until: NullableTimestamp
  sent_at: NullableTimestamp
}

export interface ReadingCheckinsTable {
  id: Generated<string>
  open_id: string
  day: string
  book: string
  note: string | null
  at: Timestamp
}

export interface LearningTables {
  learning_activities: LearningActivitiesTable
  learning_credits: LearningCreditsTable
  library_books: LibraryBooksTable
  library_loans: LibraryLoansTable
  library_reminders: LibraryRemindersTable
  reading_checkins: ReadingCheckinsTable
}
