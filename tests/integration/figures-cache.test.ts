// Figures kept between announced changes (ADR 0037): the database names, on commit, the period
// labels whose commitment_stats rows a statement changed (both labels when a commitment moves
// between periods), and a retrospective served through a listening FigureCache equals one counted
// afresh after every change, while a repeat with nothing changed sends neither the tally nor the
// trend's statement. Runs on PGlite, and on PostgreSQL with TEST_DATABASE_URL.
import { afterEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import type { Result } from "~/domain/result";
import { periodFromLabel } from "~/domain/period";
import { getCommitment } from "~/models/commitment.server";
import { loadDashboard } from "~/pages/dashboard.server";
import { addCheckIn, recordOutcome, updateCommitment, fieldsOf, type OutcomeInput } from "~/services/commitments.server";
import { organisationCalendar } from "~/services/organisation.server";
import { loadRetrospective, resolveScope } from "~/services/retrospectives.server";
import { FigureCache, FIGURES_CHANNEL } from "~/utils/figure-cache.server";
import { makeCommitmentInput } from "../factories";
import { testDatabase } from "../setup/db";
import { statementsDuring } from "../support/statements";
import { world as makeWorld } from "../support/world";

const T0 = new Date("2026-06-01T09:00:00.000Z");
const LATER = new Date("2026-10-05T09:00:00.000Z");
const NOW = new Date("2026-11-30T09:00:00.000Z");

function mustOk<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

async function until(what: string, condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const DELIVERED: OutcomeInput = {
  status: "delivered",
  resolvedAt: "2026-09-10",
  actualValue: null,
  evidenceUrl: "https://grafana.example.com/d/search",
  partialDescription: null,
  reasonCategory: null,
  control: null,
  explanation: null,
  lesson: null,
};

/** A process's figures, listening on `handle` as server/index.ts does, with what it heard. */
async function listeningFigures(handle: DatabaseHandle) {
  const figures = new FigureCache();
  const heard: string[] = [];
  const listener = await handle.listen(FIGURES_CHANNEL, {
    onNotify: (labels) => {
      heard.push(labels);
      figures.changed(labels);
    },
    onState: (listening) => figures.setListening(listening),
  });
  return { figures, heard, close: () => listener.close() };
}

const closing: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});

