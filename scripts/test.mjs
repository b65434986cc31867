#!/usr/bin/env node
// `npm test`: build (unless the build stamp says nothing changed since the last one), run unit and integration tests (vitest), then browser tests
// (Playwright on the system Chromium). Without a Chromium the browser tests are skipped
// loudly; with CI=true a missing browser fails the run. Ends with one summary line.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const cache = path.join(root, ".cache");
mkdirSync(cache, { recursive: true });
const ci = process.env.CI === "true" || process.env.CI === "1";
const bin = (name) => path.join(root, "node_modules", ".bin", name);

function run(label, command, args, env = {}) {
  console.log(`\n▶ ${label}`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  return result.status ?? 1;
}

export function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
  return candidates.find((p) => p && existsSync(p)) ?? null;
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const failedSteps = [];

if (run("build", process.execPath, [path.join(root, "scripts/build.mjs"), "--if-stale"]) !== 0) {
  console.error("\nThe build failed; nothing else was run.");
  console.log("\n0 passed, 1 failed");
  process.exit(1);
}

const vitestJson = path.join(cache, "vitest-results.json");
rmSync(vitestJson, { force: true });
const vitestStatus = run("unit and integration tests (vitest)", bin("vitest"), [
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${vitestJson}`,
]);
if (existsSync(vitestJson)) {
  const report = JSON.parse(readFileSync(vitestJson, "utf8"));
  totals.passed += report.numPassedTests ?? 0;
  totals.failed += report.numFailedTests ?? 0;
  totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}
if (vitestStatus !== 0) {
  failedSteps.push("vitest");
  // A crash before the report was written still counts as a failure in the summary.
  if (totals.failed === 0) totals.failed += 1;
}

const chromium = findChromium();
if (!chromium) {
  const banner = "!".repeat(78);
  console.warn(`\n${banner}\n  NO CHROMIUM FOUND: the browser tests (Playwright) were NOT run.\n` +
    `  Install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH.\n${banner}\n`);
  if (ci) {
    console.error("CI=true: a missing browser is a failure.");
    failedSteps.push("browser tests (no Chromium)");
    totals.failed += 1;
  } else {
    totals.skipped += 1;
  }
} else {
  const pwJson = path.join(cache, "playwright-results.json");
  rmSync(pwJson, { force: true });
  const status = run("browser tests (Playwright, " + chromium + ")", bin("playwright"), ["test", "--reporter=list,json"], {
    CHROMIUM_PATH: chromium,
    PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson,
  });
  if (existsSync(pwJson)) {
    const stats = JSON.parse(readFileSync(pwJson, "utf8")).stats ?? {};
    totals.passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
    totals.failed += stats.unexpected ?? 0;
    totals.skipped += stats.skipped ?? 0;
  }
  if (status !== 0) {
    failedSteps.push("playwright");
    if (totals.failed === 0) totals.failed += 1;
  }
}

if (failedSteps.length) console.error(`\nFailed: ${failedSteps.join(", ")}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length ? 1 : 0);
