import { and, count, desc, eq, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { notificationPreferences, notifications, users, type NotificationKind } from "../../db/schema";
import type { DigestItem, OpenCommitmentFacts, UnheldRetrospective } from "~/domain/reminders";
import { preparedOn } from "./prepared.server";
import { rowsOf } from "./rows.server";

/** Open commitments whose owner is still active, with when they were last checked in on. */
export async function listOpenCommitmentFacts(db: DbOrTx): Promise<OpenCommitmentFacts[]> {
  const result = await db.execute(sql`
    select c.id, c.statement, c.owner_id, c.due_date, c.committed_at,
           (select max(ci.created_at) from check_ins ci where ci.commitment_id = c.id) as last_check_in_at
    from commitments c join users u on u.id = c.owner_id and u.active
    where c.status = 'open'`);
  return rowsOf<{ id: string; statement: string; owner_id: string; due_date: string; committed_at: string | Date; last_check_in_at: string | Date | null }>(
    result,
  ).map((r) => ({
    id: r.id,
    statement: r.statement,
    ownerId: r.owner_id,
    dueDate: String(r.due_date).slice(0, 10),
    committedAt: new Date(r.committed_at),
    lastCheckInAt: r.last_check_in_at ? new Date(r.last_check_in_at) : null,
  }));
}

/**
 * Team periods that ended before `today` and had commitments, whose retrospective has no notes
 * yet, with the team's active editors.
 */
export async function listUnheldRetrospectives(db: DbOrTx, today: string): Promise<UnheldRetrospective[]> {
  const result = await db.execute(sql`
    select t.id as team_id, t.name as team_name, t.slug as team_slug, p.period_label, p.period_end,
           coalesce(array_agg(m.user_id::text) filter (where m.user_id is not null), '{}') as editor_ids
    from (select distinct team_id, period_label, period_end from commitments where period_end < ${today}::date) p
    join teams t on t.id = p.team_id
    left join retrospectives r on r.team_id = p.team_id and r.period_label = p.period_label
    left join team_members m on m.team_id = t.id and m.role = 'editor'
      and exists (select 1 from users u where u.id = m.user_id and u.active)
    where r.id is null or (r.went_well = '' and r.went_badly = '' and r.will_change = '')
    group by t.id, t.name, t.slug, p.period_label, p.period_end
    order by p.period_end, t.slug`);
  return rowsOf<{ team_id: string; team_name: string; team_slug: string; period_label: string; period_end: string; editor_ids: string[] | string }>(
    result,
  ).map((r) => ({
    teamId: r.team_id,
    teamName: r.team_name,
    teamSlug: r.team_slug,
    periodLabel: r.period_label,
    periodEnd: String(r.period_end).slice(0, 10),
    editorIds: Array.isArray(r.editor_ids) ? r.editor_ids : String(r.editor_ids).replace(/[{}]/g, "").split(",").filter(Boolean),
  }));
}

/** Adds a notification unless its occasion was already notified; returns its id when it was new. */
export async function insertNotification(
  db: DbOrTx,
  values: { userId: string; kind: NotificationKind; dedupeKey: string; title: string; body: string; path: string; createdAt: Date },
): Promise<string | null> {
  const rows = await db.insert(notifications).values(values).onConflictDoNothing().returning({ id: notifications.id });
  return rows[0]?.id ?? null;
}

/** Who hears of a commitment's events: its owner and its team's editors, active people only. */
export async function listCommitmentAudience(db: DbOrTx, commitmentId: string): Promise<string[]> {
  const result = await db.execute(sql`
    select u.id from commitments c join users u on u.id = c.owner_id and u.active where c.id = ${commitmentId}
    union
    select m.user_id from commitments c
      join team_members m on m.team_id = c.team_id and m.role = 'editor'
      join users u on u.id = m.user_id and u.active
    where c.id = ${commitmentId}`);
  return rowsOf<{ id: string }>(result).map((r) => r.id);
}

/** An event notification still to be mailed, locked for the caller's transaction (null: mailed already, or gone). */
export async function takeNotificationToMail(db: DbOrTx, id: string) {
  const result = await db.execute(sql`
    select n.id, n.user_id, n.kind, n.title, n.body, n.path from notifications n
    where n.id = ${id}::uuid and n.mailed_at is null for update skip locked`);
  const row = rowsOf<{ id: string; user_id: string; kind: NotificationKind; title: string; body: string; path: string }>(result)[0];
  return row ? { id: row.id, userId: row.user_id, kind: row.kind, title: row.title, body: row.body, path: row.path } : null;
}

export async function markNotificationMailed(db: DbOrTx, id: string, now: Date) {
  await db.update(notifications).set({ mailedAt: now }).where(eq(notifications.id, id));
}

export async function listNotifications(db: DbOrTx, userId: string, limit = 100) {
  return db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      title: notifications.title,
      body: notifications.body,
      path: notifications.path,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
    })
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(limit);
}

