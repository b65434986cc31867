import { createHash, randomBytes } from "node:crypto";
import type { Database } from "../../db/client";
import { ACCOUNT_POLICY, ADDRESS_POLICY, currentFailures, retryAfterSeconds, slowdownMs } from "~/domain/throttle";
import { clearThrottle, getThrottleStates, recordFailure, releaseAttempt } from "~/models/auth-throttle.server";
import { deleteSession, findSessionUser, insertSession } from "~/models/session.server";
import { findCredentialsByEmail, type PublicUser } from "~/models/user.server";
import { verifyPassword } from "~/utils/password.server";
import { fail, ok, type Result } from "./result";

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

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
  const accountKey = `account:${input.email}`;
  const addressKey = `ip:${input.ip}`;
  const before = await getThrottleStates(db, [accountKey, addressKey]);
  const now = deps.now();
  const wait = Math.max(retryAfterSeconds(before.get(accountKey), now), retryAfterSeconds(before.get(addressKey), now));
  if (wait > 0) {
    return fail("AUTH.THROTTLED", `Too many failed sign-ins. Try again in ${formatWait(wait)}.`, undefined, {
      retryAfter: wait,
    });
  }

  // Count the attempt before checking the password, in one atomic upsert per key: parallel
  // guesses each get their own number, and only the first few are checked at all.
  const [account, address] = await Promise.all([
    recordFailure(db, accountKey, ACCOUNT_POLICY, now),
    recordFailure(db, addressKey, ADDRESS_POLICY, now),
  ]);
  if (account.failures > ACCOUNT_POLICY.maxFailures || address.failures > ADDRESS_POLICY.maxFailures) {
    const retry = Math.max(retryAfterSeconds(account, now), retryAfterSeconds(address, now), 1);
    return fail("AUTH.THROTTLED", `Too many failed sign-ins. Try again in ${formatWait(retry)}.`, undefined, {
      retryAfter: retry,
    });
  }

  const credentials = await findCredentialsByEmail(db, input.email);
  const passwordOk = await verifyPassword(credentials?.passwordHash ?? null, input.password);
  if (!credentials || !passwordOk || !credentials.active) {
    // Unknown emails count too, so the throttle does not reveal which accounts exist.
    const failures = Math.max(
      currentFailures(account, ACCOUNT_POLICY, now),
      Math.floor(currentFailures(address, ADDRESS_POLICY, now) / 4),
    );
    await deps.sleep(slowdownMs(failures));
    return fail("AUTH.INVALID_CREDENTIALS", "That email and password do not match an active account.", "password");
  }

  // A successful sign-in was counted as an attempt above; give it back.
  await releaseAttempt(db, addressKey, ADDRESS_POLICY);
  await clearThrottle(db, accountKey);
  if (input.previousToken) await deleteSession(db, hashToken(input.previousToken));
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await insertSession(db, { tokenHash: hashToken(token), userId: credentials.id, expiresAt, userAgent: input.userAgent?.slice(0, 300) ?? null });
  return ok({ token, userId: credentials.id, expiresAt });
}

export async function userForToken(db: Database, token: string, now: Date): Promise<PublicUser | null> {
  if (!token || token.length > 200) return null;
  return findSessionUser(db, hashToken(token), now);
}

export async function logout(db: Database, token: string) {
  await deleteSession(db, hashToken(token));
}

function formatWait(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? "1 second" : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}
