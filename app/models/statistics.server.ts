// The counts behind the track-record figures of app/domain/statistics.ts, counted inside the
// database so a retrospective of a large organisation never loads its commitments into Node.
// The database counts; app/domain/statistics.ts turns the counts into figures.
import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { SUMMARY_ID_LIMIT, summaryFromTally, type OutcomeCounts, type Summary, type SummaryTally } from "~/domain/statistics";
import type { Control, ReasonCategory } from "~/domain/types";
import type { FigureCache } from "~/utils/figure-cache.server";
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
  /** The server's figures kept between announced changes (ADR 0037); absent, every call counts. */
  figures?: FigureCache;
}

/** Everything a figure counted from commitment_stats depends on besides its labels' rows. */
function figureKey(kind: string, teamIds: readonly string[] | undefined, periodLabels: readonly string[], rest: readonly unknown[]): string {
  return JSON.stringify([kind, teamIds ? [...teamIds].sort() : null, [...periodLabels].sort(), ...rest]);
}

function scopeCondition(scope: StatScope): SQL {
  if (scope.periodLabels.length === 0) return sql`false`;
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

// Which grouping set a row of the tally belongs to: grouping(status, category, control, late,
// probability) has a bit set (leftmost first) for each of those the set does not group by.
const TOTALS_SET = 0b01111;
const CATEGORY_SET = 0b10111;
const CONTROL_SET = 0b11011;
const LATE_SET = 0b11101;
const FORECAST_SET = 0b01110;

interface TallyGroup {
  set: number;
  status: Status | null;
  past_due: boolean | null;
  surprise: boolean | null;
  category: ReasonCategory | null;
  control: Control | null;
  late: number | null;
  probability: number | null;
  count: number;
}

type Status = keyof OutcomeCounts;

/**
 * The scope's tally (see SummaryTally), counted in the database in one statement from
 * commitment_stats (one narrow row per commitment by its period of record, with its forecast of
 * record; ADR 0032): one pass over the scope's rows groups them by every grouping set the tally
 * needs, and the two bounded id lists are walked apart. The database only counts and groups;
 * every rate, the lateness figures, Brier scores and buckets are computed from the tally by
 * app/domain/statistics.ts, the one place their rules are written.
 */
export async function tallyInDatabase(db: DbOrTx, scope: StatScope, today: string, ids = SUMMARY_ID_LIMIT): Promise<SummaryTally> {
  const idLimit = sql.raw(String(Math.max(0, Math.floor(ids))));
  const where = scopeCondition(scope);
  const pastDue = sql`s.status = 'open' and s.due_date < ${today}::date`;
  const surprise = sql`s.status in ('missed', 'partial') and s.forecast = 'on_track' and s.probability is not null`;
  const [main] = rowsOf<{ groups: string; open_past_due: unknown; surprises: unknown }>(
    await db.execute(sql`
      select
        coalesce((select json_agg(g) from (
          select grouping(x.status, x.category, x.control, x.late, x.probability) as set,
                 x.status, x.past_due, x.surprise, x.category, x.control, x.late, x.probability, count(*)::int as count
          from (
            select s.status, ${pastDue} as past_due, ${surprise} as surprise,
                   case when s.status not in ('open', 'delivered') then s.reason_category end as category,
                   case when s.status not in ('open', 'delivered') then s.control end as control,
                   case when s.status in ('delivered', 'partial') then greatest(s.resolved_at - s.due_date, 0) end as late,
                   -- 0..100 by a check constraint; no clamping (greatest() would turn null into 0)
                   case when s.status in ('delivered', 'partial', 'missed') then s.probability end as probability
            from commitment_stats s where ${where}) x
          group by grouping sets ((x.status, x.past_due, x.surprise), (x.category), (x.control), (x.late), (x.probability, x.status))
        ) g), '[]'::json)::text as groups,
        -- The first SUMMARY_ID_LIMIT of each: the counts are the figures, and a year of a large
        -- organisation has thousands, which no page lists (ADR 0027).
        array(select s.commitment_id::text from commitment_stats s where ${where} and ${pastDue} order by s.due_date, s.commitment_id limit ${idLimit}) as open_past_due,
        array(select s.commitment_id::text from commitment_stats s where ${where} and ${surprise} order by s.due_date, s.commitment_id limit ${idLimit}) as surprises`),
  );
  const groups = JSON.parse(main?.groups ?? "[]") as TallyGroup[];
  const counts: OutcomeCounts = { delivered: 0, partial: 0, missed: 0, withdrawn: 0, open: 0 };
  let openPastDueCount = 0;
  let surpriseCount = 0;
  const tally: Pick<SummaryTally, "deliveriesByDaysLate" | "byCategory" | "byControl" | "forecasts"> = { deliveriesByDaysLate: [], byCategory: [], byControl: [], forecasts: [] };
  for (const g of groups) {
    // A null key is the group of rows the set does not count (an open commitment's category).
    if (g.set === TOTALS_SET && g.status) {
      counts[g.status] += g.count;
      if (g.past_due) openPastDueCount += g.count;
      if (g.surprise) surpriseCount += g.count;
    } else if (g.set === CATEGORY_SET && g.category) tally.byCategory.push({ category: g.category, count: g.count });
    else if (g.set === CONTROL_SET && g.control) tally.byControl.push({ control: g.control, count: g.count });
    else if (g.set === LATE_SET && g.late !== null) tally.deliveriesByDaysLate.push({ days: g.late, count: g.count });
    else if (g.set === FORECAST_SET && g.probability !== null && g.status) {
      tally.forecasts.push({ probability: g.probability, status: g.status as "delivered" | "partial" | "missed", count: g.count });
    }
  }
  return {
    counts,
    ...tally,
    openPastDue: toArray(main?.open_past_due),
    surprises: toArray(main?.surprises),
    openPastDueCount,
    surpriseCount,
  };
}

/** The scope's figures: its tally counted in the database, turned into figures by the domain. */
export async function summarizeInDatabase(db: DbOrTx, scope: StatScope, opts: StatOptions): Promise<Summary> {
  const count = () => tallyInDatabase(db, scope, opts.today);
  const tally = opts.figures
    ? await opts.figures.get(figureKey("tally", scope.teamIds, scope.periodLabels, [scope.audience ?? null, opts.today]), scope.periodLabels, count)
    : await count();
  return summaryFromTally(tally, { partialCountsAsHalf: opts.partialCountsAsHalf ?? false });
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
 * rate itself is app/domain/statistics.ts's deliveryRate of these counts. With `figures`, kept
 * between announced changes to those periods' rows (ADR 0037).
 */
export async function outcomeCountsByPeriod(
  db: DbOrTx,
  teamIds: string[] | undefined,
  periodLabels: string[],
  figures?: FigureCache,
): Promise<Array<{ periodLabel: string } & OutcomeCounts>> {
  if (periodLabels.length === 0) return [];
  if (figures) return figures.get(figureKey("by-period", teamIds, periodLabels, []), periodLabels, () => countOutcomesByPeriod(db, teamIds, periodLabels));
  return countOutcomesByPeriod(db, teamIds, periodLabels);
}

async function countOutcomesByPeriod(db: DbOrTx, teamIds: string[] | undefined, periodLabels: string[]): Promise<Array<{ periodLabel: string } & OutcomeCounts>> {
  const team = teamIds
    ? teamIds.length
      ? sql`and s.team_id in (${sql.join(teamIds.map((id) => sql`${id}::uuid`), sql`, `)})`
      : sql`and false`
    : sql``;
  // Grouped by status rather than counted with five filters: one comparison per row, and the
  // index (record_label, status, team_id, audience) holds every column read, in order.
  const rows = rowsOf<{ period_label: string; status: Status; n: number }>(
    await db.execute(sql`
      select s.record_label as period_label, s.status, count(*)::int as n
      from commitment_stats s
      where s.record_label in (${sql.join(periodLabels.map((l) => sql`${l}`), sql`, `)}) ${team}
      group by 1, 2`),
  );
  const byLabel = new Map<string, OutcomeCounts>(periodLabels.map((l) => [l, { delivered: 0, partial: 0, missed: 0, withdrawn: 0, open: 0 }]));
  for (const r of rows) {
    const counts = byLabel.get(r.period_label);
    if (counts) counts[r.status] += Number(r.n);
  }
  return periodLabels.map((periodLabel) => ({ periodLabel, ...byLabel.get(periodLabel)! }));
}
