// Readers who subscribe (ADR 0013): double opt-in for the public letters and for watching a
// public commitment; mail to every confirmed subscriber, fanned out from the queue, when a
// letter is published, an erratum appended or a watched commitment re-scoped or resolved; and
// unsubscribe that deletes the address. Addresses are never shown on the public site.
import { createHash, randomBytes } from "node:crypto";
import type { Database, DbOrTx, Transaction } from "../../db/client";
import { letterPath } from "~/domain/letter-publish";
import {
  alreadySubscribedMail,
  confirmationExpiry,
  confirmationMail,
  confirmationState,
  erratumMail,
  letterMail,
  SUBSCRIBE_REQUESTS_PER_ADDRESS_HOUR,
  SUBSCRIBE_REQUESTS_PER_MAILBOX_HOUR,
  targetText,
  watchMail,
  type MailWords,
  type Sender,
  type SubscriptionTarget,
  type WatchedChange,
} from "~/domain/subscriptions";
import { countRequest } from "~/models/api-token.server";
import { enqueue } from "~/models/jobs.server";
import { getOrganisation } from "~/models/organisation.server";
import {
  deleteStaleRequests,
  deleteSubscriberEverywhere,
  findErratumOfPublicLetter,
  findPublicCommitment,
  findPublishedPublicLetter,
  findSubscriberByEmail,
  findSubscriberByToken,
  findSubscriptionRequest,
  hasWatchers,
  insertSubscriptionRequest,
  insertWatch,
  isWatching,
  letterRecipients,
  listBouncedSubscribers,
  listSubscribersForExport,
  markRequestConfirmed,
  markSubscriberBounced,
  subscriberCounts,
  upsertSubscriber,
  watcherRecipients,
  type Recipient,
} from "~/models/subscription.server";
import { queueMail } from "./mail.server";
import { authorize } from "./authorize.server";
import { fail, ok, type Actor, type Result } from "~/domain/result";

const HOUR = 3_600_000;
/** Requests are forgotten (address and all) this long after their link expired. */
const FORGET_REQUESTS_AFTER_MS = 7 * 24 * HOUR;
/** Messages written per fan-out job; the next batch is a job of its own. */
export const FAN_OUT_BATCH = 100;

function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

function newToken(): string {
  return randomBytes(24).toString("base64url");
}

/** Tokens Kept makes are 32 characters of base64url; anything else is not looked up. */
function plausibleToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{16,100}$/.test(token);
}

async function senderOf(db: DbOrTx): Promise<Sender> {
  const org = await getOrganisation(db);
  return { organisationName: org?.name ?? "Kept", timeZone: org?.timeZone ?? "UTC" };
}

export function readerUnsubscribeUrl(baseUrl: string, token: string): string {
  return `${baseUrl}/unsubscribe/${token}`;
}

/** Whether the public site, and so subscribing, is open. */
async function publicSiteOpen(db: DbOrTx): Promise<boolean> {
  return (await getOrganisation(db))?.publicSiteEnabled ?? false;
}

async function targetOf(db: DbOrTx, commitmentId: string | null): Promise<SubscriptionTarget | null> {
  if (!commitmentId) return { kind: "letters" };
  const commitment = await findPublicCommitment(db, commitmentId);
  return commitment ? { kind: "commitment", statement: commitment.statement } : null;
}

export interface SubscribeInput {
  email: string;
  /** null: the public letters; else the public commitment to watch. */
  commitmentId: string | null;
  clientIp: string;
}

/**
 * "Please send me …": mails a confirmation link (or, when the address already gets it, says so)
 * and answers the same either way, so the form never tells anyone whether an address subscribes.
 */
export async function requestSubscription(db: Database, input: SubscribeInput, now: Date, baseUrl: string): Promise<Result<{ email: string }>> {
  if (!(await publicSiteOpen(db))) return fail("NOT_FOUND", "The public site is switched off.");
  const target = await targetOf(db, input.commitmentId);
  if (!target) return fail("NOT_FOUND", "There is no such public commitment.");
  const windowStart = new Date(Math.floor(now.getTime() / HOUR) * HOUR);
  const retryAfter = Math.max(1, Math.ceil((windowStart.getTime() + HOUR - now.getTime()) / 1000));
  if ((await countRequest(db, `subscribe:ip:${input.clientIp}`, windowStart)) > SUBSCRIBE_REQUESTS_PER_ADDRESS_HOUR) {
    return fail("SUBSCRIPTION.THROTTLED", `Too many subscription requests from your network. Try again in ${Math.ceil(retryAfter / 60)} minutes.`, undefined, { retryAfter });
  }
  // Per mailbox the limit is silent: the answer is the same, only no more mail goes out, so
  // nobody can flood an address with confirmations or learn anything from a refusal.
  if ((await countRequest(db, `subscribe:to:${hashToken(input.email)}`, windowStart)) > SUBSCRIBE_REQUESTS_PER_MAILBOX_HOUR) {
    return ok({ email: input.email });
  }
  const sender = await senderOf(db);
  await db.transaction(async (tx) => {
    await deleteStaleRequests(tx, new Date(now.getTime() - FORGET_REQUESTS_AFTER_MS));
    const existing = await findSubscriberByEmail(tx, input.email);
    const already =
      existing?.state === "confirmed" && (input.commitmentId ? await isWatching(tx, existing.id, input.commitmentId) : existing.letters);
    let words: MailWords;
    if (already && existing) {
      words = alreadySubscribedMail(sender, target, readerUnsubscribeUrl(baseUrl, existing.unsubscribeToken));
    } else {
      const token = newToken();
      const expiresAt = confirmationExpiry(now);
      await insertSubscriptionRequest(tx, { tokenHash: hashToken(token), email: input.email, commitmentId: input.commitmentId, createdAt: now, expiresAt });
      words = confirmationMail(sender, target, `${baseUrl}/subscribe/confirm/${token}`, expiresAt);
    }
    await queueMail(tx, { kind: "confirmation", to: input.email, ...words }, now);
  });
  return ok({ email: input.email });
}

