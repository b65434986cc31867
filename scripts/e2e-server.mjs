#!/usr/bin/env node
// Playwright's webServer: starts the production build of Kept on an EMPTY database, so the
// browser tests always begin at first-run setup.
//   - TEST_DATABASE_URL set (a postgres:// URL to an admin database such as `postgres`):
//     drops and recreates the database "kept_e2e" on that server and points DATABASE_URL at it.
//   - otherwise: a fresh embedded PGlite folder under the OS temp dir, removed at the end.
// It does not build: the caller runs `npm run build` first (building here would eat into
// Playwright's webServer timeout and hide build errors in server logs).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SERVER_NODE_FLAGS } from "./server-node-flags.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = process.env.E2E_PORT || "3210";
// Each browser-test server gets a database of its own (the newcomer spec runs on a second one).
const E2E_DATABASE = process.env.E2E_DATABASE || "kept_e2e";

if (!existsSync(path.join(root, "build/server/index.js")) || !existsSync(path.join(root, "build/kept-server.js"))) {
  console.error(
    "\n[e2e-server] the production build is missing: the browser tests run against it.\n" +
      "[e2e-server] Run `npm run build` first, then run Playwright again.\n",
  );
  process.exit(1);
}

/**
 * Drops and recreates the e2e database, owned by an owner role, with a runtime role that owns
 * nothing, as production runs (README: "Two database roles"). Returns both URLs.
 */
async function freshPostgresDatabase(adminUrl) {
  const { default: postgres } = await import("postgres");
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  const owner = `${E2E_DATABASE}_owner`;
  const runtime = `${E2E_DATABASE}_app`;
  try {
    // WITH (FORCE) ends connections a previous, killed run may have left open (PostgreSQL 13+).
    await sql.unsafe(`drop database if exists "${E2E_DATABASE}" with (force)`);
    for (const role of [owner, runtime]) {
      const [exists] = await sql`select 1 from pg_roles where rolname = ${role}`;
      if (!exists) await sql.unsafe(`create role "${role}" login nosuperuser nocreatedb nocreaterole password 'kept'`);
    }
    await sql.unsafe(`create database "${E2E_DATABASE}" owner "${owner}"`);
  } finally {
    await sql.end({ timeout: 5 });
  }
  const urlFor = (user) => {
    const url = new URL(adminUrl);
    url.pathname = `/${E2E_DATABASE}`;
    url.username = user;
    url.password = "kept";
    return url.toString();
  };
  return { runtimeUrl: urlFor(runtime), ownerUrl: urlFor(owner) };
}

// All browser specs share one admin on this server, and together they add more people and
// tokens than the default hourly allowance (20) whenever a run falls within one clock hour;
// the allowance itself is tested in tests/integration/credentials.test.ts.
// Webhooks go to private targets too (README, Configuration): the specs register a receiver on
// 127.0.0.1 (tests/e2e/webhook-receiver.ts), so no delivery ever leaves this machine.
const env = {
  ...process.env,
  NODE_ENV: "production",
  PORT: port,
  LOG_LEVEL: "warn",
  CREDENTIALS_PER_HOUR: "1000",
  WEBHOOKS_ALLOW_PRIVATE_TARGETS: "true",
};
// Never let an ambient database setting leak in: the tests need an empty database.
delete env.DATABASE_URL;
delete env.MIGRATION_DATABASE_URL;
delete env.DATA_DIR;

let tempDir = null;
if (process.env.TEST_DATABASE_URL) {
  try {
    const urls = await freshPostgresDatabase(process.env.TEST_DATABASE_URL);
    env.DATABASE_URL = urls.runtimeUrl;
    env.MIGRATION_DATABASE_URL = urls.ownerUrl;
  } catch (error) {
    console.error(`[e2e-server] could not prepare database "${E2E_DATABASE}" via TEST_DATABASE_URL:`, error);
    process.exit(1);
  }
  console.log(`[e2e-server] PostgreSQL database "${E2E_DATABASE}" recreated empty`);
} else {
  tempDir = mkdtempSync(path.join(os.tmpdir(), "kept-e2e-"));
  env.DATA_DIR = tempDir;
  console.log(`[e2e-server] embedded PGlite in ${tempDir}`);
}

function cleanUp() {
  if (tempDir) {
    rmSync(tempDir, { recursive: true, force: true });
    tempDir = null;
  }
}
// Last resort if we are ended without the child exiting first (e.g. an uncaught error).
process.on("exit", cleanUp);

// The compiled server, with plain node and the flags `npm run serve` gives it.
const server = spawn(process.execPath, ["--enable-source-maps", ...SERVER_NODE_FLAGS, path.join(root, "build/kept-server.js")], {
  cwd: root,
  env,
  stdio: "inherit",
});

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    if (server.exitCode === null && server.signalCode === null) server.kill(signal);
  });
}

server.on("error", (error) => {
  console.error("[e2e-server] could not start the server:", error);
  cleanUp();
  process.exit(1);
});

server.on("exit", (code, signal) => {
  cleanUp();
  // A server stopped by our forwarded signal has done what was asked: exit cleanly.
  process.exit(code ?? (signal === "SIGTERM" || signal === "SIGINT" ? 0 : 1));
});
