// The commitments service at its edges: who may change what, the public minimum score,
// validation of input, and the filtered, keyset-paginated list.
import { asc } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { checkIns, commitmentRevisions, commitments, organisation, outcomes } from "../../db/schema";
import { countCommitments, cursorKeyOf, listCommitments, SORTS, type Commitment, type ListCursor, type Sort } from "~/models/commitment.server";
import { subtreeIds } from "~/models/team.server";
import type { PublicUser } from "~/models/user.server";
import { CommitmentFormSchema, type CommitmentInput } from "~/schemas/commitments";
import {
  addCheckIn,
  carryForward,
  createCommitment,
  recordOutcome,
  updateCommitment,
  type OutcomeInput,
} from "~/services/commitments.server";
import type { Actor, Result } from "~/domain/result";
import { addMember, makeCommitment, makeCommitmentInput, makeTeam, makeUser } from "../factories";
import { testDatabase } from "../setup/db";
import { world as makeWorld } from "../support/world";

// Fiscal year from January, UTC: FY2026-Q3 is 2026-07-01..2026-09-30.
const BEFORE = new Date("2026-06-01T09:00:00.000Z");
const DURING = new Date("2026-08-10T09:00:00.000Z");
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

const actorOf = (user: PublicUser): Actor => ({ id: user.id, role: user.role });

const missed: OutcomeInput = {
  status: "missed",
  resolvedAt: "2026-08-05",
  actualValue: 450,
  evidenceUrl: null,
  partialDescription: null,
  reasonCategory: "dependency_blocker",
  control: "shared",
  explanation: "The CDN contract was signed six weeks late.",
  lesson: "Sign vendor contracts before committing to dates that depend on them.",
};

async function world(db: Database) {
  const w = await makeWorld(db, {
    organisation: { fiscalYearStartMonth: 1, timeZone: "UTC" },
    teams: { team: { slug: "checkout", name: "Checkout" } },
    people: { admin: { role: "admin" }, editor: { role: "member", teams: { team: "editor" } } },
  });
  return { team: w.teams.team, ...w.actors };
}

async function snapshot(db: Database) {
  return {
    commitments: await db.select().from(commitments).orderBy(asc(commitments.id)),
    revisions: await db.select().from(commitmentRevisions).orderBy(asc(commitmentRevisions.id)),
    checkIns: await db.select().from(checkIns).orderBy(asc(checkIns.id)),
    outcomes: await db.select().from(outcomes).orderBy(asc(outcomes.commitmentId)),
  };
}

function mustOk<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

// ---- authorization -----------------------------------------------------------------------

type ActorKind = "admin" | "team editor" | "editor of another team" | "viewer added as team viewer" | "viewer added as team editor" | "team viewer";

const ACTORS: Array<[ActorKind, boolean]> = [
  ["admin", true],
  ["team editor", true],
  ["editor of another team", false],
  ["viewer added as team viewer", false],
  // The organisation role wins: a viewer never edits, whatever the team membership says.
  ["viewer added as team editor", false],
  ["team viewer", false],
];

async function actorFor(db: Database, kind: ActorKind, teamId: string, otherTeamId: string): Promise<Actor> {
  switch (kind) {
    case "admin":
      return actorOf(await makeUser(db, { role: "admin" }));
    case "team editor": {
      const u = await makeUser(db, { role: "member" });
      await addMember(db, teamId, u.id, "editor");
      return actorOf(u);
    }
    case "editor of another team": {
      const u = await makeUser(db, { role: "member" });
      await addMember(db, otherTeamId, u.id, "editor");
      return actorOf(u);
    }
    case "viewer added as team viewer": {
      const u = await makeUser(db, { role: "viewer" });
      await addMember(db, teamId, u.id, "viewer");
      return actorOf(u);
    }
    case "viewer added as team editor": {
      const u = await makeUser(db, { role: "viewer" });
      await addMember(db, teamId, u.id, "editor");
      return actorOf(u);
    }
    case "team viewer": {
      const u = await makeUser(db, { role: "member" });
      await addMember(db, teamId, u.id, "viewer");
      await addMember(db, otherTeamId, u.id, "editor");
      return actorOf(u);
    }
  }
}

type ActionName = "create" | "update" | "addCheckIn" | "recordOutcome" | "carryForward";