export type ConfirmationView =
  | { state: "unknown" }
  | { state: "valid" | "used" | "expired"; what: string; expiresAt: Date; target: "letters" | "commitment"; commitmentId: string | null };

/** What a confirmation link stands for, without acting on it (a GET; link scanners follow links). */
export async function readConfirmation(db: DbOrTx, token: string, now: Date): Promise<ConfirmationView> {
  if (!plausibleToken(token)) return { state: "unknown" };
  const request = await findSubscriptionRequest(db, hashToken(token));
  if (!request) return { state: "unknown" };
  const sender = await senderOf(db);
  const target = await targetOf(db, request.commitmentId);
  if (!target) return { state: "unknown" };
  return {
    state: confirmationState(request, now),
    what: targetText(target, sender.organisationName),
    expiresAt: request.expiresAt,
    target: target.kind,
    commitmentId: request.commitmentId,
  };
}

/** Follows a confirmation link: the address is stored, subscribed or watching, from now on. */
export async function confirmSubscription(db: Database, token: string, now: Date): Promise<Result<{ email: string; what: string }>> {
  if (!plausibleToken(token)) return fail("NOT_FOUND", "This confirmation link is not valid. Check that it was copied whole, or subscribe again.");
  return db.transaction(async (tx) => {
    const request = await findSubscriptionRequest(tx, hashToken(token), { lock: true });
    if (!request) return fail("NOT_FOUND", "This confirmation link is not valid. Check that it was copied whole, or subscribe again.");
    const target = await targetOf(tx, request.commitmentId);
    if (!target) return fail("NOT_FOUND", "The commitment this link was for is no longer public.");
    const what = targetText(target, (await senderOf(tx)).organisationName);
    const state = confirmationState(request, now);
    if (state === "used") return fail("SUBSCRIPTION.USED", `This link was already used. If you have not unsubscribed since, you get ${what}.`);
    if (state === "expired") return fail("SUBSCRIPTION.EXPIRED", "This confirmation link has expired. Subscribe again to get a new one.");
    const subscriber = await upsertSubscriber(tx, { email: request.email, letters: target.kind === "letters", unsubscribeToken: newToken(), confirmedAt: now });
    if (request.commitmentId) await insertWatch(tx, subscriber.id, request.commitmentId, now);
    await markRequestConfirmed(tx, request.id, now);
    return ok({ email: request.email, what });
  });
}

/** Unsubscribe from a reader's mail: the address and all its watches are deleted. */
export async function unsubscribeReader(db: Database, token: string): Promise<Result<{ email: string; watches: number }>> {
  if (!plausibleToken(token)) return fail("NOT_FOUND", "This unsubscribe link is not valid (it may be from an address that was already removed).");
  return db.transaction(async (tx) => {
    const subscriber = await findSubscriberByToken(tx, token);
    if (!subscriber) return fail("NOT_FOUND", "This unsubscribe link is not valid (it may be from an address that was already removed).");
    const { watches } = await deleteSubscriberEverywhere(tx, subscriber.id, subscriber.email);
    return ok({ email: subscriber.email, watches });
  });
}

/** Told by mail delivery when an address is refused for good: a subscriber gets no more mail. */
export async function noteBounce(db: DbOrTx, address: string, reason: string, now: Date): Promise<boolean> {
  return markSubscriberBounced(db, address.toLowerCase(), reason, now);
}

// ---------------------------------------------------------------------------------------------
// Announcing: a small call inside the transaction of the change, so the fan-out job exists
// exactly when the change committed. The job reads the frozen letter, erratum or revision.

export type FanOut =
  | { event: "letter"; letterId: string; after?: string }
  | { event: "erratum"; erratumId: string; after?: string }
  | { event: "commitment"; commitmentId: string; change: Omit<WatchedChange, "statement" | "url" | "at"> & { at: string }; after?: string };

/** Call in the publishing transaction. Internal letters go to nobody outside. */
export async function announceLetter(tx: Transaction, letter: { id: string; audience: string }) {
  if (letter.audience !== "public") return;
  await enqueue<FanOut>(tx, "kept-subscribers", { event: "letter", letterId: letter.id });
}

