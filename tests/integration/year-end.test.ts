// Publishing safeguards and the year-end close (ADR 0017): no letter for a year that has not
// started, a typed confirmation before the year ends (service, API and form alike), and the
// close page's checklist. The service takes its clock as an argument, so these travel in time;
// the API and the pages read the real clock, so those cases are set relative to today.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { localDate } from "~/domain/period";
import { insertLetter } from "~/models/letter.server";
import { ensureRetrospective } from "~/models/retrospective.server";
import { createToken } from "~/services/api-tokens.server";
import { recordOutcome, type OutcomeInput } from "~/services/commitments.server";
import { generateLetterDraft, letterYearChoices, publishLetter, saveLetterDraft } from "~/services/letters.server";
import type { Actor, Result } from "~/domain/result";
import { openApiDocument } from "~/api/openapi.server";
import { yearCloseFor } from "~/services/year-close.server";
import * as draftRoute from "~/routes/letters.drafts.$id";
import * as lettersIndex from "~/routes/letters._index";
import * as yearEndRoute from "~/routes/year-end.$year";
import { addMember, makeCommitment, makeOrganisation, makeTeam, makeUser } from "../factories";
import { apiClient } from "../support/api-client";
import { callRoute, signIn } from "../support/routes";
import { superuserDatabase, testDatabase } from "../setup/db";

// Fiscal years from January, Europe/Berlin. On NOW, FY2026 ends in 32 days (31 December).
const T0 = new Date("2026-06-01T09:00:00.000Z");
const RESOLVED = new Date("2026-10-05T09:00:00.000Z");
const NOW = new Date("2026-11-29T10:00:00.000Z");

function mustOk<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}
function mustFail<T>(result: Result<T>) {
  if (result.ok) throw new Error("expected a refusal");
  return result.error;
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

const STATEMENT = {
  delivered: "Move checkout for every EU customer to the Frankfurt region by the end of the quarter",
  openPublic: "Publish the incident review of every SEV1 within 5 working days, by 15 December 2026",
  openInternal: "Rotate production database credentials every 30 days from 20 November 2026",
  missed: "Serve search p95 under 200 ms for every EU customer by 30 September 2026",
  nextYear: "Cut cold-start time of the mobile app to 1.5 s by 15 March 2027",
};

/**
 * FY2026: Payments delivered one commitment and has one public commitment open; Search missed one
 * (whose explanation predates today's rule) and has an internal one open and past due. FY2027 has
 * one commitment already.
 */
async function world(db: Database) {
  await makeOrganisation(db, { name: "Acme Cloud", fiscalYearStartMonth: 1, timeZone: "Europe/Berlin" });
  const adminUser = await makeUser(db, { role: "admin", name: "Ada Admin", email: "ada@example.com" });
  const memberUser = await makeUser(db, { role: "member", name: "Mo Member", email: "mo@example.com" });
  const admin: Actor = { id: adminUser.id, role: "admin" };
  const member: Actor = { id: memberUser.id, role: "member" };
  const payments = await makeTeam(db, { name: "Payments", slug: "payments" });
  const search = await makeTeam(db, { name: "Search", slug: "search" });
  await addMember(db, payments.id, memberUser.id);
  const done = await makeCommitment(db, admin, payments.id, { statement: STATEMENT.delivered, ownerId: memberUser.id }, T0);
  const openPublic = await makeCommitment(
    db,
    admin,
    payments.id,
    {
      statement: STATEMENT.openPublic,
      measureKind: "deliverable",
      deliverableEvent: "Every SEV1 review is on the status page",
      periodLabel: "FY2026-Q4",
      dueDate: "2026-12-15",
      ownerId: memberUser.id,
    },
    T0,
  );
  const openInternal = await makeCommitment(
    db,
    admin,
    search.id,
    {
      statement: STATEMENT.openInternal,
      measureKind: "deliverable",
      deliverableEvent: "Credentials older than 30 days: none in the vault report",
      periodLabel: "FY2026-Q4",
      dueDate: "2026-11-20",
      ownerId: adminUser.id,
      audience: "internal",
    },
    T0,
  );
  const missedOne = await makeCommitment(db, admin, search.id, { statement: STATEMENT.missed, metricTarget: 200, metricBaseline: 400, dueDate: "2026-09-30", ownerId: adminUser.id }, T0);
  await makeCommitment(db, admin, search.id, { statement: STATEMENT.nextYear, metricName: "cold start", metricBaseline: 3, metricTarget: 1.5, metricUnit: "s", periodLabel: "FY2027-Q1", dueDate: "2027-03-15" }, T0);
  mustOk(await recordOutcome(db, admin, done.id, delivered, done.version, null, RESOLVED));
  mustOk(await recordOutcome(db, admin, missedOne.id, missed, missedOne.version, null, RESOLVED));
  return { admin, member, adminUser, memberUser, payments, search, c: { done, openPublic, openInternal, missedOne } };
}

/** An outcome recorded before today's explanation rule (or imported): what the close page must catch. */
async function giveLegacyExplanation(commitmentId: string, explanation: string) {
  const { db: superuser } = await superuserDatabase();
  await superuser.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(sql`update outcomes set explanation = ${explanation} where commitment_id = ${commitmentId}`);
  });
}