export async function countUnread(db: DbOrTx, userId: string): Promise<number> {
  // Built once per handle: every signed-in page's frame runs it (ADR 0061).
  const query = preparedOn(db, "count_unread", (on) =>
    on
      .select({ n: count() })
      .from(notifications)
      .where(and(eq(notifications.userId, sql.placeholder("userId")), isNull(notifications.readAt)))
      .prepare("count_unread"),
  );
  const [row] = await query.execute({ userId });
  return Number(row?.n ?? 0);
}

export async function markAllRead(db: DbOrTx, userId: string, now: Date): Promise<number> {
  const rows = await db
    .update(notifications)
    .set({ readAt: now })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return rows.length;
}

export const preferenceColumns = {
  checkIn: notificationPreferences.checkIn,
  dueSoon: notificationPreferences.dueSoon,
  pastDue: notificationPreferences.pastDue,
  retrospective: notificationPreferences.retrospective,
  weeklyDigest: notificationPreferences.weeklyDigest,
  rescopes: notificationPreferences.rescopes,
  outcomes: notificationPreferences.outcomes,
  checkIns: notificationPreferences.checkIns,
  email: notificationPreferences.email,
  checkInCadenceDays: notificationPreferences.checkInCadenceDays,
  unsubscribeToken: notificationPreferences.unsubscribeToken,
  mailOff: notificationPreferences.mailOff,
};

export type PreferenceValues = Omit<{ [K in keyof typeof preferenceColumns]: (typeof notificationPreferences.$inferSelect)[K] }, never>;

/** The person's own preferences (null: they have none and follow the defaults). */
export async function getUserPreferences(db: DbOrTx, userId: string) {
  const [row] = await db.select(preferenceColumns).from(notificationPreferences).where(eq(notificationPreferences.userId, userId));
  return row ?? null;
}

/** The organisation's defaults (null: never saved; the column defaults apply). */
export async function getDefaultPreferences(db: DbOrTx) {
  const [row] = await db.select(preferenceColumns).from(notificationPreferences).where(isNull(notificationPreferences.userId));
  return row ?? null;
}

export async function listAllUserPreferences(db: DbOrTx) {
  return db
    .select({ userId: notificationPreferences.userId, ...preferenceColumns })
    .from(notificationPreferences)
    .where(sql`${notificationPreferences.userId} is not null`);
}

type Editable = Pick<PreferenceValues, "checkIn" | "dueSoon" | "pastDue" | "retrospective" | "weeklyDigest" | "rescopes" | "outcomes" | "checkIns" | "email">;

export async function upsertUserPreferences(db: DbOrTx, userId: string, values: Partial<Editable> & { unsubscribeToken?: string }, now: Date) {
  await db
    .insert(notificationPreferences)
    .values({ userId, ...values, updatedAt: now })
    .onConflictDoUpdate({ target: notificationPreferences.userId, set: { ...values, updatedAt: now } });
}

export async function saveDefaultPreferences(db: DbOrTx, values: Editable & { checkInCadenceDays: number }, now: Date) {
  const updated = await db
    .update(notificationPreferences)
    .set({ ...values, updatedAt: now })
    .where(isNull(notificationPreferences.userId))
    .returning({ id: notificationPreferences.id });
  if (updated.length === 0) await db.insert(notificationPreferences).values({ userId: null, ...values, updatedAt: now });
}