/** Call in the erratum's transaction. */
export async function announceErratum(tx: Transaction, erratum: { id: string }, letter: { audience: string }) {
  if (letter.audience !== "public") return;
  await enqueue<FanOut>(tx, "kept-subscribers", { event: "erratum", erratumId: erratum.id });
}

/** Call in the transaction of a re-scope or an outcome: watchers hear of it while it is public. */
export async function announceCommitmentChange(
  tx: DbOrTx,
  commitment: { id: string; audience: string },
  change: { kind: WatchedChange["kind"]; changes: WatchedChange["changes"]; reason: string | null; at: Date },
) {
  if (commitment.audience !== "public" || !(await hasWatchers(tx, commitment.id))) return;
  await enqueue<FanOut>(tx, "kept-subscribers", {
    event: "commitment",
    commitmentId: commitment.id,
    change: { kind: change.kind, changes: change.changes, reason: change.reason, at: change.at.toISOString() },
  });
}

/**
 * One batch of a fan-out: a message (row + delivery job) per recipient and, when more remain,
 * the job for the next batch — all in one transaction, so a retried batch starts clean.
 */
export async function runFanOut(db: Database, job: FanOut, now: Date, baseUrl: string): Promise<{ queued: number; more: boolean }> {
  return db.transaction(async (tx) => {
    const sender = await senderOf(tx);
    let words: MailWords | null = null;
    let recipients: Recipient[] = [];
    let kind: "letter" | "commitment" = "letter";
    const after = job.after ?? null;
    if (job.event === "letter") {
      const letter = await findPublishedPublicLetter(tx, job.letterId);
      if (letter) {
        words = letterMail(sender, { ...letter, url: `${baseUrl}${letterPath(letter.fiscalYear, "public")}` });
        recipients = await letterRecipients(tx, after, FAN_OUT_BATCH);
      }
    } else if (job.event === "erratum") {
      const erratum = await findErratumOfPublicLetter(tx, job.erratumId);
      const letter = erratum ? await findPublishedPublicLetter(tx, erratum.letterId) : null;
      if (erratum && letter) {
        words = erratumMail(sender, { ...letter, url: `${baseUrl}${letterPath(letter.fiscalYear, "public")}` }, erratum);
        recipients = await letterRecipients(tx, after, FAN_OUT_BATCH);
      }
    } else {
      kind = "commitment";
      const commitment = await findPublicCommitment(tx, job.commitmentId);
      if (commitment) {
        words = watchMail(sender, {
          ...job.change,
          at: new Date(job.change.at),
          statement: commitment.statement,
          url: `${baseUrl}/ledger?year=${commitment.fiscalYear}`,
        });
        recipients = await watcherRecipients(tx, commitment.id, after, FAN_OUT_BATCH);
      }
    }
    if (!words) return { queued: 0, more: false };
    for (const recipient of recipients) {
      await queueMail(tx, { kind, to: recipient.email, ...words, unsubscribeUrl: readerUnsubscribeUrl(baseUrl, recipient.unsubscribeToken) }, now);
    }
    const more = recipients.length === FAN_OUT_BATCH;
    if (more) await enqueue<FanOut>(tx, "kept-subscribers", { ...job, after: recipients.at(-1)!.id });
    return { queued: recipients.length, more };
  });
}

// ---------------------------------------------------------------------------------------------
// Admins

export async function subscriberOverview(db: DbOrTx, actor: Actor, now: Date) {
  const refused = authorize(actor, "organisation.manage", "Only admins can see subscribers.");
  if (refused) return refused;
  const [counts, bounced] = await Promise.all([subscriberCounts(db, now), listBouncedSubscribers(db, 50)]);
  const total = (filter: (row: { state: string; letters: boolean }) => boolean) => counts.byState.filter(filter).reduce((sum, row) => sum + Number(row.n), 0);
  return ok({
    confirmed: total((r) => r.state === "confirmed"),
    letters: total((r) => r.state === "confirmed" && r.letters),
    bounced: total((r) => r.state === "bounced"),
    watches: Number(counts.watches),
    pending: Number(counts.pending),
    bouncedList: bounced,
  });
}

export async function subscribersForExport(db: DbOrTx, actor: Actor) {
  const refused = authorize(actor, "organisation.manage", "Only admins can export subscribers.");
  if (refused) return refused;
  return ok(await listSubscribersForExport(db));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the public subscribe page shows, or null when there is nothing to subscribe to (site off, no such public commitment). */
export async function subscribePage(db: DbOrTx, commitmentId: string | null) {
  const org = await getOrganisation(db);
  if (!org?.publicSiteEnabled) return null;
  if (commitmentId === null) return { organisationName: org.name, commitment: null };
  const commitment = UUID.test(commitmentId) ? await findPublicCommitment(db, commitmentId) : null;
  return commitment ? { organisationName: org.name, commitment: { id: commitment.id, statement: commitment.statement } } : null;
}
