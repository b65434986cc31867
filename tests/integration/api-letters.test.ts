// The JSON API for letters and the public site: every endpoint through its route module, every
// response checked against the OpenAPI document (tests/support/api-client).
import { createHash } from "node:crypto";
import { count, eq } from "drizzle-orm";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { commitments, letterErrata, letters } from "../../db/schema";
import { escapeMarkdown } from "~/domain/letter";
import { getCommitment } from "~/models/commitment.server";
import { updateOrganisation } from "~/models/organisation.server";
import type { PublicUser } from "~/models/user.server";
import { createToken } from "~/services/api-tokens.server";
import { login } from "~/services/auth.server";
import { recordOutcome, type OutcomeInput } from "~/services/commitments.server";
import { publicLedger } from "~/services/letters.server";
import type { Actor, Result } from "~/domain/result";
import { loadEnv } from "~/utils/env.server";
import { commitSessionToken, getOptionalUser } from "~/http/session.server";
import { encodeCursor } from "~/utils/cursor";
import { addMember, DEFAULT_PASSWORD, makeCommitment, makeOrganisation, makeTeam, makeUser } from "../factories";
import { testDatabase } from "../setup/db";
import { apiClient, type ApiResult } from "../support/api-client";

const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
// Fiscal year from January, UTC. Commitments are made before FY2026-Q3 and resolved after it.
const T0 = new Date("2026-06-01T09:00:00.000Z");
const RESOLVED = new Date("2026-10-05T09:00:00.000Z");

const STATEMENT = {
  delivered: "Move checkout for every EU customer to the Frankfurt region by the end of the quarter",
  missed: "Serve search p95 under 200 ms for every EU customer",
  internal: "Rotate production database credentials every 30 days",
};

const actorOf = (u: PublicUser): Actor => ({ id: u.id, role: u.role });

function mustOk<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

const delivered: OutcomeInput = {
  status: "delivered",
  resolvedAt: "2026-09-10",
  actualValue: 280,
  evidenceUrl: "https://grafana.example.com/d/checkout-slo",
  partialDescription: null,
  reasonCategory: null,
  control: null,
  explanation: null,
  lesson: null,
};
const missed: OutcomeInput = {
  status: "missed",
  resolvedAt: "2026-09-30",
  actualValue: 320,
  evidenceUrl: null,
  partialDescription: null,
  reasonCategory: "underestimated_scope",
  control: "ours",
  explanation: "The payment provider round trip alone costs 250 ms.",
  lesson: "Measure third-party latency before promising an end-to-end number.",
};

/** FY2026 of record: a delivered and a missed public commitment, and a missed internal one. */
async function world() {
  const { db } = await testDatabase();
  await makeOrganisation(db, { name: "Acme Cloud", fiscalYearStartMonth: 1, timeZone: "UTC" });
  await updateOrganisation(db, { signatoryName: "Amara Okafor", signatoryTitle: "Chief Technology Officer" }, T0);
  const admin = await makeUser(db, { role: "admin", name: "Ada Admin", email: "ada@example.com" });
  const editor = await makeUser(db, { role: "member", name: "Eve Editor" });
  const viewer = await makeUser(db, { role: "viewer", name: "Vic Viewer" });
  const team = await makeTeam(db, { slug: "checkout", name: "Checkout" });
  await addMember(db, team.id, editor.id, "editor");
  const by = actorOf(editor);
  const c = {
    delivered: await makeCommitment(db, by, team.id, { statement: STATEMENT.delivered }, T0),
    missed: await makeCommitment(db, by, team.id, { statement: STATEMENT.missed, metricName: "p95 search latency", metricBaseline: 600, metricTarget: 200, dueDate: "2026-09-20" }, T0),
    internal: await makeCommitment(db, by, team.id, { statement: STATEMENT.internal, audience: "internal", dueDate: "2026-09-30" }, T0),
  };
  mustOk(await recordOutcome(db, by, c.delivered.id, delivered, 1, null, RESOLVED));
  mustOk(await recordOutcome(db, by, c.missed.id, missed, 1, null, RESOLVED));
  mustOk(await recordOutcome(db, by, c.internal.id, { ...missed, actualValue: 0 }, 1, null, RESOLVED));
  const token = async (user: PublicUser, scope: "read" | "write" = "write") => mustOk(await createToken(db, actorOf(user), { name: "test", scope, expiresAt: null }, new Date())).token;
  return { db, admin, editor, viewer, team, c, token, call: apiClient(db) };
}

type World = Awaited<ReturnType<typeof world>>;

