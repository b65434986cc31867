// A commitment belongs for good to the period in which it was locked (ADR 0008, issue 11 §3):
// moved to a later year by a re-scope, it stays in its original year's letter, public ledger and
// delivery rate as "moved to FY… (re-scope)", is listed under "What changed along the way", and
// is not counted a second time in the year it moved to.
import { describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { periodFromLabel } from "~/domain/period";
import { createToken } from "~/services/api-tokens.server";
import { organisationCalendar } from "~/services/organisation.server";
import { recordOutcome, updateCommitment, type OutcomeInput } from "~/services/commitments.server";
import { loadDashboard } from "~/pages/dashboard.server";
import { generateLetterDraft, publicLedger, publishLetter } from "~/services/letters.server";
import { loadRetrospective, resolveScope } from "~/services/retrospectives.server";
import { yearCloseFor } from "~/services/year-close.server";
import { statementsDuring } from "../support/statements";
import type { Result } from "~/domain/result";
import { makeCommitmentInput } from "../factories";
import { testDatabase } from "../setup/db";
import { world as makeWorld } from "../support/world";
import { apiClient } from "../support/api-client";

const T0 = new Date("2026-06-01T09:00:00.000Z"); // before FY2026-Q3 starts
const DURING = new Date("2026-08-10T09:00:00.000Z"); // FY2026-Q3 has started: both are locked
const RESOLVED = new Date("2026-09-20T09:00:00.000Z");
const DRAFTED = new Date("2026-11-15T09:00:00.000Z");
const PUBLISH = new Date("2026-11-20T10:00:00.000Z");
const MOVED_STATEMENT = "Serve search p95 under 200 ms for every EU customer";
const REASON = "The search index rebuild slipped behind the storage migration, which had to come first.";

function mustOk<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

const DELIVERED: OutcomeInput = {
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

async function world(db: Database) {
  const w = await makeWorld(db, {
    organisation: { name: "Acme Cloud", fiscalYearStartMonth: 1, timeZone: "UTC" },
    teams: { team: { slug: "search", name: "Search" } },
    people: { admin: { role: "admin", name: "Ada Admin" }, editor: { role: "member", name: "Eve Editor", teams: { team: "editor" } } },
  });
  const { team } = w.teams;
  const { editor, admin } = w.actors;
  const kept = await w.commit(editor, team, {}, T0);
  const moved = await w.commit(editor, team, { statement: MOVED_STATEMENT, metricName: "p95 search latency", metricTarget: 200 }, T0);
  mustOk(await recordOutcome(db, editor, kept.id, DELIVERED, 1, null, RESOLVED));
  // Locked by its period, so moving it to next year is a re-scope with a reason.
  const input = makeCommitmentInput(team.id, {
    statement: MOVED_STATEMENT,
    metricName: "p95 search latency",
    metricTarget: 200,
    periodLabel: "FY2027-Q1",
    dueDate: "2027-03-15",
  });
  const rescope = mustOk(await updateCommitment(db, editor, moved.id, input, 1, REASON, DURING));
  expect(rescope.rescope).toBe(true);
  return { team, admin, editor, kept, moved };
}

describe("a commitment moved to a later year after it was locked", () => {
  it("stays in its original year's letter as moved, is listed under what changed, and is not counted again next year", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const draft = mustOk(await generateLetterDraft(db, w.admin, { fiscalYear: 2026, audience: "public" }, DRAFTED));
    const body = draft.body;
    expect(body).toContain("We delivered one of our two commitments in full.");
    expect(body).toContain(`“${MOVED_STATEMENT}” (moved to FY2027-Q1 (re-scope), now due 15 March 2027)`);
    const changed = body.slice(body.indexOf("## What changed along the way"));
    expect(changed).toContain("We re-scoped one commitment during the year.");
    expect(changed).toContain(`**“${MOVED_STATEMENT}”**`);
    expect(changed).toContain("Moved to FY2027-Q1 (re-scope): it still counts as made in FY2026");
    expect(changed).toContain("| Period | FY2026-Q3 | FY2027-Q1 |");
    expect(changed).toContain(REASON);

    // Published, its ledger appendix keeps the moved commitment, marked as moved.
    const letter = mustOk(await publishLetter(db, w.admin, draft.id, draft.version, PUBLISH, "publish FY2026"));
    expect(letter.ledger).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: w.moved.id, status: "open", movedTo: "FY2027-Q1" })]),
    );
    expect(letter.publishedMarkdown).toContain("| Moved to FY2027-Q1 (re-scope) |");

    // Next year's letter (drafted once FY2027 has begun) does not count it a second time.
    const next = mustOk(await generateLetterDraft(db, w.admin, { fiscalYear: 2027, audience: "public" }, new Date("2027-01-15T10:00:00.000Z")));
    const nextSaid = next.body.slice(next.body.indexOf("## What we said we would do"), next.body.indexOf("## What we delivered"));
    expect(nextSaid).not.toContain(MOVED_STATEMENT);
  });

  it("stays open in its original year's close, not in the year it moved to; the year is found by the fiscal-year index", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const { result: close2026, statements } = await statementsDuring(db, () => yearCloseFor(db, w.admin, 2026, DRAFTED));
    const y2026 = mustOk(close2026);
    expect(y2026.openTotal).toBe(1);
    expect(y2026.openByTeam.flatMap((t) => t.commitments.map((c) => c.id))).toEqual([w.moved.id]);
    const y2027 = mustOk(await yearCloseFor(db, w.admin, 2027, DRAFTED));
    expect(y2027.openTotal).toBe(0);
    expect(y2027.openByTeam).toEqual([]);
    // The open list, its count and the shortfalls narrow by fiscal_year = any(…) (inRecordYear,
    // ADR 0028) before the period-of-record test, instead of testing every commitment's record.
    expect(statements.filter((q) => q.includes("commitments.fiscal_year = any(array("))).toHaveLength(3);
    const ledger = await statementsDuring(db, () => publicLedger(db, w.admin, 2026, null));
    expect(ledger.statements.some((q) => q.includes("commitments.fiscal_year = any(array("))).toBe(true);
  });

  it("stays in its original year on the public ledger (page and API) and in that year's delivery rate on every surface", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const ledger = (await publicLedger(db, w.admin, 2026, null))!;
    expect(ledger.items.map((i) => i.id).sort()).toEqual([w.kept.id, w.moved.id].sort());
    expect(ledger.items.find((i) => i.id === w.moved.id)).toMatchObject({ status: "open", periodLabel: "FY2027-Q1", movedTo: "FY2027-Q1" });
    expect(ledger.items.find((i) => i.id === w.kept.id)!.movedTo).toBeNull();
    expect(ledger.years).toEqual([expect.objectContaining({ fiscalYear: 2026, made: 2, delivered: 1, open: 1 })]);
    expect((await publicLedger(db, w.admin, 2027, null))!.items).toEqual([]);

    const token = await createToken(db, w.admin, { name: "moved", scope: "read", expiresAt: null }, DRAFTED);
    if (!token.ok) throw new Error(token.error.message);
    const api = await apiClient(db)("GET", "/api/v1/public/ledger?year=2026", { token: token.value.token });
    expect(api.status).toBe(200);
    const body = api.body as { years: Array<{ fiscalYear: number; deliveryRate: number }>; items: Array<{ id: string; movedTo: string | null }> };
    expect(body.items.find((i) => i.id === w.moved.id)!.movedTo).toBe("FY2027-Q1");
    expect(body.years.find((y) => y.fiscalYear === 2026)!.deliveryRate).toBe(0.5);

    // The statistics count it where it was locked: FY2026-Q3, not FY2027-Q1.
    const { calendar } = await organisationCalendar(db, DRAFTED);
    const org = (await resolveScope(db, "org"))!;
    const q3 = await loadRetrospective(db, w.admin, org, periodFromLabel("FY2026-Q3", calendar)!, DRAFTED);
    expect(q3.summary).toMatchObject({ made: 2, deliveryRate: 0.5 });
    const fy2026 = await loadRetrospective(db, w.admin, org, periodFromLabel("FY2026", calendar)!, DRAFTED);
    expect(fy2026.summary).toMatchObject({ made: 2, deliveryRate: 0.5 });
    const fy2027 = await loadRetrospective(db, w.admin, org, periodFromLabel("FY2027", calendar)!, DRAFTED);
    expect(fy2027.summary.made).toBe(0);
    const dashboard = await loadDashboard(db, w.admin, DRAFTED);
    expect(dashboard.yearSummary).toMatchObject({ made: 2, deliveryRate: 0.5 });
  });
});
