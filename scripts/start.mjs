#!/usr/bin/env node
// `npm start`: build if the sources changed since the last build, then run the production
// server IN THIS PROCESS (ADR 0012). npm runs the script as `exec node scripts/start.mjs`, so
// there is no shell between npm and this process: the SIGTERM npm forwards (or a process
// manager sends) reaches the server itself, which drains in-flight requests and exits.
// The build, when needed, runs in a child process that ends before the server starts, so the
// server does not carry the bundler's memory; a signal during the build stops the build.
import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildStatus } from "./build-stamp.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);

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

process.env.NODE_ENV = "production";
process.setSourceMapsEnabled(true);
// From here on the server's own SIGTERM/SIGINT handlers are the only ones.
await import(pathToFileURL(path.join(root, "build/kept-server.js")).href);

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
