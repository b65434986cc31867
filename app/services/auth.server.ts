import { createHash, randomBytes } from "node:crypto";
import type { Database } from "../../db/client";
import { ACCOUNT_POLICY, ADDRESS_POLICY, PAIR_POLICY, slowdownMs } from "~/domain/throttle";
import { clearThrottle, releaseAttempt, takeAttempt } from "~/models/auth-throttle.server";
import { deleteSession, findSessionUser, insertSession, touchSession } from "~/models/session.server";
import { findCredentialsByEmail, type PublicUser } from "~/models/user.server";
import { verifyPassword } from "~/utils/password.server";
import { fail, ok, type Result } from "~/domain/result";

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** A session unused this long ends, whatever its absolute expiry (SESSION_IDLE_DAYS). */
export const SESSION_IDLE_MS = 7 * 24 * 60 * 60 * 1000;
/** last_seen_at is written at most this often per session, so reads do not all become writes. */
export const SESSION_TOUCH_EVERY_MS = 60 * 60 * 1000;

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export interface LoginInput {
  email: string;
  password: string;
  ip: string;
  userAgent: string | null;
  /** The session cookie the browser already had, if any: it is ended so the id changes. */
  previousToken?: string | null;
}

export interface LoginDeps {
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
}

const defaultDeps: LoginDeps = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export async function login(
  db: Database,
  input: LoginInput,
  deps: LoginDeps = defaultDeps,
): Promise<Result<{ token: string; userId: string; expiresAt: Date }>> {
  const now = deps.now();
  const keys = throttleKeys(input.email, input.ip);
  const throttled = (retryAfter: number) =>
    fail("AUTH.THROTTLED", `Too many failed sign-ins. Try again in ${formatWait(retryAfter)}.`, undefined, { retryAfter });

  // Each key counts the attempt before the password is checked (a success gives it back), in
  // order from the narrowest to the widest: a refused key stops the attempt there, and keys
  // already counted for an attempt that never ran are given back.
  const address = await takeAttempt(db, keys.address, ADDRESS_POLICY, now);
  if (!address.allowed) return throttled(address.retryAfter);
  const pair = await takeAttempt(db, keys.pair, PAIR_POLICY, now);
  if (!pair.allowed) {
    await releaseAttempt(db, keys.address, ADDRESS_POLICY);
    return throttled(pair.retryAfter);
  }
  const account = await takeAttempt(db, keys.account, ACCOUNT_POLICY, now);
  if (!account.allowed) {
    await releaseAttempt(db, keys.pair, PAIR_POLICY);
    await releaseAttempt(db, keys.address, ADDRESS_POLICY);
    return throttled(account.retryAfter);
  }

  const credentials = await findCredentialsByEmail(db, input.email);
  const passwordOk = await verifyPassword(credentials?.passwordHash ?? null, input.password);
  if (!credentials || !passwordOk || !credentials.active) {
    // Unknown emails count too, so the throttle does not reveal which accounts exist.
    const failures = Math.max(account.next.failures, pair.next.failures, Math.floor(address.next.failures / 4));
    await deps.sleep(slowdownMs(failures));
    return fail("AUTH.INVALID_CREDENTIALS", "That email and password do not match an active account.", "password");
  }

  // A successful sign-in was counted as an attempt above; give it back. The account's own
  // counters start again; the address's other failures are not this account's to clear.
  await releaseAttempt(db, keys.address, ADDRESS_POLICY);
  await clearThrottle(db, [keys.pair, keys.account]);
  if (input.previousToken) await deleteSession(db, hashToken(input.previousToken));
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await insertSession(db, { tokenHash: hashToken(token), userId: credentials.id, expiresAt, lastSeenAt: now, userAgent: input.userAgent?.slice(0, 300) ?? null });
  return ok({ token, userId: credentials.id, expiresAt });
}

/** The throttle's keys for one attempt (ADR 0010). */
export function throttleKeys(email: string, ip: string) {
  return { address: `ip:${ip}`, pair: `pair:${email}|${ip}`, account: `account:${email}` };
}

export async function userForToken(db: Database, token: string, now: Date, idleMs: number = SESSION_IDLE_MS): Promise<PublicUser | null> {
  if (!token || token.length > 200) return null;
  const tokenHash = hashToken(token);
  const found = await findSessionUser(db, tokenHash, now, new Date(now.getTime() - idleMs));
  if (!found) return null;
  const { lastSeenAt, ...user } = found;
  if (now.getTime() - lastSeenAt.getTime() >= SESSION_TOUCH_EVERY_MS) await touchSession(db, tokenHash, now);
  return user;
}

export async function logout(db: Database, token: string) {
  await deleteSession(db, hashToken(token));
}

function formatWait(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? "1 second" : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}
