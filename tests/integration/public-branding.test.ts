// Public branding from Settings (docs/decisions/0020): the accent colour is checked for contrast,
// the logo is an uploaded image checked by its bytes and served from Kept's own origin, and the
// organisation decides whether public commitment pages show check-ins.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { organisation } from "../../db/schema";
import { getOrganisationFrame, getOrganisationLogo } from "~/models/organisation.server";
import { OrganisationSettingsSchema } from "~/schemas/people";
import { addCheckIn } from "~/services/commitments.server";
import { exportOrganisation, importOrganisation } from "~/services/export.server";
import { removeOrganisationLogo, saveOrganisationLogo, saveOrganisationSettings } from "~/services/organisation.server";
import { loadPublicCommitment } from "~/pages/public-commitment.server";
import { resetDatabase, testDatabase } from "../setup/db";
import { world } from "../support/world";

/** The organisation these tests brand: fiscal years from January, in Berlin. */
const ORGANISATION = { fiscalYearStartMonth: 1, timeZone: "Europe/Berlin" };
const NOW = new Date("2026-08-10T09:00:00.000Z");
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkaGj4DwAFhAKAjM1mOQAAAABJRU5ErkJggg==", "base64");

const settingsForm = (extra: Record<string, string>) =>
  OrganisationSettingsSchema.safeParse({ organisationName: "Acme", fiscalYearStartMonth: "1", timeZone: "Europe/Berlin", minPublicScore: "70", ...extra });

describe("public branding", () => {
  it("accepts only an accent colour white text is readable on, and keeps it normalised", async () => {
    const { db } = await testDatabase();
    const { admin } = (await world(db, { organisation: ORGANISATION, people: { admin: { role: "admin" } } })).actors;

    const light = settingsForm({ accentColour: "#FFD700" });
    expect(light.success).toBe(false);
    expect(light.error!.issues[0]).toMatchObject({ path: ["accentColour"], message: expect.stringMatching(/too light/) });
    expect(settingsForm({ accentColour: "purple" }).success).toBe(false);

    const dark = settingsForm({ accentColour: "#7A1F5C", showPublicCheckIns: "on" });
    expect(dark.success).toBe(true);
    expect(dark.data).toMatchObject({ accentColour: "#7a1f5c", showPublicCheckIns: true });
    expect((await saveOrganisationSettings(db, admin, dark.data!, NOW)).ok).toBe(true);
    expect(await getOrganisationFrame(db)).toMatchObject({ accentColour: "#7a1f5c", logoVersion: null });

    // Left out (as an older API client does), they stay as they are; empty clears the colour.
    const { accentColour: _a, showPublicCheckIns: _s, ...without } = dark.data!;
    expect((await saveOrganisationSettings(db, admin, without, NOW)).ok).toBe(true);
    expect((await db.select().from(organisation))[0]).toMatchObject({ accentColour: "#7a1f5c", showPublicCheckIns: true });
    expect((await saveOrganisationSettings(db, admin, settingsForm({}).data!, NOW)).ok).toBe(true);
    expect((await db.select().from(organisation))[0]).toMatchObject({ accentColour: null, showPublicCheckIns: false });

    // The database holds the same line.
    await expect(db.update(organisation).set({ accentColour: "red" }).where(eq(organisation.id, 1))).rejects.toThrow();
  });

  it("stores an uploaded logo checked by its bytes, refuses SVG and non-admins, and carries it through export and import", async () => {
    const handle = await testDatabase();
    const { db } = handle;
    const { admin, member } = (await world(db, { organisation: ORGANISATION, people: { admin: { role: "admin", email: "ada@example.com" }, member: { role: "member" } } })).actors;

    const svg = await saveOrganisationLogo(db, admin, new TextEncoder().encode("<svg><script>alert(1)</script></svg>"), NOW);
    expect(svg).toMatchObject({ ok: false, error: { code: "VALIDATION", field: "logo", message: expect.stringMatching(/SVG is not accepted/) } });
    expect(await saveOrganisationLogo(db, member, PNG, NOW)).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await getOrganisationLogo(db)).toBeNull();

    const saved = await saveOrganisationLogo(db, admin, PNG, NOW);
    expect(saved.ok).toBe(true);
    const logo = await getOrganisationLogo(db);
    expect(logo).toMatchObject({ contentType: "image/png" });
    expect(Buffer.from(logo!.data).equals(PNG)).toBe(true);
    expect((await getOrganisationFrame(db))!.logoVersion).toBe(logo!.sha256);

    const exported = await exportOrganisation(db, NOW);
    expect(exported.organisationLogo).toMatchObject({ contentType: "image/png", dataBase64: PNG.toString("base64"), sha256: logo!.sha256 });
    await resetDatabase(handle);
    const imported = await importOrganisation(db, exported, { adminEmail: "ada@example.com", adminPassword: "a long new password for ada", links: { baseUrl: "https://kept.example.com", mail: false } });
    expect(imported.ok).toBe(true);
    const again = await exportOrganisation(db, NOW);
    expect(again.organisationLogo).toEqual(exported.organisationLogo);

    expect(await removeOrganisationLogo(db, admin)).toEqual({ ok: true, value: { removed: true } });
    expect(await getOrganisationLogo(db)).toBeNull();
  });

  it("shows a public commitment's check-ins only when the organisation chooses to, without who wrote them", async () => {
    const { db } = await testDatabase();
    const w = await world(db, {
      organisation: ORGANISATION,
      teams: { checkout: { slug: "checkout", name: "Checkout" } },
      people: { editor: { role: "member", name: "Eve Editor", teams: { checkout: "editor" } } },
    });
    const editor = w.actors.editor;
    const pub = await w.commit(editor, w.teams.checkout, {}, new Date("2026-06-01T09:00:00.000Z"));
    expect((await addCheckIn(db, editor, pub.id, { date: "2026-08-10", forecast: "at_risk", probability: 40, progressValue: 420, note: "The CDN migration slipped." }, NOW)).ok).toBe(true);

    expect((await loadPublicCommitment(db, null, pub.id))!.checkIns).toBeNull();
    await db.update(organisation).set({ showPublicCheckIns: true }).where(eq(organisation.id, 1));
    const page = await loadPublicCommitment(db, null, pub.id);
    expect(page!.checkIns).toEqual([{ id: expect.any(String), date: "2026-08-10", forecast: "at_risk", probability: 40, progressValue: 420, note: "The CDN migration slipped." }]);
    expect(JSON.stringify(page)).not.toContain("Eve Editor");
  });
});
