// Accounts (ADR 0018): one-time links with which a person sets their own password (an
// invitation when they are added, a reset link an admin issues later), changing one's own
// password, and one's own sessions. Tokens are 256 random bits; only their SHA-256 is stored.
import { randomBytes } from "node:crypto";
import type { Database, DbOrTx, Transaction } from "../../db/client";
import {
  ACCOUNT_LINKS_PER_PERSON_PER_HOUR,
  accountLinkExpiry,
  accountLinkPath,
  accountLinkState,
  formatAccountTime,
  signInStatus,
  type AccountLinkPurpose,
  type SignInStatus,
} from "~/domain/accounts";
import type { MailBlock } from "~/domain/mail";
import { findAccountLink, insertAccountLink, markAccountLinkUsed, openLinkOf, revokeOpenLinks } from "~/models/account-link.server";
import { countRequest } from "~/models/api-token.server";
import { ACCOUNT_POLICY } from "~/domain/throttle";
import { clearThrottle, takeAttempt } from "~/models/auth-throttle.server";
import { getOrganisation } from "~/models/organisation.server";
import { deleteOtherSessions, deleteSessionOfUser, listSessionsOfUser } from "~/models/session.server";
import { findPasswordHash, getUserById, hasUsablePassword, setPasswordHash } from "~/models/user.server";
import { COMMON_PASSWORD_MESSAGE, hashPassword, isCommonPassword, verifyPassword } from "~/utils/password.server";
import { hashToken, SESSION_IDLE_MS } from "./auth.server";
import { takeCredentialAllowance } from "./credential-limit.server";
import { queueMail } from "./mail.server";
import { authorize } from "./authorize.server";
import { can } from "~/domain/permissions";
import { fail, ok, type Actor, type Result } from "~/domain/result";
import { NO_CHANGE_LOG, type ChangeLog } from "./change-log.server";

/** Where links point and whether they are mailed: SMTP configured (see accountLinkDelivery). */
export interface LinkDelivery {
  /** APP_URL, or the origin the admin's request came to. */
  baseUrl: string;
  /** Queue a mail with the link (SMTP is configured); otherwise the admin passes it on. */
  mail: boolean;
}

export interface IssuedLink {
  purpose: AccountLinkPurpose;
  /** The whole link. It exists only in this answer (and the mail): the database keeps its hash. */
  url: string;
  expiresAt: Date;
  emailed: boolean;
}

const ADMINS_ONLY = "Only admins can issue sign-in links.";

/**
 * Issues a fresh link for `person` inside the caller's transaction: any open link of theirs is
 * revoked first (one open link per person, which a unique index also enforces), and the mail,
 * when there is one, is written in the same transaction.
 */
export async function issueLinkIn(
  tx: Transaction,
  person: { id: string; name: string; email: string },
  purpose: AccountLinkPurpose,
  createdBy: string | null,
  delivery: LinkDelivery,
  now: Date,
): Promise<IssuedLink> {
  await revokeOpenLinks(tx, person.id, now);
  const token = randomBytes(32).toString("base64url");
  const { expiresAt } = await insertAccountLink(tx, {
    userId: person.id,
    purpose,
    tokenHash: hashToken(token),
    createdBy,
    createdAt: now,
    expiresAt: accountLinkExpiry(purpose, now),
  });
  const url = `${delivery.baseUrl.replace(/\/+$/, "")}${accountLinkPath(token)}`;
  if (delivery.mail) {
    const org = await getOrganisation(tx);
    const until = formatAccountTime(expiresAt, org?.timeZone ?? "UTC");
    const orgName = org?.name ?? "your organisation";
    const blocks: MailBlock[] =
      purpose === "invitation"
        ? [
            { kind: "paragraph", text: `Hello ${person.name}, you have been added to ${orgName}'s Kept. Choose your password with this link to sign in.` },
            { kind: "link", label: "Choose your password", url },
            { kind: "paragraph", text: `The link works once, until ${until}. If it has expired, ask an admin for a new one.` },
          ]
        : [
            { kind: "paragraph", text: `Hello ${person.name}, an admin issued you a link to choose a new password for ${orgName}'s Kept.` },
            { kind: "link", label: "Choose a new password", url },
            { kind: "paragraph", text: `The link works once, until ${until}. Your current password keeps working until you use it.` },
          ];
    await queueMail(
      tx,
      {
        kind: "account",
        to: person.email,
        subject: purpose === "invitation" ? `You are invited to ${orgName} on Kept` : `A link to choose a new Kept password`,
        heading: purpose === "invitation" ? "Choose your password" : "Choose a new password",
        blocks,
        reason: "You get this because an admin of your organisation manages your Kept account.",
      },
      now,
    );
  }
  return { purpose, url, expiresAt, emailed: delivery.mail };
}

