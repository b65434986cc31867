import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { actionItems, retrospectives, teams, users } from "../../db/schema";
import type { Control, Forecast, ReasonCategory } from "~/domain/types";
import { rowsOf } from "./rows.server";

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
    .values({ ...values, version: 0 })
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

export interface ScopeCommitmentRow {
  id: string;
  statement: string;
  teamName: string;
  periodLabel: string;
  dueDate: string;
  audience: "public" | "internal";
  status: "open" | "delivered" | "partial" | "missed" | "withdrawn";
  attempt: number;
  resolvedAt: string | null;
  actualValue: number | null;
  reasonCategory: ReasonCategory | null;
  control: Control | null;
  explanation: string | null;
  evidenceUrl: string | null;
  /** The forecast of record (see forecastOfRecord), which says whether the row is a surprise. */
  forecastOfRecord: Forecast | null;
}

/**
 * The outcomes table: every commitment in scope (by its period of record) with its outcome and
 * forecast of record from commitment_stats, by due date, bounded for the page; `after` (the last
 * row's due date and id) continues it by keyset, so a later page costs what the first does.
 */
export async function listScopeCommitments(
  db: DbOrTx,
  scope: { teamIds?: string[]; periodLabels: string[] },
  limit: number,
  after?: { dueDate: string; id: string },
): Promise<ScopeCommitmentRow[]> {
  if (scope.periodLabels.length === 0) return [];
  const team = scope.teamIds
    ? scope.teamIds.length
      ? sql`and s.team_id in (${sql.join(scope.teamIds.map((id) => sql`${id}::uuid`), sql`, `)})`
      : sql`and false`
    : sql``;
  const keyset = after ? sql`and (s.due_date, s.commitment_id) > (${after.dueDate}::date, ${after.id}::uuid)` : sql``;
  // Each period's first rows from its own index range, then the first of those: a year's page
  // reads (periods × limit) index entries instead of sorting the whole year.
  const labels = sql.join(scope.periodLabels.map((l) => sql`(${l})`), sql`, `);
  const rows = rowsOf<ScopeCommitmentRow>(
    await db.execute(sql`
      select c.id, c.statement, t.name as "teamName", c.period_label as "periodLabel", c.due_date::text as "dueDate",
             c.audience, c.status, c.attempt, o.resolved_at::text as "resolvedAt", o.actual_value as "actualValue",
             o.reason_category as "reasonCategory", o.control, o.explanation, o.evidence_url as "evidenceUrl",
             s.forecast as "forecastOfRecord"
      from (
        select s.commitment_id, s.due_date from (values ${labels}) l(label)
        cross join lateral (
          select s.commitment_id, s.due_date from commitment_stats s
          where s.record_label = l.label ${team} ${keyset}
          order by s.due_date, s.commitment_id limit ${limit}
        ) s
        order by s.due_date, s.commitment_id limit ${limit}
      ) p
      join commitment_stats s on s.commitment_id = p.commitment_id
      join commitments c on c.id = s.commitment_id
      join teams t on t.id = c.team_id
      left join outcomes o on o.commitment_id = c.id
      order by s.due_date, s.commitment_id`),
  );
  return rows.map((r) => ({ ...r, actualValue: r.actualValue === null ? null : Number(r.actualValue) }));
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