describe("figures kept between announced changes", () => {
  it("names the changed labels on commit, and never serves a retrospective or dashboard figure a change made stale", async () => {
    const handle = await testDatabase();
    const { db } = handle;
    const w = await makeWorld(db, {
      organisation: { name: "Acme Cloud", fiscalYearStartMonth: 1, timeZone: "UTC" },
      teams: { search: { slug: "search", name: "Search" } },
      people: { admin: { role: "admin", name: "Ada Admin" }, editor: { role: "member", name: "Eve Editor", teams: { search: "editor" } } },
    });
    const { editor, admin } = w.actors;
    const a = await w.commit(editor, w.teams.search, { periodLabel: "FY2026-Q3", dueDate: "2026-09-15" }, T0);
    const b = await w.commit(editor, w.teams.search, { periodLabel: "FY2026-Q4", dueDate: "2026-12-10" }, T0);
    await w.commit(editor, w.teams.search, { periodLabel: "FY2025-Q4", dueDate: "2025-12-10" }, new Date("2025-09-01T09:00:00Z"));

    const process = await listeningFigures(handle);
    closing.push(process.close);
    await until("listening", () => process.figures.listening);

    const { calendar } = await organisationCalendar(db, NOW);
    const period = periodFromLabel("FY2026", calendar)!;
    const scope = (await resolveScope(db, "org"))!;
    const cached = () => loadRetrospective(db, admin, scope, period, NOW, { limit: 100 }, process.figures);
    const afresh = () => loadRetrospective(db, admin, scope, period, NOW, { limit: 100 });
    const figuresOf = (r: Awaited<ReturnType<typeof afresh>>) => ({ summary: r.summary, trend: r.trend });

    const first = await statementsDuring(db, cached);
    const repeat = await statementsDuring(db, cached);
    const counted = (s: string[]) => s.filter((q) => /from commitment_stats s/.test(q)).length;
    // The tally and the trend count commitment_stats; the outcomes table reads it by keyset.
    expect(counted(first.statements)).toBe(counted(repeat.statements) + 2);
    expect(repeat.statements.length).toBe(first.statements.length - 2);
    expect(figuresOf(repeat.result)).toEqual(figuresOf(first.result));
    expect(first.result.summary.counts).toMatchObject({ open: 2, delivered: 0 });

    // An outcome: its label is announced, the kept figures drop, and the next load counts it.
    mustOk(await recordOutcome(db, editor, a.id, DELIVERED, (await getCommitment(db, a.id))!.version, null, LATER));
    await until("the outcome's notification", () => process.heard.some((p) => p.split(",").includes("FY2026-Q3")));
    const afterOutcome = await cached();
    expect(afterOutcome.summary.counts).toMatchObject({ open: 1, delivered: 1 });
    expect(figuresOf(afterOutcome)).toEqual(figuresOf(await afresh()));

    // A check-in changes no counted column of an open commitment: nothing announced, still kept.
    const heardBefore = process.heard.length;
    mustOk(await addCheckIn(db, editor, b.id, { date: "2026-10-01", forecast: "at_risk", probability: 40, progressValue: null, note: null }, LATER));
    // A change to a year neither counted nor in the trend (FY2021–FY2025) is announced with its own
    // label, and leaves the kept figures.
    const c = await w.commit(editor, w.teams.search, { periodLabel: "FY2027-Q1", dueDate: "2027-02-10" }, T0);
    await until("the new commitment's notification", () => process.heard.slice(heardBefore).some((p) => p.split(",").includes("FY2027-Q1")));
    expect(process.heard.slice(heardBefore).every((p) => !p.split(",").some((l) => l.startsWith("FY2026"))), process.heard.slice(heardBefore).join(" | ")).toBe(true);
    const stillKept = await statementsDuring(db, cached);
    expect(stillKept.statements.length).toBe(repeat.statements.length);
    expect(stillKept.result.summary.counts).toEqual(afterOutcome.summary.counts);
    expect(c.id).toBeTruthy();

    // A new commitment of the year, then an edit of its due date: each announced, each counted at once.
    const team = await w.commit(admin, w.teams.search, { periodLabel: "FY2026-Q4", dueDate: "2026-12-20" }, T0);
    await until("the third FY2026 commitment's notification", () => process.heard.some((p) => p.split(",").includes("FY2026-Q4")));
    const withThird = await cached();
    expect(withThird.summary.counts.open).toBe(2);
    expect(figuresOf(withThird)).toEqual(figuresOf(await afresh()));
    const current = (await getCommitment(db, team.id))!;
    const heardBeforeEdit = process.heard.length;
    mustOk(await updateCommitment(db, editor, team.id, makeCommitmentInput(w.teams.search.id, { ...fieldsOf(current), dueDate: "2026-12-22" }), current.version, null, T0));
    await until("the edit's notification", () => process.heard.slice(heardBeforeEdit).some((p) => p.split(",").includes("FY2026-Q4")));
    expect(figuresOf(await cached())).toEqual(figuresOf(await afresh()));

    // The dashboard's year figure is kept by the same rules.
    const dashboard = await loadDashboard(db, admin, NOW, process.figures);
    expect(dashboard.yearSummary).toEqual((await loadDashboard(db, admin, NOW)).yearSummary);
    const dashboardAgain = await statementsDuring(db, () => loadDashboard(db, admin, NOW, process.figures));
    expect(dashboardAgain.statements.some((q) => /group by 1, 2/.test(q)), "the year's counts come from memory").toBe(false);
    expect(dashboardAgain.result.yearSummary).toEqual(dashboard.yearSummary);
  });

  it("counts every time while not listening", async () => {
    const handle = await testDatabase();
    const { db } = handle;
    const w = await makeWorld(db, {
      organisation: { name: "Acme Cloud", fiscalYearStartMonth: 1, timeZone: "UTC" },
      teams: { search: { slug: "search", name: "Search" } },
      people: { admin: { role: "admin", name: "Ada Admin" } },
    });
    await w.commit(w.actors.admin, w.teams.search, { periodLabel: "FY2026-Q3", dueDate: "2026-09-15" }, T0);
    const figures = new FigureCache();
    const { calendar } = await organisationCalendar(db, NOW);
    const scope = (await resolveScope(db, "org"))!;
    const load = () => loadRetrospective(db, w.actors.admin, scope, periodFromLabel("FY2026", calendar)!, NOW, { limit: 100 }, figures);
    const first = await statementsDuring(db, load);
    const second = await statementsDuring(db, load);
    expect(second.statements.length).toBe(first.statements.length);
    expect(figures.stats().entries).toBe(0);
  });
});
