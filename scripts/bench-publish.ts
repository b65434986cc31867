// Benchmark: publishing the last closed year of the scale seed (100,000 commitments: FY2025
// holds 25,000), in process, as scripts/bench-http.ts does, with the SQL time apart from the
// rest: every statement of the publication is timed by the server (log_min_duration_statement
// on the scratch database, read back from PostgreSQL's log file given as BENCH_PG_LOG).
//   TEST_DATABASE_URL=postgres://… BENCH_PG_LOG=/tmp/pg/server.log node --import tsx scripts/bench-publish.ts
//   BENCH_COMMITMENTS=20000 …   (smaller)
//   BENCH_REUSE=1 …             seeds once, then publishes from a copy of that database each run
//   BENCH_PROFILE=publish.cpuprofile …   also a CPU profile of the publication alone (Chrome DevTools reads it)
//   BENCH_EXPLAIN=1 …           also each statement over 50 ms with its plan, as run, and its triggers' times (auto_explain)
//   BENCH_SQL_BEFORE="alter table …" …   SQL run on the scratch database before publishing (to try a schema change)
import { closeSync, openSync, readSync, statSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { connect } from "../db/client";
import { migrateToLatest } from "../db/migrate";
import { seedScale } from "../db/seed-scale";
import { rowsOf } from "../app/models/rows.server";
import { generateLetterDraft, publishLetter } from "../app/services/letters.server";
import { createScratchDatabase } from "../tests/setup/db";

const commitments = Number(process.env.BENCH_COMMITMENTS ?? 100_000);

async function main() {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error("Set TEST_DATABASE_URL to a PostgreSQL server (a superuser): the benchmark makes a scratch database on it.");
  const name = `kept_bench_publish_${process.pid}`;
  const url = process.env.BENCH_REUSE === "1" ? await copyOfSeeded(base, name) : await createScratchDatabase(base, name);
  const seeding = await connect({ databaseUrl: url, dataDir: "", poolMax: 2 });
  try {
    if (process.env.BENCH_REUSE !== "1") await seed(seeding);
    if (process.env.BENCH_SQL_BEFORE) await seeding.db.execute(sql.raw(process.env.BENCH_SQL_BEFORE));
    await seeding.db.execute(sql.raw(`alter database "${name}" set log_min_duration_statement = 0`));
    if (process.env.BENCH_EXPLAIN === "1") {
      for (const setting of ["session_preload_libraries = 'auto_explain'", "auto_explain.log_min_duration = 50", "auto_explain.log_analyze = on", "auto_explain.log_triggers = on", "auto_explain.log_buffers = on", "auto_explain.log_nested_statements = on"]) {
        await seeding.db.execute(sql.raw(`alter database "${name}" set ${setting}`));
      }
    }
  } finally {
    await seeding.close();
  }

  const handle = await connect({ databaseUrl: url, dataDir: "", poolMax: 2 });
  try {
    const db = handle.db;
    const [admin] = rowsOf<{ id: string }>(await db.execute(sql`select id from users where role = 'admin' order by email limit 1`));
    const actor = { id: admin!.id, role: "admin" as const };
    const [year] = rowsOf<{ fy: number; n: number }>(
      await db.execute(sql`select fiscal_year as fy, count(*)::int as n from commitments where fiscal_year < 2026 group by 1 order by 1 desc limit 1`),
    );
    const now = new Date();
    const draft = await generateLetterDraft(db, actor, { fiscalYear: year!.fy, audience: "public" }, now);
    if (!draft.ok) throw new Error(draft.error.message);
    const log = process.env.BENCH_PG_LOG;
    const logFrom = log ? statSync(log).size : 0;
    const walBefore = await walStats(db);
    const profile = process.env.BENCH_PROFILE ? new Session() : null;
    if (profile) {
      profile.connect();
      await profile.post("Profiler.enable");
      await profile.post("Profiler.setSamplingInterval", { interval: 100 });
      await profile.post("Profiler.start");
    }
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const published = await publishLetter(db, actor, draft.value.id, draft.value.version, now);
    const ms = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    if (profile) {
      const { profile: cpu } = await profile.post("Profiler.stop");
      writeFileSync(process.env.BENCH_PROFILE!, JSON.stringify(cpu));
      profile.disconnect();
    }
    if (!published.ok) throw new Error(published.error.message);
    console.log(`published FY${year!.fy} (${year!.n} commitments) in ${ms.toFixed(0)} ms; node's CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms`);
    const walAfter = await walStats(db);
    console.log(
      `WAL (the whole cluster's, while it ran): ${walAfter.records - walBefore.records} records, ${walAfter.fpi - walBefore.fpi} full-page images, ${((walAfter.bytes - walBefore.bytes) / 1e6).toFixed(1)} MB`,
    );
    if (log) {
      const text = tailOf(log, logFrom);
      const timed = [...text.matchAll(/duration: ([\d.]+) ms {2}(?:statement|parse [^:]*|bind [^:]*|execute [^:]*): ([\s\S]*?)(?=\n\S|\n?$)/g)].map((m) => ({ ms: Number(m[1]), sql: m[2]!.replace(/\s+/g, " ").slice(0, 110) }));
      const total = timed.reduce((sum, t) => sum + t.ms, 0);
      console.log(`SQL: ${timed.length} statements, ${total.toFixed(0)} ms of ${ms.toFixed(0)} ms (the rest is JavaScript and the wire)`);
      for (const t of [...timed].sort((a, b) => b.ms - a.ms).slice(0, 12)) console.log(`  ${t.ms.toFixed(1).padStart(8)} ms  ${t.sql}`);
      if (process.env.BENCH_EXPLAIN === "1") {
        for (const m of text.matchAll(/duration: [\d.]+ ms {2}plan:\n([\s\S]*?)(?=\n\S|\n?$)/g)) console.log(`\n${m[1]!.replace(/^\t/gm, "  ")}`);
      }
    }
  } finally {
    await handle.close();
  }
}

async function seed(handle: Awaited<ReturnType<typeof connect>>) {
  await migrateToLatest(handle);
  const seedStart = performance.now();
  await seedScale(handle.db, { teams: 200, people: 400, commitments });
  console.log(`seeded ${commitments} commitments in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
  await handle.db.execute(sql`vacuum analyze`);
}

/**
 * BENCH_REUSE=1: a copy of a database seeded once and kept (kept_bench_publish_seeded_<size>),
 * so that runs compared with one another publish from the same data, and only the first seeds.
 */
async function copyOfSeeded(base: string, name: string): Promise<string> {
  const seeded = `kept_bench_publish_seeded_${commitments}`;
  const { default: postgres } = await import("postgres");
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${seeded}`;
    if (!exists) {
      const url = await createScratchDatabase(base, seeded);
      const handle = await connect({ databaseUrl: url, dataDir: "", poolMax: 2 });
      try {
        await seed(handle);
      } finally {
        await handle.close();
      }
    }
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.unsafe(`create database "${name}" template "${seeded}" strategy file_copy`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The text of a file from `offset` on (the server's log grows past what one string can hold). */
function tailOf(path: string, offset: number): string {
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.alloc(statSync(path).size - offset);
    readSync(fd, buffer, 0, buffer.length, offset);
    return buffer.toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/** pg_stat_wal's running totals (PostgreSQL 14 and later). */
async function walStats(db: Awaited<ReturnType<typeof connect>>["db"]) {
  const [row] = rowsOf<{ records: string; fpi: string; bytes: string }>(await db.execute(sql`select wal_records::text as records, wal_fpi::text as fpi, wal_bytes::text as bytes from pg_stat_wal`));
  return { records: Number(row!.records), fpi: Number(row!.fpi), bytes: Number(row!.bytes) };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
