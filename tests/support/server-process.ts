// Starts the real production server (the compiled build/kept-server.js and the Remix build) as
// a child process with plain node, the way `npm run serve` and the Docker image run it, for tests
// of process-level behaviour: shutdown, logs, headers, limits.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");

/** The compiled server entry `npm run build` writes (ADR 0012). */
export const SERVER_ENTRY = path.join(ROOT, "build/kept-server.js");

export function requireBuild() {
  if (!existsSync(path.join(ROOT, "build/server/index.js")) || !existsSync(SERVER_ENTRY)) {
    throw new Error("The production build is missing: run `npm run build` first (npm test does this for you).");
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  url: string;
  port: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export async function tempDataDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "kept-test-"));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Spawns the server and waits until /readyz answers 200 (or the process dies). */
export async function startServer(env: Record<string, string>, { waitReady = true } = {}): Promise<RunningServer> {
  const port = env.PORT ?? String(await freePort());
  let output = "";
  const child = spawn(process.execPath, ["--enable-source-maps", SERVER_ENTRY], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", LOG_LEVEL: "info", ...env, PORT: port },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  const server: RunningServer = {
    url,
    port,
    child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 12_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
  if (!waitReady) return server;
  // A server on the embedded database runs its migrations before it is ready; on a loaded CI
  // machine (two cores, two test workers, other legs) that has taken over a minute.
  const deadline = Date.now() + Number(process.env.KEPT_TEST_READY_MS ?? 150_000);
  let dead = false;
  void exited.then(() => (dead = true));
  while (Date.now() < deadline && !dead) {
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.status === 200) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await server.stop();
  throw new Error(`server did not become ready:\n${output}`);
}

/** Cookie header value from a response's Set-Cookie headers. */
export function cookieFrom(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

/** Posts a form as a browser on this origin would. */
export function postForm(server: RunningServer, pathname: string, fields: Record<string, string>, cookie = "") {
  return fetch(`${server.url}${pathname}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Origin: server.url,
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body: new URLSearchParams(fields).toString(),
  });
}

export const SETUP_FIELDS = {
  organisationName: "Acme Cloud",
  fiscalYearStartMonth: "4",
  timeZone: "Europe/Berlin",
  adminName: "Ada Admin",
  adminEmail: "ada@example.com",
  adminPassword: "a-secret-passphrase-42",
};

export async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}
