// Public pages answered from memory (ADR 0023): a process keeps each page's validation while it
// listens for the database's NOTIFY, answers hits and 304s before Express with no query at all,
// drops what a change makes stale as soon as the notification arrives (also in another process
// on the same PostgreSQL), and validates every request with its query while it does not listen.
import express from "express";
import http from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { connect, type DatabaseHandle } from "../../db/client";
import { appendErratum } from "~/services/letters.server";
import { PageValidations, PUBLIC_PAGES_CHANNEL, validateImmutablePage } from "~/http/immutable-pages.server";
import { PageCache } from "~/http/page-cache.server";
import { loadEnv } from "~/utils/env.server";
import { createHttpStack } from "../../server/http";
import { earlyImmutablePages, immutablePages } from "../../server/immutable-pages";
import { runtimeDatabaseUrl, superuserDatabase, testDatabase } from "../setup/db";
import { statementsDuring } from "../support/statements";
import { publishedLetterWorld } from "../support/world";


async function until(what: string, condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}


/**
 * One app process as server/index.ts builds it: its own validations listening on `handle`, the
 * real HTTP stack, the early answer before Express, and a stand-in for Remix that renders the
 * letter with the ETag the validator gives (as the route does).
 */
async function appProcess(handle: DatabaseHandle, retryMs?: number, filler = "") {
  const validations = new PageValidations();
  const notified: string[] = [];
  const listener = await handle.listen(PUBLIC_PAGES_CHANNEL, {
    onNotify: (table) => {
      notified.push(table);
      validations.changed(table);
    },
    onState: (listening) => validations.setListening(listening),
    retryMs,
  });
  const state = { shuttingDown: false };
  const stack = createHttpStack({ env: loadEnv({ NODE_ENV: "test" }), logger: pino({ level: "silent" }), handle, state, dev: false });
  const cache = new PageCache(4 * 1024 * 1024);
  const integrity = () => "null";
  let renders = 0;
  const app = express();
  app.use(stack.early);
  app.use(immutablePages({ db: handle.db, cache, validations, buildId: "test-build", integrity }));
  app.get("/letters/:year", async (req, res) => {
    renders += 1;
    const v = await validateImmutablePage(handle.db, { kind: "letter", fiscalYear: Number(req.params.year), audience: "public" }, "test-build", "null");
    res.setHeader("ETag", v!.etag);
    res.setHeader("Content-Type", "text/html; charset=utf-8");
    const nonce = String(res.locals.cspNonce);
    res.end(`<script nonce="${nonce}"></script>${filler}<script nonce="${nonce}"></script>render ${renders}`);
  });
  const early = earlyImmutablePages({ cache, validations, integrity }, stack.earlyResponder);
  let answeredEarly = 0;
  const server = http.createServer((req, res) => {
    if (!early(req, res)) return app(req, res);
    answeredEarly += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    validations,
    notified,
    renders: () => renders,
    answeredEarly: () => answeredEarly,
    get: (headers: Record<string, string> = {}, method = "GET") => fetch(`${base}/letters/2026`, { headers, method }),
    async close() {
      stack.monitor.stop();
      await listener.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const closing: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});

describe("public pages answered from memory", () => {
  it("answers hits and 304s with no query while listening, and renders anew once an erratum is notified", async () => {
    const handle = await testDatabase();
    const { actor, letter } = await publishedLetterWorld(handle.db);
    const app = await appProcess(handle);
    closing.push(app.close);
    expect(app.validations.listening).toBe(true);

    const first = await app.get();
    expect(first.headers.get("X-Kept-Cache")).toBe("miss");
    const etag = first.headers.get("ETag")!;
    expect(await first.text()).toContain("render 1");

    // A hit: the bytes from memory with this request's nonce, the site's headers, and no query,
    // answered before Express for a reader who does not ask for compression.
    const hit = await statementsDuring(handle.db, () => app.get({ "Accept-Encoding": "identity" }));
    expect(app.answeredEarly()).toBe(1);
    expect(hit.statements).toEqual([]);
    expect(hit.result.status).toBe(200);
    expect(hit.result.headers.get("X-Kept-Cache")).toBe("hit");
    expect(hit.result.headers.get("X-Request-Id")).toBeTruthy();
    const policy = hit.result.headers.get("Content-Security-Policy")!;
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    expect(nonce).toBeTruthy();
    const hitBody = await hit.result.text();
    expect(hitBody).toBe(`<script nonce="${nonce}"></script><script nonce="${nonce}"></script>render 1`);
    // Each header once (a repeated one would read here as "a, b"), the length of the bytes sent.
    expect(hit.result.headers.get("ETag")).toBe(etag);
    expect(hit.result.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    expect(hit.result.headers.get("Vary")).toBe("Cookie, Accept-Encoding");
    const validation = (await validateImmutablePage(handle.db, { kind: "letter", fiscalYear: 2026, audience: "public" }, "test-build", "null"))!;
    expect(hit.result.headers.get("Cache-Control")).toBe(validation.cacheControl);
    expect(hit.result.headers.get("Last-Modified")).toBe(validation.lastModified!.toUTCString());
    expect(hit.result.headers.get("Content-Length")).toBe(String(Buffer.byteLength(hitBody)));
    // HEAD: the same headers, no body.
    const head = await statementsDuring(handle.db, () => app.get({ "Accept-Encoding": "identity" }, "HEAD"));
    expect(app.answeredEarly()).toBe(2);
    expect(head.statements).toEqual([]);
    expect(head.result.status).toBe(200);
    expect(head.result.headers.get("X-Kept-Cache")).toBe("hit");
    expect(head.result.headers.get("ETag")).toBe(etag);
    expect(head.result.headers.get("Content-Length")).toBe(String(Buffer.byteLength(hitBody)));
    expect(await head.result.text()).toBe("");

    // A 304: no query, no render, and no new policy for the copy the reader keeps.
    const notModified = await statementsDuring(handle.db, () => app.get({ "If-None-Match": etag }));
    expect(notModified.statements).toEqual([]);
    expect(notModified.result.status).toBe(304);
    expect(notModified.result.headers.get("ETag")).toBe(etag);
    expect(notModified.result.headers.get("Content-Security-Policy")).toBeNull();
    expect(notModified.result.headers.get("Cache-Control")).toBe(validation.cacheControl);
    expect(notModified.result.headers.get("Last-Modified")).toBe(validation.lastModified!.toUTCString());
    expect(notModified.result.headers.get("X-Request-Id")).toBeTruthy();

    // A reader asking for compression goes through Express (which compresses), still with no query.
    const early = app.answeredEarly();
    const compressed = await statementsDuring(handle.db, () => app.get({ "Accept-Encoding": "gzip" }));
    expect(app.answeredEarly()).toBe(early);
    expect(compressed.statements).toEqual([]);
    expect(compressed.result.headers.get("X-Kept-Cache")).toBe("hit");
    // Both ways in send the site's security headers alike (each with its own nonce).
    const withoutNonce = (v: string | null) => (v ?? "").replace(/'nonce-[^']+'/, "'nonce'");
    for (const name of ["Content-Security-Policy", "X-Frame-Options", "Referrer-Policy", "X-Content-Type-Options", "Cross-Origin-Opener-Policy", "ETag", "Cache-Control", "Last-Modified", "Content-Type"]) {
      expect(withoutNonce(hit.result.headers.get(name)), name).toBe(withoutNonce(compressed.result.headers.get(name)));
      expect(hit.result.headers.get(name), name).toBeTruthy();
    }
    expect(app.renders()).toBe(1);

    const erratum = await appendErratum(handle.db, actor, letter.id, "We misstated a date.", new Date("2027-02-01T10:00:00Z"));
    expect(erratum.ok).toBe(true);
    await until("the erratum's notification", () => app.notified.includes("letter_errata"));
    const after = await app.get({ "If-None-Match": etag });
    expect(after.status).toBe(200);
    expect(after.headers.get("ETag")).not.toBe(etag);
    expect(after.headers.get("X-Kept-Cache")).toBe("miss");
    expect(await after.text()).toContain("render 2");
    const again = await statementsDuring(handle.db, () => app.get({ "If-None-Match": after.headers.get("ETag")! }));
    expect(again.result.status).toBe(304);
    expect(again.statements).toEqual([]);
  });

  it("writes a page too large for one answer's buffer part by part: the same bytes, each nonce this request's", async () => {
    const handle = await testDatabase();
    await publishedLetterWorld(handle.db);
    // Over ONE_WRITE_BYTES (256 KB), under the cache's bound for one page.
    const filler = "<p>ledger</p>".repeat(25_000);
    const app = await appProcess(handle, undefined, filler);
    closing.push(app.close);
    expect((await app.get()).headers.get("X-Kept-Cache")).toBe("miss");
    for (let i = 0; i < 2; i++) {
      const hit = await app.get({ "Accept-Encoding": "identity" });
      expect(hit.headers.get("X-Kept-Cache")).toBe("hit");
      const nonce = /'nonce-([^']+)'/.exec(hit.headers.get("Content-Security-Policy")!)?.[1];
      const body = await hit.text();
      expect(body).toBe(`<script nonce="${nonce}"></script>${filler}<script nonce="${nonce}"></script>render 1`);
      expect(hit.headers.get("Content-Length")).toBe(String(Buffer.byteLength(body)));
    }
    expect(app.answeredEarly()).toBe(2);
  });

  it("validates every request with one query while it does not listen, and keeps nothing", async () => {
    const handle = await testDatabase();
    const { actor, letter } = await publishedLetterWorld(handle.db);
    const validations = new PageValidations();
    const page = { kind: "letter" as const, fiscalYear: 2026, audience: "public" as const };
    const integrity = () => "null";
    const first = await validations.validate(handle.db, page, "b", integrity);
    for (let i = 0; i < 2; i++) {
      const run = await statementsDuring(handle.db, () => validations.validate(handle.db, page, "b", integrity));
      expect(run.statements).toHaveLength(1);
      expect(run.result?.etag).toBe(first?.etag);
    }
    expect(validations.peek(page, integrity)).toBeUndefined();
    expect(validations.stats().entries).toBe(0);

    validations.setListening(true);
    await validations.validate(handle.db, page, "b", integrity);
    expect((await statementsDuring(handle.db, () => validations.validate(handle.db, page, "b", integrity))).statements).toHaveLength(0);
    // A change to the record alone (a revision, a team) leaves letters' validations standing; the feed's go.
    await validations.validate(handle.db, { kind: "feed" }, "b", integrity);
    validations.changed("commitment_revisions");
    expect(validations.peek(page, integrity)).toBeDefined();
    expect(validations.peek({ kind: "feed" }, integrity)).toBeUndefined();
    // Losing the connection forgets everything: a change may have gone unheard.
    validations.setListening(false);
    expect(validations.stats().entries).toBe(0);

    // A validation worked out across a change is not kept (it may predate the change).
    validations.setListening(true);
    const pending = validations.validate(handle.db, page, "b", integrity);
    validations.changed("letter_errata");
    await pending;
    expect(validations.peek(page, integrity)).toBeUndefined();

    expect((await appendErratum(handle.db, actor, letter.id, "Corrected.", new Date("2027-02-01T10:00:00Z"))).ok).toBe(true);
  });

  it("keeps at most its bound of pages", async () => {
    const handle = await testDatabase();
    const validations = new PageValidations(3);
    validations.setListening(true);
    for (let year = 2020; year < 2026; year++) await validations.validate(handle.db, { kind: "letter", fiscalYear: year, audience: "public" }, "b", () => "null");
    expect(validations.stats().entries).toBe(3);
  });
});

// Several app processes on one PostgreSQL: each listens on its own connection.
describe.skipIf(!process.env.TEST_DATABASE_URL)("public pages answered from memory, two processes on one PostgreSQL", () => {
  async function secondProcess(retryMs?: number) {
    const url = runtimeDatabaseUrl();
    if (!url) throw new Error("no runtime database URL");
    const handle = await connect({ databaseUrl: url, dataDir: "", poolMax: 2 });
    const app = await appProcess(handle, retryMs);
    closing.push(async () => {
      await app.close();
      await handle.close();
    });
    return { handle, app };
  }

  it("an erratum appended through one process is served by the other once the notification arrives", async () => {
    const a = await testDatabase();
    const { actor, letter } = await publishedLetterWorld(a.db);
    const b = await secondProcess();
    const etag = (await b.app.get()).headers.get("ETag")!;
    expect((await b.app.get()).headers.get("X-Kept-Cache")).toBe("hit");

    expect((await appendErratum(a.db, actor, letter.id, "We misstated a date.", new Date("2027-02-01T10:00:00Z"))).ok).toBe(true);
    await until("process B hearing of the erratum", () => b.app.notified.includes("letter_errata"));
    const after = await statementsDuring(b.handle.db, () => b.app.get({ "If-None-Match": etag }));
    expect(after.result.status).toBe(200);
    expect(after.result.headers.get("ETag")).not.toBe(etag);
    expect(after.statements.length).toBeGreaterThan(0);
  });

  it("falls back to a query per request while its LISTEN connection is lost, and keeps validations again once it is back", async () => {
    const a = await testDatabase();
    const { actor, letter } = await publishedLetterWorld(a.db);
    const b = await secondProcess(3000);
    const etag = (await b.app.get()).headers.get("ETag")!;
    expect((await statementsDuring(b.handle.db, () => b.app.get({ "If-None-Match": etag }))).statements).toEqual([]);

    const admin = await superuserDatabase();
    await admin.db.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'kept-listener' and datname = current_database()`);
    await until("the listener noticing its connection is gone", () => !b.app.validations.listening);
    // Not listening: each request asks the database (one validator query), answered before any rendering.
    const during = await statementsDuring(b.handle.db, () => b.app.get({ "If-None-Match": etag }));
    expect(during.result.status).toBe(304);
    expect(during.statements).toHaveLength(1);
    expect(b.app.renders()).toBe(1);

    // A change made while nobody listens is never heard of, yet the next request sees it.
    expect((await appendErratum(a.db, actor, letter.id, "We misstated a date.", new Date("2027-02-01T10:00:00Z"))).ok).toBe(true);
    const changed = await b.app.get({ "If-None-Match": etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("ETag")).not.toBe(etag);

    await until("the listener listening again", () => b.app.validations.listening);
    const fresh = await b.app.get();
    expect(fresh.headers.get("ETag")).not.toBe(etag);
    const etag2 = fresh.headers.get("ETag")!;
    await b.app.get({ "If-None-Match": etag2 });
    const kept = await statementsDuring(b.handle.db, () => b.app.get({ "If-None-Match": etag2 }));
    expect(kept.result.status).toBe(304);
    expect(kept.statements).toEqual([]);
  });
});
