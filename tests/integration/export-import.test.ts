// The full export: a rich organisation exported, imported into an empty instance and
// exported again gives the same document (published letters keep their hashes), nothing
// secret leaves, and the import refuses a non-empty instance and a malformed document.
import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import pino from "pino";
import { describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { apiTokens, letterErrata, letters, sessions, teams, users } from "../../db/schema";
import { periodFromLabel } from "~/domain/period";
import { updateTeam } from "~/models/team.server";
import { setUserActive, type PublicUser } from "~/models/user.server";
import { getLetter, insertLedgerEntries } from "~/models/letter.server";
import { rowsOf } from "~/models/rows.server";
import { login } from "~/services/auth.server";
import { addCheckIn, carryForward, createCommitment, recordOutcome, updateCommitment, type OutcomeInput } from "~/services/commitments.server";
import { redeemAccountLink } from "~/services/accounts.server";
import { exportOrganisation, importOrganisation, type ExportDocument } from "~/services/export.server";
import { addActionItem, resolveScope, saveNotes } from "~/services/retrospectives.server";
import { commitSessionToken } from "~/http/session.server";
import { loadEnv } from "~/utils/env.server";
import { loader as downloadExport } from "~/routes/settings.export[.json]";
import { DEFAULT_PASSWORD, addMember, makeCommitment, makeCommitmentInput } from "../factories";
import { resetDatabase, testDatabase } from "../setup/db";
import { world } from "../support/world";
import { apiClient } from "../support/api-client";

/** Where the invitations an import makes point; nothing is mailed in these tests. */
const LINKS = { baseUrl: "http://kept.test", mail: false };

// Fiscal year from January, UTC: FY2026-Q3 is 2026-07-01..2026-09-30.
const BEFORE = new Date("2026-06-01T09:00:00.000Z");
const DURING = new Date("2026-08-10T09:00:00.000Z");
const LATER = new Date("2026-08-12T15:30:00.000Z");
const CALENDAR = { startMonth: 1, timeZone: "UTC" };
const NEW_ADMIN_PASSWORD = "a brand new admin password";


function mustOk<T>(result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

const missedOutcome = (overrides: Partial<OutcomeInput> = {}): OutcomeInput => ({
  status: "missed",
  resolvedAt: "2026-08-05",
  actualValue: 450,
  evidenceUrl: null,
  partialDescription: null,
  reasonCategory: "underestimated_scope",
  control: "ours",
  explanation: "The payment provider round trip alone costs 250 ms.",
  lesson: "Measure third-party latency before promising an end-to-end number.",
  ...overrides,
});

/** A published letter as the letter service stores it: frozen Markdown, HTML, hash, ledger. */
function publishedLetter(id: string, createdBy: string, createdAt: Date, previousLetterId: string | null) {
  const publishedMarkdown = "# FY2025 letter\n\nWe said we would ship EU checkout. We did not; here is why.\n\n## Ledger\n\n| Commitment | Outcome |\n| --- | --- |\n| EU checkout | Missed |\n";
  return {
    id,
    fiscalYear: 2025,
    audience: "public" as const,
    title: "What we said, what we did: FY2025",
    body: "We said we would ship EU checkout. We did not; here is why.",
    generatedBody: "We said we would ship EU checkout.",
    status: "published" as const,
    version: 3,
    createdAt,
    createdBy,
    generatedAt: createdAt,
    updatedAt: createdAt,
    updatedBy: createdBy,
    publishedAt: new Date("2026-01-20T10:00:00.000Z"),
    publishedBy: createdBy,
    publishedMarkdown,
    publishedHtml: "<h1>FY2025 letter</h1><p>We said we would ship EU checkout. We did not; here is why.</p>",
    sha256: createHash("sha256").update(publishedMarkdown).digest("hex"),
    ledgerSize: LEDGER.length,
    previousLetterId,
  };
}

// The published letter's frozen ledger: its rows land in the transaction that inserts the letter.
const LEDGER = [{ commitmentId: null, statement: "EU checkout", status: "missed", daysLate: null }];

/**
 * People of every role (one deactivated), teams nested three deep (a child created before
 * its parent), commitments with re-scope, check-ins, outcomes of every kind and a carried-
 * forward pair, a retrospective with notes and action items (one promoted to a commitment),
 * a published letter with an erratum and a draft pointing at it (created before it).
 */
async function richOrganisation(db: Database) {
  const w = await world(db, {
    organisation: { fiscalYearStartMonth: 1, timeZone: "UTC", name: "Acme Cloud" },
    teams: { platform: { slug: "platform", name: "Platform" }, checkout: { slug: "checkout", name: "Checkout", parent: "platform" } },
    people: {
      admin: { role: "admin", name: "Ada Admin", email: "ada@example.com" },
      editor: { role: "member", name: "Eve Editor", email: "eve@example.com", teams: { checkout: "editor" } },
      viewer: { role: "viewer", name: "Vic Viewer", teams: { platform: "viewer" } },
      leaver: { role: "member", name: "Lee Leaver", teams: { checkout: "viewer" } },
      secondAdmin: { role: "admin", name: "Former Admin", email: "former@example.com" },
    },
  });
  const { admin: adminUser, editor: editorUser, leaver, secondAdmin } = w.people;
  const { checkout } = w.teams;
  await setUserActive(db, leaver.id, false, BEFORE);
  await setUserActive(db, secondAdmin.id, false, BEFORE);

  // The grandchild is older than its parents (its creation time is set), so the export lists it first.
  const [payments] = await db
    .insert(teams)
    .values({ slug: "payments", name: "Payments", mission: "Money moves safely.", createdAt: new Date("2025-01-01T00:00:00.000Z") })
    .returning();
  await updateTeam(db, payments!.id, { slug: "payments", name: "Payments", mission: "Money moves safely.", parentId: checkout.id }, BEFORE);
  await addMember(db, payments!.id, editorUser.id, "editor");

  const { editor, admin } = w.actors;
  const latency = await w.commit(editor, checkout, { ownerId: editorUser.id, details: "Measured at the **edge**.\n\nPer region." }, BEFORE);
  const launch = await w.commit(editor, payments!,
    {
      statement: "Launch SEPA instant payouts for every EU merchant",
      measureKind: "deliverable",
      metricName: null,
      metricBaseline: null,
      metricComparator: null,
      metricTarget: null,
      metricUnit: null,
      deliverableEvent: "SEPA instant payouts generally available in all EU countries",
      audience: "internal",
      tags: ["Payments", "Europe"],
    },
    BEFORE,
  );
  const search = await w.commit(editor, checkout, { statement: "Serve search p95 under 200 ms", metricTarget: 200, metricBaseline: 640.5 }, BEFORE);
  const legacy = await w.commit(editor, checkout, { statement: "Retire the legacy cart service by September", audience: "internal" }, BEFORE);

  // A re-scope of a locked commitment, with its reason.
  const rescoped = mustOk(
    await updateCommitment(db, editor, latency.id, { ...makeCommitmentInput(checkout.id), ownerId: editorUser.id, details: latency.details, metricTarget: 250 }, latency.version, "Two regions share one provider; 250 ms is what we can honestly promise.", DURING),
  );
  expect(rescoped.rescope).toBe(true);

  mustOk(await addCheckIn(db, editor, latency.id, { date: "2026-08-01", forecast: "at_risk", probability: 55, progressValue: 420.25, note: "Two of five regions done." }, DURING));
  mustOk(await addCheckIn(db, editor, latency.id, { date: "2026-08-09", forecast: "on_track", probability: 80, progressValue: null, note: "" }, LATER));

  const delivered = mustOk(
    await recordOutcome(
      db,
      editor,
      latency.id,
      { status: "delivered", resolvedAt: "2026-08-10", actualValue: 240, evidenceUrl: "https://grafana.example.com/d/checkout", partialDescription: null, reasonCategory: null, control: null, explanation: null, lesson: null },
      rescoped.commitment.version,
      null,
      LATER,
    ),
  );
  expect(delivered.status).toBe("delivered");
  mustOk(await recordOutcome(db, editor, launch.id, missedOutcome({ status: "partial", partialDescription: "Live in 19 of 27 countries.", actualValue: null, reasonCategory: "dependency_blocker", control: "external" }), launch.version, null, LATER));
  mustOk(await recordOutcome(db, editor, search.id, missedOutcome(), search.version, null, LATER));
  mustOk(await recordOutcome(db, admin, legacy.id, missedOutcome({ status: "withdrawn", actualValue: null, reasonCategory: "deprioritised", control: "ours" }), legacy.version, null, LATER));
  const successor = mustOk(
    await carryForward(db, editor, search.id, { periodLabel: "FY2026-Q4", dueDate: "2026-12-15", statement: "Serve search p95 under 200 ms in every region" }, search.version + 1, LATER),
  );
  expect(successor.attempt).toBe(2);

  const scope = (await resolveScope(db, "checkout"))!;
  const period = periodFromLabel("FY2026-Q3", CALENDAR)!;
  mustOk(await saveNotes(db, editor, scope, period, { wentWell: "Edge caching.", wentBadly: "Search estimates.", willChange: "Measure first." }, 0, LATER));
  const item = mustOk(await addActionItem(db, editor, scope, period, { text: "Benchmark the search provider", ownerId: editorUser.id, dueDate: "2026-10-15" }, LATER));
  mustOk(await addActionItem(db, editor, scope, period, { text: "Write the caching runbook", ownerId: null, dueDate: null }, LATER));
  const orgScope = (await resolveScope(db, "org"))!;
  mustOk(await saveNotes(db, admin, orgScope, period, { wentWell: "Honest numbers.", wentBadly: "", willChange: "" }, 0, LATER));
  mustOk(
    await createCommitment(
      db,
      editor,
      makeCommitmentInput(checkout.id, { statement: "Publish a search latency benchmark of our provider", periodLabel: "FY2026-Q4", dueDate: "2026-10-15", audience: "internal" }),
      LATER,
      { sourceActionItemId: item.id },
    ),
  );

  // Letters: the draft was started before the published letter it links back to existed.
  const publishedId = "7d1c2a8e-4b59-4c1e-9a55-0d6f2b1e3c47";
  const draftId = "0a9e3f1b-2c4d-4e5f-8a6b-7c8d9e0f1a2b";
  await db.transaction(async (tx) => {
    await tx.insert(letters).values(publishedLetter(publishedId, adminUser.id, new Date("2026-01-10T08:00:00.000Z"), null));
    await insertLedgerEntries(tx, publishedId, JSON.stringify(LEDGER));
  });
  await db.insert(letters).values({
    id: draftId,
    fiscalYear: 2026,
    audience: "public",
    title: "FY2026 (draft)",
    body: "Draft body",
    generatedBody: "Draft body",
    createdAt: new Date("2025-12-01T08:00:00.000Z"),
    createdBy: adminUser.id,
    generatedAt: new Date("2025-12-01T08:00:00.000Z"),
    updatedAt: new Date("2026-02-01T08:00:00.000Z"),
    previousLetterId: publishedId,
  });
  await db.insert(letterErrata).values({
    letterId: publishedId,
    body: "The ledger said 27 countries; it was 26.",
    bodyHtml: "<p>The ledger said 27 countries; it was 26.</p>",
    createdAt: new Date("2026-02-03T12:00:00.000Z"),
    createdBy: adminUser.id,
  });

  // Secrets that must never travel: sessions and API tokens.
  mustOk(await login(db, { email: "ada@example.com", password: DEFAULT_PASSWORD, ip: "203.0.113.7", userAgent: "vitest", previousToken: null }));
  await w.token(adminUser, "read", "export");
  return { adminUser, editorUser, publishedId, checkout, token: w.token };
}

function withoutExportedAt(doc: ExportDocument) {
  const { exportedAt: _exportedAt, ...rest } = doc;
  return rest;
}

describe("full export and import", () => {
  it("round-trips: export → import into an empty instance → export gives the same document", async () => {
    const handle = await testDatabase();
    const { db } = handle;
    const { publishedId } = await richOrganisation(db);
    const passwordHashes = (await db.select({ h: users.passwordHash }).from(users)).map((r) => r.h);

    const first = await exportOrganisation(db, new Date("2026-08-20T10:00:00.000Z"));
    expect(first).toMatchObject({ format: "kept-export", version: 1, exportedAt: "2026-08-20T10:00:00.000Z" });
    expect(first.people).toHaveLength(5);
    expect(first.teams.map((t) => t.slug)[0]).toBe("payments");
    expect(first.commitments).toHaveLength(6);
    expect(first.revisions.map((r) => r.kind)).toEqual(expect.arrayContaining(["create", "rescope", "check_in", "outcome", "carry_forward", "carried_from"]));
    expect(new Set(first.outcomes.map((o) => o.status))).toEqual(new Set(["delivered", "partial", "missed", "withdrawn"]));
    expect(first.actionItems.filter((a) => a.promotedCommitmentId !== null)).toHaveLength(1);
    expect(first.retrospectives).toHaveLength(2);
    expect(first.letters.map((l) => l.status)).toEqual(["draft", "published"]);
    expect(first.letterErrata).toHaveLength(1);

    // Nothing secret: no password hash, session or token anywhere in the document.
    const text = JSON.stringify(first);
    for (const hash of passwordHashes) expect(text).not.toContain(hash);
    expect(text).not.toMatch(/passwordHash|password_hash|secretHash|tokenHash|\$argon2/);
    expect(Object.keys(first.people[0]!).sort()).toEqual(["active", "createdAt", "deactivatedAt", "email", "id", "name", "role"]);

    const stored = JSON.parse(JSON.stringify(first)) as unknown;
    // Which commitments' revisions a letter reads (commitment_stats.letter_revisions, ADR 0054):
    // the import's revision INSERTs must flag the same ones its record's writes did.
    const flags = async () => rowsOf<{ id: string; flag: boolean }>(await db.execute(sql`select commitment_id::text as id, letter_revisions as flag from commitment_stats order by 1`));
    const flagged = await flags();
    expect(flagged.some((f) => f.flag) && flagged.some((f) => !f.flag), "some flagged, some not").toBe(true);
    await resetDatabase(handle);
    const imported = await importOrganisation(db, stored, { adminEmail: "ADA@example.com", adminPassword: NEW_ADMIN_PASSWORD, links: LINKS });
    expect(imported).toEqual({
      ok: true,
      value: {
        counts: {
          people: 5,
          teams: 3,
          teamMembers: 4,
          commitments: 6,
          checkIns: 2,
          outcomes: 4,
          revisions: first.revisions.length,
          retrospectives: 2,
          actionItems: 2,
          letters: 2,
          letterErrata: 1,
          minScoreChanges: first.minScoreChanges.length,
        },
        // Everyone active but the named admin is invited to choose a password (ADR 0018).
        invitations: expect.any(Array),
      },
    });

    expect(await flags()).toEqual(flagged);
    const second = await exportOrganisation(db, new Date("2026-09-01T10:00:00.000Z"));
    expect(withoutExportedAt(second)).toEqual(withoutExportedAt(first));
    // Byte for byte, key order included: the frozen ledger is read from its rows (ADR 0047) with
    // its keys in the order jsonb gave them when it was one jsonb value.
    expect(JSON.stringify(second.letters)).toBe(JSON.stringify(first.letters));
    expect(JSON.stringify(first.letters.find((l) => l.id === publishedId)!.ledger)).toBe('[{"status":"missed","daysLate":null,"statement":"EU checkout","commitmentId":null}]');
    expect(second.exportedAt).toBe("2026-09-01T10:00:00.000Z");

    // The published letter is byte-for-byte what was published, hash included.
    const before = first.letters.find((l) => l.id === publishedId)!;
    const letter = await getLetter(db, publishedId);
    expect(letter).toMatchObject({ status: "published", sha256: before.sha256, publishedMarkdown: before.publishedMarkdown, publishedHtml: before.publishedHtml, ledger: before.ledger });
    expect(createHash("sha256").update(letter!.publishedMarkdown!).digest("hex")).toBe(letter!.sha256);
    // …and still frozen by the database.
    await expect(db.update(letters).set({ title: "Rewritten" }).where(eq(letters.id, publishedId))).rejects.toThrow();

    // No sessions or tokens came along; the next revision continues after the imported ones.
    expect(await db.select().from(sessions)).toEqual([]);
    expect(await db.select().from(apiTokens)).toEqual([]);
  });

  it("lets only the named admin sign in afterwards, with the new password", async () => {
    const handle = await testDatabase();
    const { db } = handle;
    await richOrganisation(db);
    const doc = JSON.parse(JSON.stringify(await exportOrganisation(db))) as unknown;
    await resetDatabase(handle);
    const { invitations } = mustOk(await importOrganisation(db, doc, { adminEmail: "ada@example.com", adminPassword: NEW_ADMIN_PASSWORD, links: LINKS }));
    // The active people other than the named admin are invited; the deactivated ones are not.
    expect(invitations.map((i) => i.name).sort()).toEqual(["Eve Editor", "Vic Viewer"]);
    expect(invitations.every((i) => i.url.startsWith("http://kept.test/set-password/") && !i.emailed)).toBe(true);

    const attempt = (email: string, password: string) => login(db, { email, password, ip: "198.51.100.1", userAgent: "vitest", previousToken: null });
    expect((await attempt("ada@example.com", NEW_ADMIN_PASSWORD)).ok).toBe(true);
    expect(await attempt("ada@example.com", DEFAULT_PASSWORD)).toMatchObject({ ok: false });
    expect(await attempt("eve@example.com", DEFAULT_PASSWORD)).toMatchObject({ ok: false, error: { code: "AUTH.INVALID_CREDENTIALS" } });
    const hashes = await db.select({ email: users.email, h: users.passwordHash }).from(users);
    expect(new Set(hashes.map((r) => r.h)).size).toBe(hashes.length);

    // Eve uses her invitation and signs in with the password she chose.
    const eve = invitations.find((i) => i.email === "eve@example.com")!;
    expect(await redeemAccountLink(db, eve.url.split("/").at(-1)!, "eve's own long passphrase", new Date())).toMatchObject({ ok: true });
    expect((await attempt("eve@example.com", "eve's own long passphrase")).ok).toBe(true);
  });

  it("keeps writing after an import: new revisions follow the imported ids", async () => {
    const handle = await testDatabase();
    const { db } = handle;
    const { checkout } = await richOrganisation(db);
    const doc = JSON.parse(JSON.stringify(await exportOrganisation(db))) as ExportDocument;
    await resetDatabase(handle);
    mustOk(await importOrganisation(db, doc, { adminEmail: "ada@example.com", adminPassword: NEW_ADMIN_PASSWORD, links: LINKS }));
    const eve = doc.people.find((p) => p.email === "eve@example.com")!;
    const created = await makeCommitment(db, { id: eve.id, role: "member" }, checkout.id, { statement: "Serve cart p95 under 100 ms", metricTarget: 100 }, LATER);
    const after = await exportOrganisation(db);
    const revision = after.revisions.find((r) => r.commitmentId === created.id)!;
    expect(revision.id).toBe(Math.max(...doc.revisions.map((r) => r.id)) + 1);
  });

  it("refuses an instance that is not empty, and writes nothing", async () => {
    const { db } = await testDatabase();
    await richOrganisation(db);
    const doc = JSON.parse(JSON.stringify(await exportOrganisation(db))) as unknown;
    const before = await exportOrganisation(db, new Date(0));
    const result = await importOrganisation(db, doc, { adminEmail: "ada@example.com", adminPassword: NEW_ADMIN_PASSWORD, links: LINKS });
    expect(result).toMatchObject({ ok: false, error: { code: "SETUP.ALREADY_DONE" } });
    expect(await exportOrganisation(db, new Date(0))).toEqual(before);
  });

  it("names the path of what is wrong in a malformed document", async () => {
    const handle = await testDatabase();
    const { db } = handle;
    await richOrganisation(db);
    const doc = JSON.parse(JSON.stringify(await exportOrganisation(db))) as ExportDocument;
    await resetDatabase(handle);
    const options = { adminEmail: "ada@example.com", adminPassword: NEW_ADMIN_PASSWORD, links: LINKS };

    const badDate = structuredClone(doc);
    badDate.commitments[2]!.dueDate = "2026-02-30";
    const dateResult = await importOrganisation(db, badDate, options);
    expect(dateResult).toMatchObject({ ok: false, error: { code: "VALIDATION", fieldErrors: { "commitments.2.dueDate": [expect.any(String)] } } });
    if (!dateResult.ok) expect(dateResult.error.message).toContain("commitments.2.dueDate");

    const dangling = structuredClone(doc);
    dangling.checkIns[0]!.commitmentId = "00000000-0000-4000-8000-000000000000";
    expect(await importOrganisation(db, dangling, options)).toMatchObject({
      ok: false,
      error: { code: "VALIDATION", fieldErrors: { "checkIns.0.commitmentId": [expect.stringContaining("not in the export")] } },
    });

    // A commitment locked by a letter without its "lock" revision (an edited or partial
    // export): refused with the commitment named, before the database's guard (ADR 0033) would
    // refuse it inside the import's transaction. Exports that carry their lock revisions import
    // as ever (record-integrity.test.ts, the sample organisation round trip).
    const lockless = structuredClone(doc);
    const locked = lockless.commitments[1]!;
    expect(lockless.revisions.some((r) => r.kind === "lock" && r.commitmentId === locked.id)).toBe(false);
    locked.lockedByLetterAt = "2026-01-20T10:00:00.000Z";
    const locklessResult = await importOrganisation(db, lockless, options);
    expect(locklessResult).toMatchObject({
      ok: false,
      error: { code: "VALIDATION", fieldErrors: { "commitments.1.lockedByLetterAt": [expect.stringContaining(`Commitment ${locked.id} is locked by a letter`)] } },
    });
    if (!locklessResult.ok) expect(locklessResult.error.message).toContain('no "lock" revision');
    expect(await db.select().from(users)).toEqual([]);

    expect(await importOrganisation(db, { ...doc, format: "something-else" }, options)).toMatchObject({
      ok: false,
      error: { code: "VALIDATION", fieldErrors: { format: [expect.any(String)] } },
    });
    expect(await importOrganisation(db, "not even an object", options)).toMatchObject({ ok: false, error: { code: "VALIDATION" } });

    // The admin who will sign in must be an active admin of the export.
    expect(await importOrganisation(db, doc, { ...options, adminEmail: "eve@example.com" })).toMatchObject({ ok: false, error: { code: "VALIDATION", field: "adminEmail" } });
    expect(await importOrganisation(db, doc, { ...options, adminEmail: "former@example.com" })).toMatchObject({ ok: false, error: { code: "VALIDATION", field: "adminEmail" } });
    expect(await importOrganisation(db, doc, { ...options, adminEmail: "nobody@example.com" })).toMatchObject({ ok: false, error: { code: "VALIDATION", field: "adminEmail" } });

    // Nothing of any refused attempt was written.
    expect(await db.select().from(users)).toEqual([]);
  });

  it("is downloadable by admins only: the API for admin tokens, the settings page for admin sessions", async () => {
    const { db } = await testDatabase();
    const { adminUser, editorUser, token: makeToken } = await richOrganisation(db);
    const call = apiClient(db);
    const token = (user: PublicUser) => makeToken(user, "read", "t");

    const asAdmin = await call("GET", "/api/v1/export", { token: await token(adminUser) });
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body).toMatchObject({ format: "kept-export", version: 1 });
    expect((await call("GET", "/api/v1/export", { token: await token(editorUser) })).status).toBe(403);
    expect((await call("GET", "/api/v1/export")).status).toBe(401);

    const env = loadEnv({ NODE_ENV: "test" });
    const context = { db, env, logger: pino({ level: "silent" }), requestId: "test", cspNonce: "", clientIp: "127.0.0.1" };
    const download = async (email: string) => {
      const session = mustOk(await login(db, { email, password: DEFAULT_PASSWORD, ip: "192.0.2.1", userAgent: "vitest", previousToken: null }));
      const cookie = (await commitSessionToken(env, session.token, session.expiresAt)).split(";")[0]!;
      const request = new Request("http://kept.test/settings/export.json", { headers: { Cookie: cookie } });
      try {
        return await downloadExport({ request, context, params: {} } as never);
      } catch (thrown) {
        if (thrown instanceof Response) return thrown;
        throw thrown;
      }
    };
    const ok = await download("ada@example.com");
    expect(ok.status).toBe(200);
    expect(ok.headers.get("Content-Disposition")).toMatch(/^attachment; filename="kept-export-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(JSON.parse(await ok.text())).toMatchObject({ format: "kept-export", people: expect.any(Array) });
    expect((await download("eve@example.com")).status).toBe(403);
  });
});