interface Action {
  /** Puts the commitment in the state the action needs, as its own team's editor. */
  prepare(db: Database, owner: Actor, teamId: string): Promise<Commitment | null>;
  run(db: Database, actor: Actor, teamId: string, c: Commitment | null): Promise<Result<unknown>>;
  /** Revision rows a successful run adds. */
  revisions: number;
}

const ACTIONS: Record<ActionName, Action> = {
  create: {
    prepare: async () => null,
    run: (db, actor, teamId) => createCommitment(db, actor, makeCommitmentInput(teamId), BEFORE),
    revisions: 1,
  },
  update: {
    prepare: (db, owner, teamId) => makeCommitment(db, owner, teamId, {}, BEFORE),
    run: (db, actor, teamId, c) => updateCommitment(db, actor, c!.id, makeCommitmentInput(teamId, { details: "Measured at the EU edge." }), c!.version, null, DURING),
    revisions: 1,
  },
  addCheckIn: {
    prepare: (db, owner, teamId) => makeCommitment(db, owner, teamId, {}, BEFORE),
    run: (db, actor, _teamId, c) =>
      addCheckIn(db, actor, c!.id, { date: "2026-08-10", forecast: "on_track", probability: 80, progressValue: null, note: "Fine." }, DURING),
    revisions: 1,
  },
  recordOutcome: {
    prepare: (db, owner, teamId) => makeCommitment(db, owner, teamId, {}, BEFORE),
    run: (db, actor, _teamId, c) => recordOutcome(db, actor, c!.id, missed, c!.version, null, DURING),
    revisions: 1,
  },
  carryForward: {
    prepare: async (db, owner, teamId) => {
      const c = await makeCommitment(db, owner, teamId, {}, BEFORE);
      return mustOk(await recordOutcome(db, owner, c.id, missed, c.version, null, DURING));
    },
    run: (db, actor, _teamId, c) =>
      carryForward(db, actor, c!.id, { periodLabel: "FY2026-Q4", dueDate: "2026-12-15", statement: "Move checkout for every EU customer to the Frankfurt region by the end of the quarter" }, c!.version, DURING),
    revisions: 2,
  },
};

const MATRIX = (Object.keys(ACTIONS) as ActionName[]).flatMap((action) => ACTORS.map(([actor, allowed]) => ({ action, actor, allowed })));

describe("authorization", () => {
  it.each(MATRIX)("$action by $actor: allowed=$allowed", async ({ action, actor: kind, allowed }) => {
    const { db } = await testDatabase();
    const { team, editor } = await world(db);
    const other = await makeTeam(db, { slug: "growth", name: "Growth" });
    const actor = await actorFor(db, kind, team.id, other.id);
    const c = await ACTIONS[action].prepare(db, editor, team.id);
    const before = await snapshot(db);

    const result = await ACTIONS[action].run(db, actor, team.id, c);

    if (allowed) {
      expect(result.ok).toBe(true);
      const after = await snapshot(db);
      const added = after.revisions.slice(before.revisions.length);
      expect(added).toHaveLength(ACTIONS[action].revisions);
      for (const r of added) expect(r.actorId).toBe(actor.id);
    } else {
      expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: "FORBIDDEN" }) });
      expect(await snapshot(db)).toEqual(before);
    }
  });

  it("an editor cannot move a commitment into a team they do not edit", async () => {
    const { db } = await testDatabase();
    const { team, editor } = await world(db);
    const other = await makeTeam(db, { slug: "growth" });
    const c = await makeCommitment(db, editor, team.id, {}, BEFORE);
    const before = await snapshot(db);

    const result = await updateCommitment(db, editor, c.id, makeCommitmentInput(other.id), 1, null, BEFORE);

    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: "FORBIDDEN", field: "teamId" }) });
    expect(await snapshot(db)).toEqual(before);
  });

  it("losing editor rights is enforced even with the right version", async () => {
    const { db } = await testDatabase();
    const { team, editor } = await world(db);
    const c = await makeCommitment(db, editor, team.id, {}, BEFORE);
    await addMember(db, team.id, editor.id, "viewer");
    const before = await snapshot(db);

    expect(await updateCommitment(db, editor, c.id, makeCommitmentInput(team.id, { metricTarget: 250 }), 1, null, BEFORE)).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "FORBIDDEN" }),
    });
    expect(await snapshot(db)).toEqual(before);
  });

  it("an unknown commitment is NOT_FOUND for every action", async () => {
    const { db } = await testDatabase();
    const { team, admin } = await world(db);

    expect(await updateCommitment(db, admin, UNKNOWN_ID, makeCommitmentInput(team.id), 1, null, BEFORE)).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "NOT_FOUND" }),
    });
    expect(await addCheckIn(db, admin, UNKNOWN_ID, { date: "2026-05-01", forecast: "on_track", probability: 90, progressValue: null, note: null }, BEFORE)).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "NOT_FOUND" }),
    });
    expect(await recordOutcome(db, admin, UNKNOWN_ID, missed, 1, null, DURING)).toEqual({ ok: false, error: expect.objectContaining({ code: "NOT_FOUND" }) });
    expect(await carryForward(db, admin, UNKNOWN_ID, { periodLabel: "FY2026-Q4", dueDate: "2026-12-15", statement: "x" }, 1, DURING)).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "NOT_FOUND" }),
    });
  });
});

