// `npm run bench:http`: Kept's pages under load, over HTTP, against the production server
// (build/kept-server.js with plain node) on PostgreSQL, beside anchors measured in the same
// run: a bare node:http server sending a body of the same size, and Kept's own /login. Seeds
// 10,000 and 100,000 commitments (db/seed-scale.ts; add --1m for 1,000,000), loads each page
// with autocannon, reports RSS against a budget and start/restart times, and writes the
// tables to docs/benchmarks.md. A benchmark, not a test: nothing here fails on a slow machine.
//
//   npm run bench:http                        throwaway PostgreSQL cluster (scripts/throwaway-postgres.sh)
//   BENCH_DATABASE_URL=postgres://… npm run bench:http   a server of yours (superuser: it creates scratch databases)
//   npm run bench:http -- --1m                also the 1,000,000-commitment organisation
//   BENCH_SECONDS=5 BENCH_CONNECTIONS=20      per target (defaults 3 s, 20 connections)
//   BENCH_SIZES=10000                         only these sizes
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { sql } from "drizzle-orm";
import { connect } from "../db/client";
import { migrateToLatest } from "../db/migrate";
import { seedScale } from "../db/seed-scale";
import { rowsOf } from "../app/models/rows.server";
import { createToken } from "../app/services/api-tokens.server";
import { login } from "../app/services/auth.server";
import { createScratchDatabase } from "../tests/setup/db";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const PORT = Number(process.env.BENCH_PORT ?? 3480);
/** The server's resident memory after load may not exceed this (issue #13). */
const RSS_BUDGET_MB = 200;
const sizes = process.env.BENCH_SIZES
  ? process.env.BENCH_SIZES.split(",").map(Number)
  : [10_000, 100_000, ...(process.argv.includes("--1m") ? [1_000_000] : [])];

interface Figure {
  name: string;
  path: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  bytes: number;
  anchorBare: number;
  anchorLogin: number;
}

async function load(url: string, headers: Record<string, string> = {}, perConnectionHeaders?: Array<Record<string, string>>) {
  let next = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers,
    // The API counts requests per token (600 a minute): each connection signs in with its own.
    ...(perConnectionHeaders
      ? {
          setupClient: (client: { setHeaders: (h: Record<string, string>) => void }) => {
            client.setHeaders({ ...headers, ...perConnectionHeaders[next++ % perConnectionHeaders.length] });
          },
        }
      : {}),
  });
  return {
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    bytesPerRequest: result.requests.total > 0 ? result.throughput.total / result.requests.total : 0,
  };
}

