// The standalone verifier (scripts/verify-record.mjs) against the production build of a real
// server, as an outsider runs it: it agrees with an intact record, and after someone holding
// the database rewrites history it exits 1 naming the first entry that disagrees, both live
// and against a letter a customer saved before the rewrite.
import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../db/client";
import { prepareDatabase } from "../../db/migrate";
import { rowsOf } from "~/models/rows.server";
import { ROOT, requireBuild, startServer, tempDataDir, type RunningServer } from "../support/server-process";
import { sampleOrganisationWorld } from "../support/world";

const NOW = new Date("2026-11-27T10:00:00.000Z");

function verify(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, "scripts/verify-record.mjs"), ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm run verify against a real server", { timeout: 180_000 }, () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let server: RunningServer | undefined;
  let tampered: number;

  async function withDatabase<T>(fn: (db: Awaited<ReturnType<typeof connect>>["db"]) => Promise<T>): Promise<T> {
    const handle = await connect({ dataDir: data.dir });
    try {
      return await fn(handle.db);
    } finally {
      await handle.close();
    }
  }

  beforeAll(async () => {
    requireBuild();
    data = await tempDataDir();
    const handle = await connect({ dataDir: data.dir });
    await prepareDatabase(handle);
    await handle.close();
    tampered = await withDatabase(async (db) => {
      await sampleOrganisationWorld(db, NOW);
      const [row] = rowsOf<{ seq: number }>(
        await db.execute(
          sql`select r.seq::int as seq from commitment_revisions r join commitments c on c.id = r.commitment_id where c.audience = 'public' order by r.seq offset 3 limit 1`,
        ),
      );
      return row!.seq;
    });
    server = await startServer({ DATA_DIR: data.dir });
  });

  afterAll(async () => {
    await server?.stop();
    await data?.cleanup();
  });

  it("agrees with an intact record, live and with a saved letter; names where a truncated, reordered or malformed log stops agreeing", async () => {
    const live = await verify("--url", server!.url);
    expect(live.stderr).toBe("");
    expect(live.stdout).toMatch(/chain intact/);
    expect(live.stdout).toMatch(/the FY\d{4} letter: checkpoint #\d+ agrees with the log/);
    expect(live.stdout).toMatch(/public ledger: every commitment's status agrees with the log/);
    expect(live.code).toBe(0);

    const list = (await (await fetch(`${server!.url}/api/v1/public/letters`)).json()) as { items: Array<{ apiUrl: string }> };
    const letter = (await (await fetch(`${server!.url}${list.items[0]!.apiUrl}`)).json()) as { publishedMarkdown: string };
    const saved = path.join(data.dir, "saved-letter.md");
    await writeFile(saved, letter.publishedMarkdown);
    const logText = await (await fetch(`${server!.url}/api/v1/public/log?download=true`)).text();
    const logFile = path.join(data.dir, "log.json");
    await writeFile(logFile, logText);
    const offline = await verify("--log", logFile, "--letter", saved);
    expect(offline.code).toBe(0);
    expect(offline.stdout).toMatch(/saved-letter\.md: checkpoint #\d+ agrees with the log/);

    const doc = JSON.parse(logText) as { entries: unknown[]; head: unknown };
    const truncatedFile = path.join(data.dir, "truncated.json");
    await writeFile(truncatedFile, JSON.stringify({ ...doc, entries: doc.entries.slice(0, 10) }));
    const truncated = await verify("--log", truncatedFile, "--letter", saved);
    expect(truncated.code).toBe(1);
    expect(truncated.stderr).toMatch(/truncated/);

    const reordered = [...doc.entries];
    [reordered[4], reordered[5]] = [reordered[5], reordered[4]];
    const reorderedFile = path.join(data.dir, "reordered.json");
    await writeFile(reorderedFile, JSON.stringify({ ...doc, entries: reordered }));
    const out = await verify("--log", reorderedFile);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/log entry #5 disagrees: position 5 holds #6/);

    const malformedFile = path.join(data.dir, "malformed.json");
    await writeFile(malformedFile, JSON.stringify({ format: "kept-log/1", entries: [{ seq: "one" }] }));
    const malformed = await verify("--log", malformedFile);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/cannot check: .*entries\[0\] has no whole-number seq/);
  });

  it("after a rewrite with the guards off, names the first entry that disagrees, live and against the saved letter", async () => {
    const saved = path.join(data.dir, "saved-letter.md");
    const list = (await (await fetch(`${server!.url}/api/v1/public/letters`)).json()) as { items: Array<{ apiUrl: string }> };
    const letter = (await (await fetch(`${server!.url}${list.items[0]!.apiUrl}`)).json()) as { publishedMarkdown: string };
    await writeFile(saved, letter.publishedMarkdown);
    await server!.stop();
    // Someone holding the database: every trigger off, one public revision rewritten, and its
    // hashes recomputed from there on would still not match the saved letter's checkpoint.
    await withDatabase(async (db) => {
      await db.transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.execute(sql`update commitment_revisions set reason = 'Rewritten afterwards.' where seq = ${tampered}`);
      });
    });
    server = await startServer({ DATA_DIR: data.dir });

    const live = await verify("--url", server.url);
    expect(live.code).toBe(1);
    expect(live.stderr).toContain(`log entry #${tampered} disagrees`);

    const logFile = path.join(data.dir, "tampered-log.json");
    await writeFile(logFile, await (await fetch(`${server.url}/api/v1/public/log?download=true`)).text());
    const offline = await verify("--log", logFile, "--letter", saved);
    expect(offline.code).toBe(1);
    expect(offline.stderr).toContain(`log entry #${tampered} disagrees`);
    expect(offline.stderr).toMatch(new RegExp(`saved-letter\\.md: checkpoint #\\d+ lies past log entry #${tampered}`));

    // The server says so too: its own check at start found the break.
    expect(server.output()).toMatch(new RegExp(`record integrity broken at #${tampered}`));
    const ledger = (await (await fetch(`${server.url}/ledger`)).text()).replace(/<!-- -->/g, "");
    expect(ledger).toContain(`Record integrity broken at #${tampered} since`);
    expect(await readFile(saved, "utf8")).toBe(letter.publishedMarkdown);
  });
});