interface LetterBody {
  id: string;
  fiscalYear: number;
  audience: "public" | "internal";
  title: string;
  status: "draft" | "published";
  version: number;
  body: string;
  edited: boolean;
  url: string;
  sha256: string | null;
  publishedAt: string | null;
  publishedMarkdown: string | null;
  publishedHtml: string | null;
  ledger: Array<{ id: string; status: string }> | null;
  errata: Array<{ id: string; body: string; bodyHtml: string; createdByName: string | null }>;
  publishProblems: Array<{ code: string; message: string; commitmentId?: string }> | null;
}

const letterOf = (res: ApiResult) => res.body as LetterBody;

/** The body with the missed commitment's bullet removed from "What we did not deliver, and why". */
function withoutShortfallBullet(markdown: string, statement: string): string {
  const lines = markdown.split("\n");
  const section = lines.indexOf("## What we did not deliver, and why");
  const head = lines.findIndex((l, i) => i > section && l.startsWith(`- “${escapeMarkdown(statement)}”`));
  if (section < 0 || head < 0) throw new Error(`no bullet for ${statement}`);
  let end = head + 1;
  while (end < lines.length && lines[end]!.startsWith("  ")) end += 1;
  return [...lines.slice(0, head), ...lines.slice(end)].join("\n");
}