/** A bare node:http server answering every request with `bytes` bytes (or a 304). */
async function bareServer(bytes: number, status = 200): Promise<{ url: string; close: () => Promise<void> }> {
  const body = Buffer.alloc(Math.max(0, Math.round(bytes)), "x");
  const server = http.createServer((_req, res) => {
    if (status === 304) {
      res.writeHead(304, { ETag: '"bench"' });
      res.end();
      return;
    }
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Content-Length": body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function rssMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

async function waitReady(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before it was ready`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the server was not ready in time");
}

async function startServer(command: string[], env: Record<string, string>): Promise<{ child: ChildProcess; ms: number }> {
  const started = performance.now();
  const child = spawn(command[0]!, command.slice(1), {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", LOG_LEVEL: "warn", PORT: String(PORT), ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  await waitReady(`http://127.0.0.1:${PORT}`, child);
  return { child, ms: performance.now() - started };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

/** Seeds one organisation of `commitments` commitments and returns what the load needs. */
async function prepare(baseUrl: string, commitments: number) {
  const url = await createScratchDatabase(baseUrl, `kept_bench_http_${commitments}`);
  const handle = await connect({ databaseUrl: url, dataDir: "", poolMax: 2 });
  try {
    await migrateToLatest(handle);
    const seedStart = performance.now();
    await seedScale(handle.db, { teams: 200, people: 400, commitments });
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const db = handle.db;
    const session = await login(db, { email: "scale1@example.com", password: "scale-data-password", ip: "192.0.2.1", userAgent: "bench", previousToken: null });
    if (!session.ok) throw new Error(session.error.message);
    const people = rowsOf<{ id: string; role: "admin" | "member" | "viewer" }>(
      await db.execute(sql`select id, role from users where role <> 'viewer' order by email limit ${CONNECTIONS}`),
    );
    const tokens: string[] = [];
    for (const person of people) {
      const token = await createToken(db, person, { name: "bench", scope: "read", expiresAt: null }, new Date());
      if (token.ok) tokens.push(token.value.token);
    }
    const [commitment] = rowsOf<{ id: string }>(await db.execute(sql`select id from commitments order by id limit 1`));
    const [deep] = rowsOf<{ due_date: string; id: string }>(
      await db.execute(sql`select due_date::text, id from commitments order by due_date, id offset ${Math.floor(commitments * 0.9)} limit 1`),
    );
    const [letter] = rowsOf<{ fiscal_year: number }>(
      await db.execute(sql`select fiscal_year from letters where status = 'published' and audience = 'public' order by fiscal_year desc limit 1`),
    );
    return { url, seedSeconds, cookie: `kept_session=${session.value.token}`, tokens, commitmentId: commitment!.id, deep: deep!, letterYear: letter?.fiscal_year ?? null };
  } finally {
    await handle.close();
  }
}

async function benchSize(baseUrl: string, commitments: number) {
  const data = await prepare(baseUrl, commitments);
  const env = { DATABASE_URL: data.url, ALLOW_PRIVILEGED_DATABASE_ROLE: "true", COOKIE_SECURE: "false", DATA_DIR: path.join(os.tmpdir(), "kept-bench-unused") };
  const first = await startServer([process.execPath, "build/kept-server.js"], env);
  const base = `http://127.0.0.1:${PORT}`;
  const { encodeCursor } = await import("../app/utils/cursor");
  const deepCursor = encodeCursor({ key: data.deep.due_date, id: data.deep.id });
  const signedIn = { Cookie: data.cookie };
  const targets: Array<{ name: string; path: string; headers?: Record<string, string>; perConnection?: Array<Record<string, string>>; notModified?: boolean }> = [
    { name: "commitments list, filtered", path: "/commitments?tag=Security&sort=due", headers: signedIn },
    { name: "commitments list, page 90% down", path: `/commitments?sort=due&cursor=${deepCursor}`, headers: signedIn },
    { name: "dashboard", path: "/", headers: signedIn },
    { name: "retrospectives index", path: "/retrospectives", headers: signedIn },
    { name: "retrospective, organisation, FY2026", path: "/retrospectives/org/FY2026", headers: signedIn },
    { name: "commitment page", path: `/commitments/${data.commitmentId}`, headers: signedIn },
    { name: "API list", path: "/api/v1/commitments?limit=50", perConnection: data.tokens.map((t) => ({ Authorization: `Bearer ${t}` })) },
  ];
  if (data.letterYear !== null) {
    const res = await fetch(`${base}/letters/${data.letterYear}`);
    const etag = res.headers.get("ETag");
    targets.push({ name: "published letter", path: `/letters/${data.letterYear}` });
    if (etag) targets.push({ name: "published letter, 304", path: `/letters/${data.letterYear}`, headers: { "If-None-Match": etag }, notModified: true });
  }

  const loginRun = await load(`${base}/login`);
  const figures: Figure[] = [];
  for (const target of targets) {
    const run = await load(`${base}${target.path}`, target.headers ?? {}, target.perConnection);
    const bare = await bareServer(run.bytesPerRequest, target.notModified ? 304 : 200);
    const bareRun = await load(bare.url);
    await bare.close();
    figures.push({
      name: target.name,
      path: target.path.length > 48 ? `${target.path.slice(0, 45)}…` : target.path,
      reqPerSec: run.reqPerSec,
      p50: run.p50,
      p99: run.p99,
      non2xx: run.non2xx,
      bytes: run.bytesPerRequest,
      anchorBare: bareRun.reqPerSec,
      anchorLogin: loginRun.reqPerSec,
    });
    console.log(`  ${target.name}: ${run.reqPerSec.toFixed(0)} req/s (bare ${bareRun.reqPerSec.toFixed(0)}, /login ${loginRun.reqPerSec.toFixed(0)})`);
  }
  const memory = rssMb(first.child.pid!);
  await stopServer(first.child);
  // Restart to ready with everything in place, and through `npm start`, which must find the
  // build current (scripts/build-stamp.mjs) and start without rebuilding.
  const again = await startServer([process.execPath, "build/kept-server.js"], env);
  await stopServer(again.child);
  const viaStart = await startServer([process.execPath, "scripts/start.mjs"], env);
  await stopServer(viaStart.child);
  return { commitments, seedSeconds: data.seedSeconds, loginRps: loginRun.reqPerSec, figures, memory, startMs: first.ms, restartMs: again.ms, npmStartMs: viaStart.ms, letter: data.letterYear !== null };
}

/** The embedded database's server RSS after loading the dashboard, on a small seeded PGlite folder. */
async function embeddedRss(commitments: number): Promise<{ rss: number; peak: number }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "kept-bench-pglite-"));
  const handle = await connect({ dataDir });
  let cookie: string;
  try {
    await migrateToLatest(handle);
    await seedScale(handle.db, { teams: 200, people: 400, commitments });
    const session = await login(handle.db, { email: "scale1@example.com", password: "scale-data-password", ip: "192.0.2.1", userAgent: "bench", previousToken: null });
    if (!session.ok) throw new Error(session.error.message);
    cookie = `kept_session=${session.value.token}`;
  } finally {
    await handle.close();
  }
  const server = await startServer([process.execPath, "build/kept-server.js"], { DATA_DIR: dataDir, DATABASE_URL: "", COOKIE_SECURE: "false" });
  const base = `http://127.0.0.1:${PORT}`;
  for (const p of ["/", "/commitments?tag=Security", "/retrospectives/org/FY2026"]) await load(`${base}${p}`, { Cookie: cookie });
  const memory = rssMb(server.child.pid!);
  await stopServer(server.child);
  return memory;
}

function table(result: Awaited<ReturnType<typeof benchSize>>): string {
  const lines = [
    `### ${result.commitments.toLocaleString("en-GB")} commitments`,
    "",
    `Seeded in ${result.seedSeconds.toFixed(1)} s. Anchors of this run: \`/login\` ${result.loginRps.toFixed(0)} req/s; bare node:http measured per row with the row's body size.`,
    "",
    "| page | req/s (c=" + CONNECTIONS + ") | p50 ms | p99 ms | non-2xx | body bytes | ÷ bare node:http | ÷ /login |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...result.figures.map(
      (f) =>
        `| ${f.name} | ${f.reqPerSec.toFixed(0)} | ${f.p50} | ${f.p99} | ${f.non2xx} | ${Math.round(f.bytes)} | ${(f.reqPerSec / f.anchorBare).toFixed(3)} | ${(f.reqPerSec / f.anchorLogin).toFixed(2)} |`,
    ),
    "",
    `Server RSS after load: ${result.memory.rss.toFixed(0)} MB (peak ${result.memory.peak.toFixed(0)} MB); budget ${RSS_BUDGET_MB} MB: ${result.memory.peak <= RSS_BUDGET_MB ? "within" : "OVER"}.`,
    `Start to ready ${(result.startMs / 1000).toFixed(1)} s; restart to ready ${(result.restartMs / 1000).toFixed(1)} s; \`npm start\` (build current, no rebuild) to ready ${(result.npmStartMs / 1000).toFixed(1)} s.`,
    ...(result.letter ? [] : ["No published letter in this seed: the letter page and its 304 are measured where a letter exists (see below)."]),
    "",
  ];
  return lines.join("\n");
}