// ---- minimum score -----------------------------------------------------------------------

describe("minimum score for public commitments", () => {
  const vague: Partial<CommitmentInput> = {
    statement: "Improve performance",
    measureKind: "deliverable",
    metricName: null,
    metricBaseline: null,
    metricComparator: null,
    metricTarget: null,
    metricUnit: null,
    deliverableEvent: "better",
  };

  async function strictWorld(db: Database) {
    const w = await world(db);
    await db.update(organisation).set({ minPublicScore: 90 });
    return w;
  }

  it("refuses a vague public commitment and saves the same one as internal", async () => {
    const { db } = await testDatabase();
    const { team, editor } = await strictWorld(db);

    const refused = await createCommitment(db, editor, makeCommitmentInput(team.id, vague), BEFORE);
    expect(refused).toEqual({ ok: false, error: expect.objectContaining({ code: "COMMITMENT.BELOW_MINIMUM", field: "statement" }) });
    expect(refused.ok ? "" : refused.error.message).toMatch(/at least 90/);
    expect((await snapshot(db)).commitments).toHaveLength(0);

    const internal = await createCommitment(db, editor, makeCommitmentInput(team.id, { ...vague, audience: "internal" }), BEFORE);
    expect(internal).toEqual({ ok: true, value: expect.objectContaining({ audience: "internal", statement: "Improve performance" }) });
    expect(internal.ok && internal.value.lintScore).toBeLessThan(90);
  });

  it("accepts a sharp public commitment with an owner at the minimum", async () => {
    const { db } = await testDatabase();
    const { team, editor } = await strictWorld(db);

    const result = await createCommitment(db, editor, makeCommitmentInput(team.id, { ownerId: editor.id }), BEFORE);

    expect(result).toEqual({ ok: true, value: expect.objectContaining({ lintScore: 100, audience: "public" }) });
  });

  it("refuses to make a vague internal commitment public", async () => {
    const { db } = await testDatabase();
    const { team, editor } = await strictWorld(db);
    const c = await makeCommitment(db, editor, team.id, { ...vague, audience: "internal" }, BEFORE);
    const before = await snapshot(db);

    const result = await updateCommitment(db, editor, c.id, makeCommitmentInput(team.id, { ...vague, audience: "public" }), 1, null, BEFORE);

    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: "COMMITMENT.BELOW_MINIMUM" }) });
    expect(await snapshot(db)).toEqual(before);
  });
});

// ---- validation --------------------------------------------------------------------------

