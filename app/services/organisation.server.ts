import type { Database, DbOrTx } from "../../db/client";
import { createHash } from "node:crypto";
import { checkLogo } from "~/domain/branding";
import { localDate, type FiscalCalendar } from "~/domain/period";
import {
  deleteOrganisationLogo,
  getOrganisation,
  getOrganisationForUpdate,
  insertMinScoreChange,
  updateOrganisation,
  updateOrganisationIfCurrent,
  upsertOrganisationLogo,
} from "~/models/organisation.server";
import { authorize } from "./authorize.server";
import { fail, notSetUp, ok, STATUS_BY_CODE, type Actor, type Result } from "~/domain/result";
import { NO_CHANGE_LOG, type ChangeLog } from "./change-log.server";

/**
 * "Not set up yet" where a use case cannot return a Result (ADR 0021): SETUP.REQUIRED thrown as
 * its page, with the same status and words as `notSetUp()`. Anything that returns a Result returns
 * `notSetUp()` instead.
 */
export function notSetUpResponse(): Response {
  const { error } = notSetUp();
  return new Response(error.message, { status: STATUS_BY_CODE[error.code] });
}

/** The organisation, or `notSetUpResponse()` thrown before first-run setup. */
export async function requireOrganisation(db: DbOrTx) {
  const org = await getOrganisation(db);
  if (!org) throw notSetUpResponse();
  return org;
}

/** The organisation with its fiscal calendar and today's date in its time zone. */
export async function organisationCalendar(db: Database, now: Date) {
  const org = await requireOrganisation(db);
  const calendar: FiscalCalendar = { startMonth: org.fiscalYearStartMonth, timeZone: org.timeZone };
  return { org, calendar, today: localDate(now, org.timeZone) };
}

export interface OrganisationSettings {
  organisationName: string;
  fiscalYearStartMonth: number;
  timeZone: string;
  signatoryName: string | null;
  signatoryTitle: string | null;
  publicSiteEnabled: boolean;
  minPublicScore: number;
  /** "#rrggbb", already checked for contrast (OrganisationSettingsSchema); null for Kept's own; absent leaves it as it is. */
  accentColour?: string | null;
  /** Absent leaves it as it is. */
  showPublicCheckIns?: boolean;
}

async function saveOrganisationSettingsUnlogged(
  db: Database,
  actor: Actor,
  input: OrganisationSettings,
  now: Date,
  /** When given (the API's If-Match), the save is refused if anyone saved since. */
  expectedUpdatedAt?: Date,
): Promise<Result<null>> {
  const refused = authorize(actor, "organisation.manage", "Only admins can change the organisation's settings.");
  if (refused) return refused;
  const values = {
    name: input.organisationName,
    fiscalYearStartMonth: input.fiscalYearStartMonth,
    timeZone: input.timeZone,
    signatoryName: input.signatoryName,
    signatoryTitle: input.signatoryTitle,
    publicSiteEnabled: input.publicSiteEnabled,
    minPublicScore: input.minPublicScore,
    ...(input.accentColour !== undefined ? { accentColour: input.accentColour } : {}),
    ...(input.showPublicCheckIns !== undefined ? { showPublicCheckIns: input.showPublicCheckIns } : {}),
  };
  // The settings and the record of a changed minimum are written together or not at all.
  return db.transaction(async (tx) => {
    const before = await getOrganisationForUpdate(tx);
    if (!before) return notSetUp();
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

/** Replaces the public pages' logo with an uploaded image, checked by its bytes (docs/decisions/0020). */
async function saveOrganisationLogoUnlogged(db: Database, actor: Actor, bytes: Uint8Array, now: Date): Promise<Result<{ sha256: string }>> {
  const refused = authorize(actor, "organisation.manage", "Only admins can change the organisation's settings.");
  if (refused) return refused;
  const checked = checkLogo(bytes);
  if (!checked.ok) return fail("VALIDATION", checked.message, "logo");
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  await upsertOrganisationLogo(db, { contentType: checked.contentType, data: bytes, sha256, updatedAt: now });
  return ok({ sha256 });
}

async function removeOrganisationLogoUnlogged(db: Database, actor: Actor): Promise<Result<{ removed: boolean }>> {
  const refused = authorize(actor, "organisation.manage", "Only admins can change the organisation's settings.");
  if (refused) return refused;
  return ok({ removed: await deleteOrganisationLogo(db) });
}

/** saveOrganisationSettings, and its line in the change log: the same line whether the UI or the API asked. */
export async function saveOrganisationSettings(db: Database, actor: Actor, input: OrganisationSettings, now: Date, expectedUpdatedAt?: Date, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await saveOrganisationSettingsUnlogged(db, actor, input, now, expectedUpdatedAt);
  if (result.ok) log.info({ by: actor.id }, "organisation settings saved");
  return result;
}

/** saveOrganisationLogo, and its line in the change log: the same line whether the UI or the API asked. */
export async function saveOrganisationLogo(db: Database, actor: Actor, bytes: Uint8Array, now: Date, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await saveOrganisationLogoUnlogged(db, actor, bytes, now);
  if (result.ok) log.info({ sha256: result.value.sha256, by: actor.id }, "organisation logo saved");
  return result;
}

/** removeOrganisationLogo, and its line in the change log: the same line whether the UI or the API asked. */
export async function removeOrganisationLogo(db: Database, actor: Actor, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await removeOrganisationLogoUnlogged(db, actor);
  if (result.ok) log.info({ removed: result.value.removed, by: actor.id }, "organisation logo removed");
  return result;
}