async function generate(w: World, t: string, fiscalYear = 2026, audience: "public" | "internal" = "public") {
  const res = await w.call("POST", "/api/v1/letters", { token: t, body: { fiscalYear, audience } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { letter: letterOf(res), etag: res.headers.get("etag")! };
}

async function publish(w: World, t: string, draft: { letter: LetterBody; etag: string }) {
  // The confirmation publishing asks for until the year has ended (harmless after it).
  const body = { confirmation: `publish FY${draft.letter.fiscalYear}` };
  const res = await w.call("POST", `/api/v1/letters/${draft.letter.id}/publish`, { token: t, body, headers: { "If-Match": draft.etag } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { letter: letterOf(res), etag: res.headers.get("etag")! };
}

/** A real signed-in admin's session cookie: the public endpoints must not let it show more. */
async function adminCookie(w: World): Promise<string> {
  const env = loadEnv({ NODE_ENV: "test" });
  const session = mustOk(await login(w.db, { email: "ada@example.com", password: DEFAULT_PASSWORD, ip: "192.0.2.1", userAgent: "vitest", previousToken: null }));
  const cookie = (await commitSessionToken(env, session.token, session.expiresAt)).split(";")[0]!;
  // The pages would take it for the admin.
  const context = { db: w.db, env, logger: pino({ level: "silent" }), requestId: "test", cspNonce: "", clientIp: "127.0.0.1" };
  const user = await getOptionalUser(new Request("http://kept.test/letters", { headers: { Cookie: cookie } }), context as never);
  expect(user?.id).toBe(w.admin.id);
  return cookie;
}

// ---------------------------------------------------------------------------------------------

describe("a letter's life through the API", () => {
  it("generates, edits with If-Match, is refused publication with problems, publishes with its hash, and takes errata only", async () => {
    const w = await world();
    const t = await w.token(w.admin);

    // Generate: 201, Location, an ETag naming the version, and nothing in the way of publishing.
    const created = await w.call("POST", "/api/v1/letters", { token: t, body: { fiscalYear: 2026, audience: "public" } });
    expect(created.status).toBe(201);
    const draft = letterOf(created);
    expect(created.headers.get("location")).toBe(`/api/v1/letters/${draft.id}`);
    expect(created.headers.get("etag")).toBe(`"letter-${draft.id}.v1"`);
    expect(draft).toMatchObject({ fiscalYear: 2026, audience: "public", status: "draft", version: 1, edited: false, url: "/letters/2026", sha256: null, ledger: null, errata: [], publishProblems: [] });
    expect(draft.body).toContain(`“${STATEMENT.missed}”`);
    expect(draft.body).not.toContain(STATEMENT.internal);

    // Read it back; a conditional read of the same version is 304.
    const read = await w.call("GET", `/api/v1/letters/${draft.id}`, { token: t });
    expect(read).toMatchObject({ status: 200, body: { id: draft.id, body: draft.body } });
    expect(read.headers.get("etag")).toBe(`"letter-${draft.id}.v1"`);
    expect((await w.call("GET", `/api/v1/letters/${draft.id}`, { token: t, headers: { "If-None-Match": `"letter-${draft.id}.v1"` } })).status).toBe(304);

    // PATCH needs If-Match; drop the missed commitment's explanation from the body.
    const hiding = withoutShortfallBullet(draft.body, STATEMENT.missed);
    const noPrecondition = await w.call("PATCH", `/api/v1/letters/${draft.id}`, { token: t, body: { body: hiding } });
    expect(noPrecondition).toMatchObject({ status: 428, body: { code: "PRECONDITION.REQUIRED" } });
    const patched = await w.call("PATCH", `/api/v1/letters/${draft.id}`, { token: t, body: { body: hiding }, headers: { "If-Match": created.headers.get("etag")! } });
    expect(patched.status).toBe(200);
    expect(patched.headers.get("etag")).toBe(`"letter-${draft.id}.v2"`);
    expect(letterOf(patched)).toMatchObject({ version: 2, title: draft.title, body: hiding, edited: true });
    expect(letterOf(patched).publishProblems).toEqual([expect.objectContaining({ code: "SHORTFALL_NOT_MENTIONED", commitmentId: w.c.missed.id })]);

    // The ETag of version 1 is stale now: 412 with the current ETag, and nothing is saved.
    const stale = await w.call("PATCH", `/api/v1/letters/${draft.id}`, { token: t, body: { title: "Overwritten" }, headers: { "If-Match": `"letter-${draft.id}.v1"` } });
    expect(stale).toMatchObject({ status: 412, body: { code: "VERSION.CONFLICT" } });
    expect(stale.headers.get("etag")).toBe(`"letter-${draft.id}.v2"`);
    expect((await w.call("GET", `/api/v1/letters/${draft.id}`, { token: t })).body).toMatchObject({ title: draft.title, version: 2 });
    // An If-Match naming another letter is stale too.
    expect((await w.call("PATCH", `/api/v1/letters/${draft.id}`, { token: t, body: { title: "X" }, headers: { "If-Match": `"letter-${UNKNOWN_ID}.v2"` } })).status).toBe(412);

    // Publishing needs If-Match too, refuses a stale one, and refuses a body that hides the miss.
    const publishPath = `/api/v1/letters/${draft.id}/publish`;
    expect(await w.call("POST", publishPath, { token: t })).toMatchObject({ status: 428, body: { code: "PRECONDITION.REQUIRED" } });
    expect(await w.call("POST", publishPath, { token: t, headers: { "If-Match": `"letter-${draft.id}.v1"` } })).toMatchObject({ status: 412, body: { code: "VERSION.CONFLICT" } });
    const refused = await w.call("POST", publishPath, { token: t, headers: { "If-Match": patched.headers.get("etag")! } });
    expect(refused).toMatchObject({ status: 422, body: { code: "LETTER.NOT_PUBLISHABLE" } });
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect((refused.body as { problems: unknown[] }).problems).toEqual([
      {
        code: "SHORTFALL_NOT_MENTIONED",
        commitmentId: w.c.missed.id,
        message: `“${STATEMENT.missed}” was missed, but the letter does not say so where readers can see it: quote it in the text where you explain what happened (not in a link title, image text, comment, code block, struck-through or hidden text).`,
      },
    ]);
    expect((await w.db.select().from(letters).where(eq(letters.id, draft.id)))[0]).toMatchObject({ status: "draft", version: 2 });
    expect((await getCommitment(w.db, w.c.missed.id))!.lockedByLetterAt).toBeNull();

    // Put the explanation back, then publish.
    const restored = await w.call("PATCH", `/api/v1/letters/${draft.id}`, {
      token: t,
      body: { title: "Our FY2026 letter", body: draft.body },
      headers: { "If-Match": `"letter-${draft.id}.v2"` },
    });
    expect(letterOf(restored)).toMatchObject({ version: 3, title: "Our FY2026 letter", edited: false, publishProblems: [] });
    const published = await w.call("POST", publishPath, { token: t, body: { confirmation: "publish FY2026" }, headers: { "If-Match": restored.headers.get("etag")! } });
    expect(published.status).toBe(200);
    const letter = letterOf(published);
    expect(letter).toMatchObject({ status: "published", version: 4, title: "Our FY2026 letter", body: draft.body, errata: [], publishProblems: null });
    expect(letter.publishedAt).not.toBeNull();
    expect(letter.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(letter.sha256).toBe(createHash("sha256").update(letter.publishedMarkdown!, "utf8").digest("hex"));
    expect(letter.publishedMarkdown).toContain("## Ledger appendix");
    expect(letter.publishedHtml).toContain("<h2>Ledger appendix</h2>");
    expect(letter.ledger!.map((e) => e.id).sort()).toEqual([w.c.delivered.id, w.c.missed.id].sort());
    expect(letter.ledger!.find((e) => e.id === w.c.missed.id)).toMatchObject({ status: "missed" });
    expect((await getCommitment(w.db, w.c.missed.id))!.lockedByLetterAt).not.toBeNull();
    const publishedEtag = published.headers.get("etag")!;
    expect(publishedEtag).toContain(letter.sha256!);

    // Frozen: no edit, no discard, no second publication, no regeneration, whatever the precondition.
    for (const ifMatch of [publishedEtag, `"letter-${draft.id}.v4"`]) {
      expect(await w.call("PATCH", `/api/v1/letters/${draft.id}`, { token: t, body: { body: "Rewritten." }, headers: { "If-Match": ifMatch } })).toMatchObject({
        status: 409,
        body: { code: "LETTER.PUBLISHED" },
      });
      expect(await w.call("DELETE", `/api/v1/letters/${draft.id}`, { token: t, headers: { "If-Match": ifMatch } })).toMatchObject({ status: 409, body: { code: "LETTER.PUBLISHED" } });
      expect(await w.call("POST", publishPath, { token: t, headers: { "If-Match": ifMatch } })).toMatchObject({ status: 409, body: { code: "LETTER.PUBLISHED" } });
    }
    expect(await w.call("POST", "/api/v1/letters", { token: t, body: { fiscalYear: 2026, audience: "public", replaceEdits: true } })).toMatchObject({
      status: 409,
      body: { code: "LETTER.PUBLISHED" },
    });
    expect((await w.db.select().from(letters).where(eq(letters.id, draft.id)))[0]).toMatchObject({ status: "published", version: 4, sha256: letter.sha256 });

    // Unchanged since the read: 304.
    expect((await w.call("GET", `/api/v1/letters/${draft.id}`, { token: t, headers: { "If-None-Match": publishedEtag } })).status).toBe(304);

    // Errata: appended, listed, and part of the letter (and of its ETag).
    expect((await w.call("GET", `/api/v1/letters/${draft.id}/errata`, { token: t })).body).toEqual({ items: [], next: null });
    const erratum = await w.call("POST", `/api/v1/letters/${draft.id}/errata`, { token: t, body: { body: "The search figure was **330 ms**, not 320 ms." } });
    expect(erratum).toMatchObject({ status: 201, body: { body: "The search figure was **330 ms**, not 320 ms.", createdByName: "Ada Admin" } });
    expect((erratum.body as { bodyHtml: string }).bodyHtml).toContain("<strong>330 ms</strong>");
    const errata = await w.call("GET", `/api/v1/letters/${draft.id}/errata`, { token: t });
    expect(errata).toMatchObject({ status: 200, body: { items: [{ id: (erratum.body as { id: string }).id, createdByName: "Ada Admin" }], next: null } });
    const corrected = await w.call("GET", `/api/v1/letters/${draft.id}`, { token: t, headers: { "If-None-Match": publishedEtag } });
    expect(corrected.status).toBe(200);
    expect(corrected.headers.get("etag")).not.toBe(publishedEtag);
    expect(letterOf(corrected).errata).toHaveLength(1);
    expect(letterOf(corrected).sha256).toBe(letter.sha256);
    expect(await w.call("POST", `/api/v1/letters/${draft.id}/errata`, { token: t, body: { body: "   " } })).toMatchObject({ status: 400, body: { code: "VALIDATION" } });

    // The public site shows it without a token.
    const index = await w.call("GET", "/api/v1/public/letters");
    expect(index).toMatchObject({
      status: 200,
      body: { items: [{ fiscalYear: 2026, title: "Our FY2026 letter", sha256: letter.sha256, url: "/letters/2026", apiUrl: "/api/v1/public/letters/2026" }], next: null },
    });
    expect(index.headers.get("cache-control")).toMatch(/^public/);
    const page = await w.call("GET", "/api/v1/public/letters/2026");
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({
      fiscalYear: 2026,
      title: "Our FY2026 letter",
      sha256: letter.sha256,
      publishedMarkdown: letter.publishedMarkdown,
      publishedHtml: letter.publishedHtml,
      ledger: letter.ledger,
      errata: [{ body: "The search figure was **330 ms**, not 320 ms." }],
      previous: null,
      next: null,
    });
    // No author names on the public site.
    expect((page.body as { errata: object[] }).errata[0]).not.toHaveProperty("createdByName");
    expect(page.headers.get("cache-control")).toBe("public, max-age=300, must-revalidate");
    expect(page.headers.get("etag")).toBe(corrected.headers.get("etag"));
    expect(page.headers.get("last-modified")).not.toBeNull();
    const notModified = await w.call("GET", "/api/v1/public/letters/2026", { headers: { "If-None-Match": page.headers.get("etag")! } });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get("etag")).toBe(page.headers.get("etag"));
  });

  it("discards a draft with If-Match, and regenerates over edits only when told to", async () => {
    const w = await world();
    const t = await w.token(w.admin);
    const draft = await generate(w, t);

    // Regenerating an unedited draft is allowed: 200, a new version, same letter.
    const again = await w.call("POST", "/api/v1/letters", { token: t, body: { fiscalYear: 2026, audience: "public" } });
    expect(again).toMatchObject({ status: 200, body: { id: draft.letter.id, version: 2, edited: false } });
    const edited = await w.call("PATCH", `/api/v1/letters/${draft.letter.id}`, {
      token: t,
      body: { body: `${draft.letter.body}\nA personal note.\n` },
      headers: { "If-Match": again.headers.get("etag")! },
    });
    expect(letterOf(edited)).toMatchObject({ version: 3, edited: true });
    expect(await w.call("POST", "/api/v1/letters", { token: t, body: { fiscalYear: 2026, audience: "public" } })).toMatchObject({
      status: 409,
      body: { code: "LETTER.HAS_EDITS" },
    });
    const replaced = await w.call("POST", "/api/v1/letters", { token: t, body: { fiscalYear: 2026, audience: "public", replaceEdits: true } });
    expect(replaced).toMatchObject({ status: 200, body: { id: draft.letter.id, version: 4, edited: false, body: draft.letter.body } });

    // Discard: 428 without If-Match, 412 with a stale one, 204 with the current one.
    const path = `/api/v1/letters/${draft.letter.id}`;
    expect(await w.call("DELETE", path, { token: t })).toMatchObject({ status: 428, body: { code: "PRECONDITION.REQUIRED" } });
    expect(await w.call("DELETE", path, { token: t, headers: { "If-Match": draft.etag } })).toMatchObject({ status: 412, body: { code: "VERSION.CONFLICT" } });
    const gone = await w.call("DELETE", path, { token: t, headers: { "If-Match": replaced.headers.get("etag")! } });
    expect(gone.status).toBe(204);
    expect(await w.call("GET", path, { token: t })).toMatchObject({ status: 404, body: { code: "NOT_FOUND" } });
    expect(await w.db.select().from(letters)).toEqual([]);
  });

  it("validates what it is sent", async () => {
    const w = await world();
    const t = await w.token(w.admin);
    const fields = (res: ApiResult) => ((res.body as { fields?: Array<{ name: string }> }).fields ?? []).map((f) => f.name);
    const badYear = await w.call("POST", "/api/v1/letters", { token: t, body: { fiscalYear: 1969, audience: "public" } });
    expect(badYear).toMatchObject({ status: 400, body: { code: "VALIDATION" } });
    expect(fields(badYear)).toEqual(["fiscalYear"]);
    expect(fields(await w.call("POST", "/api/v1/letters", { token: t, body: { fiscalYear: 2026, audience: "everyone" } }))).toEqual(["audience"]);
    expect((await w.call("POST", "/api/v1/letters", { token: t, body: "fiscalYear=2026", headers: { "Content-Type": "application/x-www-form-urlencoded" } })).status).toBe(415);
    expect((await w.call("POST", "/api/v1/letters", { token: t, body: "{not json" })).status).toBe(400);

    const draft = await generate(w, t);
    const patch = (body: unknown) => w.call("PATCH", `/api/v1/letters/${draft.letter.id}`, { token: t, body, headers: { "If-Match": draft.etag } });
    expect(await patch({})).toMatchObject({ status: 400, body: { code: "VALIDATION" } });
    expect(fields(await patch({ title: "  " }))).toEqual(["title"]);
    expect(fields(await patch({ body: " \n " }))).toEqual(["body"]);
    // Nothing was saved by the refused requests.
    expect((await w.call("GET", `/api/v1/letters/${draft.letter.id}`, { token: t })).body).toMatchObject({ version: 1 });

    for (const path of [`/api/v1/letters/${UNKNOWN_ID}`, "/api/v1/letters/not-an-id", `/api/v1/letters/${UNKNOWN_ID}/errata`]) {
      expect((await w.call("GET", path, { token: t })).status, path).toBe(404);
    }
    expect((await w.call("POST", `/api/v1/letters/${UNKNOWN_ID}/publish`, { token: t, headers: { "If-Match": draft.etag } })).status).toBe(404);
    // Errata are for published letters; a draft is corrected by editing it.
    expect(await w.call("POST", `/api/v1/letters/${draft.letter.id}/errata`, { token: t, body: { body: "Too early." } })).toMatchObject({
      status: 409,
      body: { code: "LETTER.NOT_PUBLISHED" },
    });
  });
});

describe("letters API authorization", () => {
  it("answers 401 without a token, 403 to read-only tokens writing, and 403 to members and viewers doing an admin's work", async () => {
    const w = await world();
    const asAdmin = await w.token(w.admin);
    const readOnly = await w.token(w.admin, "read");
    const asMember = await w.token(w.editor);
    const asViewer = await w.token(w.viewer, "read");
    const draft = await generate(w, asAdmin);
    const published = await publish(w, asAdmin, await generate(w, asAdmin, 2026, "internal"));
    const id = draft.letter.id;

    const reads = ["/api/v1/letters", `/api/v1/letters/${id}`, `/api/v1/letters/${id}/errata`, `/api/v1/letters/${published.letter.id}`];
    for (const path of reads) {
      expect(await w.call("GET", path), `GET ${path} anonymous`).toMatchObject({ status: 401, body: { code: "AUTH.REQUIRED" } });
      for (const t of [readOnly, asMember, asViewer]) expect((await w.call("GET", path, { token: t })).status, `GET ${path}`).toBe(200);
    }
    // Signed-in readers see drafts and internal letters, members and viewers included.
    const list = await w.call("GET", "/api/v1/letters", { token: asViewer });
    expect((list.body as { items: Array<{ id: string; status: string; audience: string }> }).items).toEqual([
      expect.objectContaining({ id: published.letter.id, status: "published", audience: "internal" }),
      expect.objectContaining({ id, status: "draft", audience: "public" }),
    ]);
    expect((list.body as { items: object[] }).items[0]).not.toHaveProperty("body");

    const writes: Array<[string, string, unknown, Record<string, string>]> = [
      ["POST", "/api/v1/letters", { fiscalYear: 2025, audience: "public" }, {}],
      ["PATCH", `/api/v1/letters/${id}`, { title: "Mine" }, { "If-Match": draft.etag }],
      ["DELETE", `/api/v1/letters/${id}`, undefined, { "If-Match": draft.etag }],
      ["POST", `/api/v1/letters/${id}/publish`, undefined, { "If-Match": draft.etag }],
      ["POST", `/api/v1/letters/${published.letter.id}/errata`, { body: "Not mine to correct." }, {}],
    ];
    for (const [method, path, body, headers] of writes) {
      expect(await w.call(method, path, { body, headers }), `${method} ${path} anonymous`).toMatchObject({ status: 401, body: { code: "AUTH.REQUIRED" } });
      expect(await w.call(method, path, { token: readOnly, body, headers }), `${method} ${path} read-only`).toMatchObject({ status: 403, body: { code: "TOKEN.READ_ONLY" } });
      expect(await w.call(method, path, { token: asMember, body, headers }), `${method} ${path} member`).toMatchObject({ status: 403, body: { code: "FORBIDDEN" } });
      // Viewers only ever hold read tokens.
      expect((await w.call(method, path, { token: asViewer, body, headers })).status, `${method} ${path} viewer`).toBe(403);
    }
    // Nothing was written by any refused request.
    expect((await w.db.select({ n: count() }).from(letters))[0]?.n).toBe(2);
    expect((await w.db.select().from(letters).where(eq(letters.id, id)))[0]).toMatchObject({ status: "draft", version: 1 });
    expect(await w.db.select().from(letterErrata)).toEqual([]);
  });

  it("creates one draft and one erratum however often an idempotent POST is retried", async () => {
    const w = await world();
    const t = await w.token(w.admin);
    const body = { fiscalYear: 2026, audience: "public" };
    const first = await w.call("POST", "/api/v1/letters", { token: t, body, headers: { "Idempotency-Key": "generate-fy2026" } });
    expect(first.status).toBe(201);
    const retries = await Promise.all(
      Array.from({ length: 5 }, () => w.call("POST", "/api/v1/letters", { token: t, body, headers: { "Idempotency-Key": "generate-fy2026" } })),
    );
    for (const r of retries) {
      expect(r).toMatchObject({ status: 201, body: { id: letterOf(first).id, version: 1 } });
      expect(r.headers.get("idempotent-replayed")).toBe("true");
    }
    // Not regenerated by the retries either.
    expect(await w.db.select({ id: letters.id, version: letters.version }).from(letters)).toEqual([{ id: letterOf(first).id, version: 1 }]);
    const other = await w.call("POST", "/api/v1/letters", { token: t, body: { ...body, audience: "internal" }, headers: { "Idempotency-Key": "generate-fy2026" } });
    expect(other).toMatchObject({ status: 422, body: { code: "IDEMPOTENCY.MISMATCH" } });

    const letter = await publish(w, t, { letter: letterOf(first), etag: first.headers.get("etag")! });

    const erratum = { body: "A correction." };
    const errata = await Promise.all(
      Array.from({ length: 5 }, () => w.call("POST", `/api/v1/letters/${letter.letter.id}/errata`, { token: t, body: erratum, headers: { "Idempotency-Key": "erratum-1-of-fy2026" } })),
    );
    expect(new Set(errata.map((r) => r.status))).toEqual(new Set([201]));
    expect(new Set(errata.map((r) => (r.body as { id: string }).id)).size).toBe(1);
    expect(await w.db.select().from(letterErrata)).toHaveLength(1);
  });

  it("replays a publication retried with its Idempotency-Key", async () => {
    const w = await world();
    const t = await w.token(w.admin);
    const draft = await generate(w, t);
    const send = () => w.call("POST", `/api/v1/letters/${draft.letter.id}/publish`, { token: t, body: { confirmation: "publish FY2026" }, headers: { "If-Match": draft.etag, "Idempotency-Key": "publish-fy2026" } });
    const first = await send();
    expect(first).toMatchObject({ status: 200, body: { status: "published" } });
    const retry = await send();
    expect(retry).toMatchObject({ status: 200, body: { id: draft.letter.id, status: "published", sha256: letterOf(first).sha256 } });
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
  });
});

describe("the public site through the API", () => {
  it("shows only published public letters to anyone, whatever cookie comes along, and 404s the rest", async () => {
    const w = await world();
    const t = await w.token(w.admin);
    const cookie = await adminCookie(w);
    await publish(w, t, await generate(w, t, 2026, "internal"));
    const draft = await generate(w, t, 2026, "public");
    await publish(w, t, await generate(w, t, 2025, "public"));

    for (const headers of [{}, { Cookie: cookie }] as Array<Record<string, string>>) {
      const index = await w.call("GET", "/api/v1/public/letters", { headers });
      expect(index.body).toMatchObject({ items: [{ fiscalYear: 2025 }], next: null });
      // The public 2026 letter is a draft and the internal one is not public: neither exists here.
      expect(await w.call("GET", "/api/v1/public/letters/2026", { headers })).toMatchObject({ status: 404, body: { code: "NOT_FOUND" } });
      expect((await w.call("GET", "/api/v1/public/letters/2025", { headers })).status).toBe(200);
      for (const year of ["1999", "20x6", "02025"]) expect((await w.call("GET", `/api/v1/public/letters/${year}`, { headers })).status, year).toBe(404);
    }
    // A token does not make the public site show more either.
    expect((await w.call("GET", "/api/v1/public/letters/2026", { token: t })).status).toBe(404);

    // Once the 2026 public letter is published it links back to 2025, and 2025 forward to it.
    await publish(w, t, draft);
    expect((await w.call("GET", "/api/v1/public/letters/2026")).body).toMatchObject({
      previous: { fiscalYear: 2025, url: "/letters/2025", apiUrl: "/api/v1/public/letters/2025" },
      next: null,
    });
    expect((await w.call("GET", "/api/v1/public/letters/2025")).body).toMatchObject({ next: { fiscalYear: 2026 } });
    const index = await w.call("GET", "/api/v1/public/letters");
    expect((index.body as { items: Array<{ fiscalYear: number }> }).items.map((l) => l.fiscalYear)).toEqual([2026, 2025]);
    expect((await w.call("GET", "/api/v1/public/letters", { headers: { "If-None-Match": index.headers.get("etag")! } })).status).toBe(304);
  });

  it("answers 404 on every public endpoint while the public site is off", async () => {
    const w = await world();
    const t = await w.token(w.admin);
    await publish(w, t, await generate(w, t));
    for (const path of ["/api/v1/public/letters", "/api/v1/public/letters/2026", "/api/v1/public/ledger"]) {
      expect((await w.call("GET", path)).status, path).toBe(200);
    }
    const cookie = await adminCookie(w);
    await updateOrganisation(w.db, { publicSiteEnabled: false }, new Date());
    for (const path of ["/api/v1/public/letters", "/api/v1/public/letters/2026", "/api/v1/public/ledger", "/api/v1/public/ledger?year=2026"]) {
      expect(await w.call("GET", path), path).toMatchObject({ status: 404, body: { code: "NOT_FOUND" } });
      // A signed-in person's cookie or token does not switch it back on here.
      expect((await w.call("GET", path, { headers: { Cookie: cookie } })).status, `${path} with a cookie`).toBe(404);
      expect((await w.call("GET", path, { token: t })).status, `${path} with a token`).toBe(404);
    }
    // Signed-in readers still have their letters through the token API.
    expect((await w.call("GET", "/api/v1/letters", { token: t })).body).toMatchObject({ items: [{ fiscalYear: 2026 }] });
  });

  it("lists the public ledger: tallies per year, a page of the year's public commitments, and a next link", async () => {
    const w = await world();
    const ledger = await w.call("GET", "/api/v1/public/ledger");
    expect(ledger.status).toBe(200);
    expect(ledger.headers.get("cache-control")).toMatch(/^public/);
    expect(ledger.body).toMatchObject({
      organisationName: "Acme Cloud",
      years: [{ fiscalYear: 2026, made: 2, open: 0, delivered: 1, partial: 0, missed: 1, withdrawn: 0 }],
      year: 2026,
      next: null,
    });
    const items = (ledger.body as { items: Array<Record<string, unknown>> }).items;
    // Internal commitments are not on the public ledger.
    expect(items.map((i) => i.statement)).toEqual([STATEMENT.delivered, STATEMENT.missed]);
    expect(items[0]).toMatchObject({ status: "delivered", resolvedAt: "2026-09-10", daysLate: 0, actualValue: 280, evidenceUrl: "https://grafana.example.com/d/checkout-slo" });
    expect(items[0]!.measure).toBe("p95 checkout latency ≤ 300 ms (from 900 ms)");
    expect(items[1]).toMatchObject({ status: "missed", dueDate: "2026-09-20", daysLate: 10, evidenceUrl: null });

    // A cursor from the first item continues after it.
    const cursor = encodeCursor({ dueDate: String(items[0]!.dueDate), id: String(items[0]!.id) });
    const rest = await w.call("GET", `/api/v1/public/ledger?year=2026&cursor=${cursor}`);
    expect((rest.body as { items: Array<{ id: string }> }).items.map((i) => i.id)).toEqual([w.c.missed.id]);
    // A year without public commitments is an empty page, not an error.
    expect((await w.call("GET", "/api/v1/public/ledger?year=2024")).body).toMatchObject({ year: 2024, items: [], next: null });

    // Tampered cursors and bad years are 400, never a database error.
    for (const bad of ["cursor=%%%", `cursor=${encodeCursor({ dueDate: "soon", id: w.c.missed.id })}`, `cursor=${encodeCursor({ dueDate: "2026-09-15", id: "x" })}`, "year=26", "year=abcd"]) {
      expect(await w.call("GET", `/api/v1/public/ledger?${bad}`), bad).toMatchObject({ status: 400, body: { code: "VALIDATION" } });
    }
    // The service behind the public page (/ledger?after=…) starts a tampered cursor from the beginning rather than failing.
    for (const after of [{ dueDate: "soon", id: w.c.missed.id }, { dueDate: "2026-09-15", id: "x" }]) {
      expect((await publicLedger(w.db, null, 2026, after))!.items.map((i) => i.id)).toEqual([w.c.delivered.id, w.c.missed.id]);
    }
  });

  it("pages a long year with next links until every public commitment was listed once", async () => {
    const w = await world();
    const by = actorOf(w.editor);
    // One more than a page: the two of the world and 199 more, due on different days.
    for (let chunk = 0; chunk < 199; chunk += 5) {
      await Promise.all(
        Array.from({ length: Math.min(5, 199 - chunk) }, (_, k) => {
          const i = chunk + k;
          const day = String((i % 28) + 1).padStart(2, "0");
          return makeCommitment(w.db, by, w.team.id, { statement: `Ship public changelog entry ${i + 1} for every EU customer`, dueDate: `2026-08-${day}` }, T0);
        }),
      );
    }
    const [total] = await w.db.select({ n: count() }).from(commitments).where(eq(commitments.audience, "public"));
    expect(total?.n).toBe(201);
    const seen: string[] = [];
    let path: string | null = "/api/v1/public/ledger?year=2026";
    let pages = 0;
    while (path) {
      const res: ApiResult = await w.call("GET", path);
      expect(res.status).toBe(200);
      const body = res.body as { items: Array<{ id: string }>; next: string | null };
      seen.push(...body.items.map((i) => i.id));
      if (body.next) expect(res.headers.get("link")).toBe(`<${body.next}>; rel="next"`);
      path = body.next;
      pages += 1;
    }
    expect(pages).toBe(2);
    expect(seen).toHaveLength(201);
    expect(new Set(seen).size).toBe(201);
  });
});
