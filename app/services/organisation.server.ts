import type { Database } from "../../db/client";
import { updateOrganisation, updateOrganisationIfCurrent } from "~/models/organisation.server";
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
  if (expectedUpdatedAt) {
    const row = await updateOrganisationIfCurrent(db, values, now, expectedUpdatedAt);
    return row ? ok(null) : fail("VERSION.CONFLICT", "Someone else changed the settings since you read them. Read them again.");
  }
  await updateOrganisation(db, values, now);
  return ok(null);
}
