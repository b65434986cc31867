#!/usr/bin/env node
// `npm start`: build if the sources changed since the last build, then run the production
// server IN THIS PROCESS (ADR 0012). npm runs the script as `exec node scripts/start.mjs`, so
// there is no shell between npm and this process: the SIGTERM npm forwards (or a process
// manager sends) reaches the server itself, which drains in-flight requests and exits.
// The build, when needed, runs in a child process that ends before the server starts, so the
// server does not carry the bundler's memory; a signal during the build stops the build.
// `node scripts/start.mjs <tool> [args]` runs one of the compiled operator commands the same
// way (build if stale, then plain node): migrate (npm run db:migrate), import, demo.
import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildStatus } from "./build-stamp.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);

/** The compiled operator commands (scripts/build.mjs SERVER_ENTRIES), by the name npm passes. */
const TOOLS = { migrate: "build/kept-migrate.js", import: "build/kept-import.js", demo: "build/kept-demo.js" };
const tool = process.argv[2];
if (tool !== undefined && !Object.hasOwn(TOOLS, tool)) {
  console.error(`[start] unknown command "${tool}": expected nothing (the server) or one of ${Object.keys(TOOLS).join(", ")}`);
  process.exit(2);
}

const status = buildStatus(root);
if (status.current) {
  console.log(`[start] build is current (${status.stamp.slice(0, 12)}): starting without rebuilding`);
} else {
  console.log(`[start] building: ${status.reason}`);
  const code = await buildInChild();
  if (code !== 0) {
    console.error(`[start] the build did not finish (${code}); not starting the server`);
    process.exit(typeof code === "number" ? code : 128 + (os.constants.signals[code] ?? 0));
  }
}

process.setSourceMapsEnabled(true);
if (tool === undefined) {
  process.env.NODE_ENV = "production";
  // From here on the server's own SIGTERM/SIGINT handlers are the only ones.
  await import(pathToFileURL(path.join(root, "build/kept-server.js")).href);
} else {
  // The command reads its own arguments from process.argv.slice(2), as when run directly.
  process.argv.splice(2, 1);
  await import(pathToFileURL(path.join(root, TOOLS[tool])).href);
}

/** Runs scripts/build.mjs with this node binary; resolves to its exit code or signal name. */
function buildInChild() {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, "scripts/build.mjs")], { cwd: root, stdio: "inherit" });
    const forward = (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    process.on("SIGTERM", forward);
    process.on("SIGINT", forward);
    child.once("error", (error) => {
      console.error("[start] could not run the build:", error);
      resolve(1);
    });
    child.once("exit", (code, signal) => {
      process.removeListener("SIGTERM", forward);
      process.removeListener("SIGINT", forward);
      resolve(signal ?? code ?? 1);
    });
  });
}
