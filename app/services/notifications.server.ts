// Reminders for the people who own commitments: computed from the record (app/domain/
// reminders.ts), written as in-app notifications, and mailed to those who want each one by
// mail. One transaction per reminder: the notification and its mail exist together or not at all.
import { randomBytes } from "node:crypto";
import type { Database, DbOrTx } from "../../db/client";
import type { EmailFrequency, NotificationKind } from "../../db/schema";
import {
  computeReminders,
  DEFAULT_CHECK_IN_CADENCE_DAYS,
  digestSections,
  DUE_SOON_DAYS,
  isDigestDay,
  isoWeekLabel,
  type Reminder,
  MAIL_STREAM_LABELS,
  type MailStream,
} from "~/domain/reminders";
import { localDate } from "~/domain/period";
import {
  claimDigestWeek,
  countUnread,
  listActiveUserIds,
  listDigestItems,
  findUserByUnsubscribeToken,
  getDefaultPreferences,
  getUserContact,
  getUserPreferences,
  insertNotification,
  listNotifications,
  listOpenCommitmentFacts,
  listUnheldRetrospectives,
  markAllRead,
  markNotificationMailed,
  saveDefaultPreferences,
  takeNotificationToMail,
  upsertUserPreferences,
  resumeMailOfKinds,
  stopMailOfKind,
} from "~/models/notification.server";
import { getOrganisation } from "~/models/organisation.server";
import { queueMail } from "./mail.server";
import { authorize } from "./authorize.server";
import { fail, ok, type Actor, type Result } from "~/domain/result";
import { NO_CHANGE_LOG, type ChangeLog } from "./change-log.server";

export interface Preferences {
  checkIn: boolean;
  dueSoon: boolean;
  pastDue: boolean;
  retrospective: boolean;
  weeklyDigest: boolean;
  /** Events on one's commitments and one's teams'. */
  rescopes: boolean;
  outcomes: boolean;
  checkIns: boolean;
  email: EmailFrequency;
}

export const FALLBACK_PREFERENCES: Preferences & { checkInCadenceDays: number } = {
  checkIn: true,
  dueSoon: true,
  pastDue: true,
  retrospective: true,
  weeklyDigest: true,
  rescopes: true,
  outcomes: true,
  checkIns: true,
  email: "each",
  checkInCadenceDays: DEFAULT_CHECK_IN_CADENCE_DAYS,
};

/** The choice that decides whether a person gets a notification of this kind. */
export const NOTIFYING_PREFERENCE: Record<NotificationKind, Exclude<keyof Preferences, "email">> = {
  check_in: "checkIn",
  due_soon: "dueSoon",
  past_due: "pastDue",
  retrospective: "retrospective",
  rescoped: "rescopes",
  outcome: "outcomes",
  checked_in: "checkIns",
};

function pick(row: Preferences): Preferences {
  return {
    checkIn: row.checkIn,
    dueSoon: row.dueSoon,
    pastDue: row.pastDue,
    retrospective: row.retrospective,
    weeklyDigest: row.weeklyDigest,
    rescopes: row.rescopes,
    outcomes: row.outcomes,
    checkIns: row.checkIns,
    email: row.email,
  };
}

export async function organisationDefaults(db: DbOrTx) {
  const row = await getDefaultPreferences(db);
  return row ? { ...pick(row), checkInCadenceDays: row.checkInCadenceDays } : FALLBACK_PREFERENCES;
}

/** The kinds a person stopped by mail with an unsubscribe link (they still arrive in Kept). */
type MailOff = { mailOff: readonly NotificationKind[] };

/** What applies to a person: their own choices, or the organisation's defaults. */
export async function preferencesOf(db: DbOrTx, userId: string): Promise<Preferences & MailOff & { own: boolean }> {
  const own = await getUserPreferences(db, userId);
  if (own) return { ...pick(own), mailOff: own.mailOff, own: true };
  return { ...pick(await organisationDefaults(db)), mailOff: [], own: false };
}

/** Whether this kind of notification goes out by mail, one message each, for this person. */
function mailsEach(preferences: Preferences & MailOff, kind: NotificationKind): boolean {
  return preferences.email === "each" && !preferences.mailOff.includes(kind);
}

/** The secret in this person's unsubscribe links, made on first use. */
async function unsubscribeTokenOf(db: DbOrTx, userId: string, now: Date): Promise<string> {
  const own = await getUserPreferences(db, userId);
  if (own?.unsubscribeToken) return own.unsubscribeToken;
  const token = randomBytes(24).toString("base64url");
  // A person without their own row gets one that copies the defaults they had, plus the token.
  await upsertUserPreferences(db, userId, { ...(own ? {} : pick(await organisationDefaults(db))), unsubscribeToken: token }, now);
  return token;
}