describe("no letter for a year that has not started", () => {
  it("refuses to draft it and leaves it out of the choices, reckoning the start in the organisation's time zone", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const refused = mustFail(await generateLetterDraft(db, w.admin, { fiscalYear: 2027, audience: "public" }, NOW));
    expect(refused).toMatchObject({ code: "LETTER.YEAR_NOT_STARTED", field: "fiscalYear" });
    expect(refused.message).toBe("FY2027 has not started yet (it starts on 1 January 2027), so there is nothing to write a letter about yet.");
    // FY2027 has a commitment, yet is not offered; this year and earlier ones are.
    expect((await letterYearChoices(db, NOW)).years).toEqual([2026, 2025]);

    // 23:30 UTC on New Year's Eve is already 2027 in Berlin: FY2027 has begun there.
    expect(mustFail(await generateLetterDraft(db, w.admin, { fiscalYear: 2027, audience: "public" }, new Date("2026-12-31T22:30:00.000Z"))).code).toBe("LETTER.YEAR_NOT_STARTED");
    expect(mustOk(await generateLetterDraft(db, w.admin, { fiscalYear: 2027, audience: "public" }, new Date("2026-12-31T23:30:00.000Z"))).fiscalYear).toBe(2027);
  });

  it("refuses to publish a draft of it, even one made before the rule existed", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const early = await insertLetter(db, { fiscalYear: 2028, audience: "public", title: "Annual letter FY2028", body: "Nothing yet.", generatedBody: "Nothing yet.", createdBy: w.admin.id, updatedBy: w.admin.id });
    const refused = mustFail(await publishLetter(db, w.admin, early.id, early.version, NOW, "publish FY2028"));
    expect(refused).toMatchObject({ code: "LETTER.YEAR_NOT_STARTED", field: "fiscalYear" });
    expect(refused.message).toContain("starts on 1 January 2028");
  });
});