/**
 * An admin issues (or re-issues) a person's link. An invitation is only for someone who has
 * never set a password; anyone active can get a reset link. Limited by the admin's credential
 * allowance and, per person, to ACCOUNT_LINKS_PER_PERSON_PER_HOUR.
 */
async function issueAccountLinkUnlogged(
  db: Database,
  actor: Actor,
  userId: string,
  purpose: AccountLinkPurpose,
  delivery: LinkDelivery,
  now: Date,
): Promise<Result<IssuedLink>> {
  const refused = authorize(actor, "people.manage", ADMINS_ONLY);
  if (refused) return refused;
  const person = await getUserById(db, userId);
  if (!person) return fail("NOT_FOUND", "That person does not exist.");
  if (!person.active) return fail("USER.INACTIVE", `${person.name} is deactivated. Reactivate them before issuing a link.`);
  if (purpose === "invitation" && (await hasUsablePassword(db, userId))) {
    return fail("USER.HAS_PASSWORD", `${person.name} has already chosen a password. Issue a reset link instead.`);
  }
  const allowance = await takeCredentialAllowance(db, actor.id, now);
  if (!allowance.ok) return allowance;
  const hour = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
  const issued = await countRequest(db, `account-links:${userId}`, hour);
  if (issued > ACCOUNT_LINKS_PER_PERSON_PER_HOUR) {
    const retryAfter = Math.max(1, Math.ceil((hour.getTime() + 3_600_000 - now.getTime()) / 1000));
    return fail(
      "CREDENTIALS.RATE_LIMITED",
      `${ACCOUNT_LINKS_PER_PERSON_PER_HOUR} links for ${person.name} within an hour is the most Kept issues. Try again in ${Math.ceil(retryAfter / 60)} minutes.`,
      undefined,
      { retryAfter },
    );
  }
  return ok(await db.transaction((tx) => issueLinkIn(tx, person, purpose, actor.id, delivery, now)));
}

/** An admin withdraws a person's open link; it stops working at once. */
async function revokeAccountLinkUnlogged(db: Database, actor: Actor, userId: string, now: Date): Promise<Result<{ revoked: number }>> {
  const refused = authorize(actor, "people.manage", ADMINS_ONLY);
  if (refused) return refused;
  const person = await getUserById(db, userId);
  if (!person) return fail("NOT_FOUND", "That person does not exist.");
  return ok({ revoked: await revokeOpenLinks(db, userId, now) });
}

/** What an admin sees about a person's sign-in: a password, a pending invitation, a pending reset. */
export async function signInStatusOf(db: DbOrTx, actor: Actor, userId: string, now: Date): Promise<SignInStatus | null> {
  if (!can(actor, "people.manage")) return null;
  const [usable, link] = await Promise.all([hasUsablePassword(db, userId), openLinkOf(db, userId)]);
  return signInStatus(usable, link, now);
}

const LINK_PROBLEMS = {
  unknown: fail("LINK.UNKNOWN", "This link is not one Kept issued. Check that it was copied whole, or ask an admin for a new one."),
  used: fail("LINK.USED", "This link has already been used. Each link works once: sign in with the password you chose, or ask an admin for a new link."),
  revoked: fail("LINK.REVOKED", "This link was withdrawn, usually because a newer one was issued. Use the newest link you were given, or ask an admin."),
  expired: fail("LINK.EXPIRED", "This link has expired. Ask an admin of your organisation to issue a new one."),
} as const;

/** Who a link is for, when it still works; otherwise why not (for the page a link opens). */
export async function readAccountLink(
  db: DbOrTx,
  token: string,
  now: Date,
): Promise<Result<{ purpose: AccountLinkPurpose; name: string; email: string; expiresAt: Date }>> {
  if (!token || token.length > 200) return LINK_PROBLEMS.unknown;
  const link = await findAccountLink(db, hashToken(token));
  if (!link) return LINK_PROBLEMS.unknown;
  if (!link.active) return LINK_PROBLEMS.revoked;
  const state = accountLinkState(link, now);
  if (state !== "open") return LINK_PROBLEMS[state];
  return ok({ purpose: link.purpose, name: link.name, email: link.email, expiresAt: link.expiresAt });
}

/**
 * Sets the password through a link: the link is checked and spent under a row lock, in one
 * transaction with the new password and the end of every session the person had, so a link
 * replayed at the same moment finds it used.
 */
