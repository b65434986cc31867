// The list filtered by a tag reads commitment_tags (ADR 0026), which triggers on commitments
// keep: every sort and every keyset page must show exactly the commitments carrying the tag, in
// the commitments' own order, and follow edits to the tags and to the sort keys.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { countCommitments, cursorKeyOf, listCommitments, SORTS, type ListCursor, type Sort } from "~/models/commitment.server";
import { rowsOf } from "~/models/rows.server";
import { updateCommitment } from "~/services/commitments.server";
import type { Database } from "../../db/client";
import { makeCommitment, makeCommitmentInput } from "../factories";
import { testDatabase } from "../setup/db";
import { world } from "../support/world";

type Row = Awaited<ReturnType<typeof listCommitments>>[number];

/** Every page of a sort, two rows at a time, following the cursor as the page does. */
async function walk(db: Database, filters: Parameters<typeof listCommitments>[1], sort: Sort): Promise<Row[]> {
  const seen: Row[] = [];
  let after: ListCursor | undefined;
  for (;;) {
    const rows = await listCommitments(db, filters, sort, 3, after);
    seen.push(...rows.slice(0, 2));
    if (rows.length <= 2) return seen;
    const last = rows[1]!;
    after = { key: cursorKeyOf(last, sort), id: last.id };
  }
}

/** What a tag filter must give: the unfiltered order, keeping the rows whose commitment carries the tag. */
async function expected(db: Database, tag: string, sort: Sort): Promise<string[]> {
  const tagged = new Set(rowsOf<{ id: string }>(await db.execute(sql`select id from commitments where ${tag} = any(tags)`)).map((r) => r.id));
  return (await walk(db, {}, sort)).filter((r) => tagged.has(r.id)).map((r) => r.id);
}

describe("the list filtered by a tag", () => {
  it("pages through exactly the tagged commitments in every sort, and follows edits", async () => {
    const { db } = await testDatabase();
    const { actors, teams } = await world(db, {
      organisation: { fiscalYearStartMonth: 1, timeZone: "UTC" },
      teams: { team: { slug: "platform", name: "Platform" } },
      people: { admin: { role: "admin" } },
    });
    const admin = actors.admin;
    const team = teams.team;
    const tagsByRow = [["Security"], ["Cost"], ["Security", "Cost"], ["Security"], [], ["Reliability", "Security"], ["Security"]];
    const made = [];
    for (const [i, tags] of tagsByRow.entries()) {
      const due = `2026-${String(7 + (i % 3)).padStart(2, "0")}-${String(10 + i).padStart(2, "0")}`;
      made.push(await makeCommitment(db, admin, team.id, { tags, dueDate: due, periodLabel: "FY2026-Q3" }, new Date(Date.UTC(2026, 5, 1, 9, i))));
    }

    // Newest outcome first lists only commitments with an outcome (none here); list-filters.test.ts pages it.
    for (const sort of SORTS.filter((s) => s !== "outcome_desc")) {
      const ids = (await walk(db, { tag: "Security" }, sort)).map((r) => r.id);
      expect(ids, sort).toEqual(await expected(db, "Security", sort));
      expect(ids, sort).toHaveLength(5);
    }
    expect(await countCommitments(db, { tag: "Security" })).toBe(5);
    expect(await countCommitments(db, { tag: "Security" }, 2)).toBe(3);
    expect(await countCommitments(db, { tag: "Security", status: "missed" })).toBe(0);
    expect(await listCommitments(db, { tag: "Nowhere" }, "due", 10)).toEqual([]);

    // An edit that drops the tag and one that moves a tagged commitment's due date.
    const now = new Date("2026-06-02T09:00:00.000Z");
    const dropped = await updateCommitment(db, admin, made[0]!.id, makeCommitmentInput(team.id, { tags: ["Cost"], dueDate: "2026-07-10", periodLabel: "FY2026-Q3" }), made[0]!.version, null, now);
    expect(dropped.ok).toBe(true);
    const moved = await updateCommitment(db, admin, made[6]!.id, makeCommitmentInput(team.id, { tags: ["Security"], dueDate: "2026-07-01", periodLabel: "FY2026-Q3" }), made[6]!.version, null, now);
    expect(moved.ok).toBe(true);
    // Newest outcome first lists only commitments with an outcome (none here); list-filters.test.ts pages it.
    for (const sort of SORTS.filter((s) => s !== "outcome_desc")) {
      const ids = (await walk(db, { tag: "Security" }, sort)).map((r) => r.id);
      expect(ids, sort).toEqual(await expected(db, "Security", sort));
    }
    expect((await walk(db, { tag: "Security" }, "due")).map((r) => r.id)[0]).toBe(made[6]!.id);
    expect((await walk(db, { tag: "Cost" }, "due")).map((r) => r.id)).toEqual(await expected(db, "Cost", "due"));

    // The index rows agree with the commitments they copy.
    const stale = rowsOf<{ n: number }>(
      await db.execute(sql`
        select count(*)::int as n from (
          (select c.id, t.tag, c.due_date, c.committed_at, c.lint_score from commitments c, unnest(c.tags) as t(tag)
           except select commitment_id, tag, due_date, committed_at, lint_score from commitment_tags)
          union all
          (select commitment_id, tag, due_date, committed_at, lint_score from commitment_tags
           except select c.id, t.tag, c.due_date, c.committed_at, c.lint_score from commitments c, unnest(c.tags) as t(tag))
        ) d`),
    );
    expect(stale[0]!.n).toBe(0);
  });
});
