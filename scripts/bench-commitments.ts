// Benchmark: the commitments list, retrospective and dashboard on a large organisation (200 teams, 100,000 commitments by
// default). Seeds a scratch database — a fresh one on TEST_DATABASE_URL's server when set,
// otherwise an in-memory PGlite — then times each kind of list query the UI and API make,
// including a page far down a keyset cursor chain, and prints the query plans' index use.
//   npm run bench                 (PGlite)
//   TEST_DATABASE_URL=postgres://… npm run bench
//   BENCH_COMMITMENTS=20000 npm run bench   (smaller)
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { connect } from "../db/client";
import { migrateToLatest } from "../db/migrate";
import { seedScale } from "../db/seed-scale";
import { cursorKeyOf, listCommitments, type ListCursor, type ListFilters, type Sort } from "../app/models/commitment.server";
import { rowsOf } from "../app/models/rows.server";
import { getTeamBySlug, subtreeIds } from "../app/models/team.server";
import { createScratchDatabase } from "../tests/setup/db";
import { dashboardLists } from "../app/models/dashboard.server";
import { listScopeCommitments } from "../app/models/retrospective.server";
import { outcomeCountsByPeriod, summarizeInDatabase } from "../app/models/statistics.server";
import { checkLetterDraft, generateLetterDraft, publicLedger } from "../app/services/letters.server";

const labelsOfYear = (fy: number) => [`FY${fy}`, `FY${fy}-H1`, `FY${fy}-H2`, `FY${fy}-Q1`, `FY${fy}-Q2`, `FY${fy}-Q3`, `FY${fy}-Q4`];

const commitments = Number(process.env.BENCH_COMMITMENTS ?? 100_000);
const runs = Number(process.env.BENCH_RUNS ?? 20);
const PAGE = 50;

