// The falsifiability minimum for public commitments: on by default for a new organisation, and
// every change of it on an append-only record that the letters read.
import { describe, expect, it } from "vitest";
import { minScoreChanges, organisation } from "../../db/schema";
import { DEFAULT_MIN_PUBLIC_SCORE } from "~/domain/falsifiability";
import { getOrganisation, minScoreChangesUntil } from "~/models/organisation.server";
import { minimumInForceForYear } from "~/services/letters.server";
import { saveOrganisationSettings, type OrganisationSettings } from "~/services/organisation.server";
import { setupOrganisation } from "~/services/setup.server";
import { exportOrganisation, importOrganisation } from "~/services/export.server";
import { resetDatabase, testDatabase } from "../setup/db";
import { makeUser } from "../factories";
import { refusal } from "../support/refusal";

/** Where the invitations an import makes point; nothing is mailed in these tests. */
const LINKS = { baseUrl: "http://kept.test", mail: false };

const SET_UP = new Date("2025-11-20T10:00:00.000Z");
const LOWERED = new Date("2026-05-03T08:30:00.000Z");

async function setUp() {
  const { db } = await testDatabase();
  const result = await setupOrganisation(
    db,
    { organisationName: "Acme Cloud", fiscalYearStartMonth: 1, timeZone: "UTC", adminName: "Ada Admin", adminEmail: "ada@example.com", adminPassword: "a long and unusual passphrase 42" },
    SET_UP,
  );
  if (!result.ok) throw new Error(result.error.message);
  return { db, adminId: result.value.userId };
}

async function settings(db: Awaited<ReturnType<typeof setUp>>["db"], minPublicScore: number): Promise<OrganisationSettings> {
  const org = (await getOrganisation(db))!;
  return {
    organisationName: org.name,
    fiscalYearStartMonth: org.fiscalYearStartMonth,
    timeZone: org.timeZone,
    signatoryName: org.signatoryName,
    signatoryTitle: org.signatoryTitle,
    publicSiteEnabled: org.publicSiteEnabled,
    minPublicScore,
  };
}

/** The database's refusal, with the causes drizzle wraps it in. */

describe("the minimum score for public commitments", () => {
  it("starts on at the corpus-chosen default, with its first history row", async () => {
    const { db, adminId } = await setUp();
    expect((await getOrganisation(db))?.minPublicScore).toBe(DEFAULT_MIN_PUBLIC_SCORE);
    expect(await minScoreChangesUntil(db, null)).toEqual([{ changedAt: SET_UP, changedByName: "Ada Admin", fromScore: null, toScore: DEFAULT_MIN_PUBLIC_SCORE }]);
    expect(adminId).toMatch(/[0-9a-f-]{36}/);
  });

  it("records who lowered it, when, from what and to what; an unchanged save records nothing", async () => {
    const { db, adminId } = await setUp();
    const admin = { id: adminId, role: "admin" as const };
    expect((await saveOrganisationSettings(db, admin, await settings(db, 40), LOWERED)).ok).toBe(true);
    expect((await saveOrganisationSettings(db, admin, await settings(db, 40), new Date("2026-06-01T00:00:00Z"))).ok).toBe(true);
    const history = await minScoreChangesUntil(db, null);
    expect(history.map((h) => [h.changedAt.toISOString(), h.changedByName, h.fromScore, h.toScore])).toEqual([
      [SET_UP.toISOString(), "Ada Admin", null, DEFAULT_MIN_PUBLIC_SCORE],
      [LOWERED.toISOString(), "Ada Admin", DEFAULT_MIN_PUBLIC_SCORE, 40],
    ]);
    expect((await getOrganisation(db))?.minPublicScore).toBe(40);
  });

  it("a refused save changes neither the minimum nor its history", async () => {
    const { db } = await setUp();
    const member = await makeUser(db, { role: "member" });
    const result = await saveOrganisationSettings(db, { id: member.id, role: "member" }, await settings(db, 0), LOWERED);
    expect(result.ok).toBe(false);
    const stale = await saveOrganisationSettings(db, { id: member.id, role: "admin" }, await settings(db, 0), LOWERED, new Date("2020-01-01T00:00:00Z"));
    expect(stale).toEqual({ ok: false, error: expect.objectContaining({ code: "VERSION.CONFLICT" }) });
    expect((await getOrganisation(db))?.minPublicScore).toBe(DEFAULT_MIN_PUBLIC_SCORE);
    expect(await minScoreChangesUntil(db, null)).toHaveLength(1);
  });

  it("its history cannot be rewritten or removed", async () => {
    const { db } = await setUp();
    // The trigger refuses on the embedded database; on PostgreSQL the runtime role has no
    // UPDATE or DELETE on it at all (migration 0014), which refuses first.
    expect(await refusal(db.update(minScoreChanges).set({ toScore: 0 }))).toMatch(/append-only|permission denied/);
    expect(await refusal(db.delete(minScoreChanges))).toMatch(/append-only|permission denied/);
    expect(await minScoreChangesUntil(db, null)).toHaveLength(1);
  });

  it("gives each year the minimum in force during it, for the letter's rating method", async () => {
    const { db, adminId } = await setUp();
    await saveOrganisationSettings(db, { id: adminId, role: "admin" }, await settings(db, 40), LOWERED);
    expect(await minimumInForceForYear(db, 2025)).toEqual([{ since: "2025-11-20", score: DEFAULT_MIN_PUBLIC_SCORE }]);
    expect(await minimumInForceForYear(db, 2026)).toEqual([
      { since: null, score: DEFAULT_MIN_PUBLIC_SCORE },
      { since: "2026-05-03", score: 40 },
    ]);
    expect(await minimumInForceForYear(db, 2027)).toEqual([{ since: null, score: 40 }]);
  });

  it("travels in the full export and imports back unchanged", async () => {
    const { db, adminId } = await setUp();
    await saveOrganisationSettings(db, { id: adminId, role: "admin" }, await settings(db, 40), LOWERED);
    const before = await minScoreChangesUntil(db, null);
    const doc = JSON.parse(JSON.stringify(await exportOrganisation(db, LOWERED))) as unknown;
    await resetDatabase(await testDatabase());
    const imported = await importOrganisation(db, doc, { adminEmail: "ada@example.com", adminPassword: "another long passphrase 77", links: LINKS });
    expect(imported).toEqual({ ok: true, value: { counts: expect.objectContaining({ minScoreChanges: 2 }), invitations: [] } });
    expect(await minScoreChangesUntil(db, null)).toEqual(before);
  });

  it("the column's default is the same constant", async () => {
    const { db } = await testDatabase();
    await db.insert(organisation).values({ id: 1, name: "Bare", fiscalYearStartMonth: 1, timeZone: "UTC" });
    expect((await getOrganisation(db))?.minPublicScore).toBe(DEFAULT_MIN_PUBLIC_SCORE);
  });
});