describe("publishing before the year ends", () => {
  it("says what is still open and needs the typed phrase: missing, wrong, then right", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const draft = mustOk(await generateLetterDraft(db, w.admin, { fiscalYear: 2026, audience: "internal" }, NOW));

    const missing = mustFail(await publishLetter(db, w.admin, draft.id, draft.version, NOW));
    expect(missing).toMatchObject({ code: "LETTER.CONFIRMATION_REQUIRED", field: "confirmation" });
    expect(missing.message).toBe(
      "FY2026 ends in 32 days; 2 commitments without an outcome, listed as still open in the letter. To publish before the year ends, type “publish FY2026” to confirm.",
    );
    const wrong = mustFail(await publishLetter(db, w.admin, draft.id, draft.version, NOW, "publish FY2025"));
    expect(wrong).toMatchObject({ code: "LETTER.CONFIRMATION_REQUIRED", field: "confirmation" });
    expect(wrong.message).toContain("That is not “publish FY2026”");

    // The public letter counts only its own scope: one public commitment is open.
    const publicDraft = mustOk(await generateLetterDraft(db, w.admin, { fiscalYear: 2026, audience: "public" }, NOW));
    expect(mustFail(await publishLetter(db, w.admin, publicDraft.id, publicDraft.version, NOW)).message).toContain(
      "FY2026 ends in 32 days; 1 commitment without an outcome, listed as still open in the letter.",
    );

    // Case and spacing do not matter; the letter lists the open commitments as open.
    const letter = mustOk(await publishLetter(db, w.admin, draft.id, draft.version, NOW, "  Publish   fy2026 "));
    expect(letter.status).toBe("published");
    expect((letter.ledger as Array<{ id: string; status: string }>).filter((e) => e.status === "open").map((e) => e.id).sort()).toEqual(
      [w.c.openPublic.id, w.c.openInternal.id].sort(),
    );
  });

  it("needs no phrase once the year has ended in the organisation's time zone", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const draft = mustOk(await generateLetterDraft(db, w.admin, { fiscalYear: 2026, audience: "public" }, NOW));
    // 23:30 UTC on 31 December is still FY2026 in UTC, but 00:30 on 1 January in Berlin.
    expect(mustFail(await publishLetter(db, w.admin, draft.id, draft.version, new Date("2026-12-31T22:30:00.000Z"))).code).toBe("LETTER.CONFIRMATION_REQUIRED");
    expect(mustOk(await publishLetter(db, w.admin, draft.id, draft.version, new Date("2026-12-31T23:30:00.000Z"))).status).toBe("published");
  });

  it("checks the text before the phrase, so a letter that cannot be published says why first", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const draft = mustOk(await generateLetterDraft(db, w.admin, { fiscalYear: 2026, audience: "public" }, NOW));
    const cut = mustOk(await saveLetterDraft(db, w.admin, draft.id, { title: draft.title, body: draft.body.replaceAll(STATEMENT.missed, "a search goal"), version: draft.version }, NOW));
    expect(mustFail(await publishLetter(db, w.admin, cut.id, cut.version, NOW)).code).toBe("LETTER.NOT_PUBLISHABLE");
  });
});

describe("the year-end close page", () => {
  it("lists open commitments by team with owners, shortfalls still unexplained, retrospectives not held, and the letters", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    await giveLegacyExplanation(w.c.missedOne.id, "n/a");
    // Payments held its second-half retrospective (covering Q3 and Q4); Search only Q3's.
    await ensureRetrospective(db, { teamId: w.payments.id, periodLabel: "FY2026-H2", periodStart: "2026-07-01", periodEnd: "2026-12-31", updatedBy: w.admin.id });
    await ensureRetrospective(db, { teamId: w.search.id, periodLabel: "FY2026-Q3", periodStart: "2026-07-01", periodEnd: "2026-09-30", updatedBy: w.admin.id });
    const draft = mustOk(await generateLetterDraft(db, w.admin, { fiscalYear: 2026, audience: "public" }, NOW));

    const close = mustOk(await yearCloseFor(db, w.admin, 2026, NOW));
    expect(close.countdown).toBe("ends in 32 days");
    expect(close.timing).toMatchObject({ phase: "under-way", start: "2026-01-01", end: "2026-12-31", daysLeft: 32 });
    expect(close.openTotal).toBe(2);
    expect(close.openByTeam.map((t) => ({ team: t.teamName, items: t.commitments.map((c) => [c.statement, c.ownerName, c.overdue]) }))).toEqual([
      { team: "Payments", items: [[STATEMENT.openPublic, "Mo Member", false]] },
      { team: "Search", items: [[STATEMENT.openInternal, "Ada Admin", true]] },
    ]);
    expect(close.unexplained).toEqual([
      expect.objectContaining({ id: w.c.missedOne.id, teamName: "Search", status: "missed", missing: expect.stringContaining("The explanation does not say enough yet") }),
    ]);
    expect(close.retrospectives.map((r) => [r.teamName, r.periodLabel, r.ended, r.href])).toEqual([
      ["The whole organisation", "FY2026", false, "/retrospectives/org/FY2026"],
      ["Search", "FY2026-Q4", false, "/retrospectives/search/FY2026-Q4"],
    ]);
    expect(close.letters).toEqual({ public: { id: draft.id, status: "draft", href: `/letters/drafts/${draft.id}` }, internal: null });

    // A complete explanation drops it from the list.
    await giveLegacyExplanation(w.c.missedOne.id, missed.explanation!);
    expect((mustOk(await yearCloseFor(db, w.admin, 2026, NOW))).unexplained).toEqual([]);
  });

  it("is for admins only, in the service and on the page", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    expect(mustFail(await yearCloseFor(db, w.member, 2026, NOW)).code).toBe("FORBIDDEN");
    const memberCookie = await signIn(db, "mo@example.com");
    expect((await callRoute(db, yearEndRoute.loader, "/year-end/2026", { cookie: memberCookie, params: { year: "2026" } })).status).toBe(403);
    const adminCookie = await signIn(db, "ada@example.com");
    const page = await callRoute(db, yearEndRoute.loader, "/year-end/2026", { cookie: adminCookie, params: { year: "2026" } });
    expect(page.status).toBe(200);
    expect((page.data as { fiscalYear: number }).fiscalYear).toBe(2026);
    expect((await callRoute(db, yearEndRoute.loader, "/year-end/next", { cookie: adminCookie, params: { year: "next" } })).status).toBe(404);
  });

  it("says a year that has not started has nothing to close", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const close = mustOk(await yearCloseFor(db, w.admin, 2027, NOW));
    expect(close.timing.phase).toBe("not-started");
    expect(close.countdown).toBe("starts in 33 days");
    expect(close.retrospectives).toEqual([]);
  });
});

