import { and, desc, eq, lte, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { minScoreChanges, organisation, organisationLogo, users, type NewOrganisation } from "../../db/schema";

export async function getOrganisation(db: DbOrTx) {
  const [row] = await db.select().from(organisation).where(eq(organisation.id, 1)).limit(1);
  return row ?? null;
}

export async function insertOrganisation(db: DbOrTx, values: Omit<NewOrganisation, "id">) {
  const [row] = await db.insert(organisation).values({ ...values, id: 1 }).returning();
  return row!;
}

export async function updateOrganisation(
  db: DbOrTx,
  values: Partial<Omit<NewOrganisation, "id" | "createdAt">>,
  now: Date,
) {
  const [row] = await db.update(organisation).set({ ...values, updatedAt: now }).where(eq(organisation.id, 1)).returning();
  return row ?? null;
}

/**
 * Updates only if nobody changed the organisation since `expectedUpdatedAt` (compared to the
 * millisecond, the precision a client sees); null when someone did.
 */
export async function updateOrganisationIfCurrent(
  db: DbOrTx,
  values: Partial<Omit<NewOrganisation, "id" | "createdAt">>,
  now: Date,
  expectedUpdatedAt: Date,
) {
  const [row] = await db
    .update(organisation)
    .set({ ...values, updatedAt: now })
    .where(and(eq(organisation.id, 1), sql`date_trunc('milliseconds', ${organisation.updatedAt}) = ${expectedUpdatedAt.toISOString()}::timestamptz`))
    .returning();
  return row ?? null;
}

/** The organisation row, locked until the transaction ends: the minimum's "from" must be what is replaced. */
export async function getOrganisationForUpdate(db: DbOrTx) {
  const [row] = await db.select().from(organisation).where(eq(organisation.id, 1)).for("update").limit(1);
  return row ?? null;
}

export async function insertMinScoreChange(db: DbOrTx, values: { changedAt: Date; changedBy: string | null; fromScore: number | null; toScore: number }) {
  await db.insert(minScoreChanges).values(values);
}

export interface MinScoreChangeRow {
  changedAt: Date;
  changedByName: string | null;
  fromScore: number | null;
  toScore: number;
}

/** Changes of the minimum made up to `until` (all when null), oldest first; at most `limit`, the newest kept. */
export async function minScoreChangesUntil(db: DbOrTx, until: Date | null, limit = 500): Promise<MinScoreChangeRow[]> {
  const rows = await db
    .select({ changedAt: minScoreChanges.changedAt, changedByName: users.name, fromScore: minScoreChanges.fromScore, toScore: minScoreChanges.toScore })
    .from(minScoreChanges)
    .leftJoin(users, eq(users.id, minScoreChanges.changedBy))
    .where(until ? lte(minScoreChanges.changedAt, until) : undefined)
    .orderBy(desc(minScoreChanges.changedAt), desc(minScoreChanges.id))
    .limit(limit);
  return rows.reverse();
}

/**
 * What every page's frame needs of the organisation, in one query: its name, time zone and
 * public branding (accent colour, and the logo's hash as its cache-busting version, never its bytes);
 * and its fiscal calendar's first month, so that a page's loader can read its calendar from the
 * same row (organisationFrameOf, ADR 0048).
 */
export async function getOrganisationFrame(db: DbOrTx) {
  const [row] = await db
    .select({
      name: organisation.name,
      timeZone: organisation.timeZone,
      fiscalYearStartMonth: organisation.fiscalYearStartMonth,
      isSample: organisation.isSample,
      accentColour: organisation.accentColour,
      logoVersion: organisationLogo.sha256,
    })
    .from(organisation)
    .leftJoin(organisationLogo, eq(organisationLogo.id, 1))
    .where(eq(organisation.id, 1))
    .limit(1);
  return row ?? null;
}

export async function getOrganisationLogo(db: DbOrTx) {
  const [row] = await db.select().from(organisationLogo).where(eq(organisationLogo.id, 1)).limit(1);
  return row ?? null;
}

export async function getOrganisationLogoVersion(db: DbOrTx): Promise<string | null> {
  const [row] = await db.select({ sha256: organisationLogo.sha256 }).from(organisationLogo).where(eq(organisationLogo.id, 1)).limit(1);
  return row?.sha256 ?? null;
}

export async function upsertOrganisationLogo(db: DbOrTx, values: { contentType: string; data: Uint8Array; sha256: string; updatedAt: Date }) {
  await db
    .insert(organisationLogo)
    .values({ id: 1, ...values })
    .onConflictDoUpdate({ target: organisationLogo.id, set: values });
}

export async function deleteOrganisationLogo(db: DbOrTx): Promise<boolean> {
  const rows = await db.delete(organisationLogo).where(eq(organisationLogo.id, 1)).returning({ id: organisationLogo.id });
  return rows.length > 0;
}
