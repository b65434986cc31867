// prepareRevisions hashes its rows onto the head given, each onto the one before it. Rows that
// say the same but for their commitment and version share one serialisation (contentTextOfRun);
// where a run ends, the next row starts its own: every entry is still nextEntry of its content.
import { createHash } from "node:crypto";
import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { nextEntry } from "~/domain/record-log";
import { logContentOf, prepareRevisions, type NewRevision } from "./record-log.server";

const dialect = new PgDialect();
const sha = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const at = new Date("2026-11-30T12:00:00.000Z");
const changes = [{ field: "lockedByLetter", from: null, to: "/letters/2025" }];

/** A run of lock revisions sharing one `changes`, broken by rows that differ in each other field. */
function rows(n: number): NewRevision[] {
  return Array.from({ length: n }, (_, i) => ({
    commitmentId: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    version: 1 + (i % 3),
    kind: i === 5 ? ("edit" as const) : ("lock" as const),
    actorId: i === 6 ? null : "10000000-0000-4000-8000-000000000001",
    at: i === 7 ? new Date(at.getTime() + 1) : at,
    // An equal `changes` that is another array still starts a run of its own.
    changes: i === 3 ? [{ field: "lockedByLetter", from: null, to: "/letters/2024" }] : i === 4 ? [{ ...changes[0]! }] : changes,
    reason: i === 8 ? null : "Appeared in a published letter.",
  }));
}

function statementParams(n: number, head: { seq: number; hash: string }) {
  const { params } = dialect.sqlToQuery(prepareRevisions(head, rows(n)).statement);
  const list = (i: number) => String(params[i]).slice(1, -1).split(",").map((s) => JSON.parse(s) as string | number);
  return { seqs: list(3).map(Number), prev: list(4), content: list(5), hashes: list(6) };
}

describe("prepareRevisions", () => {
  it.each([1, 2, 12, 300])("hashes each of %i rows as nextEntry of its content, onto the one before it", (n) => {
    const head = { seq: 41, hash: "b".repeat(64) };
    const { seqs, prev, content, hashes } = statementParams(n, head);
    let last: { seq: number; hash: string } = head;
    rows(n).forEach((row, i) => {
      const entry = nextEntry(sha, last, logContentOf(row));
      expect([seqs[i], prev[i], content[i], hashes[i]]).toEqual([entry.seq, entry.prevHash, entry.contentHash, entry.hash]);
      last = entry;
    });
    expect(seqs.at(-1)).toBe(41 + n);
  });
});
