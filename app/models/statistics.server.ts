// The track-record figures of app/domain/statistics.ts, computed inside the database so a
// retrospective of a large organisation never loads its commitments into Node. The
// integration tests hold both implementations to the same numbers on the same data.
import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { deliveryRate, deliveryRateOfResolved, emptySummary, onTimeRateOf, type OutcomeCounts, type Summary } from "~/domain/statistics";
import { CONTROLS, REASON_CATEGORIES, type Control, type ReasonCategory } from "~/domain/types";
import { commitmentsOfRecordPeriods } from "./record-period.server";
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
  // The periods are the derived table rp (commitmentsOfRecordPeriods); these are the rest.
  const parts: SQL[] = [sql`true`];
  if (scope.teamIds) {
    parts.push(
      scope.teamIds.length ? sql`c.team_id in (${sql.join(scope.teamIds.map((id) => sql`${id}::uuid`), sql`, `)})` : sql`false`,
    );
  }
  if (scope.audience) parts.push(sql`c.audience = ${scope.audience}`);
  return sql.join(parts, sql` and `);
}

/**
 * Each commitment in scope with its outcome and its forecast of record: the last check-in on
 * or before both the due date and the resolution day (same day: the later one written).
 */
function scoped(scope: StatScope): SQL {
  return sql`
    select c.id, c.due_date, c.status, o.resolved_at, o.reason_category, o.control, r.forecast,
           r.probability -- 0..100 by a check constraint; no clamping (greatest() would turn null into 0)
    from ${commitmentsOfRecordPeriods("c", scope.periodLabels)}
    left join outcomes o on o.commitment_id = c.id
    left join lateral (
      select ci.forecast, ci.probability
      from check_ins ci
      where ci.commitment_id = c.id and o.resolved_at is not null
        and ci.date <= c.due_date and ci.date <= o.resolved_at
      order by ci.date desc, ci.created_at desc, ci.id desc
      limit 1
    ) r on true
    where ${scopeCondition(scope)}`;
}