async function main() {
  const base = process.env.TEST_DATABASE_URL;
  const handle = base
    ? await connect({ databaseUrl: await createScratchDatabase(base, `kept_bench_${process.pid}`), dataDir: "", poolMax: 2 })
    : await connect({ dataDir: "memory://" });
  console.log(`database: ${handle.kind}; commitments: ${commitments}; runs per query: ${runs}`);
  await migrateToLatest(handle);
  const db = handle.db;
  const seedStart = performance.now();
  await seedScale(db, { teams: 200, people: 400, commitments });
  console.log(`seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  const top = await getTeamBySlug(db, "scale-team-1");
  const subtree = top ? await subtreeIds(db, top.id) : [];
  const leaf = await getTeamBySlug(db, "scale-team-150");
  const [owner] = rowsOf<{ id: string }>(await db.execute(sql`select id from users where email = 'scale7@example.com'`));

  // A cursor deep in the list: the key of the row 90% of the way down the default order.
  const [deep] = rowsOf<{ due_date: string; committed_at: Date | string; lint_score: number; id: string }>(
    await db.execute(sql`select due_date::text, committed_at, lint_score, id from commitments order by due_date, id offset ${Math.floor(commitments * 0.9)} limit 1`),
  );
  const deepCursor: ListCursor | undefined = deep
    ? { key: cursorKeyOf({ dueDate: deep.due_date, committedAt: new Date(deep.committed_at), lintScore: deep.lint_score }, "due"), id: deep.id }
    : undefined;

  const cases: Array<{ name: string; filters: ListFilters; sort: Sort; after?: ListCursor }> = [
    { name: "first page, by due date", filters: {}, sort: "due" },
    { name: "page 90% down the keyset chain", filters: {}, sort: "due", after: deepCursor },
    { name: "newest first", filters: {}, sort: "committed_desc" },
    { name: "weakest first (score)", filters: {}, sort: "score" },
    { name: "team with sub-teams", filters: { teamIds: subtree }, sort: "due" },
    { name: "one team", filters: { teamIds: leaf ? [leaf.id] : [] }, sort: "due" },
    { name: "period FY2026-Q3", filters: { periodLabel: "FY2026-Q3" }, sort: "due" },
    { name: "status missed", filters: { status: "missed" }, sort: "due" },
    { name: "public, open", filters: { audience: "public", status: "open" }, sort: "due" },
    { name: "theme Security", filters: { tag: "Security" }, sort: "due" },
    { name: "owner", filters: { ownerId: owner?.id }, sort: "due" },
    { name: "text search 'region'", filters: { q: "region" }, sort: "due" },
    { name: "text search, rare word '#4242'", filters: { q: "#4242" }, sort: "due" },
  ];

  console.log("\nquery                                   median ms   p95 ms   rows");
  for (const c of cases) {
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < runs + 2; i++) {
      const start = performance.now();
      const result = await listCommitments(db, c.filters, c.sort, PAGE + 1, c.after);
      const ms = performance.now() - start;
      rows = result.length;
      if (i >= 2) times.push(ms); // the first two warm caches
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    const p95 = times[Math.min(times.length - 1, Math.floor(times.length * 0.95))]!;
    console.log(`${c.name.padEnd(40)}${median.toFixed(1).padStart(9)}${p95.toFixed(1).padStart(9)}${String(rows).padStart(7)}`);
  }

  // Retrospective and dashboard aggregates, for one team's subtree and the whole organisation.
  const aggregates: Array<{ name: string; run: () => Promise<unknown> }> = [
    { name: "retro summary: team subtree, FY2026-Q3", run: () => summarizeInDatabase(db, { teamIds: subtree, periodLabels: ["FY2026-Q3"] }, { today: "2026-11-27" }) },
    { name: "retro summary: organisation, FY2026", run: () => summarizeInDatabase(db, { periodLabels: labelsOfYear(2026) }, { today: "2026-11-27" }) },
    { name: "retro trend: subtree, 6 quarters", run: () => outcomeCountsByPeriod(db, subtree, ["FY2025-Q2", "FY2025-Q3", "FY2025-Q4", "FY2026-Q1", "FY2026-Q2", "FY2026-Q3"]) },
    { name: "retro outcomes table: subtree, FY2026-Q3", run: () => listScopeCommitments(db, { teamIds: subtree, periodLabels: ["FY2026-Q3"] }, 501) },
    { name: "dashboard lists: one team", run: () => dashboardLists(db, leaf ? [leaf.id] : [], "2026-11-27", new Date("2026-10-28T00:00:00Z")) },
    { name: "dashboard lists: organisation", run: () => dashboardLists(db, undefined, "2026-11-27", new Date("2026-10-28T00:00:00Z")) },
  ];
  console.log("\naggregate                               median ms   p95 ms");
  for (const a of aggregates) {
    const times: number[] = [];
    for (let i = 0; i < runs + 2; i++) {
      const start = performance.now();
      await a.run();
      if (i >= 2) times.push(performance.now() - start);
    }
    times.sort((x, y) => x - y);
    const median = times[Math.floor(times.length / 2)]!;
    const p95 = times[Math.min(times.length - 1, Math.floor(times.length * 0.95))]!;
    console.log(`${a.name.padEnd(40)}${median.toFixed(1).padStart(9)}${p95.toFixed(1).padStart(9)}`);
  }

  // The annual letter of the busiest year, and the public ledger's first page. A letter of
  // tens of thousands of commitments is not one anyone should send, but Kept must still draft
  // it (and check it before publishing) in reasonable time rather than fall over.
  const [admin] = rowsOf<{ id: string }>(await db.execute(sql`select id from users where role = 'admin' order by email limit 1`));
  const [busiest] = rowsOf<{ fiscal_year: number; n: number }>(
    await db.execute(sql`select fiscal_year, count(*)::int as n from commitments group by fiscal_year order by n desc limit 1`),
  );
  if (admin && busiest) {
    const actor = { id: admin.id, role: "admin" as const };
    const year = Number(busiest.fiscal_year);
    const letterRuns = Math.max(3, Math.floor(runs / 4));
    console.log(`
letters (FY${year}: ${busiest.n} commitments)          median ms   p95 ms   size`);
    for (const audience of ["public", "internal"] as const) {
      const times: number[] = [];
      const checks: number[] = [];
      let size = 0;
      for (let i = 0; i < letterRuns + 1; i++) {
        const start = performance.now();
        const result = await generateLetterDraft(db, actor, { fiscalYear: year, audience, replaceEdits: true }, new Date());
        const generated = performance.now() - start;
        if (!result.ok) throw new Error(result.error.message);
        size = result.value.body.length;
        const checkStart = performance.now();
        await checkLetterDraft(db, result.value);
        if (i >= 1) {
          times.push(generated);
          checks.push(performance.now() - checkStart);
        }
      }
      const stat = (xs: number[]) => {
        xs.sort((a, b) => a - b);
        return [xs[Math.floor(xs.length / 2)]!, xs[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!];
      };
      const [gm, gp] = stat(times);
      const [cm, cp] = stat(checks);
      console.log(`${`draft ${audience} letter`.padEnd(40)}${gm!.toFixed(0).padStart(9)}${gp!.toFixed(0).padStart(9)}  ${(size / 1024).toFixed(0)} KiB`);
      console.log(`${`publish checks, ${audience}`.padEnd(40)}${cm!.toFixed(0).padStart(9)}${cp!.toFixed(0).padStart(9)}`);
    }
    const ledgerTimes: number[] = [];
    for (let i = 0; i < runs + 2; i++) {
      const start = performance.now();
      await publicLedger(db, null, year, null);
      if (i >= 2) ledgerTimes.push(performance.now() - start);
    }
    ledgerTimes.sort((a, b) => a - b);
    console.log(`${"public ledger, first page of a year".padEnd(40)}${ledgerTimes[Math.floor(ledgerTimes.length / 2)]!.toFixed(1).padStart(9)}${ledgerTimes[Math.min(ledgerTimes.length - 1, Math.floor(ledgerTimes.length * 0.95))]!.toFixed(1).padStart(9)}`);
  }

  const plan = rowsOf<Record<string, string>>(
    await db.execute(sql`explain select id from commitments where team_id = ${leaf?.id ?? "00000000-0000-0000-0000-000000000000"} order by due_date, id limit 51`),
  );
  console.log("\nplan for one team's first page:\n  " + plan.map((r) => Object.values(r)[0]).join("\n  "));
  await handle.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
