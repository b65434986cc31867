// The counts behind the track-record figures of app/domain/statistics.ts, counted inside the
// database so a retrospective of a large organisation never loads its commitments into Node.
// The database counts; app/domain/statistics.ts turns the counts into figures.
import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { SUMMARY_ID_LIMIT, summaryFromTally, type OutcomeCounts, type Summary, type SummaryTally } from "~/domain/statistics";
import type { Control, ReasonCategory } from "~/domain/types";
import { rowsOf } from "./rows.server";

export interface StatScope {
  /** Teams whose commitments count; undefined = the whole organisation. */
  teamIds?: string[];
  /** Period labels whose commitments count (see labelsWithin). */
  periodLabels: string[];
  audience?: "public" | "internal";
}

export interface StatOptions {
  today: string;
  partialCountsAsHalf?: boolean;
}

function scopeCondition(scope: StatScope): SQL {
  const parts: SQL[] = [sql`s.record_label in (${sql.join(scope.periodLabels.map((l) => sql`${l}`), sql`, `)})`];
  if (scope.teamIds) {
    parts.push(
      scope.teamIds.length ? sql`s.team_id in (${sql.join(scope.teamIds.map((id) => sql`${id}::uuid`), sql`, `)})` : sql`false`,
    );
  }
  if (scope.audience) parts.push(sql`s.audience = ${scope.audience}`);
  return sql.join(parts, sql` and `);
}

/**
 * `left join lateral` of the forecast of record (forecast, probability) of commitment `c` with
 * outcome `o`, as alias `r`: the last check-in on or before both the due date and the
 * resolution day (same day: the later one written). check_ins_commitment_idx holds every
 * column it reads, in this order, so each lookup is one index descent. commitment_stats keeps
 * it for every commitment (migration commitment_stats_triggers); this is the definition that
 * table is tested against (tests/integration/commitment-stats.test.ts).
 */
export const forecastOfRecordJoin: SQL = sql`
    left join lateral (
      select ci.forecast, ci.probability
      from check_ins ci
      where ci.commitment_id = c.id and o.resolved_at is not null
        and ci.date <= c.due_date and ci.date <= o.resolved_at
      order by ci.date desc, ci.created_at desc, ci.id desc
      limit 1
    ) r on true`;

/**
 * Each commitment in scope with its outcome and its forecast of record, from commitment_stats:
 * one narrow row per commitment by its period of record, kept by triggers (ADR 0032), so a year
 * of a large organisation is counted without a revision or check-in lookup per commitment.
 */
function scoped(scope: StatScope): SQL {
  if (scope.periodLabels.length === 0) return sql`select s.commitment_id as id, s.due_date, s.status, s.resolved_at, s.reason_category, s.control, s.forecast, s.probability from commitment_stats s where false`;
  return sql`
    select s.commitment_id as id, s.due_date, s.status, s.resolved_at, s.reason_category, s.control, s.forecast,
           s.probability -- 0..100 by a check constraint; no clamping (greatest() would turn null into 0)
    from commitment_stats s
    where ${scopeCondition(scope)}`;
}

/**
 * The scope's tally (see SummaryTally), counted in the database in one statement: the scoped set
 * (commitment_stats rows) is a materialised CTE read by the totals and the groups, so PostgreSQL
 * reads it once per request. The database only counts and groups; every rate, the
 * lateness figures, Brier scores and buckets are computed from the tally by
 * app/domain/statistics.ts, the one place their rules are written.
 */
