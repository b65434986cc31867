// How production starts, on whichever Node.js runs the tests (CI runs this file on the machine's
// Node and on Node 22 and 24): the compiled server with plain node, and `npm start` and
// `npm run serve` as one node process under npm (no shell between) that drains on SIGTERM,
// `npm start` skipping an unchanged build (ADR 0012).
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildStatus } from "../../scripts/build-stamp.mjs";
import { ROOT, SERVER_ENTRY, freePort, requireBuild, startServer, tempDataDir, waitFor } from "../support/server-process";

const STAMP = path.join(ROOT, "build/.build-stamp.json");

// One embedded database for the whole file: creating one is the slow part of a first start.
let data: Awaited<ReturnType<typeof tempDataDir>>;
beforeAll(async () => {
  data = await tempDataDir();
});
afterAll(async () => {
  await data?.cleanup();
});

describe(`the production build on Node ${process.version}`, { timeout: 300_000 }, () => {
  it("starts with plain node (no TypeScript loader) and answers /readyz", async () => {
    requireBuild();
    const server = await startServer({ DATA_DIR: data.dir });
    try {
      expect(server.child.spawnargs.join(" ")).not.toMatch(/tsx/);
      expect(server.child.spawnargs).toContain(SERVER_ENTRY);
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: "ready", database: "pglite" });
      // The Remix build and the migrations copied beside the compiled server both work.
      expect((await fetch(`${server.url}/setup`)).status).toBe(200);
    } finally {
      await server.stop();
    }
    expect(await server.exited).toEqual({ code: 0, signal: null });
  });
});

describe.skipIf(process.platform !== "linux")(`the operator commands on Node ${process.version}`, { timeout: 300_000 }, () => {
  it("npm run db:migrate and npm run demo run their compiled builds with plain node; nothing in production needs tsx", async () => {
    requireBuild();
    const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string>; dependencies: Record<string, string> };
    for (const script of ["start", "serve", "db:migrate", "import", "demo"]) expect(pkg.scripts[script], script).not.toMatch(/tsx/);
    // The image runs `npm prune --omit=dev`: a production dependency on tsx would ship it.
    expect(Object.keys(pkg.dependencies)).not.toContain("tsx");
    const own = await tempDataDir();
    try {
      const migrate = await npmStart(own.dir, "db:migrate");
      expect(await migrate.exited, migrate.output()).toEqual({ code: 0, signal: null });
      expect(migrate.output()).toContain("migrations applied");
      const demo = await npmStart(own.dir, "demo");
      expect(await demo.exited, demo.output()).toEqual({ code: 0, signal: null });
      expect(demo.output()).toContain("admin@sample.example");
      // The command's own refusal and exit status come through start.mjs unchanged.
      const again = await npmStart(own.dir, "demo");
      expect((await again.exited).code).toBe(1);
      expect(again.output()).toContain("already set up");
    } finally {
      await own.cleanup();
    }
  });
});

interface Proc {
  pid: number;
  ppid: number;
  argv: string[];
}

/** Every live process (Linux /proc), so a test can see what `npm start` left behind. */
function processes(): Proc[] {
  const list: Proc[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // The command name in parentheses may hold spaces; the fields after it are fixed.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[0] === "Z") continue;
      const argv = readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0").filter(Boolean);
      list.push({ pid: Number(name), ppid: Number(fields[1]), argv });
    } catch {
      // the process ended while we looked
    }
  }
  return list;
}