describe("validation", () => {
  it.each(["admin", "team editor"] as const)("an unknown team is a VALIDATION error on teamId (%s)", async (who) => {
    const { db } = await testDatabase();
    const { admin, editor } = await world(db);

    const result = await createCommitment(db, who === "admin" ? admin : editor, makeCommitmentInput(UNKNOWN_ID), BEFORE);

    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: "VALIDATION", field: "teamId" }) });
    expect((await snapshot(db)).commitments).toHaveLength(0);
  });

  it("a deactivated or unknown owner is a VALIDATION error on ownerId", async () => {
    const { db } = await testDatabase();
    const { team, editor } = await world(db);
    const gone = await makeUser(db, { active: false });
    const c = await makeCommitment(db, editor, team.id, {}, BEFORE);
    const before = await snapshot(db);

    for (const ownerId of [gone.id, UNKNOWN_ID]) {
      expect(await createCommitment(db, editor, makeCommitmentInput(team.id, { ownerId }), BEFORE)).toEqual({
        ok: false,
        error: expect.objectContaining({ code: "VALIDATION", field: "ownerId" }),
      });
      expect(await updateCommitment(db, editor, c.id, makeCommitmentInput(team.id, { ownerId }), 1, null, BEFORE)).toEqual({
        ok: false,
        error: expect.objectContaining({ code: "VALIDATION", field: "ownerId" }),
      });
    }
    expect(await snapshot(db)).toEqual(before);
  });

  it("an impossible period is a VALIDATION error on periodLabel", async () => {
    const { db } = await testDatabase();
    const { team, editor } = await world(db);

    expect(await createCommitment(db, editor, makeCommitmentInput(team.id, { periodLabel: "FY2026-Q5" }), BEFORE)).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "VALIDATION", field: "periodLabel" }),
    });
  });

  describe("the form schema", () => {
    const form = (overrides: Record<string, string | undefined> = {}) => ({
      statement: "  Move checkout for every EU customer to the Frankfurt region by the end of the quarter ",
      measureKind: "metric",
      metricName: "p95 checkout latency",
      metricBaseline: "900",
      metricComparator: "lte",
      metricTarget: "300",
      metricUnit: "ms",
      deliverableEvent: "ignored for a metric",
      evidenceSource: "Grafana SLO dashboard",
      dueDate: "2026-09-15",
      periodLabel: "fy2026-q3",
      teamId: UNKNOWN_ID,
      ownerId: "",
      audience: "public",
      tags: "Reliability, reliability ,  Cost",
      ...overrides,
    });

    function fieldErrors(input: Record<string, unknown>): Record<string, string[]> {
      const result = CommitmentFormSchema.safeParse(input);
      if (result.success) return {};
      const errors: Record<string, string[]> = {};
      for (const issue of result.error.issues) {
        const key = String(issue.path[0] ?? "");
        (errors[key] ??= []).push(issue.message);
      }
      return errors;
    }

    it("turns a valid form into a commitment input", () => {
      const result = CommitmentFormSchema.safeParse(form());
      expect(result.success).toBe(true);
      expect(result.data).toEqual({
        ...makeCommitmentInput(UNKNOWN_ID),
        tags: ["Reliability", "Cost"],
      });
    });

    it("rejects a target that is not a number, with a message on metricTarget", () => {
      const errors = fieldErrors(form({ metricTarget: "three hundred" }));
      expect(errors.metricTarget).toContain("The target must be a number, like 300 or 99.95.");
      expect(errors.metricBaseline).toBeUndefined();
    });

    it("rejects a due date that does not exist, with a message on dueDate", () => {
      const errors = fieldErrors(form({ dueDate: "2025-02-30" }));
      expect(Object.keys(errors)).toEqual(["dueDate"]);
      expect(errors.dueDate).toEqual([expect.stringMatching(/real date/)]);
    });

    it.each(["FY2026-Q5", "2026-Q3", "FY26-Q3", "FY2026-H3", ""])("rejects the period label %j, with a message on periodLabel", (periodLabel) => {
      const errors = fieldErrors(form({ periodLabel }));
      expect(Object.keys(errors)).toEqual(["periodLabel"]);
      expect(errors.periodLabel).toEqual([expect.any(String)]);
    });

    it("rejects a metric without a target, with a message on metricTarget", () => {
      for (const metricTarget of ["", "  ", undefined]) {
        const errors = fieldErrors(form({ metricTarget }));
        expect(Object.keys(errors)).toEqual(["metricTarget"]);
        expect(errors.metricTarget).toEqual(["A metric needs a target number."]);
      }
    });

    it("rejects a deliverable without its observable event", () => {
      const errors = fieldErrors(form({ measureKind: "deliverable", deliverableEvent: "" }));
      expect(Object.keys(errors)).toEqual(["deliverableEvent"]);
    });
  });
});

// ---- lists -------------------------------------------------------------------------------

