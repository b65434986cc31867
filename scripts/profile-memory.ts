// Where the production server's memory goes after the benchmark's kind of load (ADR 0038): seeds
// an organisation on PostgreSQL (or reuses PROFILE_DATABASE_URL), starts build/kept-server.js
// with the node flags and environment given, loads the pages bench-http loads with autocannon,
// and prints process.memoryUsage() and V8's heap spaces as the server itself reports them
// (a preload that answers SIGUSR2), beside VmRSS/VmHWM. Compare settings in one run, one
// after another on the same data, so the machine's load falls on each alike.
//
//   PROFILE_DATABASE_URL=postgres://… node --import tsx scripts/profile-memory.ts \
//     "" "MALLOC_ARENA_MAX=2" "--max-semi-space-size=4"     one label per variant: env (A=B) and/or node flags
//     (none given: node's defaults, then the flags the server ships with, scripts/server-node-flags.mjs)
//
// PROFILE_SNAPSHOTS=<dir> also writes a heap snapshot after load (<dir>/<variant n>.heapsnapshot),
// after the figures are read: open it in Chrome's DevTools (Memory) to see what retains the heap.
// Each variant also prints, for every page it loaded, req/s and the server's CPU time per
// request (user + system, from /proc): a memory setting that costs speed shows there even when
// the machine's other work makes req/s noisy.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { connect } from "../db/client";
import { migrateToLatest } from "../db/migrate";
import { seedScale } from "../db/seed-scale";
import { login } from "../app/services/auth.server";
import { commitSessionToken } from "../app/http/session.server";
import { loadEnv } from "../app/utils/env.server";
import { SERVER_NODE_FLAGS } from "./server-node-flags.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PORT = Number(process.env.PROFILE_PORT ?? 3551);
const COMMITMENTS = Number(process.env.PROFILE_COMMITMENTS ?? 10_000);
const SECONDS = Number(process.env.PROFILE_SECONDS ?? 3);
const SERIAL = Number(process.env.PROFILE_SERIAL ?? 0);

const PROBE = `
import v8 from "node:v8";
import { readFileSync } from "node:fs";
import { PerformanceObserver } from "node:perf_hooks";
let gcMs = 0;
new PerformanceObserver((list) => { for (const e of list.getEntries()) gcMs += e.duration; }).observe({ entryTypes: ["gc"] });
process.on("SIGUSR2", () => {
  const m = process.memoryUsage();
  const st = readFileSync("/proc/self/status", "utf8");
  const kb = (k) => Number(new RegExp(k + ":\\\\s+(\\\\d+)").exec(st)?.[1] ?? 0) * 1024;
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, s.space_size]));
  process.stderr.write("@@probe " + JSON.stringify({ ...m, hwm: kb("VmHWM"), gcMs, spaces }) + "\\n");
});
process.on("SIGWINCH", () => {
  const file = v8.writeHeapSnapshot(process.env.KEPT_PROBE_SNAPSHOT);
  process.stderr.write("@@snapshot " + file + "\\n");
});
`;

