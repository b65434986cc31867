// Subscribers, their watches and pending confirmations (ADR 0013). The only code that reads or
// writes these tables.
import { and, asc, count, eq, gt, isNull, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { commitmentWatches, commitments, letterErrata, letters, subscribers, subscriptionRequests, type SubscriberState } from "../../db/schema";

export async function insertSubscriptionRequest(
  db: DbOrTx,
  values: { tokenHash: string; email: string; commitmentId: string | null; createdAt: Date; expiresAt: Date },
) {
  await db.insert(subscriptionRequests).values(values);
}

/** The request behind a confirmation link, locked for the caller's transaction. */
export async function findSubscriptionRequest(db: DbOrTx, tokenHash: string, options: { lock?: boolean } = {}) {
  const query = db
    .select({
      id: subscriptionRequests.id,
      email: subscriptionRequests.email,
      commitmentId: subscriptionRequests.commitmentId,
      expiresAt: subscriptionRequests.expiresAt,
      confirmedAt: subscriptionRequests.confirmedAt,
    })
    .from(subscriptionRequests)
    .where(eq(subscriptionRequests.tokenHash, tokenHash));
  const [row] = options.lock ? await query.for("update") : await query;
  return row ?? null;
}

export async function markRequestConfirmed(db: DbOrTx, id: string, at: Date) {
  const rows = await db
    .update(subscriptionRequests)
    .set({ confirmedAt: at })
    .where(and(eq(subscriptionRequests.id, id), isNull(subscriptionRequests.confirmedAt)))
    .returning({ id: subscriptionRequests.id });
  return rows.length > 0;
}

/** Requests nobody confirmed in time, and followed links, are forgotten a while after they expire. */
export async function deleteStaleRequests(db: DbOrTx, expiredBefore: Date) {
  await db.delete(subscriptionRequests).where(lt(subscriptionRequests.expiresAt, expiredBefore));
}

export async function findSubscriberByEmail(db: DbOrTx, email: string) {
  const [row] = await db.select().from(subscribers).where(eq(subscribers.email, email));
  return row ?? null;
}

export async function findSubscriberByToken(db: DbOrTx, token: string) {
  const [row] = await db
    .select({ id: subscribers.id, email: subscribers.email })
    .from(subscribers)
    .where(eq(subscribers.unsubscribeToken, token));
  return row ?? null;
}

/** The subscriber with this address, made (confirmed) if new; `letters` is only ever switched on here. */
export async function upsertSubscriber(db: DbOrTx, values: { email: string; letters: boolean; unsubscribeToken: string; confirmedAt: Date }) {
  const [row] = await db
    .insert(subscribers)
    .values(values)
    .onConflictDoUpdate({
      target: subscribers.email,
      // A new confirmation proves the address works again: a bounce is forgiven.
      set: {
        letters: values.letters ? sql`true` : sql`${subscribers.letters}`,
        state: "confirmed",
        bounceReason: null,
        bouncedAt: null,
      },
    })
    .returning({ id: subscribers.id, unsubscribeToken: subscribers.unsubscribeToken });
  return row!;
}

export async function insertWatch(db: DbOrTx, subscriberId: string, commitmentId: string, at: Date) {
  await db.insert(commitmentWatches).values({ subscriberId, commitmentId, createdAt: at }).onConflictDoNothing();
}

export async function isWatching(db: DbOrTx, subscriberId: string, commitmentId: string) {
  const [row] = await db
    .select({ one: sql<number>`1` })
    .from(commitmentWatches)
    .where(and(eq(commitmentWatches.subscriberId, subscriberId), eq(commitmentWatches.commitmentId, commitmentId)));
  return Boolean(row);
}

/** Deletes the address everywhere: the subscriber (its watches go with it) and any request it made. */
export async function deleteSubscriberEverywhere(db: DbOrTx, subscriberId: string, email: string) {
  const watches = await db.delete(commitmentWatches).where(eq(commitmentWatches.subscriberId, subscriberId)).returning({ id: commitmentWatches.commitmentId });
  await db.delete(subscribers).where(eq(subscribers.id, subscriberId));
  await db.delete(subscriptionRequests).where(eq(subscriptionRequests.email, email));
  return { watches: watches.length };
}

export async function markSubscriberBounced(db: DbOrTx, email: string, reason: string, at: Date) {
  const rows = await db
    .update(subscribers)
    .set({ state: "bounced", bounceReason: reason.slice(0, 500), bouncedAt: at })
    .where(eq(subscribers.email, email))
    .returning({ id: subscribers.id });
  return rows.length > 0;
}

export interface Recipient {
  id: string;
  email: string;
  unsubscribeToken: string;
}

const recipientColumns = { id: subscribers.id, email: subscribers.email, unsubscribeToken: subscribers.unsubscribeToken };

/** Confirmed letter subscribers after `afterId`, in id order: a fan-out goes through them a batch at a time. */
export async function letterRecipients(db: DbOrTx, afterId: string | null, limit: number): Promise<Recipient[]> {
  return db
    .select(recipientColumns)
    .from(subscribers)
    .where(and(eq(subscribers.letters, true), eq(subscribers.state, "confirmed"), afterId ? gt(subscribers.id, afterId) : undefined))
    .orderBy(asc(subscribers.id))
    .limit(limit);
}

export async function watcherRecipients(db: DbOrTx, commitmentId: string, afterId: string | null, limit: number): Promise<Recipient[]> {
  return db
    .select(recipientColumns)
    .from(commitmentWatches)
    .innerJoin(subscribers, eq(subscribers.id, commitmentWatches.subscriberId))
    .where(and(eq(commitmentWatches.commitmentId, commitmentId), eq(subscribers.state, "confirmed"), afterId ? gt(subscribers.id, afterId) : undefined))
    .orderBy(asc(subscribers.id))
    .limit(limit);
}

export async function hasWatchers(db: DbOrTx, commitmentId: string) {
  const [row] = await db.select({ one: sql<number>`1` }).from(commitmentWatches).where(eq(commitmentWatches.commitmentId, commitmentId)).limit(1);
  return Boolean(row);
}

/** A commitment a reader may watch: public, with what the pages show of it. */
export async function findPublicCommitment(db: DbOrTx, id: string) {
  const [row] = await db
    .select({ id: commitments.id, statement: commitments.statement, fiscalYear: commitments.fiscalYear, audience: commitments.audience })
    .from(commitments)
    .where(and(eq(commitments.id, id), eq(commitments.audience, "public")));
  return row ?? null;
}

export async function subscriberCounts(db: DbOrTx, now: Date) {
  const byState = await db
    .select({ state: subscribers.state, letters: subscribers.letters, n: count() })
    .from(subscribers)
    .groupBy(subscribers.state, subscribers.letters);
  const [watches] = await db.select({ n: count() }).from(commitmentWatches);
  const [pending] = await db
    .select({ n: count() })
    .from(subscriptionRequests)
    .where(and(isNull(subscriptionRequests.confirmedAt), gt(subscriptionRequests.expiresAt, now)));
  return { byState: byState as Array<{ state: SubscriberState; letters: boolean; n: number }>, watches: watches?.n ?? 0, pending: pending?.n ?? 0 };
}

/** Every subscriber with the number of commitments it watches, by address (export). */
export async function listSubscribersForExport(db: DbOrTx) {
  return db
    .select({
      email: subscribers.email,
      state: subscribers.state,
      letters: subscribers.letters,
      confirmedAt: subscribers.confirmedAt,
      bouncedAt: subscribers.bouncedAt,
      bounceReason: subscribers.bounceReason,
      watches: sql<number>`(select count(*)::int from ${commitmentWatches} where ${commitmentWatches.subscriberId} = ${subscribers.id})`,
    })
    .from(subscribers)
    .orderBy(asc(subscribers.email));
}

/** Bounced addresses, newest first, for the admin page. */
export async function listBouncedSubscribers(db: DbOrTx, limit: number) {
  return db
    .select({ email: subscribers.email, bouncedAt: subscribers.bouncedAt, bounceReason: subscribers.bounceReason })
    .from(subscribers)
    .where(eq(subscribers.state, "bounced"))
    .orderBy(sql`${subscribers.bouncedAt} desc nulls last`)
    .limit(limit);
}

/** A published public letter as its mail to subscribers needs it. */
export async function findPublishedPublicLetter(db: DbOrTx, letterId: string) {
  const [row] = await db
    .select({
      id: letters.id,
      fiscalYear: letters.fiscalYear,
      title: letters.title,
      markdown: letters.publishedMarkdown,
      sha256: letters.sha256,
      publishedAt: letters.publishedAt,
    })
    .from(letters)
    .where(and(eq(letters.id, letterId), eq(letters.status, "published"), eq(letters.audience, "public")));
  return row && row.markdown && row.sha256 && row.publishedAt ? { ...row, markdown: row.markdown, sha256: row.sha256, publishedAt: row.publishedAt } : null;
}

export async function findErratumOfPublicLetter(db: DbOrTx, erratumId: string) {
  const [row] = await db
    .select({ letterId: letterErrata.letterId, body: letterErrata.body, createdAt: letterErrata.createdAt })
    .from(letterErrata)
    .innerJoin(letters, eq(letters.id, letterErrata.letterId))
    .where(and(eq(letterErrata.id, erratumId), eq(letters.audience, "public")));
  return row ?? null;
}
