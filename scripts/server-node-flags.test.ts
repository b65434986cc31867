import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SERVER_NODE_FLAGS } from "./server-node-flags.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const scripts = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
/** The node flags of a command line: the words between `node` and the script it runs. */
function nodeFlags(command: string): string[] {
  const words = command.split(/\s+/);
  const from = words.indexOf("node") + 1;
  const script = words.findIndex((w, i) => i >= from && !w.startsWith("--"));
  return words.slice(from, script);
}

describe("the production server's node flags (ADR 0040)", () => {
  it("are on every command that starts the server: npm start, npm run serve and the image's CMD", () => {
    expect(nodeFlags(scripts.start!)).toEqual(expect.arrayContaining(SERVER_NODE_FLAGS));
    expect(nodeFlags(scripts.serve!)).toEqual(expect.arrayContaining(SERVER_NODE_FLAGS));
    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(path.join(root, "Dockerfile"), "utf8"))?.[1];
    expect(cmd).toBeDefined();
    expect(nodeFlags((JSON.parse(cmd!) as string[]).join(" "))).toEqual(expect.arrayContaining(SERVER_NODE_FLAGS));
    // The browser tests' server runs as production does, so they test it with these flags too.
    expect(readFileSync(path.join(root, "scripts/e2e-server.mjs"), "utf8")).toMatch(/spawn\(process\.execPath, \[[^\]]*\.\.\.SERVER_NODE_FLAGS/);
  });

  it("are accepted by this node, which refuses to start on an unknown one", () => {
    // node exits with "bad option" (status 9) on a flag its V8 no longer knows: a Node.js upgrade
    // that dropped one would stop the server from starting, so it is caught here first.
    const run = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, "-e", ""], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});
