// The period of record (ADR 0008): a commitment belongs for good to the period in which it was
// locked. Moving it later is a re-scope, so the period it was locked in is the `from` of its first
// re-scope revision that changed the period; without one, it is the period it has now. Derived
// from the append-only revisions, so no column can be rewritten to move it out of its year.
import { sql, type SQL } from "drizzle-orm";

const PERIOD_CHANGE = JSON.stringify([{ field: "periodLabel" }]);

/** The label a re-scope first moved the commitment away from, or null if it was never moved. */
function movedFromLabel(alias: string): SQL {
  return sql`(select jsonb_path_query_first(r.changes, '$[*] ? (@.field == "periodLabel").from') #>> '{}'
              from commitment_revisions r
              where r.commitment_id = ${sql.raw(alias)}.id and r.kind = 'rescope' and r.changes @> ${PERIOD_CHANGE}::jsonb
              order by r.id limit 1)`;
}

/** The period of record of commitment `alias` (a table name or alias in the query). */
export function recordPeriodLabel(alias: string): SQL {
  return sql`coalesce(${movedFromLabel(alias)}, ${sql.raw(alias)}.period_label)`;
}

/** The fiscal year of the period of record ("FY2026-Q3" → 2026). */
export function recordFiscalYear(alias: string): SQL {
  return sql`coalesce(substring(${movedFromLabel(alias)} from '^FY([0-9]{4})')::int, ${sql.raw(alias)}.fiscal_year)`;
}
