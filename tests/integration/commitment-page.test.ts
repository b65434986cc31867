// The commitment page as people read it: history in sentences (labels, names, dates in the
// organisation's zone, no codes or raw Markdown), a page of history at a time, the outcome
// form offered only near the due date, and an early miss not called "on time".
import { describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { lockCommitmentsForLetter } from "~/models/letter.server";
import type { PublicUser } from "~/models/user.server";
import type { CommitmentInput } from "~/schemas/commitments";
import { HISTORY_PAGE_SIZE, loadCommitmentPage } from "~/pages/commitment-page.server";
import { addCheckIn, recordOutcome, updateCommitment } from "~/services/commitments.server";
import type { Actor } from "~/domain/result";
import { addMember, makeCommitment, makeCommitmentInput, makeOrganisation, makeTeam, makeUser } from "../factories";
import { testDatabase } from "../setup/db";

const actorOf = (user: PublicUser): Actor => ({ id: user.id, role: user.role });

// Fiscal year from January in Europe/Berlin: FY2026-Q3 is 2026-07-01..2026-09-30.
const BEFORE = new Date("2026-06-01T09:00:00.000Z");
const DURING = new Date("2026-08-10T22:30:00.000Z"); // 11 August 00:30 in Berlin (CEST)

async function world(db: Database) {
  await makeOrganisation(db, { fiscalYearStartMonth: 1, timeZone: "Europe/Berlin" });
  const team = await makeTeam(db, { slug: "checkout", name: "Checkout" });
  const admin = await makeUser(db, { role: "admin", name: "Ada Admin" });
  const editorUser = await makeUser(db, { role: "member", name: "Eve Editor" });
  const owner = await makeUser(db, { role: "member", name: "Olu Owner" });
  await addMember(db, team.id, editorUser.id, "editor");
  const editor = actorOf(editorUser);
  const input = (overrides: Partial<CommitmentInput> = {}) => makeCommitmentInput(team.id, overrides);
  return { team, admin: actorOf(admin), editor, owner, input };
}

function mustOk<T>(result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

describe("history as sentences", () => {
  it("writes every kind of change in words, with labels, names and the organisation's time zone", async () => {
    const { db } = await testDatabase();
    const { editor, admin, owner, input, team } = await world(db);
    const c = await makeCommitment(db, editor, team.id, {}, BEFORE);
    mustOk(await updateCommitment(db, editor, c.id, input({ ownerId: owner.id }), 1, null, BEFORE));
    await db.transaction((tx) => lockCommitmentsForLetter(tx, [c.id], "/letters/2025", admin.id, BEFORE));
    mustOk(await updateCommitment(db, editor, c.id, input({ ownerId: owner.id, dueDate: "2026-09-30", metricTarget: 350 }), 2, "The CDN contract slipped a month.", DURING));
    mustOk(await addCheckIn(db, editor, c.id, { date: "2026-08-11", forecast: "at_risk", probability: 55, progressValue: 420, note: "Two of five regions." }, DURING));
    mustOk(
      await recordOutcome(
        db,
        editor,
        c.id,
        {
          status: "missed",
          resolvedAt: "2026-08-11",
          actualValue: 450,
          evidenceUrl: null,
          partialDescription: null,
          reasonCategory: "underestimated_scope",
          control: "ours",
          explanation: "Only **53%** of requests were _served_ in time.",
          lesson: "Measure the provider first.",
        },
        3,
        null,
        DURING,
      ),
    );

    const page = await loadCommitmentPage(db, editor, c.id, DURING);
    const text = page!.history.entries.map((e) => [e.when, e.sentence, ...e.details, e.why ?? ""].join(" | ")).join("\n");

    expect(page!.history.entries.map((e) => e.sentence)).toEqual([
      "Eve Editor recorded the outcome: Missed, on 11 August 2026.",
      "Eve Editor checked in for 11 August 2026: at risk, 55% likely to be delivered, progress 420.",
      "Eve Editor re-scoped it, changing 2 things.",
      "It was locked when the FY2025 letter was published by Ada Admin: changing what it promises is now a re-scope.",
      "Eve Editor edited it: set the owner to Olu Owner.",
      "Eve Editor made the commitment.",
    ]);
    const rescope = page!.history.entries[2]!;
    expect(rescope.details).toEqual(["Changed the target from 300 to 350.", "Changed the due date from 15 September 2026 to 30 September 2026."]);
    expect(rescope.why).toBe("The CDN contract slipped a month.");
    expect(page!.history.entries[0]!.details).toEqual(
      expect.arrayContaining(["Primary reason: Underestimated scope.", "Control: In our control.", "Explanation: “Only 53% of requests were served in time.”"]),
    );
    // Times in Europe/Berlin, with the zone: 22:30 UTC on 10 August is 00:30 CEST on 11 August.
    expect(page!.history.entries[0]!.when).toBe("11 August 2026, 00:30 CEST");
    expect(page!.history.entries.at(-1)!.when).toBe("1 June 2026, 11:00 CEST");
    // No codes, field names, raw Markdown or paths.
    for (const code of ["lockedByLetter", "reasonCategory", "underestimated_scope", "**", "/letters/", "ownerId", owner.id, "—"]) {
      expect(text).not.toContain(code);
    }
  });

  it("shows the newest page of history and pages back with 'older'", async () => {
    const { db } = await testDatabase();
    const { editor, team } = await world(db);
    const c = await makeCommitment(db, editor, team.id, {}, BEFORE);
    const total = HISTORY_PAGE_SIZE + 5;
    for (let i = 1; i < total; i++) {
      mustOk(await addCheckIn(db, editor, c.id, { date: "2026-06-01", forecast: "on_track", probability: i, progressValue: null, note: "" }, BEFORE));
    }
    const first = await loadCommitmentPage(db, editor, c.id, BEFORE);
    expect(first!.history.entries).toHaveLength(HISTORY_PAGE_SIZE);
    expect(first!.history.entries[0]!.sentence).toContain(`${total - 1}% likely`);
    expect(first!.history.olderBefore).not.toBeNull();
    const older = await loadCommitmentPage(db, editor, c.id, BEFORE, { historyBefore: first!.history.olderBefore });
    expect(older!.history.entries).toHaveLength(5);
    expect(older!.history.entries.at(-1)!.sentence).toBe("Eve Editor made the commitment.");
    expect(older!.history.olderBefore).toBeNull();
    expect(older!.history.isFirstPage).toBe(false);
  });
});

describe("outcome on the commitment page", () => {
  it("offers the outcome form only near or past the due date", async () => {
    const { db } = await testDatabase();
    const { editor, team } = await world(db);
    const far = await makeCommitment(db, editor, team.id, { dueDate: "2026-09-15" }, BEFORE);
    expect((await loadCommitmentPage(db, editor, far.id, BEFORE))!.outcomeDueSoon).toBe(false);
    expect((await loadCommitmentPage(db, editor, far.id, new Date("2026-08-20T10:00:00Z")))!.outcomeDueSoon).toBe(true);
  });

  it("does not call a miss before the due date on time", async () => {
    const { db } = await testDatabase();
    const { editor, team } = await world(db);
    const c = await makeCommitment(db, editor, team.id, { dueDate: "2026-09-15" }, BEFORE);
    mustOk(
      await recordOutcome(
        db,
        editor,
        c.id,
        { status: "missed", resolvedAt: "2026-08-11", actualValue: null, evidenceUrl: null, partialDescription: null, reasonCategory: "dependency_blocker", control: "external", explanation: "The provider ended the contract.", lesson: "Have a second provider." },
        1,
        null,
        DURING,
      ),
    );
    const page = await loadCommitmentPage(db, editor, c.id, DURING);
    expect(page!.outcome!.timing).toBe("35 days before the due date");
    expect(page!.outcome!.late).toBe(false);
  });
});