/**
 * The one-click unsubscribe link (RFC 8058) of a mail of this kind: it stops this kind only.
 * The secret identifies the person; `mail` names what the link stops.
 */
export async function unsubscribeUrlFor(db: DbOrTx, userId: string, baseUrl: string, now: Date, stream: MailStream): Promise<string> {
  return `${baseUrl}/unsubscribe/${await unsubscribeTokenOf(db, userId, now)}?mail=${stream}`;
}

async function deliverReminder(db: Database, reminder: Reminder, preferences: Preferences & MailOff, baseUrl: string, now: Date): Promise<"new" | "seen"> {
  return db.transaction(async (tx) => {
    const fresh = await insertNotification(tx, { ...reminder, createdAt: now });
    if (!fresh) return "seen";
    if (mailsEach(preferences, reminder.kind)) {
      const person = await getUserContact(tx, reminder.userId);
      if (person?.active) {
        await queueMail(
          tx,
          {
            kind: "reminder",
            to: person.email,
            subject: reminder.title,
            heading: reminder.title,
            blocks: [
              { kind: "paragraph", text: reminder.body },
              { kind: "link", label: "Open it in Kept", url: `${baseUrl}${reminder.path}` },
            ],
            reason: "You get this because you own this commitment or edit this team in Kept. Choose which reminders you get at Account → Notifications.",
            unsubscribeUrl: await unsubscribeUrlFor(tx, reminder.userId, baseUrl, now, reminder.kind),
          },
          now,
        );
      }
    }
    return "new";
  });
}

/**
 * Mails event notifications (re-scoped, outcome, check-in) to those who want each by mail. The
 * `kept-notify` job runs this; each notification is mailed in its own transaction with the
 * mark that it was, so a retried job mails nobody twice.
 */
export async function mailEventNotifications(db: Database, notificationIds: string[], baseUrl: string, now: Date) {
  let mailed = 0;
  for (const id of notificationIds) {
    const sent = await db.transaction(async (tx) => {
      const notice = await takeNotificationToMail(tx, id);
      if (!notice) return false;
      await markNotificationMailed(tx, id, now);
      const [person, preferences] = await Promise.all([getUserContact(tx, notice.userId), preferencesOf(tx, notice.userId)]);
      // They may have changed their mind (or left) since the event.
      if (!person?.active || !mailsEach(preferences, notice.kind)) return false;
      await queueMail(
        tx,
        {
          kind: "notification",
          to: person.email,
          subject: notice.title,
          heading: notice.title,
          blocks: [
            { kind: "paragraph", text: notice.body },
            { kind: "link", label: "Open it in Kept", url: `${baseUrl}${notice.path}` },
          ],
          reason: "You get this because you own this commitment or edit its team in Kept. Choose what you hear about at Account → Notifications.",
          unsubscribeUrl: await unsubscribeUrlFor(tx, notice.userId, baseUrl, now, notice.kind),
        },
        now,
      );
      return true;
    });
    if (sent) mailed += 1;
  }
  return { mailed };
}

/** The scheduled sweep: every reminder due now, each delivered once. */
export async function runReminderSweep(db: Database, now: Date, baseUrl: string) {
  const org = await getOrganisation(db);
  if (!org) return { notified: 0, skipped: 0 };
  const defaults = await organisationDefaults(db);
  const [commitments, retrospectives] = await Promise.all([
    listOpenCommitmentFacts(db),
    listUnheldRetrospectives(db, localDate(now, org.timeZone)),
  ]);
  const reminders = computeReminders({
    now,
    timeZone: org.timeZone,
    checkInCadenceDays: defaults.checkInCadenceDays,
    dueSoonDays: DUE_SOON_DAYS,
    commitments,
    retrospectives,
  });
  const cache = new Map<string, Preferences & MailOff>();
  let notified = 0;
  let skipped = 0;
  for (const reminder of reminders) {
    let preferences = cache.get(reminder.userId);
    if (!preferences) {
      preferences = await preferencesOf(db, reminder.userId);
      cache.set(reminder.userId, preferences);
    }
    if (!preferences[NOTIFYING_PREFERENCE[reminder.kind]]) {
      skipped += 1;
      continue;
    }
    if ((await deliverReminder(db, reminder, preferences, baseUrl, now)) === "new") notified += 1;
  }
  return { notified, skipped };
}

/**
 * Mondays (in the organisation's zone): each person who wants it gets one digest of their
 * commitments and their teams' — past due, due soon, at risk, outcomes and re-scopes of the week.
 * Runs hourly; the week is claimed in the transaction that queues the mail, so reruns send nothing.
 */
