import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { organisation, type NewOrganisation } from "../../db/schema";

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
