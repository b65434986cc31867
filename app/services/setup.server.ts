import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { insertMinScoreChange, insertOrganisation } from "~/models/organisation.server";
import { countUsers, insertUser } from "~/models/user.server";
import { COMMON_PASSWORD_MESSAGE, hashPassword, isCommonPassword } from "~/utils/password.server";
import { uniqueViolation } from "~/utils/db-errors.server";
import { fail, ok, type Result } from "~/domain/result";
import { loadSampleOrganisationIn } from "./sample-organisation.server";

export interface SetupInput {
  organisationName: string;
  fiscalYearStartMonth: number;
  timeZone: string;
  adminName: string;
  adminEmail: string;
  adminPassword: string;
  /** Start with the sample organisation: marked as sample data, loaded after the admin exists. */
  sampleOrganisation?: boolean;
}

const SETUP_LOCK_ID = 7_200_418;

/** True while nobody has set Kept up: the only state in which /setup exists. */
export async function needsSetup(db: Database): Promise<boolean> {
  return (await countUsers(db)) === 0;
}

/**
 * Creates the organisation and its first admin in one transaction. Two people submitting
 * setup at the same moment serialise on an advisory lock; the second finds a user and is
 * refused, and the singleton organisation row makes a second organisation impossible anyway.
 * With the sample it loads in the same transaction, so a failure leaves Kept not set up
 * rather than half full.
 */
export async function setupOrganisation(db: Database, input: SetupInput, now: Date = new Date()): Promise<Result<{ userId: string }>> {
  if (await isCommonPassword(input.adminPassword)) return fail("VALIDATION", COMMON_PASSWORD_MESSAGE, "adminPassword");
  const passwordHash = await hashPassword(input.adminPassword);
  try {
    return await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${SETUP_LOCK_ID})`);
      if ((await countUsers(tx)) > 0) {
        return fail("SETUP.ALREADY_DONE", "Kept is already set up. Sign in instead.");
      }
      const org = await insertOrganisation(tx, {
        name: input.organisationName,
        fiscalYearStartMonth: input.fiscalYearStartMonth,
        timeZone: input.timeZone,
        isSample: input.sampleOrganisation === true,
      });
      const admin = await insertUser(tx, {
        name: input.adminName,
        email: input.adminEmail,
        role: "admin",
        passwordHash,
      });
      // The minimum starts on (DEFAULT_MIN_PUBLIC_SCORE), and its history starts with it.
      await insertMinScoreChange(tx, { changedAt: now, changedBy: admin.id, fromScore: null, toScore: org.minPublicScore });
      if (input.sampleOrganisation) {
        const sample = await loadSampleOrganisationIn(tx, { adminId: admin.id }, now);
        if (!sample.ok) throw new Error(`setup: the sample organisation did not load: ${sample.error.message}`);
      }
      return ok({ userId: admin.id });
    });
  } catch (error) {
    if (uniqueViolation(error) !== null) {
      return fail("SETUP.ALREADY_DONE", "Kept is already set up. Sign in instead.");
    }
    throw error;
  }
}