/** Stops one kind of notification by mail for this person (the row exists: it holds their token). */
export async function stopMailOfKind(db: DbOrTx, userId: string, kind: NotificationKind, now: Date) {
  await db
    .update(notificationPreferences)
    .set({
      mailOff: sql`case when ${kind} = any(${notificationPreferences.mailOff}) then ${notificationPreferences.mailOff} else array_append(${notificationPreferences.mailOff}, ${kind}::text) end`,
      updatedAt: now,
    })
    .where(eq(notificationPreferences.userId, userId));
}

/** Mails these kinds again (they were stopped with an unsubscribe link). */
export async function resumeMailOfKinds(db: DbOrTx, userId: string, kinds: readonly NotificationKind[], now: Date) {
  if (kinds.length === 0) return;
  await db
    .update(notificationPreferences)
    .set({
      mailOff: sql`array(select k from unnest(${notificationPreferences.mailOff}) as k where k <> all(array[${sql.join(kinds.map((k) => sql`${k}`), sql`, `)}]::text[]))`,
      updatedAt: now,
    })
    .where(eq(notificationPreferences.userId, userId));
}

export async function findUserByUnsubscribeToken(db: DbOrTx, token: string) {
  const [row] = await db
    .select({ userId: notificationPreferences.userId, email: users.email })
    .from(notificationPreferences)
    .innerJoin(users, eq(users.id, notificationPreferences.userId))
    .where(eq(notificationPreferences.unsubscribeToken, token));
  return row ?? null;
}

export async function getUserContact(db: DbOrTx, userId: string) {
  const [row] = await db.select({ id: users.id, name: users.name, email: users.email, active: users.active }).from(users).where(eq(users.id, userId));
  return row ?? null;
}

export async function listActiveUserIds(db: DbOrTx): Promise<string[]> {
  const rows = await db.select({ id: users.id }).from(users).where(eq(users.active, true)).orderBy(users.email);
  return rows.map((r) => r.id);
}

/** What a person's digest lists: their commitments and their teams'. */
export async function listDigestItems(db: DbOrTx, userId: string, today: string, since: Date): Promise<DigestItem[]> {
  const result = await db.execute(sql`
    with mine as (
      select c.id, c.statement, c.due_date, c.status from commitments c
      where c.owner_id = ${userId} or c.team_id in (select team_id from team_members where user_id = ${userId})
    )
    select 'past_due' as section, id, statement, due_date from mine where status = 'open' and due_date < ${today}::date
    union all
    select 'due_soon', id, statement, due_date from mine
      where status = 'open' and due_date >= ${today}::date and due_date <= ${today}::date + 14
    union all
    select 'at_risk', m.id, m.statement, m.due_date from mine m
      where m.status = 'open' and (select ci.forecast from check_ins ci where ci.commitment_id = m.id
                                   order by ci.date desc, ci.created_at desc limit 1) in ('at_risk', 'off_track', 'stalled')
    union all
    select 'outcome', m.id, m.statement, m.due_date from mine m join outcomes o on o.commitment_id = m.id where o.recorded_at >= ${since.toISOString()}::timestamptz
    union all
    select 'rescope', m.id, m.statement, m.due_date from mine m
      where exists (select 1 from commitment_revisions r where r.commitment_id = m.id and r.kind = 'rescope' and r.at >= ${since.toISOString()}::timestamptz)
    limit 500`);
  return rowsOf<{ section: DigestItem["section"]; id: string; statement: string; due_date: string }>(result).map((r) => ({
    section: r.section,
    commitmentId: r.id,
    statement: r.statement,
    dueDate: String(r.due_date).slice(0, 10),
  }));
}

/** Marks this week's digest as taken for the person; false when it already was (a rerun). */
export async function claimDigestWeek(db: DbOrTx, userId: string, week: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(notificationPreferences)
    .set({ lastDigestWeek: week, updatedAt: now })
    .where(and(eq(notificationPreferences.userId, userId), sql`${notificationPreferences.lastDigestWeek} is distinct from ${week}`))
    .returning({ id: notificationPreferences.id });
  return rows.length > 0;
}
