import type { Database } from "../../db/client";
import {
  getOrganisationForUpdate,
  insertMinScoreChange,
  updateOrganisation,
  updateOrganisationIfCurrent,
} from "~/models/organisation.server";
import { fail, ok, type Actor, type Result } from "./result";

export interface OrganisationSettings {
  organisationName: string;
  fiscalYearStartMonth: number;
  timeZone: string;
  signatoryName: string | null;
  signatoryTitle: string | null;
  publicSiteEnabled: boolean;
  minPublicScore: number;
}

export async function saveOrganisationSettings(
  db: Database,
  actor: Actor,
  input: OrganisationSettings,
  now: Date,
  /** When given (the API's If-Match), the save is refused if anyone saved since. */
  expectedUpdatedAt?: Date,
): Promise<Result<null>> {
  if (actor.role !== "admin") return fail("FORBIDDEN", "Only admins can change the organisation's settings.");
  const values = {
    name: input.organisationName,
    fiscalYearStartMonth: input.fiscalYearStartMonth,
    timeZone: input.timeZone,
    signatoryName: input.signatoryName,
    signatoryTitle: input.signatoryTitle,
    publicSiteEnabled: input.publicSiteEnabled,
    minPublicScore: input.minPublicScore,
  };
  // The settings and the record of a changed minimum are written together or not at all.
  return db.transaction(async (tx) => {
    const before = await getOrganisationForUpdate(tx);
    if (!before) return fail("NOT_FOUND", "Kept is not set up yet.");
    if (expectedUpdatedAt) {
      const row = await updateOrganisationIfCurrent(tx, values, now, expectedUpdatedAt);
      if (!row) return fail("VERSION.CONFLICT", "Someone else changed the settings since you read them. Read them again.");
    } else {
      await updateOrganisation(tx, values, now);
    }
    if (before.minPublicScore !== input.minPublicScore) {
      await insertMinScoreChange(tx, { changedAt: now, changedBy: actor.id, fromScore: before.minPublicScore, toScore: input.minPublicScore });
    }
    return ok(null);
  });
}
