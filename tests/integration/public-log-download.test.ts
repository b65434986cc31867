// The whole public log as a download (ADR 0038): the same bytes as the one document it was
// before it streamed, read a page at a time as the client takes it (statements grow with the
// log only by its pages, and nothing is read ahead of the client), ending at the head it states.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { LOG_FORMAT, verifyChain } from "~/domain/record-log";
import { rowsOf } from "~/models/rows.server";
import { readWholeLog, sha256Hex } from "~/models/record-log.server";
import { addCheckIn } from "~/services/commitments.server";
import { publicLogDownload, publicLogPage } from "~/services/record-log.server";
import { statementsDuring } from "../support/statements";
import { testDatabase } from "../setup/db";
import { sampleOrganisationWorld } from "../support/world";

const NOW = new Date("2026-11-27T10:00:00.000Z");

/** The document as the download built it in memory before it streamed: every entry, then the head. */
async function wholeDocument(db: Database): Promise<string> {
  const { rows } = await readWholeLog(db);
  const last = rows[rows.length - 1]!;
  const { entries } = (await publicLogPage(db, 0, rows.length + 1))!;
  return JSON.stringify({ format: LOG_FORMAT, head: { seq: last.seq, hash: last.hash, at: last.content.at }, entries, next: null });
}

async function download(db: Database, pageSize?: number): Promise<{ text: string; head: { seq: number } | null }> {
  const file = await publicLogDownload(db, pageSize);
  if (!file) throw new Error("the public site is off");
  return { text: await new Response(file.body).text(), head: file.head };
}

describe("the public log's download", { timeout: 120_000 }, () => {
  it("is the whole log document byte for byte, whatever the page size and wherever the pages end", async () => {
    const { db } = await testDatabase();
    await sampleOrganisationWorld(db, NOW);
    const expected = await wholeDocument(db);
    const entries = (JSON.parse(expected) as { entries: unknown[] }).entries.length;
    expect(entries).toBeGreaterThan(20);
    for (const pageSize of [1, 2, 7, entries - 1, entries, entries + 1, undefined]) {
      const { text, head } = await download(db, pageSize);
      expect(text, `page size ${pageSize}`).toBe(expected);
      expect(head?.seq).toBe(entries);
    }
    const doc = JSON.parse(expected) as { entries: Array<{ seq: number; prevHash: string; contentHash: string; hash: string; content?: never }> };
    expect(verifyChain(doc.entries.map((e) => ({ ...e, content: e.content ?? null })), sha256Hex).ok).toBe(true);
  });

  it("reads the log a page per statement, only as the client takes it", async () => {
    const { db } = await testDatabase();
    await sampleOrganisationWorld(db, NOW);
    const entries = (await readWholeLog(db)).rows.length;
    // Two statements before the first byte (is the site public; the head), then one per page.
    for (const pageSize of [5, 12, entries]) {
      const { statements } = await statementsDuring(db, () => download(db, pageSize));
      expect(statements, `page size ${pageSize}`).toHaveLength(2 + Math.ceil(entries / pageSize));
      // Every statement is bounded: none reads the log whole.
      expect(statements.filter((s) => !/\blimit\b/i.test(s))).toEqual([]);
    }
    // A client that has taken the opening and one page has caused one page's statement, not the log's.
    const { statements } = await statementsDuring(db, async () => {
      const file = (await publicLogDownload(db, 5))!;
      const reader = file.body.getReader();
      const opening = await reader.read();
      const firstPage = await reader.read();
      await reader.cancel();
      return { opening, firstPage };
    });
    expect(statements).toHaveLength(3);
  });

  it("ends at the head it states: entries appended while it streams are left for the next download", async () => {
    const { db } = await testDatabase();
    const adminId = await sampleOrganisationWorld(db, NOW);
    const before = await wholeDocument(db);
    const file = (await publicLogDownload(db, 4))!;
    const reader = file.body.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const first = await reader.read();
    text += decoder.decode(first.value);
    const [open] = rowsOf<{ id: string }>(await db.execute(sql`select id from commitments where status = 'open' order by id limit 1`));
    const added = await addCheckIn(db, { id: adminId, role: "admin" }, open!.id, { date: "2026-11-26", forecast: "at_risk", probability: 40, progressValue: null, note: "appended mid-download" }, NOW);
    expect(added.ok).toBe(true);
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += decoder.decode(chunk.value);
    expect(text).toBe(before);
    expect((await readWholeLog(db)).rows.length).toBe(file.head!.seq + 1);
    expect(await download(db)).toMatchObject({ text: await wholeDocument(db), head: { seq: file.head!.seq + 1 } });
  });
});