export async function redeemAccountLink(
  db: Database,
  token: string,
  password: string,
  now: Date,
): Promise<Result<{ userId: string; email: string; purpose: AccountLinkPurpose }>> {
  const readable = await readAccountLink(db, token, now);
  if (!readable.ok) return readable;
  if (await isCommonPassword(password)) return fail("VALIDATION", COMMON_PASSWORD_MESSAGE, "password");
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const link = await findAccountLink(tx, hashToken(token), { forUpdate: true });
    if (!link) return LINK_PROBLEMS.unknown;
    if (!link.active) return LINK_PROBLEMS.revoked;
    const state = accountLinkState(link, now);
    if (state !== "open") return LINK_PROBLEMS[state];
    if (!(await markAccountLinkUsed(tx, link.id, now))) return LINK_PROBLEMS.used;
    await setPasswordHash(tx, link.userId, passwordHash);
    // Whoever held a session before the reset (say, on a lost laptop) is out now.
    await deleteOtherSessions(tx, link.userId, null);
    return ok({ userId: link.userId, email: link.email, purpose: link.purpose });
  });
}

/**
 * A signed-in person changes their own password: the current one must be right (counted like
 * failed sign-ins, so a borrowed session cannot guess it), every other session ends, this one
 * stays, and any open link of theirs is withdrawn.
 */
export async function changeOwnPassword(
  db: Database,
  user: { id: string; email: string },
  input: { currentPassword: string; newPassword: string; currentToken: string },
  now: Date,
): Promise<Result<{ signedOut: number }>> {
  const key = `account:${user.email}`;
  const attempt = await takeAttempt(db, key, ACCOUNT_POLICY, now);
  if (!attempt.allowed) {
    return fail("AUTH.THROTTLED", `Too many wrong passwords. Try again in ${Math.max(1, Math.ceil(attempt.retryAfter / 60))} minute(s).`, "currentPassword", {
      retryAfter: attempt.retryAfter,
    });
  }
  const stored = await findPasswordHash(db, user.id);
  if (!(await verifyPassword(stored, input.currentPassword))) {
    return fail("AUTH.INVALID_CREDENTIALS", "That is not your current password.", "currentPassword");
  }
  await clearThrottle(db, [key]);
  if (input.newPassword === input.currentPassword) {
    return fail("VALIDATION", "Choose a password different from your current one.", "newPassword");
  }
  if (await isCommonPassword(input.newPassword)) return fail("VALIDATION", COMMON_PASSWORD_MESSAGE, "newPassword");
  const passwordHash = await hashPassword(input.newPassword);
  return db.transaction(async (tx) => {
    await setPasswordHash(tx, user.id, passwordHash);
    await revokeOpenLinks(tx, user.id, now);
    const signedOut = await deleteOtherSessions(tx, user.id, hashToken(input.currentToken));
    return ok({ signedOut });
  });
}

export interface SessionView {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  userAgent: string | null;
  current: boolean;
}

/** The person's own live sessions. There is no way to ask for anyone else's. */
export async function ownSessions(db: DbOrTx, userId: string, currentToken: string, now: Date, idleMs: number = SESSION_IDLE_MS): Promise<SessionView[]> {
  const currentHash = hashToken(currentToken);
  const rows = await listSessionsOfUser(db, userId, now, new Date(now.getTime() - idleMs));
  return rows.map(({ tokenHash, ...row }) => ({ ...row, current: tokenHash === currentHash }));
}

/** Ends one of the person's own sessions, never the current one (that is what Sign out is for). */
export async function endOwnSession(db: DbOrTx, userId: string, currentToken: string, sessionId: string): Promise<Result<null>> {
  if (!(await deleteSessionOfUser(db, userId, sessionId, hashToken(currentToken)))) {
    return fail("NOT_FOUND", "That session has already ended.", "sessionId");
  }
  return ok(null);
}

export async function endOtherSessions(db: DbOrTx, userId: string, currentToken: string): Promise<number> {
  return deleteOtherSessions(db, userId, hashToken(currentToken));
}

/** issueAccountLink, and its line in the change log: the same line whether the UI or the API asked. */
export async function issueAccountLink(db: Database, actor: Actor, userId: string, purpose: AccountLinkPurpose, delivery: LinkDelivery, now: Date, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await issueAccountLinkUnlogged(db, actor, userId, purpose, delivery, now);
  if (result.ok) log.info({ userId, by: actor.id, purpose, emailed: result.value.emailed }, "sign-in link issued");
  return result;
}

/** revokeAccountLink, and its line in the change log: the same line whether the UI or the API asked. */
export async function revokeAccountLink(db: Database, actor: Actor, userId: string, now: Date, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await revokeAccountLinkUnlogged(db, actor, userId, now);
  if (result.ok) log.info({ userId, by: actor.id, revoked: result.value.revoked }, "sign-in link revoked");
  return result;
}
