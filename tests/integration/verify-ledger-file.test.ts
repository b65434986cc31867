// The standalone verifier (scripts/verify-record.mjs) checks the ledger file a letter too large to
// list states: downloaded as the server serves it, hashed and counted against the letter's own
// words, and named when it disagrees. The server here is a plain node:http one answering the
// public endpoints the verifier reads, with a letter and ledger file written by Kept's own
// functions, so the test needs no build and can serve a tampered file.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSummarisedYear } from "~/domain/letter";
import { ledgerAppendixMarkdown, ledgerFileJson, publishedMarkdown, type LedgerEntry } from "~/domain/letter-publish";

const ROOT = path.resolve(__dirname, "../..");
const YEAR = 2025;
const sha256 = (text: string | Buffer) => createHash("sha256").update(text).digest("hex");

const entries: LedgerEntry[] = Array.from({ length: 120 }, (_, i) => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
  statement: `Serve p95 checkout latency under ${200 + i} ms in region ${i}`,
  teamName: "Checkout",
  periodLabel: `FY${YEAR}-Q2`,
  dueDate: `${YEAR}-06-30`,
  audience: "public",
  status: i % 5 === 0 ? "missed" : "delivered",
  resolvedAt: `${YEAR}-06-30`,
  daysLate: 0,
  measure: "p95 checkout latency ≤ 200 ms",
  actualValue: 190,
  evidenceUrl: i % 5 === 0 ? null : `https://status.example.com/${i}`,
  attempt: 1,
  rescoped: false,
  movedTo: null,
}));
const file = ledgerFileJson({ fiscalYear: YEAR, audience: "public" }, entries);
const appendix = ledgerAppendixMarkdown(entries, `FY${YEAR}`, "public", [{ since: null, score: 60 }], { fiscalYear: YEAR, sha256: sha256(file) });
const markdown = `${publishedMarkdown("# Annual letter\n\nWe kept most of what we said.\n", appendix)}\n\n## Record checkpoint\n\n- Sequence: 0\n- Head hash: ${"0".repeat(64)}\n`;

/** What the server answers for the letter and its ledger file; changed by each case. */
let served: string | null = file;
let letterMarkdown = markdown;

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

let server: http.Server;
let origin: string;

beforeAll(async () => {
  const json = (res: http.ServerResponse, body: unknown) => {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify(body));
  };
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/api/v1/public/log") return json(res, { format: "kept-log/1", entries: [] });
    if (url.pathname === "/api/v1/public/letters") return json(res, { items: [{ apiUrl: `/api/v1/public/letters/${YEAR}` }], next: null });
    if (url.pathname === `/api/v1/public/letters/${YEAR}`) return json(res, { fiscalYear: YEAR, publishedMarkdown: letterMarkdown, sha256: sha256(letterMarkdown) });
    if (url.pathname === "/api/v1/public/ledger") return json(res, { years: [] });
    if (url.pathname === `/letters/${YEAR}/ledger.json` && served !== null) {
      res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" });
      return res.end(served);
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

describe("npm run verify and a letter's ledger file", () => {
  it("agrees when the file is the one the letter states", async () => {
    expect(isSummarisedYear(entries.length), "a year too large to list, so the letter states a file").toBe(true);
    served = file;
    const result = await verify("--url", origin);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain(`the FY${YEAR} letter: its ledger file holds all 120 commitments and hashes to the SHA-256 it states`);
    expect(result.code).toBe(0);
  });

  it("names the letter when the file's bytes changed, an entry is missing, or the file is gone", async () => {
    served = file.replace('"status":"missed"', '"status":"delivered"');
    const changed = await verify("--url", origin);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain(`DISAGREES: the FY${YEAR} letter: its ledger file /letters/${YEAR}/ledger.json hashes to ${sha256(served)}, not the SHA-256 the letter states, ${sha256(file)}`);

    // A file rebuilt without one entry (its count adjusted): the hash disagrees first.
    served = ledgerFileJson({ fiscalYear: YEAR, audience: "public" }, entries.slice(1));
    const shorter = await verify("--url", origin);
    expect(shorter.code).toBe(1);
    expect(shorter.stderr).toContain(`the FY${YEAR} letter: its ledger file /letters/${YEAR}/ledger.json hashes to`);

    // A letter that states a count its file does not hold.
    served = file;
    letterMarkdown = markdown.replace("holds all 120 commitments", "holds all 121 commitments");
    const miscounted = await verify("--url", origin);
    letterMarkdown = markdown;
    expect(miscounted.code).toBe(1);
    expect(miscounted.stderr).toContain(`DISAGREES: the FY${YEAR} letter: its ledger file holds 120 entries (and says 120); the letter states 121`);

    served = null;
    const gone = await verify("--url", origin);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(`the FY${YEAR} letter: its ledger file /letters/${YEAR}/ledger.json could not be downloaded (404)`);
  });
});
