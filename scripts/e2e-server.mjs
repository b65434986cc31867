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

/** Drops and recreates the e2e database; returns a URL that points at it. */
async function freshPostgresDatabase(adminUrl) {
  const { default: postgres } = await import("postgres");
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    // WITH (FORCE) ends connections a previous, killed run may have left open (PostgreSQL 13+).
    await sql.unsafe(`drop database if exists "${E2E_DATABASE}" with (force)`);
    await sql.unsafe(`create database "${E2E_DATABASE}"`);
  } finally {
    await sql.end({ timeout: 5 });
  }
  const url = new URL(adminUrl);
  url.pathname = `/${E2E_DATABASE}`;
  return url.toString();
}

const env = { ...process.env, NODE_ENV: "production", PORT: port, LOG_LEVEL: "warn" };
// Never let an ambient database setting leak in: the tests need an empty database.
delete env.DATABASE_URL;
delete env.DATA_DIR;

let tempDir = null;
if (process.env.TEST_DATABASE_URL) {
  try {
    env.DATABASE_URL = await freshPostgresDatabase(process.env.TEST_DATABASE_URL);
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

// The compiled server, with plain node, as `npm run serve` runs it.
const server = spawn(process.execPath, ["--enable-source-maps", path.join(root, "build/kept-server.js")], {
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
