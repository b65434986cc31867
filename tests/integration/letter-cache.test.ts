// Immutable pages (ADR 0015): a 304 is decided from one small query that never reads a letter's
// body, Markdown, HTML or ledger; the server's cache answers hits with the rendered bytes (and
// this request's nonce), and an erratum changes the ETag so the next request renders new bytes.
import express from "express";
import type { AddressInfo } from "node:net";
import { createHash } from "node:crypto";
import pino from "pino";
import { describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { appendErratum } from "~/services/letters.server";
import { PageValidations, validateImmutablePage } from "~/http/immutable-pages.server";
import { loadEnv } from "~/utils/env.server";
import { PageCache } from "~/http/page-cache.server";
import * as letterPage from "~/routes/letters.$year";
import * as source from "~/routes/letters.$year_.letter[.md]";
import * as ledgerJson from "~/routes/letters.$year_.ledger[.json]";
import { immutablePages } from "../../server/immutable-pages";
import { testDatabase } from "../setup/db";
import { statementsDuring } from "../support/statements";
import { publishedLetterWorld } from "../support/world";


const HEAVY_COLUMNS = /published_html|published_markdown|"ledger"|\bledger\b(?!_)|letter_ledger_entries|"body"|generated_body/;

function context(db: Database, extra: Record<string, unknown> = {}) {
  return { db, env: loadEnv({ NODE_ENV: "test" }), logger: pino({ level: "silent" }), requestId: "t", cspNonce: "", clientIp: "127.0.0.1", buildId: "test-build", ...extra };
}

async function world() {
  const { db } = await testDatabase();
  return { db, ...(await publishedLetterWorld(db)) };
}

async function call(loader: (a: never) => unknown, db: Database, path: string, params: Record<string, string>, headers: Record<string, string> = {}) {
  const request = new Request(`http://localhost${path}`, { headers });
  const result = await (loader as (a: unknown) => Promise<unknown>)({ request, params, context: context(db) });
  if (result instanceof Response) return { status: result.status, headers: result.headers, body: result.body ? await result.text() : "" };
  const init = (result as { init?: ResponseInit | null }).init ?? {};
  return { status: init.status ?? 200, headers: new Headers(init.headers), data: (result as { data: unknown }).data };
}

describe("immutable letter pages", () => {
  it("answers a conditional GET of a published letter without reading its body, Markdown, HTML or ledger", async () => {
    const { db, letter } = await world();
    const first = await call(letterPage.loader, db, "/letters/2026", { year: "2026" });
    const etag = first.headers.get("ETag")!;
    expect(etag).toContain(letter.sha256!);

    const page = await statementsDuring(db, () => call(letterPage.loader, db, "/letters/2026", { year: "2026" }, { "If-None-Match": etag }));
    expect(page.result.data).toEqual({ notModified: true });
    expect(page.result.headers.get("ETag")).toBe(etag);
    expect(page.statements.length).toBeGreaterThan(0);
    for (const q of page.statements) expect(q).not.toMatch(HEAVY_COLUMNS);

    const md = await statementsDuring(db, () => call(source.loader, db, "/letters/2026/letter.md", { year: "2026" }, { "If-None-Match": `"${letter.sha256}"` }));
    expect(md.result.status).toBe(304);
    for (const q of md.statements) expect(q).not.toMatch(HEAVY_COLUMNS);

    const file = await call(ledgerJson.loader, db, "/letters/2026/ledger.json", { year: "2026" });
    const again = await statementsDuring(db, () => call(ledgerJson.loader, db, "/letters/2026/ledger.json", { year: "2026" }, { "If-None-Match": file.headers.get("ETag")! }));
    expect(again.result.status).toBe(304);
    for (const q of again.statements) expect(q).not.toMatch(HEAVY_COLUMNS);

    // The full page, by contrast, reads the HTML, and still not the Markdown or ledger.
    const full = await statementsDuring(db, () => call(letterPage.loader, db, "/letters/2026", { year: "2026" }));
    expect(full.statements.some((q) => q.includes("published_html"))).toBe(true);
    for (const q of full.statements) expect(q).not.toMatch(/published_markdown|generated_body/);
  });

  it("serves the ledger file whose entries are the frozen ledger, in the bytes the canonical form hashes to", async () => {
    const { db, letter } = await world();
    const file = await call(ledgerJson.loader, db, "/letters/2026/ledger.json", { year: "2026" });
    expect(file.status).toBe(200);
    const parsed = JSON.parse(file.body!) as { format: string; count: number; entries: Array<{ id: string }> };
    const frozen = letter.ledger as Array<{ id: string }>;
    expect(parsed.format).toBe("kept-ledger/1");
    expect(parsed.count).toBe(frozen.length);
    expect(parsed.entries.map((e) => e.id)).toEqual(frozen.map((e) => e.id));
    const { ledgerFileJson } = await import("~/domain/letter-publish");
    expect(createHash("sha256").update(file.body!).digest("hex")).toBe(
      createHash("sha256").update(ledgerFileJson({ fiscalYear: 2026, audience: "public" }, letter.ledger as never)).digest("hex"),
    );
  });

  it("keeps rendered bytes per ETag in the server, puts each request's nonce back, and renders anew after an erratum", async () => {
    const { db, actor, letter } = await world();
    const cache = new PageCache(1024 * 1024);
    let renders = 0;
    const app = express();
    let nonceCounter = 0;
    app.use((_req, res, next) => {
      res.locals.cspNonce = `nonce${(nonceCounter += 1)}x`;
      next();
    });
    app.use(immutablePages({ db, cache, validations: new PageValidations(), buildId: "test-build", integrity: () => "null" }));
    // Stands in for Remix: renders the page with the ETag the validator gives (as the loader does).
    app.get("/letters/:year", async (req, res) => {
      renders += 1;
      const v = await validateImmutablePage(db, { kind: "letter", fiscalYear: Number(req.params.year), audience: "public" }, "test-build", "null");
      res.setHeader("ETag", v!.etag);
      res.setHeader("Content-Type", "text/html; charset=utf-8");
      res.write(`<script nonce="${String(res.locals.cspNonce)}"></script>`);
      res.end(`render ${renders}`);
    });
    const server = app.listen(0);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const a = await fetch(`${base}/letters/2026`);
      expect(a.headers.get("X-Kept-Cache")).toBe("miss");
      expect(await a.text()).toBe('<script nonce="nonce1x"></script>render 1');
      const b = await fetch(`${base}/letters/2026`);
      expect(b.headers.get("X-Kept-Cache")).toBe("hit");
      expect(await b.text()).toBe('<script nonce="nonce2x"></script>render 1');
      expect(renders).toBe(1);
      const etag = a.headers.get("ETag")!;
      const conditional = await fetch(`${base}/letters/2026`, { headers: { "If-None-Match": etag } });
      expect(conditional.status).toBe(304);
      expect(renders).toBe(1);
      // Signed-in readers are never answered from the anonymous cache.
      await fetch(`${base}/letters/2026`, { headers: { Cookie: "kept_session=abc" } });
      expect(renders).toBe(2);

      const erratum = await appendErratum(db, actor, letter.id, "We misstated a date.", new Date("2027-02-01T10:00:00Z"));
      expect(erratum.ok).toBe(true);
      const c = await fetch(`${base}/letters/2026`, { headers: { "If-None-Match": etag } });
      expect(c.status).toBe(200);
      expect(c.headers.get("ETag")).not.toBe(etag);
      expect(c.headers.get("X-Kept-Cache")).toBe("miss");
      expect(await c.text()).toContain("render 3");
      expect(cache.stats().entries).toBe(2);
    } finally {
      server.close();
    }
  });
});
