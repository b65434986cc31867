// The period of record (ADR 0008): a commitment belongs for good to the period in which it was
// locked. Moving it later is a re-scope, so the period it was locked in is the `from` of its first
// re-scope revision that changed the period; without one, it is the period it has now. Derived
// from the append-only revisions, so no column can be rewritten to move it out of its year.
import { sql, type SQL } from "drizzle-orm";

/**
 * Re-scopes that moved a commitment to another period. Written out as literals, exactly as the
 * partial index commitment_revisions_moved_idx (db/schema/commitments.ts) is defined, so the
 * planner can prove the index applies: a parameter in its place would hide the match from a
 * prepared statement's generic plan.
 */
function movedRevision(alias: string): SQL {
  return sql.raw(`${alias}.kind = 'rescope' and ${alias}.changes @> '[{"field": "periodLabel"}]'::jsonb`);
}

/** The label a re-scope first moved the commitment away from, or null if it was never moved. */
function movedFromLabel(alias: string): SQL {
  return sql`(select jsonb_path_query_first(r.changes, '$[*] ? (@.field == "periodLabel").from') #>> '{}'
              from commitment_revisions r
              where r.commitment_id = ${sql.raw(alias)}.id and ${movedRevision("r")}
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

/**
 * Whether commitment `alias` belongs to fiscal year `fiscalYear` by its period of record: the
 * same rows as `recordFiscalYear(alias) = fiscalYear`, but the revision lookup behind that runs
 * only for commitments whose fiscal year now is the year or one the year's moved commitments
 * went to (an array the fiscal-year index can use), not for every commitment of the table.
 */
export function inRecordYear(alias: string, fiscalYear: number): SQL {
  const table = sql.raw(alias);
  return sql`${table}.fiscal_year = any(array(
      select ${fiscalYear}::int
      union
      select cm.fiscal_year from commitment_revisions mr join commitments cm on cm.id = mr.commitment_id
      where ${movedRevision("mr")}
        and jsonb_path_query_first(mr.changes, '$[*] ? (@.field == "periodLabel").from') #>> '{}' like ${`FY${fiscalYear}%`}))
    and ${recordFiscalYear(alias)} = ${fiscalYear}`;
}
