// prepareRevisionsPaced hashes in slices with turns of the event loop between them (ADR 0056);
// the statement it makes must be prepareRevisions', byte for byte, across slice boundaries.
import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { PACE_SLICE_ROWS } from "~/utils/duty-cycle.server";
import { prepareRevisions, prepareRevisionsPaced, type NewRevision } from "./record-log.server";

const dialect = new PgDialect();
const at = new Date("2026-11-30T12:00:00.000Z");
const changes = [{ field: "lockedByLetter", from: null, to: "/letters/2025" }];

function rows(n: number): NewRevision[] {
  return Array.from({ length: n }, (_, i) => ({
    commitmentId: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    version: 1 + (i % 3),
    kind: "lock" as const,
    actorId: "10000000-0000-4000-8000-000000000001",
    at,
    // A run of rows sharing one `changes`, then one that differs, across a slice boundary.
    changes: i === PACE_SLICE_ROWS ? [{ field: "lockedByLetter", from: null, to: "/letters/2024" }] : changes,
    reason: "Appeared in a published letter.",
  }));
}

describe("prepareRevisionsPaced", () => {
  it.each([0, 1, PACE_SLICE_ROWS, PACE_SLICE_ROWS * 2 + 7])("makes prepareRevisions' statement for %i rows, with a turn of the event loop per step asked", async (n) => {
    const head = { seq: 41, hash: "a".repeat(64) };
    let steps = 0;
    const paced = await prepareRevisionsPaced(head, rows(n), { step: () => void steps++ });
    const whole = prepareRevisions(head, rows(n));
    expect(paced.count).toBe(n);
    expect(dialect.sqlToQuery(paced.statement)).toEqual(dialect.sqlToQuery(whole.statement));
    expect(steps).toBe(Math.ceil(n / PACE_SLICE_ROWS));
  });

  it("chains each row onto the one before it, from the head given", async () => {
    const head = { seq: 41, hash: "b".repeat(64) };
    const { params } = dialect.sqlToQuery((await prepareRevisionsPaced(head, rows(PACE_SLICE_ROWS + 2), { step: () => undefined })).statement);
    const seqs = String(params[3]).slice(1, -1).split(",").map((s) => Number(JSON.parse(s)));
    const prev = String(params[4]).slice(1, -1).split(",").map((s) => JSON.parse(s) as string);
    const hashes = String(params[6]).slice(1, -1).split(",").map((s) => JSON.parse(s) as string);
    expect(seqs[0]).toBe(42);
    expect(seqs.at(-1)).toBe(42 + PACE_SLICE_ROWS + 1);
    expect(prev[0]).toBe(head.hash);
    for (let i = 1; i < hashes.length; i++) expect(prev[i]).toBe(hashes[i - 1]);
  });
});
