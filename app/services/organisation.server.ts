import type { Database } from "../../db/client";
import { updateOrganisation } from "~/models/organisation.server";
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

export async function saveOrganisationSettings(db: Database, actor: Actor, input: OrganisationSettings, now: Date): Promise<Result<null>> {
  if (actor.role !== "admin") return fail("FORBIDDEN", "Only admins can change the organisation's settings.");
  await updateOrganisation(
    db,
    {
      name: input.organisationName,
      fiscalYearStartMonth: input.fiscalYearStartMonth,
      timeZone: input.timeZone,
      signatoryName: input.signatoryName,
      signatoryTitle: input.signatoryTitle,
      publicSiteEnabled: input.publicSiteEnabled,
      minPublicScore: input.minPublicScore,
    },
    now,
  );
  return ok(null);
}
