// One definition of the delivery rate (issue 11, section 3): for the sample organisation, the
// dashboard, the retrospective, the public ledger, the letter and the API all show the same
// figure for the same scope, and that figure is delivered in full ÷ everything made.
import { and, count, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { commitments } from "../../db/schema";
import { labelsWithin, periodFromLabel } from "~/domain/period";
import { deliveryRate, formatPercent } from "~/domain/statistics";
import { organisationCalendar } from "~/services/organisation.server";
import { loadDashboard } from "~/pages/dashboard.server";
import { generateLetterDraft, publicLedger } from "~/services/letters.server";
import { loadRetrospective, resolveScope } from "~/services/retrospectives.server";
import { loadSampleOrganisation } from "~/services/sample-organisation.server";
import { testDatabase } from "../setup/db";
import { world } from "../support/world";
import { apiClient } from "../support/api-client";

const NOW = new Date("2026-11-27T10:00:00.000Z");

/** "we delivered 44% in full" in the letter's scorecard, as a fraction of 100. */
function letterRate(body: string): string {
  const match = /withdrawn commitments included, we delivered (\d+%|—) in full/.exec(body);
  if (!match) throw new Error("the letter states no delivery rate");
  return match[1]!;
}

describe("the delivery rate on every surface", () => {
  it("is the same number on the dashboard, the retrospective, the ledger, the letter and the API for the sample organisation", async () => {
    const { db } = await testDatabase();
    const w = await world(db, {
      organisation: { fiscalYearStartMonth: 1 },
      // The reader, an admin on no team, sees the whole organisation on the dashboard.
      people: { admin: { role: "admin", name: "Ada Admin" }, reader: { role: "admin", name: "Rae Reader" } },
    });
    const loaded = await loadSampleOrganisation(db, { adminId: w.people.admin.id }, NOW);
    expect(loaded.ok).toBe(true);
    const actor = w.actors.reader;
    const { calendar } = await organisationCalendar(db, NOW);
    const year = periodFromLabel("FY2026", calendar)!;
    const labels = labelsWithin(year);

    // What the record says, counted here independently: delivered in full ÷ every commitment made.
    const countOf = async (where: ReturnType<typeof and>) => Number((await db.select({ n: count() }).from(commitments).where(where))[0]!.n);
    const inYear = inArray(commitments.periodLabel, labels);
    const expectedAll = (await countOf(and(inYear, eq(commitments.status, "delivered")))) / (await countOf(and(inYear)));
    const publicOnly = and(inYear, eq(commitments.audience, "public"));
    const expectedPublic = (await countOf(and(publicOnly, eq(commitments.status, "delivered")))) / (await countOf(publicOnly));
    // The sample has withdrawals and misses, so "of made" and "of resolved" really differ.
    expect(expectedAll).toBeGreaterThan(0);
    expect(expectedAll).toBeLessThan(1);

    // 1. Dashboard: the fiscal year so far, whole organisation.
    const dashboard = await loadDashboard(db, actor, NOW);
    expect(dashboard.year.label).toBe("FY2026");
    expect(dashboard.yearSummary.deliveryRate).toBeCloseTo(expectedAll, 12);

    // 2. Retrospective of the organisation for the year.
    const retro = await loadRetrospective(db, actor, (await resolveScope(db, "org"))!, year, NOW);
    expect(retro.summary.deliveryRate).toBeCloseTo(expectedAll, 12);
    expect(retro.summary.deliveryRateOfResolved).not.toBeCloseTo(expectedAll, 6);

    // 3. API: the same retrospective, and the public ledger's tallies.
    const token = await w.token(w.people.reader, "read", "rates");
    const call = apiClient(db);
    const apiRetro = await call("GET", "/api/v1/retrospectives/org/FY2026", { token });
    expect(apiRetro.status).toBe(200);
    expect((apiRetro.body as { summary: { deliveryRate: number } }).summary.deliveryRate).toBeCloseTo(expectedAll, 12);
    const apiLedger = await call("GET", "/api/v1/public/ledger?year=2026", { token });
    expect(apiLedger.status).toBe(200);
    const apiYear = (apiLedger.body as { years: Array<{ fiscalYear: number; deliveryRate: number }> }).years.find((y) => y.fiscalYear === 2026)!;
    expect(apiYear.deliveryRate).toBeCloseTo(expectedPublic, 12);

    // 4. The public ledger page's tallies.
    const ledger = (await publicLedger(db, actor, 2026, null))!;
    expect(deliveryRate(ledger.years.find((y) => y.fiscalYear === 2026)!)).toBeCloseTo(expectedPublic, 12);

    // 5. The letters: the internal one covers everything, the public one the customer-facing part.
    const internal = await generateLetterDraft(db, actor, { fiscalYear: 2026, audience: "internal", replaceEdits: true }, NOW);
    const publicLetter = await generateLetterDraft(db, actor, { fiscalYear: 2026, audience: "public", replaceEdits: true }, NOW);
    if (!internal.ok || !publicLetter.ok) throw new Error("could not generate the letters");
    expect(letterRate(internal.value.body)).toBe(formatPercent(expectedAll));
    expect(letterRate(publicLetter.value.body)).toBe(formatPercent(expectedPublic));
  });
});
