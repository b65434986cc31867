import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { actionItems, commitments, outcomes, retrospectives, teams, users } from "../../db/schema";
import { inRecordPeriods } from "./record-period.server";

export async function getRetrospective(db: DbOrTx, teamId: string | null, periodLabel: string) {
  const [row] = await db
    .select()
    .from(retrospectives)
    .where(and(teamId ? eq(retrospectives.teamId, teamId) : isNull(retrospectives.teamId), eq(retrospectives.periodLabel, periodLabel)))
    .limit(1);
  return row ?? null;
}

/** Creates the retrospective row if it does not exist yet; returns it either way. */
export async function ensureRetrospective(
  db: DbOrTx,
  values: { teamId: string | null; periodLabel: string; periodStart: string; periodEnd: string; updatedBy: string },
) {
  await db
    .insert(retrospectives)
    .values({ ...values, version: 1 })
    .onConflictDoNothing();
  return (await getRetrospective(db, values.teamId, values.periodLabel))!;
}

export async function updateNotesIfCurrent(
  db: DbOrTx,
  id: string,
  expectedVersion: number,
  notes: { wentWell: string; wentBadly: string; willChange: string },
  actorId: string,
  now: Date,
) {
  const [row] = await db
    .update(retrospectives)
    .set({ ...notes, version: sql`${retrospectives.version} + 1`, updatedAt: now, updatedBy: actorId })
    .where(and(eq(retrospectives.id, id), eq(retrospectives.version, expectedVersion)))
    .returning();
  return row ?? null;
}

export const MAX_ACTION_ITEMS = 500;

export async function listActionItems(db: DbOrTx, retrospectiveId: string) {
  return db
    .select({
      id: actionItems.id,
      text: actionItems.text,
      ownerId: actionItems.ownerId,
      ownerName: users.name,
      dueDate: actionItems.dueDate,
      status: actionItems.status,
      promotedCommitmentId: actionItems.promotedCommitmentId,
      createdAt: actionItems.createdAt,
    })
    .from(actionItems)
    .leftJoin(users, eq(users.id, actionItems.ownerId))
    .where(eq(actionItems.retrospectiveId, retrospectiveId))
    .orderBy(asc(actionItems.createdAt), asc(actionItems.id))
    .limit(MAX_ACTION_ITEMS);
}

export async function insertActionItem(
  db: DbOrTx,
  values: { retrospectiveId: string; text: string; ownerId: string | null; dueDate: string | null; createdBy: string; createdAt: Date },
) {
  const [row] = await db.insert(actionItems).values({ ...values, updatedAt: values.createdAt }).returning();
  return row!;
}

export async function getActionItem(db: DbOrTx, id: string) {
  const [row] = await db
    .select({
      id: actionItems.id,
      text: actionItems.text,
      ownerId: actionItems.ownerId,
      dueDate: actionItems.dueDate,
      status: actionItems.status,
      promotedCommitmentId: actionItems.promotedCommitmentId,
      retrospectiveId: actionItems.retrospectiveId,
      teamId: retrospectives.teamId,
      periodLabel: retrospectives.periodLabel,
    })
    .from(actionItems)
    .innerJoin(retrospectives, eq(retrospectives.id, actionItems.retrospectiveId))
    .where(eq(actionItems.id, id))
    .limit(1);
  return row ?? null;
}

export async function setActionItemStatus(db: DbOrTx, id: string, status: "open" | "done" | "dropped", now: Date) {
  await db.update(actionItems).set({ status, updatedAt: now }).where(eq(actionItems.id, id));
}

/** Links an action item to the commitment it became; only once. */
export async function linkPromotion(db: DbOrTx, id: string, commitmentId: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(actionItems)
    .set({ promotedCommitmentId: commitmentId, updatedAt: now })
    .where(and(eq(actionItems.id, id), isNull(actionItems.promotedCommitmentId)))
    .returning({ id: actionItems.id });
  return rows.length > 0;
}

/** The outcomes table: every commitment in scope with its outcome, bounded for the page. */
export async function listScopeCommitments(
  db: DbOrTx,
  scope: { teamIds?: string[]; periodLabels: string[] },
  limit: number,
) {
  const where = [inRecordPeriods("commitments", scope.periodLabels)];
  if (scope.teamIds) {
    where.push(scope.teamIds.length ? sql`${commitments.teamId} in (${sql.join(scope.teamIds.map((id) => sql`${id}::uuid`), sql`, `)})` : sql`false`);
  }
  return db
    .select({
      id: commitments.id,
      statement: commitments.statement,
      teamName: teams.name,
      periodLabel: commitments.periodLabel,
      dueDate: commitments.dueDate,
      audience: commitments.audience,
      status: commitments.status,
      attempt: commitments.attempt,
      resolvedAt: outcomes.resolvedAt,
      actualValue: outcomes.actualValue,
      reasonCategory: outcomes.reasonCategory,
      control: outcomes.control,
      explanation: outcomes.explanation,
      evidenceUrl: outcomes.evidenceUrl,
    })
    .from(commitments)
    .innerJoin(teams, eq(teams.id, commitments.teamId))
    .leftJoin(outcomes, eq(outcomes.commitmentId, commitments.id))
    .where(and(...where))
    .orderBy(asc(commitments.dueDate), asc(commitments.id))
    .limit(limit);
}

export async function listRecentRetrospectives(db: DbOrTx, limit = 50) {
  return db
    .select({
      id: retrospectives.id,
      periodLabel: retrospectives.periodLabel,
      teamSlug: teams.slug,
      teamName: teams.name,
      updatedAt: retrospectives.updatedAt,
    })
    .from(retrospectives)
    .leftJoin(teams, eq(teams.id, retrospectives.teamId))
    .orderBy(desc(retrospectives.updatedAt))
    .limit(limit);
}