export async function summarizeInDatabase(db: DbOrTx, scope: StatScope, opts: StatOptions): Promise<Summary> {
  const half = opts.partialCountsAsHalf ?? false;
  const observed = sql`case s.status when 'delivered' then 1.0 when 'partial' then ${half ? 0.5 : 0}::float8 when 'missed' then 0.0 end`;
  const scored = sql`s.status in ('delivered', 'partial', 'missed') and s.probability is not null`;
  // One statement: the scoped set (a check-in lookup per commitment) is a CTE read by both the
  // totals and the groups, so PostgreSQL computes it once per request, not once per figure.
  const [main] = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      with s as materialized (${scoped(scope)}),
      totals as (
        select
          count(*)::int as made,
          count(*) filter (where s.status = 'delivered')::int as delivered,
          count(*) filter (where s.status = 'partial')::int as partial,
          count(*) filter (where s.status = 'missed')::int as missed,
          count(*) filter (where s.status = 'withdrawn')::int as withdrawn,
          count(*) filter (where s.status = 'open')::int as open,
          count(*) filter (where s.status in ('delivered', 'partial'))::int as dated_deliveries,
          count(*) filter (where s.status in ('delivered', 'partial') and s.resolved_at > s.due_date)::int as late_count,
          coalesce(sum(s.resolved_at - s.due_date) filter (where s.status in ('delivered', 'partial') and s.resolved_at > s.due_date), 0)::int as late_total,
          coalesce(max(s.resolved_at - s.due_date) filter (where s.status in ('delivered', 'partial') and s.resolved_at > s.due_date), 0)::int as late_max,
          count(*) filter (where s.status not in ('open', 'delivered') and s.reason_category is not null)::int as reasons_total,
          coalesce(array_agg(s.id::text order by s.due_date, s.id) filter (where s.status = 'open' and s.due_date < ${opts.today}::date), '{}') as open_past_due,
          coalesce(array_agg(s.id::text order by s.due_date, s.id) filter (where s.status in ('missed', 'partial') and s.forecast = 'on_track' and s.probability is not null), '{}') as surprises,
          count(*) filter (where ${scored})::int as n,
          avg(power(s.probability / 100.0 - ${observed}, 2)) filter (where ${scored}) as brier
        from s),
      grouped as (
        select 'category' as kind, s.reason_category as key, count(*)::int as count, null::float8 as forecast, null::float8 as observed
          from s where s.status not in ('open', 'delivered') and s.reason_category is not null group by s.reason_category
        union all
        select 'control', s.control, count(*)::int, null, null
          from s where s.status not in ('open', 'delivered') and s.control is not null group by s.control
        union all
        select 'bucket', least(floor(s.probability / 10), 9)::int::text, count(*)::int, avg(s.probability / 100.0), avg(${observed})
          from s where ${scored} group by 2)
      select totals.*, coalesce((select json_agg(g) from grouped g), '[]'::json)::text as groups from totals`),
  );
  const groups = (main ? (JSON.parse(String(main.groups)) as unknown[]) : []) as Array<{
    kind: string;
    key: string;
    count: number;
    forecast: number | null;
    observed: number | null;
  }>;

  const summary = emptySummary({ partialCountsAsHalf: half });
  if (!main) return summary;
  const num = (key: string) => Number(main[key] ?? 0);
  summary.made = num("made");
  summary.counts = {
    delivered: num("delivered"),
    partial: num("partial"),
    missed: num("missed"),
    withdrawn: num("withdrawn"),
    open: num("open"),
  };
  // The database only counts; the rates are divided in app/domain/statistics.ts, the one place they are defined.
  const { delivered, partial, missed } = summary.counts;
  summary.resolved = delivered + partial + missed;
  summary.deliveryRate = deliveryRate(summary.counts);
  summary.deliveryRateOfResolved = deliveryRateOfResolved(summary.counts);
  const dated = num("dated_deliveries");
  const lateCount = num("late_count");
  summary.onTimeRate = onTimeRateOf(dated - lateCount, dated);
  summary.daysLate = {
    total: num("late_total"),
    max: num("late_max"),
    lateCount,
    mean: lateCount > 0 ? num("late_total") / lateCount : null,
  };
  summary.openPastDue = toArray(main.open_past_due);
  summary.surprises = toArray(main.surprises);
  const byKey = (kind: string) => new Map(groups.filter((g) => g.kind === kind).map((g) => [g.key, g]));
  const categories = byKey("category");
  const controls = byKey("control");
  summary.reasons = {
    total: num("reasons_total"),
    byCategory: REASON_CATEGORIES.map((category: ReasonCategory) => ({ category, count: Number(categories.get(category)?.count ?? 0) })),
    byControl: CONTROLS.map((control: Control) => ({ control, count: Number(controls.get(control)?.count ?? 0) })),
  };
  const buckets = byKey("bucket");
  summary.calibration = {
    n: num("n"),
    brier: main.brier === null || main.brier === undefined ? null : Number(main.brier),
    buckets: summary.calibration.buckets.map((b, i) => {
      const g = buckets.get(String(i));
      if (!g) return b;
      return { ...b, count: Number(g.count), meanForecast: Number(g.forecast), observedRate: Number(g.observed) };
    }),
  };
  return summary;
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
      ? sql`and c.team_id in (${sql.join(teamIds.map((id) => sql`${id}::uuid`), sql`, `)})`
      : sql`and false`
    : sql``;
  const rows = rowsOf<{ period_label: string } & OutcomeCounts>(
    await db.execute(sql`
      select c.record_label as period_label,
             count(*) filter (where c.status = 'delivered')::int as delivered,
             count(*) filter (where c.status = 'partial')::int as partial,
             count(*) filter (where c.status = 'missed')::int as missed,
             count(*) filter (where c.status = 'withdrawn')::int as withdrawn,
             count(*) filter (where c.status = 'open')::int as open
      from ${commitmentsOfRecordPeriods("c", periodLabels)}
      where true ${team}
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
