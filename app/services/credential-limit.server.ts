// Every action that mints a credential (an API token, a person with a password) is limited
// per acting person, so a stolen session or a runaway script cannot mint without bound.
// Counted in the database, so the limit holds across app processes.
import type { DbOrTx } from "../../db/client";
import { countRequest } from "~/models/api-token.server";
import { fail, ok, type Result } from "~/domain/result";

export const CREDENTIALS_PER_HOUR = 20;
const HOUR = 60 * 60_000;

export async function takeCredentialAllowance(db: DbOrTx, actorId: string, now: Date): Promise<Result<null>> {
  const windowStart = new Date(Math.floor(now.getTime() / HOUR) * HOUR);
  const count = await countRequest(db, `credentials:${actorId}`, windowStart);
  if (count <= CREDENTIALS_PER_HOUR) return ok(null);
  const retryAfter = Math.max(1, Math.ceil((windowStart.getTime() + HOUR - now.getTime()) / 1000));
  return fail(
    "CREDENTIALS.RATE_LIMITED",
    `You can create at most ${CREDENTIALS_PER_HOUR} tokens or people an hour. Try again in ${Math.ceil(retryAfter / 60)} minutes.`,
    undefined,
    { retryAfter },
  );
}
