// A spec that needs an EMPTY Kept (it performs first-run setup itself) imports `test` from here
// instead of ./fixtures: each such spec file gets an instance of its own — the production build
// started by scripts/e2e-server.mjs on a free port, with a database nobody else writes — so it
// passes alone and in any order with the specs that share the main server.
import { spawn, type ChildProcess } from "node:child_process";
import net, { type AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test as base } from "./fixtures";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

interface Instance {
  file: string;
  url: string;
  child: ChildProcess;
  output: () => string;
}

/** A port the OS says is free right now (the server binds it a moment later). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function startInstance(file: string, index: number): Promise<Instance> {
  const port = await freePort();
  // A name of its own, so on PostgreSQL (TEST_DATABASE_URL) it never drops another's database.
  const database = `kept_e2e_fresh_${process.pid}_${index}`;
  const child = spawn(process.execPath, [path.join(ROOT, "scripts/e2e-server.mjs")], {
    cwd: ROOT,
    env: { ...process.env, E2E_PORT: String(port), E2E_DATABASE: database },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://localhost:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the fresh Kept instance for ${file} stopped before it was ready:\n${output}`);
    }
    const ready = await fetch(`${url}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`the fresh Kept instance for ${file} did not answer /readyz within 120 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { file, url, child, output: () => output };
}

/** SIGTERM lets e2e-server.mjs stop the server and delete its database; SIGKILL if it hangs. */
async function stopInstance(instance: Instance) {
  const { child } = instance;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

export const test = base.extend<{ freshInstance: Instance | null }, { freshInstances: { forFile(file: string): Promise<Instance> } }>({
  // One per worker; it keeps the instance of the spec file being run and replaces it when the
  // worker moves on to another file, so no two spec files ever see the same instance.
  freshInstances: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      let current: Instance | null = null;
      let started = 0;
      await use({
        async forFile(file) {
          if (current?.file === file) return current;
          if (current) await stopInstance(current);
          current = null;
          current = await startInstance(file, ++started);
          return current;
        },
      });
      if (current) await stopInstance(current);
    },
    { scope: "worker", timeout: 150_000 },
  ],
  freshInstance: [
    async ({ freshInstances }, use, testInfo) => {
      // No browser: fixtures.ts skips the test; starting a server would be wasted.
      await use(process.env.KEPT_E2E_SKIP ? null : await freshInstances.forFile(testInfo.file));
    },
    { timeout: 150_000 },
  ],
  baseURL: async ({ freshInstance, baseURL }, provide) => {
    await provide(freshInstance?.url ?? baseURL);
  },
});

export { expect } from "./fixtures";
