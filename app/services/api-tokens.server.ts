// Personal access tokens: shown once, stored as a hash, found by a public prefix, compared in
// constant time, revocable by their owner or an admin, acting with their user's rights only.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Database } from "../../db/client";
import { findTokenByPrefix, getToken, insertToken, listTokensOfUser, markRevoked, TOKEN_TOUCH_EVERY_MS } from "~/models/api-token.server";
import { takeCredentialAllowance } from "./credential-limit.server";
import { authorizeOwned } from "./authorize.server";
import { mayEverWrite } from "~/domain/permissions";
import { fail, ok, type Actor, type Result } from "~/domain/result";
import { NO_CHANGE_LOG, type ChangeLog } from "./change-log.server";

const PREFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
const TOKEN_PATTERN = /^kept_([a-z0-9]{10})_([A-Za-z0-9_-]{43})$/;

function sha256(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

function randomPrefix(): string {
  const bytes = randomBytes(10);
  return Array.from(bytes, (b) => PREFIX_ALPHABET[b % PREFIX_ALPHABET.length]).join("");
}

async function createTokenUnlogged(
  db: Database,
  actor: Actor,
  input: { name: string; scope: "read" | "write"; expiresAt: Date | null },
  now: Date,
) {
  if (input.expiresAt && input.expiresAt <= now) return fail("VALIDATION", "Choose an expiry date in the future.", "expiresAt");
  // Viewers change nothing anywhere, so a write token would be a promise the server won't keep.
  if (input.scope === "write" && !mayEverWrite(actor)) {
    return fail("VALIDATION", "Viewers can only have read tokens.", "scope");
  }
  const allowance = await takeCredentialAllowance(db, actor.id, now);
  if (!allowance.ok) return allowance;
  const secret = randomBytes(32).toString("base64url");
  const prefix = randomPrefix();
  const row = await insertToken(db, {
    userId: actor.id,
    name: input.name,
    prefix,
    secretHash: sha256(secret).toString("hex"),
    scope: input.scope,
    expiresAt: input.expiresAt,
    createdAt: now,
  });
  return ok({ token: `kept_${prefix}_${secret}`, row });
}

export function listTokens(db: Database, userId: string) {
  return listTokensOfUser(db, userId);
}

async function revokeTokenUnlogged(db: Database, actor: Actor, tokenId: string, now: Date): Promise<Result<null>> {
  const token = await getToken(db, tokenId);
  if (!token) return fail("NOT_FOUND", "That token does not exist.");
  const refused = authorizeOwned(actor, "tokens.manage", token.userId, "You can only revoke your own tokens.");
  if (refused) return refused;
  await markRevoked(db, tokenId, actor.id, now);
  return ok(null);
}

export type ApiPrincipal = {
  tokenId: string;
  scope: "read" | "write";
  user: { id: string; name: string; email: string; role: "admin" | "member" | "viewer" };
  /** The token's last use is older than the touch interval: record it with this request's count. */
  touchDue?: boolean;
};

/** The principal behind a bearer token, or null for anything not currently valid. */
export async function authenticateToken(db: Database, raw: string, now: Date): Promise<ApiPrincipal | null> {
  const match = TOKEN_PATTERN.exec(raw);
  if (!match) return null;
  const row = await findTokenByPrefix(db, match[1]!);
  if (!row) return null;
  const expected = Buffer.from(row.secretHash, "hex");
  const actual = sha256(match[2]!);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  if (row.revokedAt || (row.expiresAt && row.expiresAt <= now) || !row.user.active) return null;
  return {
    tokenId: row.id,
    scope: row.scope,
    user: { id: row.user.id, name: row.user.name, email: row.user.email, role: row.user.role },
    touchDue: !row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= TOKEN_TOUCH_EVERY_MS,
  };
}

/** createToken, and its line in the change log: the same line whether the UI or the API asked. */
export async function createToken(db: Database, actor: Actor, input: { name: string; scope: "read" | "write"; expiresAt: Date | null }, now: Date, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await createTokenUnlogged(db, actor, input, now);
  if (result.ok) log.info({ tokenId: result.value.row.id, scope: input.scope, by: actor.id }, "API token created");
  return result;
}

/** revokeToken, and its line in the change log: the same line whether the UI or the API asked. */
export async function revokeToken(db: Database, actor: Actor, tokenId: string, now: Date, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await revokeTokenUnlogged(db, actor, tokenId, now);
  if (result.ok) log.info({ tokenId, by: actor.id }, "API token revoked");
  return result;
}
