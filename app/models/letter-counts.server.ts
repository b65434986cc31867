// A summarised year's draft counted in PostgreSQL (ADR 0059, app/domain/letter-counted.ts): the
// year's plain commitments (commitment_stats' letter_revisions false, so their words, due date and
// audience are the ones first committed) counted from commitment_stats, the few of them that can
// come first in an order the letter reads sent whole (PLAIN_CANDIDATES), and the commitments with
// letter revisions read narrow as before.
import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { LETTER_CONSEQUENTIAL_LIMIT } from "~/domain/letter";
import type { PlainCounts } from "~/domain/letter-counted";
import type { Audience, OutcomeStatus, ReasonCategory } from "~/domain/types";
import { letterYear, narrowCommitmentsOf, recordYearLabels, type NarrowYearCommitmentRow } from "./letter.server";
import { rowsOf } from "./rows.server";

/** The commitment_stats rows (alias `s`) of the year's plain commitments a letter for `audience` covers. */
function plainOfYear(fiscalYear: number, audience: Audience): SQL {
  return sql`${recordYearLabels(fiscalYear)} and not s.letter_revisions ${audience === "public" ? sql`and s.audience = 'public'` : sql``}`;
}

/** How many commitments a letter of the year may cover (letterYear): at least as many as it does. */
export async function letterYearSize(db: DbOrTx, fiscalYear: number, audience: Audience): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from commitment_stats s where ${letterYear(fiscalYear, audience)}`));
  return row?.n ?? 0;
}

/** PlainCounts, but the open ones by their period's label (the service works out where each moved). */
export type PlainCountsOfYear = Omit<PlainCounts, "open"> & { open: Array<{ periodLabel: string; count: number }> };

/**
 * The counts a summarised letter prints of the year's plain commitments, in one statement over
 * their commitment_stats rows (its (record_label, …) indexes) and the teams: a commitment's
 * status, due date, resolution day, reason and forecast of record there are the ones the letter
 * reads (kept by triggers, ADR 0032). A resolution after the due date counts whole days late, as
 * lateness does. Only the open ones' period labels are looked up in commitments.
 */
export async function plainCountsOfYear(db: DbOrTx, fiscalYear: number, audience: Audience): Promise<PlainCountsOfYear> {
  const rows = rowsOf<{ kind: string; label: string | null; status: string | null; k: string | null; n: number }>(
    await db.execute(sql`
      with y as materialized (
        select s.commitment_id, t.name as team, s.status, s.due_date, coalesce(s.resolved_at, s.due_date) as resolved,
               s.reason_category, s.forecast, s.probability
        from commitment_stats s
        join teams t on t.id = s.team_id
        where ${plainOfYear(fiscalYear, audience)}
      )
      select 'team' as kind, team as label, status, (resolved > due_date)::text as k, count(*)::int as n from y group by 2, 3, 4
      union all
      select 'days', null, null, greatest(resolved - due_date, 0)::text, count(*)::int from y where status in ('delivered', 'partial') group by 4
      union all
      select 'reason', null, status, reason_category, count(*)::int from y where status in ('partial', 'missed', 'withdrawn') group by 3, 4
      union all
      select 'forecast', (forecast = 'on_track' and status in ('partial', 'missed'))::text, status, probability::text, count(*)::int
      from y where status in ('delivered', 'partial', 'missed') and probability is not null group by 2, 3, 4
      union all
      select 'open', c.period_label, null, null, count(*)::int from y join commitments c on c.id = y.commitment_id where y.status = 'open' group by 2`),
  );
  const counts: PlainCountsOfYear = { teams: [], daysLate: [], reasons: [], forecasts: [], open: [] };
  for (const r of rows) {
    if (r.kind === "team") counts.teams.push({ team: r.label!, status: r.status as OutcomeStatus | "open", late: r.k === "true", count: r.n });
    else if (r.kind === "days") counts.daysLate.push({ days: Number(r.k), count: r.n });
    else if (r.kind === "reason") counts.reasons.push({ status: r.status as "partial" | "missed" | "withdrawn", reason: r.k as ReasonCategory | null, count: r.n });
    else if (r.kind === "forecast") counts.forecasts.push({ probability: Number(r.k), status: r.status as "delivered" | "partial" | "missed", surprise: r.label === "true", count: r.n });
    else counts.open.push({ periodLabel: r.label!, count: r.n });
  }
  return counts;
}

/**
 * The plain commitments PLAIN_CANDIDATES names, read narrow (narrowCommitmentsOf), given the
 * names of their teams in the en-GB collation's order (compareText): PostgreSQL is given each
 * name's rank, never asked to collate one. `withOpen`: every open one as well (when there are
 * at most LETTER_CONSEQUENTIAL_LIMIT).
 *
 * The day a commitment was made is in commitments, not commitment_stats, so the canonical keys
 * are ranked in two steps: first by team rank alone, then, for the rows that rank first (a
 * group's) or within the first LETTER_CONSEQUENTIAL_LIMIT (the surprises), by team rank, day and
 * due date with the day looked up by id. A row whose whole key ranks within k ranks within k by
 * team alone, and every row ahead of it is kept with it, so the second ranks are the whole
 * year's. Joined for every plain row, the day cost a hash join of all the organisation's
 * commitments (ADR 0059).
 */
export async function plainCandidatesOfYear(
  db: DbOrTx,
  fiscalYear: number,
  audience: Audience,
  teamNamesInOrder: readonly string[],
  withOpen: boolean,
): Promise<NarrowYearCommitmentRow[]> {
  if (teamNamesInOrder.length === 0) return [];
  const k = LETTER_CONSEQUENTIAL_LIMIT;
  return narrowCommitmentsOf(
    db,
    sql`array(
      with tr as (select e.value as name, e.n as rank from jsonb_array_elements_text(${JSON.stringify(teamNamesInOrder)}::jsonb) with ordinality as e(value, n)),
      y as materialized (
        select s.commitment_id as id, s.status, s.audience, s.due_date, coalesce(s.resolved_at, s.due_date) as resolved,
               s.forecast, s.probability, tr.rank
        from commitment_stats s
        join teams t on t.id = s.team_id
        join tr on tr.name = t.name
        where ${plainOfYear(fiscalYear, audience)}
      ),
      firsts as (
        select x.id, x.probability, x.status, x.due_date from (
          select id, probability, status, due_date, rank() over (partition by probability, status order by rank) as r
          from y where status in ('delivered', 'partial', 'missed') and probability is not null) x
        where x.r = 1
      ),
      surprises as (
        select x.id, x.rank, x.due_date from (
          select id, rank, due_date, rank() over (order by rank) as r
          from y where status in ('partial', 'missed') and forecast = 'on_track' and probability is not null) x
        where x.r <= ${k}
      )
      select g.id from (select f.id, rank() over (partition by f.probability, f.status order by (c.committed_at at time zone 'UTC')::date, f.due_date) as r
                        from firsts f join commitments c on c.id = f.id) g where g.r = 1
      union
      select u.id from (select su.id, rank() over (order by su.rank, (c.committed_at at time zone 'UTC')::date, su.due_date) as r
                        from surprises su join commitments c on c.id = su.id) u where u.r <= ${k}
      union
      select f.id from (select id, rank() over (order by audience <> 'public', greatest(resolved - due_date, 0) desc) as r
                        from y where status in ('partial', 'missed', 'withdrawn')) f where f.r <= ${k}
      ${withOpen ? sql`union select id from y where status = 'open'` : sql``})`,
    sql`false`,
  );
}

/** The year's commitments with letter revisions (commitment_stats' letter_revisions), read narrow, covered or not. */
export async function revisedCommitmentsOfYear(db: DbOrTx, fiscalYear: number, audience: Audience): Promise<NarrowYearCommitmentRow[]> {
  return narrowCommitmentsOf(db, sql`array(select s.commitment_id from commitment_stats s where ${letterYear(fiscalYear, audience)} and s.letter_revisions)`, sql`true`);
}
