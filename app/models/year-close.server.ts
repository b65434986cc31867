// Queries behind the year-end close page and the publishing guard: what of a fiscal year is
// still open, which shortfalls to re-read, and which retrospectives exist. A commitment belongs
// to the year of its period of record (ADR 0008), as in the letter.
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { commitments, outcomes, retrospectives, teams, users } from "../../db/schema";
import type { Audience } from "~/domain/types";
import { inRecordYear } from "./record-period.server";

/** How many rows of one list the close page shows; the count says how many there are in all. */
export const CLOSE_LIST_LIMIT = 500;

// By the fiscal-year index (ADR 0028): the revision lookup behind the period of record runs for the
// year's rows (and those its moved commitments went to) only, not for every commitment.
const inYear = (fiscalYear: number) => inRecordYear("commitments", fiscalYear);

/** Commitments of the year without an outcome in a letter's scope (a public letter: public ones only). */
export async function countOpenOfYear(db: DbOrTx, fiscalYear: number, audience: Audience): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(commitments)
    .where(and(inYear(fiscalYear), eq(commitments.status, "open"), audience === "public" ? eq(commitments.audience, "public") : undefined));
  return Number(row?.n ?? 0);
}

/** Open commitments of the year, by team then due date, at most CLOSE_LIST_LIMIT of them. */
export async function openCommitmentsOfYear(db: DbOrTx, fiscalYear: number) {
  return db
    .select({
      id: commitments.id,
      statement: commitments.statement,
      periodLabel: commitments.periodLabel,
      dueDate: commitments.dueDate,
      audience: commitments.audience,
      teamId: teams.id,
      teamName: teams.name,
      teamSlug: teams.slug,
      ownerId: commitments.ownerId,
      ownerName: users.name,
    })
    .from(commitments)
    .innerJoin(teams, eq(teams.id, commitments.teamId))
    .leftJoin(users, eq(users.id, commitments.ownerId))
    .where(and(inYear(fiscalYear), eq(commitments.status, "open")))
    .orderBy(asc(teams.name), asc(commitments.dueDate), asc(commitments.id))
    .limit(CLOSE_LIST_LIMIT);
}

/** Missed, partly delivered and withdrawn commitments of the year with what explains them. */
export async function shortfallsOfYear(db: DbOrTx, fiscalYear: number) {
  return db
    .select({
      id: commitments.id,
      statement: commitments.statement,
      teamName: teams.name,
      ownerName: users.name,
      status: outcomes.status,
      reasonCategory: outcomes.reasonCategory,
      partialDescription: outcomes.partialDescription,
      explanation: outcomes.explanation,
      lesson: outcomes.lesson,
    })
    .from(commitments)
    .innerJoin(outcomes, eq(outcomes.commitmentId, commitments.id))
    .innerJoin(teams, eq(teams.id, commitments.teamId))
    .leftJoin(users, eq(users.id, commitments.ownerId))
    .where(and(inYear(fiscalYear), inArray(outcomes.status, ["missed", "partial", "withdrawn"])))
    .orderBy(asc(teams.name), asc(commitments.dueDate), asc(commitments.id));
}

/** Every team with commitments in each period of the year (by the period they are in now). */
export async function teamPeriodsOfYear(db: DbOrTx, fiscalYear: number) {
  return db
    .select({ teamId: teams.id, teamName: teams.name, teamSlug: teams.slug, periodLabel: commitments.periodLabel, count: sql<number>`count(*)::int` })
    .from(commitments)
    .innerJoin(teams, eq(teams.id, commitments.teamId))
    .where(eq(commitments.fiscalYear, fiscalYear))
    .groupBy(teams.id, teams.name, teams.slug, commitments.periodLabel)
    .orderBy(asc(teams.name), asc(commitments.periodLabel));
}

/** The retrospectives held (rows exist) for periods of the year: team (null = organisation) and period. */
export async function retrospectivesOfYear(db: DbOrTx, fiscalYear: number) {
  return db
    .select({ teamId: retrospectives.teamId, periodLabel: retrospectives.periodLabel })
    .from(retrospectives)
    .where(sql`${retrospectives.periodLabel} like ${`FY${fiscalYear}%`}`);
}
