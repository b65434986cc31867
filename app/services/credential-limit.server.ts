// Every action that mints a credential (an API token, a person with a password) is limited
// per acting person, so a stolen session or a runaway script cannot mint without bound.
// Counted in the database, so the limit holds across app processes.
import type { DbOrTx } from "../../db/client";
import { countRequest } from "~/models/api-token.server";
import { fail, ok, type Result } from "~/domain/result";

/** The default; operators set their own with CREDENTIALS_PER_HOUR (README, Configuration). */
export const CREDENTIALS_PER_HOUR = 20;

/**
 * The hourly allowance this deployment configured. Read from the environment where it is used:
 * the server entry and the Remix build are separate bundles, so a value set in one module copy
 * would not reach the other. loadEnvOrExit has already refused a malformed value at start.
 */
export function credentialsPerHour(source: Record<string, string | undefined> = process.env): number {
  const configured = Number(source.CREDENTIALS_PER_HOUR);
  return Number.isInteger(configured) && configured >= 1 ? configured : CREDENTIALS_PER_HOUR;
}

const HOUR = 60 * 60_000;

export async function takeCredentialAllowance(db: DbOrTx, actorId: string, now: Date): Promise<Result<null>> {
  const windowStart = new Date(Math.floor(now.getTime() / HOUR) * HOUR);
  const perHour = credentialsPerHour();
  const count = await countRequest(db, `credentials:${actorId}`, windowStart);
  if (count <= perHour) return ok(null);
  const retryAfter = Math.max(1, Math.ceil((windowStart.getTime() + HOUR - now.getTime()) / 1000));
  return fail(
    "CREDENTIALS.RATE_LIMITED",
    `You can create at most ${perHour} tokens or people an hour. Try again in ${Math.ceil(retryAfter / 60)} minutes.`,
    undefined,
    { retryAfter },
  );
}