async function main() {
  // The server under test is the production build: build it first if the sources changed.
  const { buildStatus } = (await import(path.join(root, "scripts/build-stamp.mjs"))) as { buildStatus: (dir: string) => { current: boolean } };
  if (!buildStatus(root).current) execFileSync(process.execPath, [path.join(root, "scripts/build.mjs")], { cwd: root, stdio: "inherit" });
  const ownCluster = !process.env.BENCH_DATABASE_URL;
  const clusterDir = path.join(os.tmpdir(), `kept-bench-pg-${process.pid}`);
  const baseUrl = ownCluster
    ? execFileSync(path.join(root, "scripts/throwaway-postgres.sh"), ["start", clusterDir, process.env.BENCH_PG_PORT ?? "55497"], { encoding: "utf8" }).trim()
    : process.env.BENCH_DATABASE_URL!;
  const sections: string[] = [];
  try {
    for (const size of sizes) {
      console.log(`${size} commitments…`);
      const result = await benchSize(baseUrl, size);
      const text = table(result);
      console.log(`\n${text}`);
      sections.push(text);
    }
    console.log("embedded database (PGlite), 10,000 commitments…");
    const embedded = await embeddedRss(10_000);
    sections.push(
      `### Embedded database (PGlite), 10,000 commitments\n\nServer RSS, with the database inside it, after loading the dashboard, list and retrospective: ${embedded.rss.toFixed(0)} MB (peak ${embedded.peak.toFixed(0)} MB); budget 500 MB: ${embedded.peak <= 500 ? "within" : "OVER"}.\n`,
    );
  } finally {
    if (ownCluster) execFileSync(path.join(root, "scripts/throwaway-postgres.sh"), ["stop", clusterDir], { stdio: "inherit" });
  }
  const header = [
    "# HTTP benchmarks",
    "",
    "Written by `npm run bench:http` (scripts/bench-http.ts): the production server (`build/kept-server.js`, plain node) on",
    "PostgreSQL 15 with the scale seed (200 teams, 400 people), autocannon with " + CONNECTIONS + " connections for " + SECONDS + " s per page,",
    "each figure beside anchors of the same run. Ratios, not absolute numbers, are what carry from one machine to another.",
    `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}, load average ${os.loadavg()[0]!.toFixed(1)} at the end.`,
    "",
  ].join("\n");
  writeFileSync(path.join(root, "docs/benchmarks.md"), `${header}\n${sections.join("\n")}`);
  console.log("\nwrote docs/benchmarks.md");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
