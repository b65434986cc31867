// The public ledger's tallies of every year (ADR 0038) are counted from commitment_stats' partial
// index of public rows, not from the commitments table with a period-of-record lookup per row:
// the same figures as that recount, in one statement that reads no commitment row.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { seedScale } from "../../db/seed-scale";
import { publicYearTallies } from "~/models/letter.server";
import { recordFiscalYear } from "~/models/record-period.server";
import { rowsOf } from "~/models/rows.server";
import { resetDatabase, superuserDatabase, testDatabase } from "../setup/db";
import { statementsDuring } from "../support/statements";

describe("the public ledger's year tallies", { timeout: 300_000 }, () => {
  it("equal a recount of the public commitments by their year of record, from one statement over the stats index", async () => {
    const app = await testDatabase();
    await resetDatabase(app);
    await seedScale((await superuserDatabase()).db, { teams: 6, people: 12, commitments: 700 });
    const { db } = app;
    const recount = rowsOf<{ fiscal_year: number; made: number; open: number; delivered: number; partial: number; missed: number; withdrawn: number }>(
      await db.execute(sql`
        select ${recordFiscalYear("c")} as fiscal_year, count(*)::int as made,
               count(*) filter (where status = 'open')::int as open, count(*) filter (where status = 'delivered')::int as delivered,
               count(*) filter (where status = 'partial')::int as partial, count(*) filter (where status = 'missed')::int as missed,
               count(*) filter (where status = 'withdrawn')::int as withdrawn
        from commitments c where audience = 'public' group by 1 order by 1 desc`),
    ).map((r) => ({ fiscalYear: Number(r.fiscal_year), made: r.made, open: r.open, delivered: r.delivered, partial: r.partial, missed: r.missed, withdrawn: r.withdrawn }));
    expect(recount.map((y) => y.fiscalYear)).toEqual([2027, 2026, 2025, 2024]);

    const { result, statements } = await statementsDuring(db, () => publicYearTallies(db));
    expect(result).toEqual(recount);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/from commitment_stats/);
    expect(statements[0]).not.toMatch(/\bcommitments\b|commitment_revisions/);

    // The partial index holds every column the statement reads: it can be answered from it alone.
    const plan = await db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      await tx.execute(sql`set local enable_bitmapscan = off`);
      return rowsOf<{ "QUERY PLAN": string }>(await tx.execute(sql.raw(`explain ${statements[0]!}`)))
        .map((r) => r["QUERY PLAN"])
        .join("\n");
    });
    expect(plan).toMatch(/Index Only Scan using commitment_stats_public_label_status_idx/);
  });
});
