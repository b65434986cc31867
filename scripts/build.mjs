#!/usr/bin/env node
// `npm run build`: everything the production server runs, compiled into build/ (ADR 0012):
//   build/client, build/server   the Remix app (vite)
//   build/kept-server.js         server/ and what it imports outside the Remix build (esbuild),
//                                so production starts with plain `node`, no TypeScript at run time
//   build/kept-<tool>.js         the operator commands (db:migrate, import, demo), compiled the
//                                same way and run by scripts/start.mjs <tool>
//   build/migrations             the SQL migrations the compiled server applies at start
//   build/.build-stamp.json      the hash of the sources this build was made from
// `--if-stale` builds only when the stamp no longer matches the sources.
import { spawn } from "node:child_process";
import { cpSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildStatus, clearStamp, computeStamp, writeStamp } from "./build-stamp.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(path.join(root, "package.json"));

/**
 * The Remix app, through the Remix CLI run by this same node binary. A SIGTERM or SIGINT
 * sent to this process is passed on, so stopping `npm start` mid-build leaves no bundler behind.
 */
function buildRemix() {
  const cli = path.join(path.dirname(require.resolve("@remix-run/dev/package.json")), "dist/cli.js");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, "vite:build"], { cwd: root, stdio: "inherit" });
    const forward = (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    process.on("SIGTERM", forward);
    process.on("SIGINT", forward);
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      process.removeListener("SIGTERM", forward);
      process.removeListener("SIGINT", forward);
      if (code === 0) resolve();
      else reject(new Error(`remix vite:build did not finish (${signal ?? `exit ${code}`})`));
    });
  });
}

/**
 * What production runs, by the name of its output in build/: the server, and the operator
 * commands an administrator runs against the production database. None of them needs
 * TypeScript (tsx) at run time, so the image carries none.
 */
export const SERVER_ENTRIES = {
  "kept-server": "server/index.ts",
  "kept-migrate": "db/migrate-cli.ts",
  "kept-import": "scripts/import.ts",
  "kept-demo": "scripts/demo.ts",
};

/** Each entry and everything it imports from the project; packages stay external. */
async function buildServer() {
  const esbuild = await import("esbuild");
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: Object.entries(SERVER_ENTRIES).map(([out, entry]) => ({ in: entry, out })),
    outdir: "build",
    bundle: true,
    platform: "node",
    format: "esm",
    // The oldest Node.js Kept supports (package.json engines).
    target: "node20.11",
    packages: "external",
    tsconfig: "tsconfig.json",
    sourcemap: true,
    logLevel: "warning",
  });
  // db/migrate.ts finds its migrations beside itself (import.meta.url); compiled, that is build/.
  rmSync(path.join(root, "build/migrations"), { recursive: true, force: true });
  cpSync(path.join(root, "db/migrations"), path.join(root, "build/migrations"), { recursive: true });
}

export async function build() {
  // Hashed before building, so a source edited during the build makes the next start rebuild.
  const stamp = computeStamp(root);
  clearStamp(root);
  await buildRemix();
  await buildServer();
  writeStamp(root, stamp);
  return stamp;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    if (process.argv.includes("--if-stale")) {
      const status = buildStatus(root);
      if (status.current) {
        console.log(`build is current (${status.stamp.slice(0, 12)}): ${status.reason}; not rebuilding`);
        process.exit(0);
      }
      console.log(`building: ${status.reason}`);
    }
    const stamp = await build();
    console.log(`build complete (${stamp.slice(0, 12)})`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
