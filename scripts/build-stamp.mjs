// The build stamp: one hash of everything the production build is made from (the app, server
// and database sources, public files, the lockfile and the build configuration). `npm run build`
// writes it into build/ after a successful build; `npm start` and `npm test` compare it with the
// sources to skip a build that would produce the same output (ADR 0012).
// Plain JavaScript so it runs under plain `node`, before anything is compiled.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Bump to invalidate every existing stamp when what the stamp covers changes. */
const STAMP_FORMAT = 1;

/** Folders whose every file (tests aside) can change what the build produces. */
export const STAMP_FOLDERS = ["app", "server", "db", "public"];

/** Single files that can change what the build produces. Missing ones count as "absent". */
export const STAMP_FILES = [
  "package.json",
  "package-lock.json",
  "vite.config.ts",
  "tsconfig.json",
  "scripts/build.mjs",
  "scripts/build-stamp.mjs",
  // The operator commands compiled beside the server (scripts/build.mjs SERVER_ENTRIES).
  "scripts/import.ts",
  "scripts/demo.ts",
];

/** What a complete build holds; a stamp beside a build missing any of these is not trusted. */
export const BUILD_OUTPUTS = [
  "build/server/index.js",
  "build/client",
  "build/kept-server.js",
  "build/kept-migrate.js",
  "build/kept-import.js",
  "build/kept-demo.js",
  "build/migrations",
];

export const STAMP_PATH = "build/.build-stamp.json";

// Tests are never imported by the build (Remix ignores them as routes), so editing one
// does not make the build stale.
const IGNORED_FILE = /\.test\.[cm]?[jt]sx?$/;

function listFiles(root, folder) {
  const absolute = path.join(root, folder);
  if (!existsSync(absolute)) return [];
  const files = [];
  for (const entry of readdirSync(absolute, { withFileTypes: true })) {
    const relative = path.posix.join(folder, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === "node_modules") continue;
      files.push(...listFiles(root, relative));
    } else if (entry.isFile() && !IGNORED_FILE.test(entry.name)) {
      files.push(relative);
    }
  }
  return files;
}

/** The files the stamp covers, sorted so the hash does not depend on directory order. */
export function stampInputs(root) {
  const files = STAMP_FOLDERS.flatMap((folder) => listFiles(root, folder));
  // Vite reads .env files at build time.
  const envFiles = readdirSync(root).filter((name) => /^\.env(\..+)?$/.test(name) && statSync(path.join(root, name)).isFile());
  return [...new Set([...files, ...STAMP_FILES, ...envFiles])].sort();
}

/** A hex SHA-256 over the path and content of every input (an absent file hashes as absent). */
export function computeStamp(root) {
  const hash = createHash("sha256");
  hash.update(`kept-build-stamp:${STAMP_FORMAT}\n`);
  for (const file of stampInputs(root)) {
    const absolute = path.join(root, file);
    hash.update(`${file}\0`);
    if (existsSync(absolute)) {
      const content = readFileSync(absolute);
      hash.update(`${content.length}\0`);
      hash.update(content);
    } else {
      hash.update("absent\0");
    }
  }
  return hash.digest("hex");
}

/** The stamp written by the last successful build, or null. */
export function readStamp(root) {
  try {
    const value = JSON.parse(readFileSync(path.join(root, STAMP_PATH), "utf8"));
    return typeof value?.stamp === "string" ? value.stamp : null;
  } catch {
    return null;
  }
}

export function writeStamp(root, stamp) {
  writeFileSync(path.join(root, STAMP_PATH), `${JSON.stringify({ stamp, builtAt: new Date().toISOString(), node: process.version }, null, 2)}\n`);
}

export function clearStamp(root) {
  rmSync(path.join(root, STAMP_PATH), { force: true });
}

/**
 * Whether build/ was made from the sources as they are now.
 * @returns {{ current: boolean, stamp: string, reason: string }}
 */
export function buildStatus(root) {
  const stamp = computeStamp(root);
  const missing = BUILD_OUTPUTS.find((output) => !existsSync(path.join(root, output)));
  if (missing) return { current: false, stamp, reason: `${missing} is missing` };
  const previous = readStamp(root);
  if (previous === null) return { current: false, stamp, reason: "the build has no stamp" };
  if (previous !== stamp) return { current: false, stamp, reason: "the sources changed since the last build" };
  return { current: true, stamp, reason: "nothing changed since the last build" };
}
