// The tag picker reads tag_counts, which triggers on commitments keep (ADR 0016): a tag
// appears when a commitment carries it and disappears when the last one drops it.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { listTags } from "~/models/commitment.server";
import { updateCommitment } from "~/services/commitments.server";
import { makeCommitment, makeCommitmentInput } from "../factories";
import { testDatabase } from "../setup/db";
import { world } from "../support/world";

describe("tags in use", () => {
  it("follow commitments as they are written and edited", async () => {
    const { db } = await testDatabase();
    const w = await world(db, { teams: { team: {} }, people: { admin: { role: "admin" } } });
    const actor = w.actors.admin;
    const team = w.teams.team;
    const first = await makeCommitment(db, actor, team.id, { tags: ["Reliability", "Cost"], dueDate: "2026-12-15", periodLabel: "FY2026-Q4" });
    await makeCommitment(db, actor, team.id, { tags: ["Cost"], dueDate: "2026-12-15", periodLabel: "FY2026-Q4" });
    expect(await listTags(db)).toEqual(["Cost", "Reliability"]);

    const now = new Date("2026-06-02T09:00:00.000Z");
    const edited = await updateCommitment(
      db,
      actor,
      first.id,
      makeCommitmentInput(team.id, { tags: ["Security"], dueDate: "2026-12-15", periodLabel: "FY2026-Q4" }),
      first.version,
      null,
      now,
    );
    expect(edited.ok).toBe(true);
    expect(await listTags(db)).toEqual(["Cost", "Security"]);
  });

  // listTags is built once per database handle (ADR 0061): each call still applies its own
  // limit, and a transaction reads through its own connection, seeing its own changes.
  it("answer with each call's limit, and inside a transaction with what it has written", async () => {
    const { db } = await testDatabase();
    const w = await world(db, { teams: { team: {} }, people: { admin: { role: "admin" } } });
    const first = await makeCommitment(db, w.actors.admin, w.teams.team.id, { tags: ["Reliability", "Cost"], dueDate: "2026-12-15", periodLabel: "FY2026-Q4" });
    expect(await listTags(db)).toEqual(["Cost", "Reliability"]);
    expect(await listTags(db, 1)).toEqual(["Cost"]);
    const rolledBack = new Error("roll back");
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(sql`update commitments set tags = array['Zeta'] where id = ${first.id}`);
        expect(await listTags(tx)).toEqual(["Zeta"]);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect(await listTags(db)).toEqual(["Cost", "Reliability"]);
  });
});
