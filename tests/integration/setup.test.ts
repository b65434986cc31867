import { describe, expect, it } from "vitest";
import { getOrganisation } from "~/models/organisation.server";
import { countUsers } from "~/models/user.server";
import { needsSetup, setupOrganisation } from "~/services/setup.server";
import { NOT_SET_UP } from "~/domain/result";
import { exportOrganisation } from "~/services/export.server";
import { organisationCalendar } from "~/services/organisation.server";
import { saveWebhookSettings } from "~/services/webhooks.server";
import { yearCloseFor } from "~/services/year-close.server";
import { testDatabase } from "../setup/db";

const input = {
  organisationName: "Acme Cloud",
  fiscalYearStartMonth: 7,
  timeZone: "Europe/Berlin",
  adminName: "Ada Admin",
  adminEmail: "ada@example.com",
  adminPassword: "a long enough password",
};

describe("first-run setup", () => {
  it("creates the organisation and its first admin together", async () => {
    const { db } = await testDatabase();
    expect(await needsSetup(db)).toBe(true);
    const result = await setupOrganisation(db, input);
    expect(result.ok).toBe(true);
    const org = await getOrganisation(db);
    expect(org).toMatchObject({ name: "Acme Cloud", fiscalYearStartMonth: 7, timeZone: "Europe/Berlin" });
    expect(await needsSetup(db)).toBe(false);
  });

  it("refuses a second setup: never a second admin", async () => {
    const { db } = await testDatabase();
    await setupOrganisation(db, input);
    const again = await setupOrganisation(db, { ...input, adminEmail: "mallory@example.com" });
    expect(again).toEqual({ ok: false, error: expect.objectContaining({ code: "SETUP.ALREADY_DONE" }) });
    expect(await countUsers(db)).toBe(1);
  });

  it("lets exactly one of several simultaneous setups win", async () => {
    const { db } = await testDatabase();
    const results = await Promise.all(
      [1, 2, 3, 4].map((i) => setupOrganisation(db, { ...input, adminEmail: `admin${i}@example.com` })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await countUsers(db)).toBe(1);
  });

  it("says \"not set up yet\" one way before setup: SETUP.REQUIRED as a value, its 404 page when thrown", async () => {
    const { db } = await testDatabase();
    const admin = { id: "00000000-0000-4000-8000-000000000001", role: "admin" as const };
    const now = new Date("2026-11-29T12:00:00Z");
    for (const result of [await saveWebhookSettings(db, admin, true, now), await yearCloseFor(db, admin, 2026, now)]) {
      expect(result).toEqual({ ok: false, error: { code: "SETUP.REQUIRED", message: NOT_SET_UP } });
    }
    for (const attempt of [() => organisationCalendar(db, now), () => exportOrganisation(db, now)]) {
      const thrown = await attempt().then(
        () => null,
        (error: unknown) => error,
      );
      expect(thrown).toBeInstanceOf(Response);
      expect((thrown as Response).status).toBe(404);
      expect(await (thrown as Response).text()).toBe(NOT_SET_UP);
    }
  });
});