export async function runWeeklyDigest(db: Database, now: Date, baseUrl: string) {
  const org = await getOrganisation(db);
  if (!org || !isDigestDay(now, org.timeZone)) return { sent: 0 };
  const today = localDate(now, org.timeZone);
  const week = isoWeekLabel(today);
  const since = new Date(now.getTime() - 7 * 86_400_000);
  let sent = 0;
  for (const userId of await listActiveUserIds(db)) {
    const preferences = await preferencesOf(db, userId);
    if (!preferences.weeklyDigest || preferences.email === "never") continue;
    const sections = digestSections(await listDigestItems(db, userId, today, since));
    if (sections.length === 0) continue;
    const queued = await db.transaction(async (tx) => {
      const unsubscribeUrl = await unsubscribeUrlFor(tx, userId, baseUrl, now, "digest");
      if (!(await claimDigestWeek(tx, userId, week, now))) return false;
      const person = await getUserContact(tx, userId);
      if (!person) return false;
      await queueMail(
        tx,
        {
          kind: "digest",
          to: person.email,
          subject: `Your week in Kept: ${week}`,
          heading: `Your commitments and your teams', week ${week}`,
          blocks: sections.flatMap((section) => [
            { kind: "heading" as const, text: `${section.heading} (${section.items.length})` },
            {
              kind: "list" as const,
              items: section.items.map((i) => ({ text: `${i.statement} (due ${i.dueDate})`, url: `${baseUrl}/commitments/${i.commitmentId}` })),
            },
          ]),
          reason: "You get this weekly digest because you own commitments or belong to teams in Kept. Change it at Account → Notifications.",
          unsubscribeUrl,
        },
        now,
      );
      return true;
    });
    if (queued) sent += 1;
  }
  return { sent };
}

export async function readNotifications(db: DbOrTx, actor: Actor) {
  const [items, unread] = await Promise.all([listNotifications(db, actor.id), countUnread(db, actor.id)]);
  return { items, unread };
}

export function unreadCount(db: DbOrTx, actor: Actor) {
  return countUnread(db, actor.id);
}

export function markNotificationsRead(db: DbOrTx, actor: Actor, now: Date) {
  return markAllRead(db, actor.id, now);
}

export async function savePreferences(db: DbOrTx, actor: Actor, values: Preferences, now: Date): Promise<Result<null>> {
  await upsertUserPreferences(db, actor.id, values, now);
  return ok(null);
}

async function saveOrganisationDefaultsUnlogged(
  db: DbOrTx,
  actor: Actor,
  values: Preferences & { checkInCadenceDays: number },
  now: Date,
): Promise<Result<null>> {
  const refused = authorize(actor, "organisation.manage", "Only admins can change the notification defaults.");
  if (refused) return refused;
  await saveDefaultPreferences(db, values, now);
  return ok(null);
}

/**
 * One-click unsubscribe (RFC 8058) from an owner's mail. A link names the kind of mail it came
 * with (`stream`): that kind stops by mail and still arrives in Kept; the weekly digest stops.
 * Links without a kind (mailed before kinds were named) stop all mail but the transactional.
 */
export async function unsubscribeOwner(
  db: DbOrTx,
  token: string,
  stream: MailStream | null,
  now: Date,
): Promise<Result<{ email: string; stopped: string }>> {
  const found = token.length >= 16 && token.length <= 100 ? await findUserByUnsubscribeToken(db, token) : null;
  if (!found?.userId) return fail("NOT_FOUND", "This unsubscribe link is not valid (it may be from an address that was removed).");
  if (stream === null) {
    await upsertUserPreferences(db, found.userId, { email: "never", weeklyDigest: false }, now);
    return ok({ email: found.email, stopped: "all mail from Kept but sign-in and account messages" });
  }
  if (stream === "digest") await upsertUserPreferences(db, found.userId, { weeklyDigest: false }, now);
  else await stopMailOfKind(db, found.userId, stream, now);
  return ok({ email: found.email, stopped: MAIL_STREAM_LABELS[stream] });
}

/** Mails these kinds again after they were stopped with an unsubscribe link. */
export async function resumeMail(db: DbOrTx, actor: Actor, kinds: readonly NotificationKind[], now: Date): Promise<Result<null>> {
  await resumeMailOfKinds(db, actor.id, kinds, now);
  return ok(null);
}

/** saveOrganisationDefaults, and its line in the change log: the same line whether the UI or the API asked. */
export async function saveOrganisationDefaults(db: DbOrTx, actor: Actor, values: Preferences & { checkInCadenceDays: number }, now: Date, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await saveOrganisationDefaultsUnlogged(db, actor, values, now);
  if (result.ok) log.info({ by: actor.id }, "notification defaults saved");
  return result;
}