function descendants(pid: number): Proc[] {
  const all = processes();
  const found: Proc[] = [];
  let parents = new Set([pid]);
  while (parents.size) {
    const children = all.filter((p) => parents.has(p.ppid));
    found.push(...children);
    parents = new Set(children.map((p) => p.pid));
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface NpmStart {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `npm start` (or another script) in a process group of its own, as a terminal or process manager would run it. */
async function npmStart(dataDir: string, script = "start"): Promise<NpmStart> {
  const port = String(await freePort());
  // The embedded database, and the mode npm start sets itself, whatever the test run has.
  const inherited = Object.entries(process.env).filter(([name]) => name !== "DATABASE_URL" && name !== "NODE_ENV");
  const env: Record<string, string | undefined> = { ...Object.fromEntries(inherited), DATA_DIR: dataDir, PORT: port, LOG_LEVEL: "info", npm_config_update_notifier: "false" };
  let output = "";
  const child = spawn("npm", ["run", script], { cwd: ROOT, env: env as NodeJS.ProcessEnv, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, url: `http://127.0.0.1:${port}`, output: () => output, exited };
}

async function untilReady(start: NpmStart, timeoutMs: number) {
  let exited = false;
  void start.exited.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !exited) {
    try {
      if ((await fetch(`${start.url}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the npm script did not become ready:\n${start.output()}`);
}

/** Ends whatever is left of a start's process group (only after a failed assertion). */
function killGroup(start: NpmStart | undefined) {
  if (!start?.child.pid) return;
  try {
    process.kill(-start.child.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

describe.skipIf(process.platform !== "linux")(`npm start on Node ${process.version}`, () => {
  let first: NpmStart | undefined;
  let second: NpmStart | undefined;
  let serve: NpmStart | undefined;

  beforeAll(async () => {
    // A start that rebuilt here would empty build/ under the other server tests running in
    // parallel; npm test builds first, so the build is current unless sources were edited since.
    const status = buildStatus(ROOT);
    if (!status.current) throw new Error(`The production build is stale (${status.reason}): run \`npm run build\` first.`);
    first = await npmStart(data.dir);
    await untilReady(first, 90_000);
    expect(first.output()).toContain("[start] build is current");
    process.kill(first.child.pid!, "SIGTERM");
    expect(await first.exited).toEqual({ code: 0, signal: null });
  }, 120_000);

  afterAll(async () => {
    killGroup(first);
    killGroup(second);
    killGroup(serve);
  });

  it("starts again without rebuilding, as one node process under npm that drains on SIGTERM", { timeout: 300_000 }, async () => {
    const stampBefore = statSync(STAMP).mtimeMs;
    const serverBuildBefore = statSync(path.join(ROOT, "build/server/index.js")).mtimeMs;

    second = await npmStart(data.dir);
    await untilReady(second, 90_000);
    expect(second.output()).toContain("[start] build is current");
    expect(second.output()).not.toContain("[start] building");
    expect(statSync(STAMP).mtimeMs).toBe(stampBefore);
    expect(statSync(path.join(ROOT, "build/server/index.js")).mtimeMs).toBe(serverBuildBefore);

    // npm's only descendant is the server: node (with its heap flags, ADR 0040) running
    // scripts/start.mjs, no shell between.
    const npmPid = second.child.pid!;
    const tree = descendants(npmPid);
    expect(tree.map((p) => p.argv.join(" "))).toEqual([expect.stringMatching(/node(\S*)?( --\S+)* (\S*\/)?scripts\/start\.mjs$/)]);
    const server = tree[0]!;
    expect(server.ppid).toBe(npmPid);

    // SIGTERM to the top of the tree only, as `kill <pid of npm start>` does.
    process.kill(npmPid, "SIGTERM");
    expect(await second.exited).toEqual({ code: 0, signal: null });
    await waitFor(() => !alive(server.pid), 10_000);
    expect(alive(server.pid)).toBe(false);
    await expect(fetch(`${second.url}/readyz`)).rejects.toThrow();
    expect(second.output()).toContain("stopped cleanly");
    expect(descendants(npmPid)).toEqual([]);
  });

  it("npm run serve is likewise plain node under npm, with no shell, and drains on SIGTERM", { timeout: 300_000 }, async () => {
    serve = await npmStart(data.dir, "serve");
    await untilReady(serve, 90_000);
    const npmPid = serve.child.pid!;
    const tree = descendants(npmPid);
    expect(tree.map((p) => p.argv.join(" "))).toEqual([expect.stringMatching(/node(\S*)? .*build\/kept-server\.js$/)]);
    const server = tree[0]!;

    process.kill(npmPid, "SIGTERM");
    expect(await serve.exited).toEqual({ code: 0, signal: null });
    await waitFor(() => !alive(server.pid), 10_000);
    await expect(fetch(`${serve.url}/readyz`)).rejects.toThrow();
    expect(serve.output()).toContain("stopped cleanly");
  });
});
