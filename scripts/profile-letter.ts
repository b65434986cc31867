// Profiles letter generation and the record check on the scale seed (ADR 0034): seeds an
// organisation on PostgreSQL (db/seed-scale.ts), then generates the last closed year's draft as
// scripts/bench-http.ts does, counting statements (connect({ onQuery })) and timing the year's
// queries apart from composition, then publishes it and runs the record check, reporting its
// longest event-loop stall and the heap it leaves. Not a test: run it with
//   PROFILE_DATABASE_URL=postgres://… node --import tsx [--cpu-prof] scripts/profile-letter.ts [commitments]
// (a superuser's server: it creates a scratch database, as the benchmark does).
import { performance } from "node:perf_hooks";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { connect } from "../db/client";
import { migrateToLatest } from "../db/migrate";
import { seedScale } from "../db/seed-scale";
import { rowsOf } from "../app/models/rows.server";
import {
  chainNeighboursOfYear,
  commitmentsOfYear,
  earlierYearTallies,
  nextYearCommitments,
  openCarriedChains,
  outcomesChangedSinceEarlierLetters,
  revisionsOfYear,
} from "../app/models/letter.server";
import { generateLetterDraft, publishLetter } from "../app/services/letters.server";
import { checkRecordIntegrity } from "../app/services/record-log.server";
import { createScratchDatabase } from "../tests/setup/db";

const base = process.env.PROFILE_DATABASE_URL;
if (!base) throw new Error("set PROFILE_DATABASE_URL to a PostgreSQL server you may create databases on");
const commitments = Number(process.argv[2] ?? 100_000);

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

async function main() {
  const url = await createScratchDatabase(base!, `kept_profile_${commitments}`);
  let statements = 0;
  const handle = await connect({ databaseUrl: url, dataDir: "", poolMax: 2, onQuery: () => void statements++ });
  const db = handle.db;
  try {
    await migrateToLatest(handle);
    let t = performance.now();
    await seedScale(db, { teams: 200, people: 400, commitments });
    console.log(`seeded ${commitments} commitments in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const [year] = rowsOf<{ fy: number; n: number }>(
      await db.execute(sql`select fiscal_year as fy, count(*)::int as n from commitments where fiscal_year < 2026 group by 1 order by 1 desc limit 1`),
    );
    const [admin] = rowsOf<{ id: string }>(await db.execute(sql`select id from users where email = 'scale1@example.com'`));
    const actor = { id: admin!.id, role: "admin" as const };
    const fy = year!.fy;
    const audience = "public" as const;
    // The year's queries one at a time, each timed (SQL plus decoding), as the generator runs them.
    const queries: Array<[string, () => Promise<unknown[]>]> = [
      ["commitmentsOfYear", () => commitmentsOfYear(db, fy, audience)],
      ["chainNeighboursOfYear", () => chainNeighboursOfYear(db, fy)],
      ["revisionsOfYear", () => revisionsOfYear(db, fy, audience)],
      ["earlierYearTallies", () => earlierYearTallies(db, fy, audience)],
      ["openCarriedChains", () => openCarriedChains(db, fy, audience)],
      ["nextYearCommitments", () => nextYearCommitments(db, fy, audience)],
      ["outcomesChangedSinceEarlierLetters", () => outcomesChangedSinceEarlierLetters(db, fy, audience)],
    ];
    for (const [name, run] of queries) {
      t = performance.now();
      const rows = await run();
      console.log(`  ${name}: ${rows.length} rows in ${(performance.now() - t).toFixed(0)} ms`);
    }
    for (let i = 0; i < 3; i++) {
      statements = 0;
      t = performance.now();
      const draft = await generateLetterDraft(db, actor, { fiscalYear: fy, audience, replaceEdits: true }, new Date());
      if (!draft.ok) throw new Error(draft.error.message);
      console.log(`generate FY${fy} (${year!.n} commitments): ${(performance.now() - t).toFixed(0)} ms, ${statements} statements`);
    }
    const draft = await generateLetterDraft(db, actor, { fiscalYear: fy, audience, replaceEdits: true }, new Date());
    if (!draft.ok) throw new Error(draft.error.message);
    t = performance.now();
    const published = await publishLetter(db, actor, draft.value.id, draft.value.version, new Date());
    if (!published.ok) throw new Error(published.error.message);
    console.log(`publish: ${(performance.now() - t).toFixed(0)} ms`);

    global.gc?.();
    const before = process.memoryUsage();
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    let peakHeap = 0;
    const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 20);
    t = performance.now();
    const report = await checkRecordIntegrity(db, new Date());
    const checkMs = performance.now() - t;
    clearInterval(sampler);
    delay.disable();
    global.gc?.();
    const after = process.memoryUsage();
    console.log(
      `record check: ${report.entries} entries, problem ${report.problem ? `${report.problem.code} #${report.problem.seq}` : "none"}, ${checkMs.toFixed(0)} ms, ` +
        `longest stall ${(delay.max / 1e6).toFixed(0)} ms (p99 ${(delay.percentile(99) / 1e6).toFixed(0)} ms), ` +
        `heap ${mb(before.heapUsed)} before, peak sampled ${mb(peakHeap)}, ${mb(after.heapUsed)} after; rss ${mb(after.rss)}`,
    );
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