export async function tallyInDatabase(db: DbOrTx, scope: StatScope, today: string, ids = SUMMARY_ID_LIMIT): Promise<SummaryTally> {
  const idLimit = sql.raw(String(Math.max(0, Math.floor(ids))));
  const [main] = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      with s as materialized (${scoped(scope)}),
      totals as (
        select
          count(*) filter (where s.status = 'delivered')::int as delivered,
          count(*) filter (where s.status = 'partial')::int as partial,
          count(*) filter (where s.status = 'missed')::int as missed,
          count(*) filter (where s.status = 'withdrawn')::int as withdrawn,
          count(*) filter (where s.status = 'open')::int as open,
          count(*) filter (where s.status = 'open' and s.due_date < ${today}::date)::int as open_past_due_count,
          count(*) filter (where s.status in ('missed', 'partial') and s.forecast = 'on_track' and s.probability is not null)::int as surprise_count,
          -- The first SUMMARY_ID_LIMIT of each: the counts above are the figures, and a year of a
          -- large organisation has thousands, which no page lists (ADR 0027).
          coalesce((array_agg(s.id::text order by s.due_date, s.id) filter (where s.status = 'open' and s.due_date < ${today}::date))[1:${idLimit}], '{}') as open_past_due,
          coalesce((array_agg(s.id::text order by s.due_date, s.id) filter (where s.status in ('missed', 'partial') and s.forecast = 'on_track' and s.probability is not null))[1:${idLimit}], '{}') as surprises
        from s),
      grouped as (
        select 'category' as kind, s.reason_category as key, null::text as status, count(*)::int as count
          from s where s.status not in ('open', 'delivered') and s.reason_category is not null group by s.reason_category
        union all
        select 'control', s.control, null, count(*)::int
          from s where s.status not in ('open', 'delivered') and s.control is not null group by s.control
        union all
        select 'late', greatest(s.resolved_at - s.due_date, 0)::text, null, count(*)::int
          from s where s.status in ('delivered', 'partial') and s.due_date is not null group by 2
        union all
        select 'forecast', s.probability::text, s.status, count(*)::int
          from s where s.status in ('delivered', 'partial', 'missed') and s.probability is not null group by 2, 3)
      select totals.*, coalesce((select json_agg(g) from grouped g), '[]'::json)::text as groups from totals`),
  );
  const groups = (main ? (JSON.parse(String(main.groups)) as unknown[]) : []) as Array<{ kind: string; key: string; status: string | null; count: number }>;
  const num = (key: string) => Number(main?.[key] ?? 0);
  const of = (kind: string) => groups.filter((g) => g.kind === kind);
  return {
    counts: { delivered: num("delivered"), partial: num("partial"), missed: num("missed"), withdrawn: num("withdrawn"), open: num("open") },
    deliveriesByDaysLate: of("late").map((g) => ({ days: Number(g.key), count: Number(g.count) })),
    byCategory: of("category").map((g) => ({ category: g.key as ReasonCategory, count: Number(g.count) })),
    byControl: of("control").map((g) => ({ control: g.key as Control, count: Number(g.count) })),
    forecasts: of("forecast").map((g) => ({ probability: Number(g.key), status: g.status as "delivered" | "partial" | "missed", count: Number(g.count) })),
    openPastDue: toArray(main?.open_past_due),
    surprises: toArray(main?.surprises),
    openPastDueCount: num("open_past_due_count"),
    surpriseCount: num("surprise_count"),
  };
}

/** The scope's figures: its tally counted in the database, turned into figures by the domain. */
export async function summarizeInDatabase(db: DbOrTx, scope: StatScope, opts: StatOptions): Promise<Summary> {
  return summaryFromTally(await tallyInDatabase(db, scope, opts.today), { partialCountsAsHalf: opts.partialCountsAsHalf ?? false });
}

// postgres.js returns text[] as an array; PGlite may too, or as a Postgres array literal.
function toArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === "string" && value.startsWith("{")) {
    const inner = value.slice(1, -1);
    return inner ? inner.split(",").map((s) => s.replace(/^"|"$/g, "")) : [];
  }
  return [];
}

/**
 * Outcome counts of a scope per period, for the trend chart (one query for all periods); the
 * rate itself is app/domain/statistics.ts's deliveryRate of these counts.
 */
export async function outcomeCountsByPeriod(
  db: DbOrTx,
  teamIds: string[] | undefined,
  periodLabels: string[],
): Promise<Array<{ periodLabel: string } & OutcomeCounts>> {
  if (periodLabels.length === 0) return [];
  const team = teamIds
    ? teamIds.length
      ? sql`and s.team_id in (${sql.join(teamIds.map((id) => sql`${id}::uuid`), sql`, `)})`
      : sql`and false`
    : sql``;
  const rows = rowsOf<{ period_label: string } & OutcomeCounts>(
    await db.execute(sql`
      select s.record_label as period_label,
             count(*) filter (where s.status = 'delivered')::int as delivered,
             count(*) filter (where s.status = 'partial')::int as partial,
             count(*) filter (where s.status = 'missed')::int as missed,
             count(*) filter (where s.status = 'withdrawn')::int as withdrawn,
             count(*) filter (where s.status = 'open')::int as open
      from commitment_stats s
      where s.record_label in (${sql.join(periodLabels.map((l) => sql`${l}`), sql`, `)}) ${team}
      group by 1`),
  );
  const byLabel = new Map(rows.map((r) => [r.period_label, r]));
  return periodLabels.map((periodLabel) => {
    const r = byLabel.get(periodLabel);
    return {
      periodLabel,
      delivered: Number(r?.delivered ?? 0),
      partial: Number(r?.partial ?? 0),
      missed: Number(r?.missed ?? 0),
      withdrawn: Number(r?.withdrawn ?? 0),
      open: Number(r?.open ?? 0),
    };
  });
}
