#!/usr/bin/env node
// Rewrites import specifiers after files were moved (ADR 0021). The moves themselves are listed
// in scripts/layout-moves.json (old path → new path, from the repository root).
//
//   node scripts/rewrite-imports.mjs [--moves scripts/layout-moves.json] [--check]
//
// Run it after `git mv`, or again on a branch that still imports the old paths (for instance one
// merged after the moves): every import, export-from, dynamic import() and vi.mock() whose target
// no longer exists but is the old path of a moved file is pointed at the new one. A file that was
// itself moved has its relative imports resolved from where it used to be. Running it twice
// changes nothing. `--check` lists what would change and exits 1 if anything would.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = process.cwd();
const args = process.argv.slice(2);
const check = args.includes("--check");
const movesFile = args.includes("--moves") ? args[args.indexOf("--moves") + 1] : "scripts/layout-moves.json";
const moves = JSON.parse(readFileSync(path.join(root, movesFile), "utf8"));
const reverse = Object.fromEntries(Object.entries(moves).map(([from, to]) => [to, from]));

const DIRS = ["app", "tests", "scripts", "db", "server"];
const EXTS = [".ts", ".tsx", ".mjs", ".js"];
const SKIP = new Set(["node_modules", "build", "data", "test-results", "playwright-report", ".cache", "__golden__"]);

function walk(dir, out) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (EXTS.some((e) => name.endsWith(e))) out.push(path.relative(root, full).split(path.sep).join("/"));
  }
  return out;
}

const files = DIRS.flatMap((d) => walk(path.join(root, d), []));
const current = new Set(files);
// The tree as it was before the moves: what is here now, less the new homes, plus the old ones.
const before = new Set([...files.filter((f) => !(f in reverse)), ...Object.keys(moves)]);

const RESOLVE_SUFFIXES = ["", ".ts", ".tsx", ".js", ".mjs", "/index.ts", "/index.tsx"];

/** The repository path a specifier names when written in `fromFile`, or null if none in `tree`. */
function resolve(spec, fromFile, tree) {
  let base;
  if (spec.startsWith("~/")) base = path.posix.join("app", spec.slice(2));
  else if (spec.startsWith(".")) base = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), spec));
  else return null;
  for (const suffix of RESOLVE_SUFFIXES) if (tree.has(base + suffix)) return { file: base + suffix, suffix };
  return null;
}

/** How `toFile` is written from `fromFile`, in the style the old specifier used. */
function specifierFor(oldSpec, fromFile, toFile, suffix) {
  const target = suffix ? toFile.slice(0, toFile.length - suffix.length) : toFile;
  // Inside app/, a path across folders reads best through the ~ alias; a sibling stays relative.
  const fromApp = fromFile.startsWith("app/");
  const toApp = target.startsWith("app/");
  if (oldSpec.startsWith("~/") || (fromApp && toApp && path.posix.dirname(fromFile) !== path.posix.dirname(target))) {
    if (toApp) return "~/" + target.slice(4);
  }
  let rel = path.posix.relative(path.posix.dirname(fromFile), target);
  if (!rel.startsWith(".")) rel = "./" + rel;
  return rel;
}

const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\bvi\.mock\(\s*|\bvi\.importActual(?:<[^>]*>)?\(\s*)(["'])([^"'\n]+)\2/g;

let changedFiles = 0;
for (const file of files) {
  const source = readFileSync(path.join(root, file), "utf8");
  const wasAt = reverse[file] ?? file;
  const moved = wasAt !== file;
  const next = source.replace(SPECIFIER, (whole, lead, quote, spec) => {
    if (!spec.startsWith("~/") && !spec.startsWith(".")) return whole;
    let hit = null;
    if (moved) hit = resolve(spec, wasAt, before);
    if (!hit) {
      if (resolve(spec, file, current)) return whole;
      hit = resolve(spec, file, before);
    }
    if (!hit) return whole;
    const target = moves[hit.file] ?? hit.file;
    if (target === hit.file && !moved) return whole;
    const rewritten = specifierFor(spec, file, target, hit.suffix);
    return rewritten === spec ? whole : `${lead}${quote}${rewritten}${quote}`;
  });
  if (next !== source) {
    changedFiles++;
    if (check) console.log(`would rewrite ${file}`);
    else writeFileSync(path.join(root, file), next);
  }
}
console.log(`${check ? "would rewrite" : "rewrote"} imports in ${changedFiles} file(s)`);
if (check && changedFiles > 0) process.exit(1);