describe("listing commitments", () => {
  /**
   * platform → checkout → payments-api, plus growth beside them. Six commitments across
   * teams, periods, audiences, owners, tags and statuses.
   */
  async function catalogue(db: Database) {
    const { admin } = await world(db);
    const make = (slug: string, parentId: string | null) => makeTeam(db, { slug, name: slug, parentId });
    const platform = await make("platform", null);
    const checkout = await make("checkout-web", platform.id);
    const paymentsApi = await make("payments-api", checkout.id);
    const growth = await make("growth", null);
    const olu = await makeUser(db, { name: "Olu" });
    const c = (teamId: string, overrides: Partial<CommitmentInput>) => makeCommitment(db, admin, teamId, overrides, BEFORE);

    const rows = {
      platformLatency: await c(platform.id, { ownerId: olu.id }),
      checkoutInvoicing: await c(checkout.id, {
        statement: "Publish the invoicing API in eu-west-1 by 15 September",
        measureKind: "deliverable",
        metricName: null,
        metricBaseline: null,
        metricComparator: null,
        metricTarget: null,
        metricUnit: null,
        deliverableEvent: "generally available in eu-west-1",
        tags: ["Billing"],
        audience: "internal",
      }),
      paymentsErrors: await c(paymentsApi.id, {
        statement: "Keep payment error rate at or below 0.1% for every EU customer",
        metricName: "payment error rate",
        metricBaseline: 0.4,
        metricTarget: 0.1,
        metricUnit: "%",
        tags: ["Reliability", "Security"],
        ownerId: olu.id,
      }),
      paymentsNextQuarter: await c(paymentsApi.id, { periodLabel: "FY2026-Q4", dueDate: "2026-11-30", tags: ["Cost"] }),
      growthSignup: await c(growth.id, { statement: "Cut signup p95 to 400 ms for every EU visitor", metricTarget: 400, tags: ["Reliability"] }),
      growthInternal: await c(growth.id, { audience: "internal", tags: [] }),
    };
    mustOk(await recordOutcome(db, admin, rows.paymentsErrors.id, missed, 1, null, DURING));
    return { admin, platform, checkout, paymentsApi, growth, olu, rows };
  }

  const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id).sort();

  it("filters by team subtree, period, audience, status, tag, owner and text", async () => {
    const { db } = await testDatabase();
    const { platform, checkout, growth, olu, rows } = await catalogue(db);
    const list = (filters: Parameters<typeof listCommitments>[1]) => listCommitments(db, filters, "due", 100);

    expect(await list({})).toHaveLength(6);
    expect(ids(await list({ teamIds: await subtreeIds(db, platform.id) }))).toEqual(
      ids([rows.platformLatency, rows.checkoutInvoicing, rows.paymentsErrors, rows.paymentsNextQuarter]),
    );
    expect(ids(await list({ teamIds: await subtreeIds(db, checkout.id) }))).toEqual(
      ids([rows.checkoutInvoicing, rows.paymentsErrors, rows.paymentsNextQuarter]),
    );
    expect(ids(await list({ teamIds: [growth.id] }))).toEqual(ids([rows.growthSignup, rows.growthInternal]));
    expect(await list({ teamIds: [] })).toEqual([]);

    expect(ids(await list({ periodLabel: "FY2026-Q4" }))).toEqual(ids([rows.paymentsNextQuarter]));
    expect(ids(await list({ audience: "internal" }))).toEqual(ids([rows.checkoutInvoicing, rows.growthInternal]));
    expect(ids(await list({ status: "missed" }))).toEqual(ids([rows.paymentsErrors]));
    expect(await list({ status: "missed" })).toEqual([expect.objectContaining({ status: "missed", teamSlug: "payments-api", ownerName: "Olu" })]);
    expect(await list({ status: "open" })).toHaveLength(5);
    expect(ids(await list({ tag: "Reliability" }))).toEqual(ids([rows.platformLatency, rows.paymentsErrors, rows.growthSignup]));
    expect(ids(await list({ tag: "Security" }))).toEqual(ids([rows.paymentsErrors]));
    expect(ids(await list({ ownerId: olu.id }))).toEqual(ids([rows.platformLatency, rows.paymentsErrors]));
    // The owner search: part of a name or email, any case, in the same statement.
    expect(ids(await list({ ownerSearch: "OLU" }))).toEqual(ids([rows.platformLatency, rows.paymentsErrors]));
    expect(await list({ ownerSearch: "_" })).toEqual([]);
    // The count stops one past its bound: "more than N" without counting every match.
    expect(await countCommitments(db, {})).toBe(6);
    expect(await countCommitments(db, {}, 3)).toBe(4);
    expect(await countCommitments(db, { status: "open" }, 10)).toBe(5);
    expect(await countCommitments(db, { ownerSearch: "olu" }, 0)).toBe(1);

    expect(ids(await list({ q: "invoicing" }))).toEqual(ids([rows.checkoutInvoicing]));
    expect(ids(await list({ q: "INVOICING" }))).toEqual(ids([rows.checkoutInvoicing]));
    expect(ids(await list({ q: "signup" }))).toEqual(ids([rows.growthSignup]));
    expect(ids(await list({ q: "0.1%" }))).toEqual(ids([rows.paymentsErrors]));
    expect(await list({ q: "kubernetes" })).toEqual([]);

    // Filters combine.
    expect(ids(await list({ teamIds: await subtreeIds(db, platform.id), tag: "Reliability", status: "open" }))).toEqual(ids([rows.platformLatency]));
    expect(ids(await list({ fiscalYear: 2026, audience: "public", ownerId: olu.id, periodLabel: "FY2026-Q3" }))).toEqual(
      ids([rows.platformLatency, rows.paymentsErrors]),
    );
  });

  // By outcome lists only resolved commitments: list-filters.test.ts pages through it.
  it.each(SORTS.filter((s) => s !== "outcome_desc"))("pages through 25 commitments 10 at a time, sorted by %s, visiting each exactly once in order", async (sort: Sort) => {
    const { db } = await testDatabase();
    const { team, admin } = await world(db);
    // Repeated due dates, commit times and scores, so ties must be broken by id.
    const created: Commitment[] = [];
    for (let i = 0; i < 25; i++) {
      const dueDate = `2026-09-${String(1 + (i % 7)).padStart(2, "0")}`;
      const committedAt = new Date(BEFORE.getTime() + (i % 4) * 60_000);
      const ownerId = i % 3 === 0 ? admin.id : null; // lint score 100 with an owner, 90 without
      created.push(await makeCommitment(db, admin, team.id, { dueDate, ownerId }, committedAt));
    }

    const key = (c: Commitment) =>
      sort === "committed_desc" ? c.committedAt.toISOString() : sort === "score" ? String(c.lintScore).padStart(3, "0") : c.dueDate;
    const descending = sort === "due_desc" || sort === "committed_desc";
    const expected = [...created]
      .sort((a, b) => {
        const k = key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
        return descending ? -k : k;
      })
      .map((c) => c.id);

    const visited: string[] = [];
    const pageSizes: number[] = [];
    let after: ListCursor | undefined;
    for (let guard = 0; guard < 10; guard++) {
      const page = await listCommitments(db, {}, sort, 10, after);
      pageSizes.push(page.length);
      if (page.length === 0) break;
      visited.push(...page.map((r) => r.id));
      const last = page[page.length - 1]!;
      after = { key: cursorKeyOf(last, sort), id: last.id };
    }

    expect(pageSizes).toEqual([10, 10, 5, 0]);
    expect(new Set(visited).size).toBe(25);
    expect(visited).toEqual(expected);
  });

  it("paginates within a filter", async () => {
    const { db } = await testDatabase();
    const { team, admin } = await world(db);
    const other = await makeTeam(db, { slug: "growth" });
    const mine: string[] = [];
    for (let i = 0; i < 7; i++) {
      mine.push((await makeCommitment(db, admin, team.id, { dueDate: `2026-09-0${1 + (i % 3)}` }, BEFORE)).id);
      await makeCommitment(db, admin, other.id, { dueDate: `2026-09-0${1 + (i % 3)}` }, BEFORE);
    }

    const first = await listCommitments(db, { teamIds: [team.id] }, "due", 4);
    const last = first[first.length - 1]!;
    const second = await listCommitments(db, { teamIds: [team.id] }, "due", 4, { key: cursorKeyOf(last, "due"), id: last.id });

    expect(first).toHaveLength(4);
    expect(second).toHaveLength(3);
    expect([...first, ...second].map((r) => r.id).sort()).toEqual([...mine].sort());
  });
});
