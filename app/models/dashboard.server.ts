import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { rowsOf } from "./rows.server";

export const DASHBOARD_LIST_LIMIT = 25;

export interface DashboardItem {
  id: string;
  statement: string;
  team_name: string;
  due_date: string;
  status: string;
  forecast: string | null;
  probability: number | null;
  recorded_at: string | null;
}

function inTeams(teamIds: string[] | undefined): SQL {
  if (!teamIds) return sql`true`;
  if (teamIds.length === 0) return sql`false`;
  return sql`c.team_id in (${sql.join(teamIds.map((id) => sql`${id}::uuid`), sql`, `)})`;
}

const columns = sql`c.id, c.statement, t.name as team_name, c.due_date::text as due_date, c.status`;

/**
 * The outcomes recorded since `since`, newest first. The whole organisation walks
 * outcomes_recorded_idx from its newest end; a team scope takes each of its teams' range of the
 * window from commitment_stats_team_recorded_idx (the stats row keeps the outcome's recorded_at),
 * so it never walks the organisation's outcomes to drop other teams' (ADR 0037).
 */
function recentlyResolved(teamIds: string[] | undefined, since: Date): SQL {
  const from = sql`${since.toISOString()}::timestamptz`;
  if (!teamIds) {
    return sql`
      select ${columns}, null as forecast, null as probability, o.recorded_at::text as recorded_at
      from outcomes o join commitments c on c.id = o.commitment_id join teams t on t.id = c.team_id
      where o.recorded_at >= ${from}
      order by o.recorded_at desc, o.commitment_id desc limit ${DASHBOARD_LIST_LIMIT}`;
  }
  const inScope = teamIds.length ? sql`s.team_id in (${sql.join(teamIds.map((id) => sql`${id}::uuid`), sql`, `)})` : sql`false`;
  return sql`
    select ${columns}, null as forecast, null as probability, s.recorded_at::text as recorded_at
    from commitment_stats s join commitments c on c.id = s.commitment_id join teams t on t.id = c.team_id
    where ${inScope} and s.recorded_at >= ${from}
    order by s.recorded_at desc, s.commitment_id desc limit ${DASHBOARD_LIST_LIMIT}`;
}

/**
 * The four lists of the dashboard, each bounded, each from an index; "recently resolved" is
 * ordered by (recorded_at, commitment_id) so outcomes_recorded_idx yields it already sorted.
 */
export async function dashboardLists(db: DbOrTx, teamIds: string[] | undefined, today: string, since: Date) {
  const scope = inTeams(teamIds);
  const [dueSoon, pastDue, atRisk, recent, counts] = await Promise.all([
    db.execute(sql`
      select ${columns}, null as forecast, null as probability, null as recorded_at
      from commitments c join teams t on t.id = c.team_id
      where c.status = 'open' and ${scope} and c.due_date >= ${today}::date and c.due_date <= ${today}::date + 30
      order by c.due_date, c.id limit ${DASHBOARD_LIST_LIMIT}`),
    db.execute(sql`
      select ${columns}, null as forecast, null as probability, null as recorded_at
      from commitments c join teams t on t.id = c.team_id
      where c.status = 'open' and ${scope} and c.due_date < ${today}::date
      order by c.due_date, c.id limit ${DASHBOARD_LIST_LIMIT}`),
    db.execute(sql`
      select ${columns}, l.forecast, l.probability, null as recorded_at
      from commitments c join teams t on t.id = c.team_id
      join lateral (
        select ci.forecast, ci.probability from check_ins ci where ci.commitment_id = c.id
        order by ci.date desc, ci.created_at desc, ci.id desc limit 1
      ) l on true
      where c.status = 'open' and ${scope} and l.forecast in ('at_risk', 'off_track', 'stalled')
      order by c.due_date, c.id limit ${DASHBOARD_LIST_LIMIT}`),
    db.execute(recentlyResolved(teamIds, since)),
    // Two range counts on (status, due_date), not one pass over every open commitment.
    db.execute(sql`
      select
        (select count(*) from commitments c
          where c.status = 'open' and ${scope} and c.due_date >= ${today}::date and c.due_date <= ${today}::date + 30)::int as due_soon,
        (select count(*) from commitments c where c.status = 'open' and ${scope} and c.due_date < ${today}::date)::int as past_due`),
  ]);
  const [count] = rowsOf<{ due_soon: number; past_due: number }>(counts);
  return {
    dueSoon: rowsOf<DashboardItem>(dueSoon),
    pastDue: rowsOf<DashboardItem>(pastDue),
    atRisk: rowsOf<DashboardItem>(atRisk),
    recent: rowsOf<DashboardItem>(recent),
    totals: { dueSoon: Number(count?.due_soon ?? 0), pastDue: Number(count?.past_due ?? 0) },
  };
}
