// Queries of the pages people live on: the dashboard's "mine" and "this quarter", the first-run
// checklist's progress, a team's and a person's own commitments. The dashboard's bounded lists
// (due soon, past due, at risk, recent) stay in dashboard.server.ts.
import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { FIRST_RUN_COMMITMENTS_COUNTED_UP_TO, type FirstRunCounts } from "~/domain/first-run";
import type { OutcomeCounts } from "~/domain/statistics";
import { rowsOf } from "./rows.server";

export interface HomeCommitment {
  id: string;
  statement: string;
  teamName: string;
  teamSlug: string;
  periodLabel: string;
  dueDate: string;
  status: "open" | "delivered" | "partial" | "missed" | "withdrawn";
  audience: "public" | "internal";
  ownerName: string | null;
  forecast: string | null;
  probability: number | null;
}

function inTeams(teamIds: string[] | undefined): SQL {
  if (!teamIds) return sql`true`;
  if (teamIds.length === 0) return sql`false`;
  return sql`c.team_id in (${sql.join(teamIds.map((id) => sql`${id}::uuid`), sql`, `)})`;
}

// The latest check-in (any date) says how an open commitment is going now.
const homeColumns = sql`
  c.id, c.statement, t.name as "teamName", t.slug as "teamSlug", c.period_label as "periodLabel",
  c.due_date::text as "dueDate", c.status, c.audience, u.name as "ownerName",
  l.forecast, l.probability`;
const homeFrom = sql`
  from commitments c
  join teams t on t.id = c.team_id
  left join users u on u.id = c.owner_id
  left join lateral (
    select ci.forecast, ci.probability from check_ins ci where ci.commitment_id = c.id
    order by ci.date desc, ci.created_at desc, ci.id desc limit 1
  ) l on true`;

/**
 * The first `limit` rows and how many match in all, in one statement: the count is an
 * uncorrelated subquery, computed once (not a window over every match, which would run the
 * check-in lookup for each). No row means nothing matched, so the total is then 0.
 */
async function listWithTotal(db: DbOrTx, where: SQL, order: SQL, limit: number) {
  const rows = rowsOf<HomeCommitment & { total: number }>(
    await db.execute(sql`
      select ${homeColumns}, (select count(*)::int from commitments c where ${where}) as total
      ${homeFrom} where ${where} order by ${order} limit ${limit}`),
  );
  return { items: rows.map(({ total: _total, ...item }) => item), total: Number(rows[0]?.total ?? 0) };
}

/** Open commitments a person owns, soonest due first, with how many there are in all. */
export async function openCommitmentsOwnedBy(db: DbOrTx, userId: string, limit: number) {
  return listWithTotal(db, sql`c.status = 'open' and c.owner_id = ${userId}::uuid`, sql`c.due_date, c.id`, limit);
}

/**
 * Open commitments of these teams (undefined = every team) due between `start` and `end`
 * inclusive, whatever period they were made for: a year's commitment due this quarter is this
 * quarter's work.
 */
export async function openCommitmentsDueBetween(db: DbOrTx, teamIds: string[] | undefined, start: string, end: string, limit: number) {
  return listWithTotal(
    db,
    sql`c.status = 'open' and ${inTeams(teamIds)} and c.due_date between ${start}::date and ${end}::date`,
    sql`c.due_date, c.id`,
    limit,
  );
}

/**
 * Outcome counts of the commitments of these teams (undefined = every team) due between
 * `start` and `end` inclusive, whatever their period label, from commitment_stats (its due date,
 * status and team are the commitment's own) by the index (due_date, status, team_id) alone. The
 * rates are divided in app/domain/statistics.ts.
 */
export async function outcomeCountsDueBetween(db: DbOrTx, teamIds: string[] | undefined, start: string, end: string): Promise<OutcomeCounts> {
  const team = !teamIds ? sql`true` : teamIds.length === 0 ? sql`false` : sql`s.team_id in (${sql.join(teamIds.map((id) => sql`${id}::uuid`), sql`, `)})`;
  const rows = rowsOf<{ status: keyof OutcomeCounts; n: number }>(
    await db.execute(sql`
      select s.status, count(*)::int as n
      from commitment_stats s
      where ${team} and s.due_date between ${start}::date and ${end}::date
      group by 1`),
  );
  const counts: OutcomeCounts = { delivered: 0, partial: 0, missed: 0, withdrawn: 0, open: 0 };
  for (const r of rows) counts[r.status] += Number(r.n);
  return counts;
}

/** Commitments of these teams, newest period first, then by due date; with the total. */
export async function commitmentsOfTeams(db: DbOrTx, teamIds: string[], limit: number) {
  return listWithTotal(db, inTeams(teamIds), sql`c.fiscal_year desc, c.period_label desc, c.due_date, c.id`, limit);
}

/** Commitments a person owns, open ones first, then newest period first; with the total. */
export async function commitmentsOwnedBy(db: DbOrTx, userId: string, limit: number) {
  return listWithTotal(
    db,
    sql`c.owner_id = ${userId}::uuid`,
    sql`(c.status = 'open') desc, c.fiscal_year desc, c.due_date, c.id`,
    limit,
  );
}

export type FirstRunProgress = FirstRunCounts;

/**
 * Counts for the first-run checklist, in one round trip. Commitments are counted up to
 * `commitmentsUpTo` + 1 (a bounded index scan, not the whole table).
 */
export async function firstRunProgress(db: DbOrTx, commitmentsUpTo: number = FIRST_RUN_COMMITMENTS_COUNTED_UP_TO): Promise<FirstRunProgress> {
  const [row] = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      select
        (select count(*)::int from teams) as teams,
        (select count(*)::int from users u where u.active) as people,
        (select count(*)::int from users u where u.active
           and exists (select 1 from team_members m where m.user_id = u.id)) as people_on_teams,
        (select count(*)::int from users u where u.active and u.role <> 'admin'
           and not exists (select 1 from team_members m where m.user_id = u.id)) as without_team,
        (select count(*)::int from (select 1 from commitments limit ${commitmentsUpTo + 1}) c) as commitments,
        coalesce((select o.updated_at <> o.created_at from organisation o where o.id = 1), false)
          or exists (select 1 from min_score_changes m where m.from_score is not null) as settings_reviewed,
        (select count(*)::int from letters l where l.status = 'published') as published_letters`),
  );
  return {
    teams: Number(row?.teams ?? 0),
    people: Number(row?.people ?? 0),
    peopleOnTeams: Number(row?.people_on_teams ?? 0),
    withoutTeam: Number(row?.without_team ?? 0),
    commitments: Number(row?.commitments ?? 0),
    settingsReviewed: row?.settings_reviewed === true || row?.settings_reviewed === "t",
    publishedLetters: Number(row?.published_letters ?? 0),
  };
}
