import { defineConfig, type Project } from "@playwright/test";
import { accessSync, constants, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

// Browser tests run against the production build (`npm run build` first) on an empty
// database that scripts/e2e-server.mjs prepares. They use the system Chromium: Playwright's
// own browser download is not available everywhere Kept is developed.

const isCI = /^(1|true)$/i.test(process.env.CI ?? "");
const port = Number(process.env.E2E_PORT || 3210);
// "localhost", not 127.0.0.1: in production the session cookie is `__Host-` and Secure, and
// Chromium only treats http://localhost as a secure context.
const baseURL = `http://localhost:${port}`;
// The newcomer spec starts from its own empty instance (setup with the sample organisation),
// served on the next port with a database of its own.
const newcomerURL = `http://localhost:${port + 1}`;
// The first-run spec starts from an empty instance too, without the sample: port + 2.
const firstRunURL = `http://localhost:${port + 2}`;
/** Specs that run with JavaScript disabled (the "no-javascript" project). */
const NO_SCRIPT_SPECS = /\.nojs\.spec\.ts$/;
/** Specs with an instance of their own (a config server, or ./tests/e2e/fresh-instance.ts). */
const OWN_INSTANCE_SPECS = /(newcomer|first-run|phones|hydration)\.spec\.ts$/;

/**
 * The specs that share the main server, in the order scripts/e2e-shuffled.mjs chose (E2E_ORDER,
 * comma-separated file names): one project per spec, listed in that order, which one worker
 * runs in turn. Unset, the "kept" and "no-javascript" projects run them in name order.
 */
function orderedProjects(order: string): Project[] {
  const files = order.split(",").filter(Boolean);
  const known = new Set(readdirSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "tests/e2e")));
  for (const file of files) {
    if (!known.has(file) || !file.endsWith(".spec.ts") || OWN_INSTANCE_SPECS.test(file)) {
      throw new Error(`E2E_ORDER names "${file}", which is not a spec of the main server in tests/e2e`);
    }
  }
  return files.map((file) => ({
    name: `kept:${file}`,
    testMatch: new RegExp(`(^|/)${file.replace(/[.]/g, "\\.")}$`),
    ...(NO_SCRIPT_SPECS.test(file) ? { use: { javaScriptEnabled: false } } : {}),
  }));
}

const mainProjects: Project[] = process.env.E2E_ORDER
  ? orderedProjects(process.env.E2E_ORDER)
  : [
      { name: "kept", testIgnore: [OWN_INSTANCE_SPECS, NO_SCRIPT_SPECS] },
      // Every form without JavaScript: `*.nojs.spec.ts` files run in a browser with scripts off.
      { name: "no-javascript", testMatch: NO_SCRIPT_SPECS, use: { javaScriptEnabled: false } },
    ];

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findChromium(): string | null {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && !isExecutable(fromEnv) && process.env.TEST_WORKER_INDEX === undefined) {
    console.warn(`CHROMIUM_PATH=${fromEnv} is not an executable file; looking in the usual places instead.`);
  }
  const candidates = [fromEnv, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  return candidates.find((c): c is string => typeof c === "string" && c !== "" && isExecutable(c)) ?? null;
}

const executablePath = findChromium();

if (!executablePath) {
  const message =
    "No Chromium executable found (checked $CHROMIUM_PATH, /usr/bin/chromium, /usr/bin/chromium-browser). " +
    "Install Chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH.";
  if (isCI) throw new Error(`${message} The browser tests cannot run, so this CI run fails.`);
  // The config is also evaluated in each worker; print the banner once, from the runner.
  if (process.env.TEST_WORKER_INDEX === undefined) {
    const bar = "!".repeat(78);
    console.warn(`\n${bar}\n!! BROWSER TESTS SKIPPED\n!! ${message}\n${bar}\n`);
  }
  // Read by tests/e2e/fixtures.ts, which skips every test; workers inherit the runner's env.
  process.env.KEPT_E2E_SKIP = message;
}

export default defineConfig({
  testDir: "tests/e2e",
  // The specs share one server and one database. Each sets up what it needs (Kept itself when
  // it finds the setup page, then a team and people of its own), so they pass alone and in any
  // order (npm run test:e2e:shuffled); one at a time keeps the 2-CPU machines responsive.
  workers: 1,
  fullyParallel: false,
  forbidOnly: isCI,
  // A flaky step is a bug to fix, not something to retry past.
  retries: 0,
  // Generous: on a busy 2-CPU machine a test that takes 10 s alone can take 25 s.
  timeout: 60_000,
  expect: { timeout: 5_000 },
  reporter: isCI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    browserName: "chromium",
    launchOptions: {
      executablePath: executablePath ?? undefined,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-dev-shm-usage",
      ],
    },
  },
  projects: [
    ...mainProjects,
    { name: "newcomer", testMatch: /newcomer\.spec\.ts$/, use: { baseURL: newcomerURL } },
    // Every page at phone width, on the sample organisation, which the spec sets up on an
    // instance of its own (tests/e2e/fresh-instance.ts): it depends on no other spec.
    { name: "phones", testMatch: /phones\.spec\.ts$/ },
    // The hydration spec needs no data; it shares the first-run instance.
    { name: "first-run", testMatch: /(first-run|hydration)\.spec\.ts$/, use: { baseURL: firstRunURL } },
  ],
  webServer: executablePath
    ? [
        { port, url: baseURL, database: "kept_e2e" },
        { port: port + 1, url: newcomerURL, database: "kept_e2e_newcomer" },
        { port: port + 2, url: firstRunURL, database: "kept_e2e_first_run" },
      ].map((server) => ({
        command: "node scripts/e2e-server.mjs",
        url: `${server.url}/readyz`,
        env: { ...(process.env as Record<string, string>), E2E_PORT: String(server.port), E2E_DATABASE: server.database },
        reuseExistingServer: false,
        timeout: 120_000,
        // SIGTERM lets the wrapper stop the server and delete its temporary database folder.
        gracefulShutdown: { signal: "SIGTERM" as const, timeout: 10_000 },
        stdout: "pipe" as const,
        stderr: "pipe" as const,
      }))
    : undefined,
});
