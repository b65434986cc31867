import { randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

// argon2id is the library default (algorithm 2). OWASP's baseline (19 MiB, 2 iterations, 1 lane): strong, and fast enough that a
// login costs tens of milliseconds on a small server.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// Verifying against this when the account does not exist keeps "no such user" and "wrong
// password" equally slow, so response time does not reveal which emails have accounts.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (storedHash === null) {
    dummyHash ??= hashPassword("kept-timing-equaliser");
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

// The most common passwords from breaches, as zxcvbn-ts ships them (about 50,000; only the
// ones long enough to pass our length rule matter). Loaded once, on first use, server-side
// only: the list never reaches the browser bundle.
let commonPasswords: Promise<Set<string>> | undefined;

function loadCommonPasswords(): Promise<Set<string>> {
  commonPasswords ??= import("@zxcvbn-ts/language-common").then(
    ({ dictionary }) => new Set(dictionary["passwords-common"].filter((p) => p.length >= 8)),
  );
  return commonPasswords;
}

export const COMMON_PASSWORD_MESSAGE =
  "That password is one of the most common passwords, which attackers try first. Choose a longer phrase of your own.";

/** Whether a new password is on the common-password list (case does not matter). */
export async function isCommonPassword(password: string): Promise<boolean> {
  return (await loadCommonPasswords()).has(password.trim().toLowerCase());
}

/**
 * A stored "hash" no password can match (it is not an argon2 hash at all), for people who
 * have not chosen a password yet: invited or imported. The "!" prefix is how Kept tells
 * them apart from people who have one (hasUsablePassword).
 */
export function unusablePasswordHash(reason: "invited" | "imported"): string {
  return `!${reason}:${randomBytes(24).toString("base64url")}`;
}
