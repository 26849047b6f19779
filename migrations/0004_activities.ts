// Activity sign-ups: activities, who holds a place or waits for one, and every posted sign-up card.
// Sign-up and cancel are two PL/pgSQL functions so that each runs as ONE statement under the activity's row
// lock: the lock is held inside Postgres for the statement and its commit, not across client round trips, which
// is what keeps a rush of thousands of clicks fair, never overbooked and answered well inside Feishu's 3 s.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('activities')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    // seq_no from nextInSequence('activity'), number is its display form.
    .addColumn('seq_no', 'integer', (c) => c.notNull().unique())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    .addColumn('signup_deadline', 'timestamptz', (c) => c.notNull())
    // 0 = unlimited places (and so never a waitlist).
    .addColumn('capacity', 'integer', (c) => c.notNull().check(sql`capacity >= 0`))
    .addColumn('allow_cancel_after_deadline', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'cancelled', 'ended')`))
    // What the shared cards currently show (signup → closed → checkin → ended); moved on by the periodic task.
    .addColumn('card_phase', 'text', (c) => c.notNull().defaultTo('signup'))
    .addColumn('confirmed_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('waitlist_count', 'integer', (c) => c.notNull().defaultTo(0))
    // Bumped by every change a card shows; cards whose rendered_version is behind get patched.
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_event_id', 'text', (c) => c.notNull())
    // The form card it was created from: a second submit of the same form finds it (double click).
    .addColumn('source_message_id', 'text', (c) => c.unique())
    .addColumn('origin_chat_id', 'text')
    .addColumn('cancelled_at', 'timestamptz')
    .addColumn('cancelled_by', 'text')
    .addColumn('cancel_reason', 'text')
    .addColumn('cancelled_event_id', 'text')
    .addCheckConstraint('activities_end_after_start', sql`ends_at > starts_at`)
    .addCheckConstraint('activities_deadline_before_start', sql`signup_deadline <= starts_at`)
    .execute()
  await sql`create index activities_status_start_idx on activities (status, starts_at)`.execute(db)

  // Queue order of sign-ups: taken under the activity's row lock, so it is the order the clicks were served in.
  await sql`create sequence activity_signup_seq`.execute(db)

  await db.schema
    .createTable('activity_signups')
    .addColumn('activity_id', 'bigint', (c) => c.notNull().references('activities.id').onDelete('cascade'))
    .addColumn('open_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('confirmed', 'waitlisted', 'cancelled')`))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('signed_up_at', 'timestamptz', (c) => c.notNull())
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('promoted_at', 'timestamptz')
    .addColumn('promotion_notified_at', 'timestamptz')
    .addColumn('cancelled_at', 'timestamptz')
    .addColumn('checked_in_at', 'timestamptz')
    .addColumn('reminded_at', 'timestamptz')
    // One row per person and activity: one person holds at most one place.
    .addPrimaryKeyConstraint('activity_signups_pk', ['activity_id', 'open_id'])
    .execute()
  await sql`create index activity_signups_queue_idx on activity_signups (activity_id, status, seq)`.execute(db)
  await sql`create index activity_signups_person_idx on activity_signups (open_id)`.execute(db)

  await db.schema
    .createTable('activity_cards')
    .addColumn('message_id', 'text', (c) => c.primaryKey())
    .addColumn('activity_id', 'bigint', (c) => c.notNull().references('activities.id').onDelete('cascade'))
    .addColumn('chat_id', 'text')
    // Group cards follow every change (coalesced); a private copy someone asked for (活动 A-012 in private chat)
    // is caught up by the periodic reconcile and on phase changes, so a rush does not fan out into hundreds of
    // patches a second against Feishu's 50/s per app (docs/feishu-platform.md#rate-limits).
    .addColumn('shared', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('posted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('rendered_version', 'integer', (c) => c.notNull())
    // Set when Feishu refuses patches for good (card older than 14 days, bot removed, message recalled).
    .addColumn('gone_at', 'timestamptz')
    .execute()
  await sql`create index activity_cards_activity_idx on activity_cards (activity_id)`.execute(db)

  // Sign-ups come in batches (all the clicks one instance received while the previous batch was committing):
  // one lock and one WAL flush for the whole batch, served in the order given. A flush per sign-up under the
  // lock would cap a rush at the disk's fsync rate (about 600/s here) however fast everything else is.
  await sql`
    create function activity_sign_up_batch(p_activity_id bigint, p_open_ids text[], p_nows timestamptz[])
    returns table (idx integer, outcome text, queue_position integer, places_taken integer, waitlist_length integer)
    language plpgsql as $$
    declare
      a activities%rowtype;
      prev activity_signups%rowtype;
      i integer;
      new_status text;
      changed boolean := false;
    begin
      -- Every change to this activity's places queues here, whichever instance serves the click.
      select * into a from activities where id = p_activity_id for update;
      for i in 1 .. coalesce(array_length(p_open_ids, 1), 0) loop
        idx := i;
        queue_position := 0;
        if a.id is null then
          outcome := 'not_found';
        elsif a.status = 'cancelled' then
          outcome := 'cancelled';
        elsif a.status = 'ended' or p_nows[i] >= a.ends_at then
          outcome := 'ended';
        else
          -- A new statement sees everything committed before the lock was granted, and this batch's own rows.
          select * into prev from activity_signups s where s.activity_id = p_activity_id and s.open_id = p_open_ids[i];
          if found and prev.status = 'confirmed' then
            outcome := 'already_confirmed';
          elsif found and prev.status = 'waitlisted' then
            outcome := 'already_waitlisted';
            queue_position := (select count(*)::integer from activity_signups s
              where s.activity_id = p_activity_id and s.status = 'waitlisted' and s.seq <= prev.seq);
          elsif p_nows[i] > a.signup_deadline then
            outcome := 'closed';
          else
            new_status := case when a.capacity = 0 or a.confirmed_count < a.capacity then 'confirmed' else 'waitlisted' end;
            insert into activity_signups as s (activity_id, open_id, status, seq, signed_up_at, confirmed_at)
              values (p_activity_id, p_open_ids[i], new_status, nextval('activity_signup_seq'), p_nows[i],
                      case when new_status = 'confirmed' then p_nows[i] end)
              on conflict (activity_id, open_id) do update
                set status = excluded.status, seq = excluded.seq, signed_up_at = excluded.signed_up_at,
                    confirmed_at = excluded.confirmed_at, cancelled_at = null, promoted_at = null,
                    promotion_notified_at = null, checked_in_at = null, reminded_at = null;
            if new_status = 'confirmed' then
              a.confirmed_count := a.confirmed_count + 1;
            else
              a.waitlist_count := a.waitlist_count + 1;
              -- Joining the waitlist always appends: the new length is the newcomer's position.
              queue_position := a.waitlist_count;
            end if;
            outcome := new_status;
            changed := true;
          end if;
        end if;
        places_taken := coalesce(a.confirmed_count, 0);
        waitlist_length := coalesce(a.waitlist_count, 0);
        return next;
      end loop;
      if changed then
        update activities
          set confirmed_count = a.confirmed_count, waitlist_count = a.waitlist_count, version = activities.version + 1
          where id = p_activity_id;
      end if;
    end $$`.execute(db)

  await sql`
    create function activity_cancel_signup(p_activity_id bigint, p_open_id text, p_now timestamptz)
    returns table (outcome text, promoted text[], places_taken integer, waitlist_length integer)
    language plpgsql as $$
    declare
      a activities%rowtype;
      prev activity_signups%rowtype;
      next_open_id text;
      moved text[] := '{}';
      confirmed integer;
      waiting integer;
    begin
      select * into a from activities where id = p_activity_id for update;
      if not found then
        return query select 'not_found'::text, '{}'::text[], 0, 0;
        return;
      end if;
      if a.status = 'cancelled' then
        return query select 'cancelled'::text, '{}'::text[], a.confirmed_count, a.waitlist_count;
        return;
      end if;
      if a.status = 'ended' or p_now >= a.ends_at then
        return query select 'ended'::text, '{}'::text[], a.confirmed_count, a.waitlist_count;
        return;
      end if;
      select * into prev from activity_signups s where s.activity_id = p_activity_id and s.open_id = p_open_id;
      if not found or prev.status = 'cancelled' then
        return query select 'not_signed_up'::text, '{}'::text[], a.confirmed_count, a.waitlist_count;
        return;
      end if;
      -- Leaving the waitlist is always allowed; giving up a place after the deadline only if the officer said so.
      if prev.status = 'confirmed' and p_now > a.signup_deadline and not a.allow_cancel_after_deadline then
        return query select 'locked'::text, '{}'::text[], a.confirmed_count, a.waitlist_count;
        return;
      end if;
      update activity_signups s set status = 'cancelled', cancelled_at = p_now
        where s.activity_id = p_activity_id and s.open_id = p_open_id;
      confirmed := a.confirmed_count - (case when prev.status = 'confirmed' then 1 else 0 end);
      waiting := a.waitlist_count - (case when prev.status = 'waitlisted' then 1 else 0 end);
      -- First come, first served: the longest-waiting people take the freed places.
      while a.capacity > 0 and confirmed < a.capacity and waiting > 0 loop
        update activity_signups s set status = 'confirmed', confirmed_at = p_now, promoted_at = p_now
          where s.activity_id = p_activity_id and s.open_id = (
            select w.open_id from activity_signups w
            where w.activity_id = p_activity_id and w.status = 'waitlisted' order by w.seq limit 1)
          returning s.open_id into next_open_id;
        exit when next_open_id is null;
        moved := moved || next_open_id;
        confirmed := confirmed + 1;
        waiting := waiting - 1;
        next_open_id := null;
      end loop;
      update activities set confirmed_count = confirmed, waitlist_count = waiting, version = activities.version + 1
        where id = p_activity_id;
      return query select (case when prev.status = 'confirmed' then 'cancelled_confirmed' else 'cancelled_waitlisted' end)::text,
        moved, confirmed, waiting;
    end $$`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists activity_cancel_signup(bigint, text, timestamptz)`.execute(db)
  await sql`drop function if exists activity_sign_up_batch(bigint, text[], timestamptz[])`.execute(db)
  await db.schema.dropTable('activity_cards').execute()
  await db.schema.dropTable('activity_signups').execute()
  await sql`drop sequence if exists activity_signup_seq`.execute(db)
  await db.schema.dropTable('activities').execute()
}