// The API and the pages read the real clock: the year under way and the next are taken from it.
const today = localDate(new Date(), "UTC");
const THIS_YEAR = Number(today.slice(0, 4));

async function realClockWorld() {
  const { db } = await testDatabase();
  await makeOrganisation(db, { fiscalYearStartMonth: 1, timeZone: "UTC" });
  const admin = await makeUser(db, { role: "admin", email: "ada@example.com" });
  const token = mustOk(await createToken(db, { id: admin.id, role: "admin" }, { name: "test", scope: "write", expiresAt: null }, new Date())).token;
  return { db, admin, token, call: apiClient(db), cookie: await signIn(db, "ada@example.com") };
}

describe("the API", () => {
  it("refuses a year not started with problem+json naming fiscalYear", async () => {
    const w = await realClockWorld();
    const res = await w.call("POST", "/api/v1/letters", { token: w.token, body: { fiscalYear: THIS_YEAR + 1, audience: "public" } });
    expect(res).toMatchObject({ status: 422, body: { code: "LETTER.YEAR_NOT_STARTED", fields: [{ name: "fiscalYear" }] } });
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });

  it("needs the confirmation field before the year ends: missing and wrong are 422 naming it, right publishes", async () => {
    const w = await realClockWorld();
    const created = await w.call("POST", "/api/v1/letters", { token: w.token, body: { fiscalYear: THIS_YEAR, audience: "internal" } });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    const etag = created.headers.get("etag")!;
    const path = `/api/v1/letters/${id}/publish`;
    const missing = await w.call("POST", path, { token: w.token, headers: { "If-Match": etag } });
    expect(missing).toMatchObject({ status: 422, body: { code: "LETTER.CONFIRMATION_REQUIRED", fields: [{ name: "confirmation" }] } });
    expect((missing.body as { detail: string }).detail).toMatch(new RegExp(`^FY${THIS_YEAR} ends (in \\d+ days?|today); `));
    const wrong = await w.call("POST", path, { token: w.token, body: { confirmation: "yes" }, headers: { "If-Match": etag } });
    expect(wrong).toMatchObject({ status: 422, body: { code: "LETTER.CONFIRMATION_REQUIRED", fields: [{ name: "confirmation", message: expect.stringContaining("That is not") }] } });
    const notText = await w.call("POST", path, { token: w.token, body: { confirmation: 2026 }, headers: { "If-Match": etag } });
    expect(notText).toMatchObject({ status: 400, body: { code: "VALIDATION", fields: [{ name: "confirmation" }] } });
    const right = await w.call("POST", path, { token: w.token, body: { confirmation: `publish FY${THIS_YEAR}` }, headers: { "If-Match": etag } });
    expect(right.status).toBe(200);
    expect((right.body as { status: string }).status).toBe("published");
  });
});

