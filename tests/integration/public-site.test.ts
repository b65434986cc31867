// The public site as anonymous visitors reach it: the route loaders themselves, with real
// Requests and no session, so a route that forgets its check fails here.
import pino from "pino";
import { describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { updateOrganisation } from "~/models/organisation.server";
import { generateLetterDraft, publishLetter } from "~/services/letters.server";
import type { Actor } from "~/domain/result";
import { loadEnv } from "~/utils/env.server";
import * as feed from "~/routes/letters.feed[.xml]";
import * as index from "~/routes/letters._index";
import * as letterPage from "~/routes/letters.$year";
import * as internalPage from "~/routes/letters.$year_.internal";
import * as source from "~/routes/letters.$year_.letter[.md]";
import * as draftPage from "~/routes/letters.drafts.$id";
import * as ledger from "~/routes/ledger";
import { makeOrganisation, makeUser } from "../factories";
import { testDatabase } from "../setup/db";

type Loader = (args: never) => Promise<unknown> | unknown;

async function get(db: Database, loader: Loader, path: string, params: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const context = { db, env: loadEnv({ NODE_ENV: "test" }), logger: pino({ level: "silent" }), requestId: "t", cspNonce: "", clientIp: "127.0.0.1" };
  const request = new Request(`http://localhost${path}`, { headers });
  try {
    const result = await (loader as (a: unknown) => Promise<unknown>)({ request, params, context });
    if (result instanceof Response) return { status: result.status, headers: result.headers };
    // Remix's data() carries its status and headers in `init`.
    const init = (result as { init?: ResponseInit | null } | undefined)?.init ?? {};
    return { status: init.status ?? 200, headers: new Headers(init.headers) };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, headers: thrown.headers };
    throw thrown;
  }
}

async function world() {
  const { db } = await testDatabase();
  await makeOrganisation(db, { fiscalYearStartMonth: 1, timeZone: "UTC" });
  const admin = await makeUser(db, { role: "admin" });
  const actor: Actor = { id: admin.id, role: "admin" };
  const now = new Date("2027-01-20T10:00:00Z");
  const publish = async (audience: "public" | "internal") => {
    const draft = await generateLetterDraft(db, actor, { fiscalYear: 2026, audience }, now);
    if (!draft.ok) throw new Error(draft.error.message);
    const done = await publishLetter(db, actor, draft.value.id, draft.value.version, now);
    if (!done.ok) throw new Error(done.error.message);
    return done.value;
  };
  const letter = await publish("public");
  await publish("internal");
  const draft = await generateLetterDraft(db, actor, { fiscalYear: 2027, audience: "public" }, now);
  if (!draft.ok) throw new Error(draft.error.message);
  return { db, letter, draftId: draft.value.id };
}

describe("the public site for anonymous visitors", () => {
  it("serves published public letters with validators, and 404s internal letters and drafts", async () => {
    const { db, letter, draftId } = await world();
    expect((await get(db, index.loader, "/letters")).status).toBe(200);
    const page = await get(db, letterPage.loader, "/letters/2026", { year: "2026" });
    expect(page.status).toBe(200);
    expect(page.headers.get("ETag")).toContain(letter.sha256!);
    expect(page.headers.get("Cache-Control")).toContain("public");
    const md = await get(db, source.loader, "/letters/2026/letter.md", { year: "2026" });
    expect(md).toMatchObject({ status: 200 });
    expect(md.headers.get("ETag")).toBe(`"${letter.sha256}"`);
    expect((await get(db, source.loader, "/letters/2026/letter.md", { year: "2026" }, { "If-None-Match": `"${letter.sha256}"` })).status).toBe(304);
    expect((await get(db, feed.loader, "/letters/feed.xml")).status).toBe(200);
    expect((await get(db, ledger.loader, "/ledger")).status).toBe(200);

    expect((await get(db, internalPage.loader, "/letters/2026/internal", { year: "2026" })).status).toBe(404);
    expect((await get(db, draftPage.loader, `/letters/drafts/${draftId}`, { id: draftId })).status).toBe(404);
    expect((await get(db, letterPage.loader, "/letters/2027", { year: "2027" })).status).toBe(404);
    expect((await get(db, letterPage.loader, "/letters/nope", { year: "nope" })).status).toBe(404);
  });

  it("is gone, every page of it, while the public site is switched off", async () => {
    const { db } = await world();
    await updateOrganisation(db, { publicSiteEnabled: false }, new Date());
    for (const [loader, path, params] of [
      [index.loader, "/letters", {}],
      [letterPage.loader, "/letters/2026", { year: "2026" }],
      [source.loader, "/letters/2026/letter.md", { year: "2026" }],
      [feed.loader, "/letters/feed.xml", {}],
      [ledger.loader, "/ledger", {}],
    ] as Array<[Loader, string, Record<string, string>]>) {
      expect((await get(db, loader, path, params)).status, path).toBe(404);
    }
  });
});