async function main() {
  const url = process.env.PROFILE_DATABASE_URL;
  if (!url) throw new Error("PROFILE_DATABASE_URL: a PostgreSQL database (superuser) to seed or reuse");
  const handle = await connect({ databaseUrl: url, dataDir: "", poolMax: 2 });
  await migrateToLatest(handle);
  const [count] = (await handle.sql.executeSql("select count(*)::int as n from commitments")).rows as Array<{ n: number }>;
  if (Number(count?.n ?? 0) === 0) await seedScale(handle.db, { teams: 200, people: 400, commitments: COMMITMENTS });
  const session = await login(handle.db, { email: "scale1@example.com", password: "scale-data-password", ip: "192.0.2.1", userAgent: "profile", previousToken: null });
  if (!session.ok) throw new Error(session.error.message);
  const cookie = (await commitSessionToken(loadEnv({ NODE_ENV: "test", COOKIE_SECURE: "false" }), session.value.token, session.value.expiresAt)).split(";")[0]!;
  await handle.close();
  const probe = path.join(mkdtempSync(path.join(os.tmpdir(), "kept-probe-")), "probe.mjs");
  writeFileSync(probe, PROBE);
  // Without arguments: node's defaults beside the flags the server ships with.
  const variants = process.argv.slice(2).length ? process.argv.slice(2) : ["", SERVER_NODE_FLAGS.join(" ")];
  const snapshots = process.env.PROFILE_SNAPSHOTS;
  for (const [n, variant] of variants.entries()) {
    const words = variant.split(" ").filter(Boolean);
    const env = Object.fromEntries(words.filter((w) => !w.startsWith("--")).map((w) => w.split("=") as [string, string]));
    const flags = words.filter((w) => w.startsWith("--"));
    const child = spawn(process.execPath, [...flags, "--import", probe, "build/kept-server.js"], {
      cwd: root,
      env: { ...process.env, NODE_ENV: "production", LOG_LEVEL: "warn", PORT: String(PORT), DATABASE_URL: url, ALLOW_PRIVILEGED_DATABASE_ROLE: "true", COOKIE_SECURE: "false", KEPT_PROBE_SNAPSHOT: snapshots ? path.join(snapshots, `${n}.heapsnapshot`) : "", ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    const sample = async () => {
      const before = err.length;
      child.kill("SIGUSR2");
      for (let i = 0; i < 100 && !err.slice(before).includes("@@probe"); i++) await new Promise((r) => setTimeout(r, 50));
      const line = err.slice(before).split("\n").find((l) => l.startsWith("@@probe"));
      return line ? (JSON.parse(line.slice(8)) as Record<string, number> & { spaces: Record<string, number> }) : null;
    };
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`server exited: ${err}`);
      const ok = await fetch(`http://127.0.0.1:${PORT}/metrics`).then((r) => r.text()).then((t) => /^kept_record_integrity_checked 1$/m.test(t), () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const ready = await sample();
    const rates: string[] = [];
    for (const p of ["/login", "/commitments?tag=Security&sort=due", "/", "/retrospectives", "/retrospectives/org/FY2026", "/retrospectives/org/FY2025", "/commitments?sort=due", "/letters"]) {
      const cpuBefore = cpuMs(child.pid!);
      const run = await autocannon({ url: `http://127.0.0.1:${PORT}${p}`, connections: 20, duration: SECONDS, headers: { Cookie: cookie } });
      const perRequest = (cpuMs(child.pid!) - cpuBefore) / Math.max(1, run.requests.total);
      rates.push(`${p} ${run.requests.average.toFixed(0)} req/s ${perRequest.toFixed(1)} ms cpu/req`);
    }
    const loaded = await sample();
    // One request at a time (PROFILE_SERIAL of each): server CPU per request and the median
    // latency, steadier than req/s at c=20 on a shared machine.
    const serial: string[] = [];
    for (const p of SERIAL > 0 ? ["/login", "/commitments?tag=Security&sort=due", "/"] : []) {
      const gcBefore = (await sample())?.gcMs ?? 0;
      const cpuBefore = cpuMs(child.pid!);
      const times: number[] = [];
      for (let i = 0; i < SERIAL; i++) {
        const started = performance.now();
        await fetch(`http://127.0.0.1:${PORT}${p}`, { headers: { Cookie: cookie }, redirect: "manual" }).then((r) => r.arrayBuffer());
        times.push(performance.now() - started);
      }
      const cpu = (cpuMs(child.pid!) - cpuBefore) / SERIAL;
      const gc = (((await sample())?.gcMs ?? 0) - gcBefore) / SERIAL;
      times.sort((a, b) => a - b);
      serial.push(`${p} ${cpu.toFixed(1)} ms cpu/req (GC pauses ${gc.toFixed(1)} ms), median ${times[Math.floor(SERIAL / 2)]!.toFixed(1)} ms`);
    }
    if (snapshots) {
      const before = err.length;
      child.kill("SIGWINCH");
      for (let i = 0; i < 1200 && !err.slice(before).includes("@@snapshot"); i++) await new Promise((r) => setTimeout(r, 100));
    }
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    const mb = (b: number | undefined) => ((b ?? 0) / 1048576).toFixed(1);
    for (const [when, m] of [["ready", ready], ["after load", loaded]] as const) {
      if (!m) continue;
      console.log(
        `${variant || "(defaults)"} ${when}: rss ${mb(m.rss)} MB (peak ${mb(m.hwm)}), heapTotal ${mb(m.heapTotal)}, heapUsed ${mb(m.heapUsed)}, external ${mb(m.external)}, arrayBuffers ${mb(m.arrayBuffers)}; ` +
          `new ${mb(m.spaces.new_space)}, old ${mb(m.spaces.old_space)}, code ${mb(m.spaces.code_space)}, large ${mb(m.spaces.large_object_space)}`,
      );
    }
    console.log(`${variant || "(defaults)"} load: ${rates.join(", ")}`);
    if (serial.length) console.log(`${variant || "(defaults)"} one at a time (${SERIAL} each): ${serial.join(", ")}`);
  }
}

/** CPU time the process has used so far (user + system, all its threads), in ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