describe("the OpenAPI document", () => {
  it("describes the publish body's confirmation and the 422s that name it and the year", () => {
    const doc = openApiDocument() as {
      paths: Record<string, { post?: { description: string; requestBody?: { required?: boolean; content: Record<string, { schema: { $ref: string } }> }; responses: Record<string, unknown> } }>;
      components: { schemas: Record<string, { properties?: Record<string, { type?: string; description?: string }>; required?: string[] }> };
    };
    const publish = doc.paths["/api/v1/letters/{id}/publish"]?.post;
    expect(publish?.description).toContain("LETTER.YEAR_NOT_STARTED");
    expect(publish?.description).toContain("LETTER.CONFIRMATION_REQUIRED");
    expect(Object.keys(publish?.responses ?? {})).toEqual(expect.arrayContaining(["200", "422", "412", "415"]));
    expect(publish?.requestBody?.required).toBe(false);
    const ref = publish?.requestBody?.content["application/json"]?.schema.$ref ?? "";
    const schema = doc.components.schemas[ref.split("/").pop() ?? ""];
    expect(schema?.properties?.confirmation).toMatchObject({ type: "string" });
    expect(schema?.properties?.confirmation?.description).toContain("publish FY<year>");
    expect(schema?.required ?? []).not.toContain("confirmation");
  });
});

describe("the pages", () => {
  it("do not offer a year not started, and refuse one posted anyway beside the field", async () => {
    const w = await realClockWorld();
    const index = await callRoute(w.db, lettersIndex.loader, "/letters", { cookie: w.cookie });
    const { choices } = index.data as { choices: { years: number[] } };
    expect(choices.years).toContain(THIS_YEAR);
    expect(choices.years.every((y) => y <= THIS_YEAR)).toBe(true);
    const refused = await callRoute(w.db, lettersIndex.action, "/letters", { cookie: w.cookie, form: { intent: "generate", fiscalYear: String(THIS_YEAR + 1), audience: "public" } });
    expect(refused.status).toBe(422);
    expect((refused.data as { result: { error: Record<string, string[]> } }).result.error.fiscalYear?.[0]).toContain("has not started yet");
  });

  it("ask for the phrase before the year ends and keep the edits; the right phrase publishes", async () => {
    const w = await realClockWorld();
    const draft = mustOk(await generateLetterDraft(w.db, { id: w.admin.id, role: "admin" }, { fiscalYear: THIS_YEAR, audience: "public" }, new Date()));
    const path = `/letters/drafts/${draft.id}`;
    const form = { intent: "publish", version: String(draft.version), title: draft.title, body: `${draft.body}\nEdited before publishing.\n` };
    const missing = await callRoute(w.db, draftRoute.action, path, { cookie: w.cookie, params: { id: draft.id }, form });
    expect(missing.status).toBe(422);
    const reply = missing.data as { result: { error: Record<string, string[]>; initialValue: Record<string, string> }; version: number };
    expect(reply.result.error.confirmation?.[0]).toContain(`type “publish FY${THIS_YEAR}” to confirm`);
    expect(reply.result.initialValue.body).toContain("Edited before publishing.");
    const wrong = await callRoute(w.db, draftRoute.action, path, { cookie: w.cookie, params: { id: draft.id }, form: { ...form, version: String(reply.version), confirmation: "publish" } });
    expect((wrong.data as { result: { error: Record<string, string[]> } }).result.error.confirmation?.[0]).toContain("That is not");
    const right = await callRoute(w.db, draftRoute.action, path, { cookie: w.cookie, params: { id: draft.id }, form: { ...form, version: String(reply.version), confirmation: `publish FY${THIS_YEAR}` } });
    expect(right.status).toBe(302);
    expect(right.headers.get("Location")).toBe(`/letters/${THIS_YEAR}`);
  });

  it("ask for the box to be ticked once the year has ended", async () => {
    const w = await realClockWorld();
    const draft = mustOk(await generateLetterDraft(w.db, { id: w.admin.id, role: "admin" }, { fiscalYear: THIS_YEAR - 1, audience: "public" }, new Date()));
    const path = `/letters/drafts/${draft.id}`;
    const form = { intent: "publish", version: String(draft.version), title: draft.title, body: draft.body };
    const unticked = await callRoute(w.db, draftRoute.action, path, { cookie: w.cookie, params: { id: draft.id }, form });
    expect(unticked.status).toBe(422);
    expect((unticked.data as { result: { error: Record<string, string[]> } }).result.error.confirmFrozen?.[0]).toContain("Tick the box");
    const ticked = await callRoute(w.db, draftRoute.action, path, { cookie: w.cookie, params: { id: draft.id }, form: { ...form, confirmFrozen: "on" } });
    expect(ticked.status).toBe(302);
    expect(ticked.headers.get("Location")).toBe(`/letters/${THIS_YEAR - 1}`);
  });
});
