// The record check beside the server's requests (ADR 0046): it never works through more than a
// slice of rows without handing the thread to its pace, and several processes on one database
// take turns rather than checking all at once. Runs on PGlite and, with TEST_DATABASE_URL, on
// PostgreSQL (the case with two processes needs two sessions: PostgreSQL only).
import pino from "pino";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { connect, type Database } from "../../db/client";
import { seedScale } from "../../db/seed-scale";
import { rowsOf } from "~/models/rows.server";
import { generateLetterDraft, publishLetter } from "~/services/letters.server";
import { checkRecordIntegrity, RECORD_CHECK_LOCK_ID, RecordIntegrityMonitor } from "~/services/record-log.server";
import { PACE_SLICE_ROWS, type Pace } from "~/utils/duty-cycle.server";
import { resetDatabase, runtimeDatabaseUrl, superuserDatabase, testDatabase } from "../setup/db";

const NOW = new Date("2026-11-29T10:00:00.000Z");
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
/** FY2025 holds 200: its letter is summarised and states a ledger file of ~133 public entries. */
const SCALE = { teams: 6, people: 12, commitments: 800 };

async function one<T>(db: Database, query: ReturnType<typeof sql>): Promise<T> {
  const [row] = rowsOf<T>(await db.execute(query));
  return row!;
}

/** The seed, with FY2025's public letter published on it (a frozen ledger the check hashes and compares). */
async function seededWithLetter(): Promise<Database> {
  const app = await testDatabase();
  await resetDatabase(app);
  await seedScale((await superuserDatabase()).db, SCALE);
  const { id } = await one<{ id: string }>(app.db, sql`select id from users where email = 'scale1@example.com'`);
  const actor = { id, role: "admin" as const };
  const draft = await generateLetterDraft(app.db, actor, { fiscalYear: 2025, audience: "public" }, NOW);
  if (!draft.ok) throw new Error(draft.error.message);
  const published = await publishLetter(app.db, actor, draft.value.id, draft.value.version, NOW);
  if (!published.ok) throw new Error(published.error.message);
  return app.db;
}

/** A pace that records every slice it is handed and never pauses. */
function recordingPace() {
  const slices: number[] = [];
  const pace: Pace = { step: (rows) => void slices.push(rows) };
  return { pace, slices };
}

describe("the record check's pace", { timeout: 300_000 }, () => {
  it("hands the thread over after every slice of at most PACE_SLICE_ROWS rows: log entries, commitments and each pass over a letter's ledger", async () => {
    const db = await seededWithLetter();
    const sizes = await one<{ commitments: number; ledger: number }>(
      db,
      sql`select (select count(*)::int from commitments) as commitments, (select count(*)::int from letter_ledger_entries) as ledger`,
    );
    const unpaced = await checkRecordIntegrity(db, NOW);
    expect(unpaced.problem).toBeNull();
    // Pages of 2,000 (the default): without slicing, each page would be one stretch of work.
    expect(unpaced.entries).toBeGreaterThan(2 * PACE_SLICE_ROWS);
    const { pace, slices } = recordingPace();
    const report = await checkRecordIntegrity(db, NOW, undefined, pace);
    expect(report).toEqual(unpaced);
    expect(Math.max(...slices)).toBeLessThanOrEqual(PACE_SLICE_ROWS);
    // Every row the check works through is counted in some slice: the chain's entries, every
    // commitment replayed, and the frozen ledger twice (hashed as the file it states, then
    // compared with the record at the letter's checkpoint).
    expect(slices.reduce((a, b) => a + b, 0)).toBe(report.entries + sizes.commitments + 2 * sizes.ledger);
  });

  it("the monitor checks with the pace it is given, a new one per check", async () => {
    const db = await seededWithLetter();
    const paces: Array<ReturnType<typeof recordingPace>> = [];
    const monitor = new RecordIntegrityMonitor(db, pino({ level: "silent" }), () => NOW, {
      pace: () => {
        const made = recordingPace();
        paces.push(made);
        return made.pace;
      },
    });
    expect((await monitor.check()).state).toBe("intact");
    expect((await monitor.check()).state).toBe("intact");
    expect(paces).toHaveLength(2);
    for (const { slices } of paces) {
      expect(slices.length).toBeGreaterThan(0);
      expect(Math.max(...slices)).toBeLessThanOrEqual(PACE_SLICE_ROWS);
    }
  });

  it.skipIf(!onPostgres)("two processes on one database take turns: the second waits for the first's check to end, says 'checking' meanwhile, then checks for itself", async () => {
    const db = await seededWithLetter();
    const logger = pino({ level: "silent" });
    const first = await testDatabase();
    const second = await connect({ databaseUrl: runtimeDatabaseUrl()!, dataDir: "", poolMax: 2 });
    try {
      // The first process's check stops at its first slice until released.
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let firstPaused!: () => void;
      const firstReachedSlice = new Promise<void>((resolve) => (firstPaused = resolve));
      let firstSlices = 0;
      const a = new RecordIntegrityMonitor(db, logger, () => NOW, {
        turn: (fn) => first.tryWithAdvisoryLock(RECORD_CHECK_LOCK_ID, fn),
        pace: () => ({
          step: async () => {
            if (firstSlices++ === 0) {
              firstPaused();
              await released;
            }
          },
        }),
      });
      let turnsAsked = 0;
      let askedWhileFirstHeld!: () => void;
      const secondAskedTwice = new Promise<void>((resolve) => (askedWhileFirstHeld = resolve));
      let secondSlices = 0;
      const b = new RecordIntegrityMonitor(second.db, logger, () => NOW, {
        turn: (fn) => {
          if (++turnsAsked === 2) askedWhileFirstHeld();
          return second.tryWithAdvisoryLock(RECORD_CHECK_LOCK_ID, fn);
        },
        pace: () => ({ step: () => void secondSlices++ }),
        retryMs: 10,
      });

      const aDone = a.check();
      await firstReachedSlice;
      const bDone = b.check();
      await secondAskedTwice;
      // The first holds the lock: the second has read nothing, and vouches for nothing yet.
      expect(secondSlices).toBe(0);
      expect(b.status().state).toBe("checking");
      expect(b.publicStatus()).toEqual({ broken: false, checking: true, seq: null, since: null });

      release();
      expect((await aDone).state).toBe("intact");
      expect((await bDone).state).toBe("intact");
      expect(secondSlices).toBeGreaterThan(0);
      expect(turnsAsked).toBeGreaterThanOrEqual(3);
    } finally {
      await second.close();
    }
  });

  it("on the embedded database (one process) and on PostgreSQL when nobody else checks, a turn is granted at once", async () => {
    const handle = await testDatabase();
    const turn = await handle.tryWithAdvisoryLock(RECORD_CHECK_LOCK_ID, async (db) => one<{ n: number }>(db, sql`select 1 as n`));
    expect(turn).toEqual({ locked: true, value: { n: 1 } });
  });
});
