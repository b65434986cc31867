#!/usr/bin/env node
// `npm run test:e2e:shuffled [-- --seed <n>] [playwright arguments]`: the browser specs that
// share the main server, in a random order chosen from a seed, to prove that none depends on
// another having run before it. The seed and the order are printed before and after the run;
// `--seed <n>` (or E2E_SEED) runs that same order again. Playwright has no shuffle of its own:
// playwright.config.ts reads the order from E2E_ORDER and makes one project per spec, in turn.
// Like `npm run test:e2e`, it needs `npm run build` first.
// `--alone` runs each of those specs by itself instead, one Playwright run per spec on fresh
// servers and empty databases, in the seeded order, and lists the specs that failed: proof that
// each sets up what it needs.
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Specs on instances of their own (playwright.config.ts OWN_INSTANCE_SPECS): not shuffled. */
const OWN_INSTANCE = /(newcomer|first-run|phones|hydration)\.spec\.ts$/;

const args = process.argv.slice(2);
const aloneAt = args.indexOf("--alone");
const alone = aloneAt !== -1;
if (alone) args.splice(aloneAt, 1);
let seedText = process.env.E2E_SEED;
const seedAt = args.indexOf("--seed");
if (seedAt !== -1) {
  seedText = args[seedAt + 1];
  args.splice(seedAt, 2);
}
if (seedText !== undefined && !/^\d+$/.test(seedText)) {
  console.error(`[e2e-shuffled] the seed must be a whole number, not "${seedText}"`);
  process.exit(2);
}
const seed = seedText === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(seedText) % 2 ** 32;

/** mulberry32: a small, well-known seeded generator, so a seed names one order everywhere. */
function generator(state) {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled(files, seedValue) {
  const random = generator(seedValue);
  const order = [...files].sort();
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

const specs = readdirSync(path.join(root, "tests/e2e")).filter((f) => f.endsWith(".spec.ts") && !OWN_INSTANCE.test(f));
const order = shuffled(specs, seed);
const report = `[e2e-shuffled] seed ${seed}; order:\n${order.map((f, i) => `  ${String(i + 1).padStart(2)}. ${f}`).join("\n")}`;
const again = `npm run test:e2e:shuffled -- ${alone ? "--alone " : ""}--seed ${seed}`;
console.log(`${report}\n[e2e-shuffled] again: ${again}\n`);

let interrupted = false;
/** One Playwright run of `specs` in that order (the main server's projects named in turn). */
function playwright(specs, extra) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, "node_modules/@playwright/test/cli.js"), "test", ...extra, ...args], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, E2E_ORDER: specs.join(",") },
    });
    const forward = (signal) => {
      interrupted = true;
      child.kill(signal);
    };
    for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, forward);
    child.on("exit", (code, signal) => {
      for (const s of ["SIGINT", "SIGTERM"]) process.off(s, forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

if (alone) {
  const failed = [];
  for (const spec of order) {
    if (interrupted) break;
    console.log(`[e2e-shuffled] alone: ${spec}`);
    // Only this spec's project: the specs with instances of their own are not run each time.
    if ((await playwright([spec], ["--project", `kept:${spec}`])) !== 0) failed.push(spec);
  }
  if (interrupted) process.exit(130);
  console.log(`\n${report}\n[e2e-shuffled] each alone: ${order.length - failed.length} of ${order.length} passed${failed.length ? `; failed: ${failed.join(", ")}` : ""}`);
  console.log(`[e2e-shuffled] again: ${again}`);
  process.exit(failed.length ? 1 : 0);
}
const code = await playwright(order, []);
console.log(`\n${report}\n[e2e-shuffled] again: ${again}`);
process.exit(code);
