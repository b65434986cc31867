// The record's hash chain as a service: the public log (paged, and whole as a download), the
// checkpoint a letter is written from, the feed's monthly checkpoints, and the integrity
// check the app runs at start, on a schedule and on demand. It never repairs: a break is
// reported (log, metric, admin page, public ledger) until someone who holds the database
// restores it from a good copy.
import type { Logger } from "pino";
import type { DbOrTx, Transaction } from "../../db/client";
import {
  checkCheckpoint,
  compareWithReplay,
  ledgerAgainstRecord,
  LOG_FORMAT,
  monthlyCheckpoints,
  parseCheckpointSection,
  replayCommitment,
  ChainVerifier,
  type ChainResult,
  type Checkpoint,
  type LedgerDisagreement,
  type LogEntry,
} from "~/domain/record-log";
import {
  currentRecordPage,
  lockChain,
  logHead,
  logSkeleton,
  publicSiteEnabled,
  publishedLetterHashes,
  readLogPage,
  lastLogEntry,
  revisionsUpTo,
  sha256Hex,
  sha256Pieces,
  toLogEntry,
  unsealedRevisions,
  type StoredLogRow,
} from "~/models/record-log.server";
import { statsDisagreement, statsRowOf, type StatsRow } from "~/domain/commitment-stats";
import { LEDGER_FILE_CLOSING, ledgerAppendixRow, ledgerFileOpening, ledgerFileSection, statedLedgerFile, type LedgerEntry } from "~/domain/letter-publish";
import { frozenLedgerPage, frozenLedgerRowsComplete, frozenLedgerSize } from "~/models/letter.server";
import { pageOf } from "~/utils/cursor";
import { DutyCycle, PACE_SLICE_ROWS, yieldingPace, type Pace } from "~/utils/duty-cycle.server";

export const PUBLIC_LOG_PATH = "/api/v1/public/log";

export interface PublicLogEntry {
  seq: number;
  prevHash: string;
  contentHash: string;
  hash: string;
  visibility: "public" | "internal";
  content?: LogEntry["content"];
}

function publicEntry(r: StoredLogRow): PublicLogEntry {
  const entry = toLogEntry(r, r.public);
  return {
    seq: entry.seq,
    prevHash: entry.prevHash,
    contentHash: entry.contentHash,
    hash: entry.hash,
    visibility: r.public ? "public" : "internal",
    ...(entry.content ? { content: entry.content } : {}),
  };
}

function checkpointOf(head: { seq: number; hash: string; at: Date } | null): Checkpoint | null {
  return head ? { seq: head.seq, hash: head.hash, at: head.at.toISOString() } : null;
}

/** The chain's head now: what a letter published in this transaction is written from. */
export async function currentCheckpoint(db: DbOrTx): Promise<Checkpoint | null> {
  return checkpointOf(await logHead(db));
}

/**
 * The checkpoint a letter being published in this transaction is written from. Takes the
 * chain's lock, so no revision lands between the checkpoint and the letter's own lock rows.
 */
export async function checkpointForLetter(tx: Transaction, now: Date): Promise<Checkpoint | null> {
  await lockChain(tx);
  return letterCheckpoint(await logHead(tx), now);
}

/** The checkpoint a letter published at `now` states of a head read under the chain's lock. */
export function letterCheckpoint(head: { seq: number; hash: string } | null, now: Date): Checkpoint | null {
  return head ? { seq: head.seq, hash: head.hash, at: now.toISOString() } : null;
}

/** One page of the public log; null while the public site is off. */
export async function publicLogPage(db: DbOrTx, after: number, limit: number) {
  if (!(await publicSiteEnabled(db))) return null;
  // One more than asked tells whether there is a next page without counting.
  const [rows, head] = await Promise.all([readLogPage(db, after, limit + 1), logHead(db)]);
  const { items: page, last } = pageOf(rows, limit);
  return {
    format: LOG_FORMAT,
    head: checkpointOf(head),
    entries: page.map(publicEntry),
    next: last ? `${PUBLIC_LOG_PATH}?after=${last.seq}&limit=${limit}` : null,
  };
}

/** How many entries the whole log's download reads per statement. */
export const PUBLIC_LOG_DOWNLOAD_PAGE = 1_000;

/**
 * The whole public log as one JSON document, streamed: the same bytes as
 * `JSON.stringify({ format, head, entries, next: null })` of every entry, but read a page of
 * `pageSize` entries at a time as the client takes them, so neither the server's memory nor
 * any one statement grows with the log (ADR 0038). The head is read first and the pages stop
 * at it: entries appended while the file streams belong to the next download, and the file
 * always ends at the head it states. Null while the public site is off.
 */
export async function publicLogDownload(db: DbOrTx, pageSize: number = PUBLIC_LOG_DOWNLOAD_PAGE) {
  if (!(await publicSiteEnabled(db))) return null;
  const last = await lastLogEntry(db);
  const head = last ? { seq: last.seq, hash: last.hash, at: last.content.at } : null;
  const encoder = new TextEncoder();
  let after: number | null = null;
  let written = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (after === null) {
        after = 0;
        controller.enqueue(encoder.encode(`{"format":${JSON.stringify(LOG_FORMAT)},"head":${JSON.stringify(head)},"entries":[`));
        return;
      }
      const page = head && after < head.seq ? await readLogPage(db, after, pageSize, head.seq) : [];
      const lastOfPage = page[page.length - 1];
      if (!lastOfPage) {
        controller.enqueue(encoder.encode(`],"next":null}`));
        controller.close();
        return;
      }
      const separator = written ? "," : "";
      written = true;
      after = lastOfPage.seq;
      controller.enqueue(encoder.encode(separator + page.map((r) => JSON.stringify(publicEntry(r))).join(",")));
    },
  });
  return { head, body };
}

/** The feed's checkpoints: the last entry of every month that has entries. */
export async function feedCheckpoints(db: DbOrTx): Promise<Checkpoint[]> {
  const skeleton = await logSkeleton(db);
  return monthlyCheckpoints(skeleton.map((s) => ({ seq: s.seq, hash: s.hash, at: s.at.toISOString() })));
}

// ---- the integrity check ---------------------------------------------------------------------

export interface IntegrityProblem {
  code: string;
  /** The first entry of the chain that disagrees (for derived rows: the last revision that should explain them). */
  seq: number;
  message: string;
}

export interface IntegrityReport {
  checkedAt: Date;
  head: Checkpoint | null;
  entries: number;
  problem: IntegrityProblem | null;
}

/** How many log entries, and how many commitments, the check reads with one statement. */
export const INTEGRITY_BATCH = 2_000;

/**
 * The same for the server's own checks (the monitor): a page is alive through the rests between
 * its slices (ADR 0046), long enough to be promoted into V8's old generation, and the old
 * generation is allowed to grow by half of what it holds. At 100,000 commitments pages of 2,000
 * took the server's peak from ~135 MB at ready to ~180 MB; of 500, to ~164 MB (ADR 0052).
 */
export const RECORD_CHECK_BATCH = 500;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Lets the event loop answer requests (and /readyz) between two pages of the check. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * `work` for each of `items`, PACE_SLICE_ROWS at a time, handing the thread to `pace` after
 * every slice: the longest synchronous stretch of the check is one slice, not one page.
 */
async function inSlices<T>(items: readonly T[], pace: Pace, work: (slice: readonly T[]) => void): Promise<void> {
  for (let from = 0; from < items.length; from += PACE_SLICE_ROWS) {
    const slice = items.slice(from, from + PACE_SLICE_ROWS);
    work(slice);
    await pace.step(slice.length);
  }
}

/**
 * Recomputes the whole chain, replays every commitment's revisions against its current rows,
 * and checks each published letter against its hash and its checkpoint. Read-only. It reads
 * the record a page at a time (`batch` entries, commitments or ledger entries a statement) and
 * checks it a slice of PACE_SLICE_ROWS at a time, handing the thread to `pace` after every
 * slice, so it can run beside the server's requests: its cost grows with the record, neither
 * the stall it causes nor the memory it holds does (ADRs 0034, 0046). The server's monitor
 * paces it with a duty cycle; the default only yields. The chain is read once for its hashes,
 * keeping only the positions letters state as checkpoints; each page of commitments is read
 * with its own revisions; a letter's ledger is checked a batch of entries at a time against
 * their revisions up to its checkpoint.
 */
export async function checkRecordIntegrity(db: DbOrTx, now: Date, batch: number = INTEGRITY_BATCH, pace: Pace = yieldingPace()): Promise<IntegrityReport> {
  const letters = await publishedLetterHashes(db);
  const checkpoints = new Map(letters.map((l) => [l.id, l.markdown ? parseCheckpointSection(l.markdown) : null]));
  const verifier = new ChainVerifier(sha256Hex, new Set([...checkpoints.values()].flatMap((c) => (c && c.seq > 0 ? [c.seq] : []))));
  let entries = 0;
  let head: Checkpoint | null = null;
  for (let after = 0; ; ) {
    const page = await readLogPage(db, after, batch);
    entries += page.length;
    await inSlices(page, pace, (slice) => verifier.add(slice.map((r) => toLogEntry(r, true))));
    const last = page[page.length - 1];
    if (last) head = { seq: last.seq, hash: last.hash, at: last.content.at };
    if (!last || page.length < batch) break;
    after = last.seq;
    await yieldToEventLoop();
  }
  const chain = verifier.result();
  const unsealed = await unsealedRevisions(db);
  // Only the first problem is reported (lowest position; the first found among equals), so
  // only it is kept: a record broken at every commitment does not fill memory with sentences.
  const problems = firstProblem();
  if (!chain.ok) problems.push(chain.problem);
  if (unsealed > 0) problems.push({ code: "LOG.UNSEALED", seq: entries + 1, message: `${unsealed} revision rows are not in the hash chain` });

  for (let afterId: string | null = null; ; ) {
    await yieldToEventLoop();
    const current = await currentRecordPage(db, afterId, batch);
    const outcomeOf = new Map(current.outcomes.map((o) => [o.commitmentId, o]));
    const checkInsOf = groupBy(current.checkIns, (c) => c.commitmentId);
    const revisionsOf = groupBy(current.revisions, (r) => r.commitmentId);
    const statsOf = new Map(current.stats.map((s) => [s.commitmentId, s]));
    await inSlices(current.commitments, pace, (slice) => {
      for (const c of slice) {
        const revisions = revisionsOf.get(c.id) ?? [];
        if (revisions.length === 0) {
          problems.push({ code: "RECORD.UNEXPLAINED", seq: entries, message: `commitment ${c.id} has no revision in the log` });
          continue;
        }
        const replayed = replayCommitment(revisions);
        const outcome = outcomeOf.get(c.id);
        const difference = compareWithReplay(replayed, {
          fields: c as unknown as Record<string, unknown>,
          status: c.status,
          locked: c.lockedByLetterAt !== null,
          outcome: outcome ? (outcome as unknown as Record<string, unknown>) : null,
          checkIns: (checkInsOf.get(c.id) ?? []).map((k) => ({ ...k, at: k.createdAt.toISOString(), note: k.note })),
        });
        if (difference) {
          problems.push({ code: "RECORD.DISAGREES", seq: replayed.lastSeq, message: `commitment ${c.id} disagrees with its revisions (last #${replayed.lastSeq}): ${difference}` });
          continue;
        }
        // What letters and figures select and count it by (ADR 0032, 0054), recomputed from the rows just compared.
        const stats = statsDisagreement(
          keptStatsRow(statsOf.get(c.id)),
          statsRowOf({
            commitment: c,
            outcome: outcome ? { ...outcome, recordedAt: outcome.recordedAt.toISOString() } : null,
            checkIns: (checkInsOf.get(c.id) ?? []).map((k) => ({ ...k, createdAt: k.createdAtExact })),
            revisions,
          }),
        );
        if (stats) problems.push({ code: "RECORD.STATS_DISAGREE", seq: replayed.lastSeq, message: `commitment ${c.id} is indexed unlike its record (last #${replayed.lastSeq}): ${stats}` });
      }
    });
    const last = current.commitments[current.commitments.length - 1];
    if (!last || current.commitments.length < batch) break;
    afterId = last.id;
  }

  for (const letter of letters) {
    await yieldToEventLoop();
    problems.push(await checkPublishedLetter(db, letter, checkpoints.get(letter.id) ?? null, chain, entries, batch, pace));
  }

  return { checkedAt: now, head, entries, problem: problems.first() };
}

/** Keeps the problem a sort by position would put first (stable: the earliest found among equals). */
function keptStatsRow(row: Awaited<ReturnType<typeof currentRecordPage>>["stats"][number] | undefined): StatsRow | undefined {
  if (!row) return undefined;
  const { commitmentId: _id, recordedAt, ...rest } = row;
  return { ...rest, recordedAt: recordedAt?.toISOString() ?? null };
}

function firstProblem() {
  let first: IntegrityProblem | null = null;
  return {
    push(problem: IntegrityProblem | null) {
      if (problem && (!first || problem.seq < first.seq)) first = problem;
    },
    first: () => first,
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * One published letter against its hash, the chain at its checkpoint, and the record its
 * frozen ledger describes. Its ledger (25,000 entries for a large year) is never read whole: it
 * is read a page of `batch` entries at a time, hashed as the ledger file piece by piece, and
 * each page checked against its commitments' revisions up to the checkpoint.
 */
async function checkPublishedLetter(
  db: DbOrTx,
  letter: { id: string; fiscalYear: number; audience: LedgerEntry["audience"]; markdown: string | null; sha256: string | null },
  checkpoint: { seq: number; hash: string } | null,
  chain: ChainResult,
  entries: number,
  batch: number,
  pace: Pace,
): Promise<IntegrityProblem | null> {
  const name = `the FY${letter.fiscalYear} ${letter.audience} letter`;
  const markdown = letter.markdown;
  // One letter's Markdown hashed at once: a summarised letter stays small (23 KB for 33,334 entries, ADR 0015).
  if (!markdown || sha256Hex(markdown) !== letter.sha256) {
    return { code: "LETTER.HASH", seq: entries, message: `${name}'s Markdown no longer has its published SHA-256` };
  }
  const found = firstProblem();
  if (checkpoint && checkpoint.seq > 0) {
    const agrees = checkCheckpoint(chain.hashes, checkpoint, chain.verified);
    if (!agrees.ok) found.push({ code: agrees.code, seq: Math.min(checkpoint.seq, chain.ok ? checkpoint.seq : chain.problem.seq), message: `${name}: ${agrees.message}` });
  }
  // The hash only proves the Markdown is what the row says was published; someone holding
  // the database can rewrite both. The appendix must also say what the record said at the
  // letter's checkpoint, and every entry of the frozen ledger must stand in the Markdown.
  const size = await frozenLedgerSize(db, letter.id);
  const appendixSeq = checkpoint?.seq ?? entries;
  // Its rows are its places 1 … size, each once (ADR 0047): the triggers hold this for the app,
  // not for someone holding the database, who could remove or add one.
  const rows = await frozenLedgerRowsComplete(db, letter.id);
  if (rows.rows !== size || (size > 0 && (rows.first !== 1 || rows.last !== size))) {
    found.push({ code: "LETTER.APPENDIX", seq: appendixSeq, message: `${name}'s frozen ledger holds ${rows.rows} entries where it was published with ${size}` });
    return found.first();
  }
  const pages = async function* () {
    for (let from = 1; from <= size; from += batch) {
      await yieldToEventLoop();
      yield (await frozenLedgerPage(db, letter.id, from, batch)) as unknown as LedgerEntry[];
    }
  };
  // A summarised letter (ADR 0015) states its ledger file's SHA-256 instead of listing every
  // row: the file rebuilt from the frozen ledger must have that hash and every entry.
  const stated = statedLedgerFile(markdown);
  if (stated) {
    let fileDisagrees = stated.count !== size;
    if (!fileDisagrees) {
      const hash = sha256Pieces();
      hash.update(ledgerFileOpening({ fiscalYear: letter.fiscalYear, audience: letter.audience, count: size }));
      let written = 0;
      for await (const page of pages()) {
        await inSlices(page, pace, (slice) => {
          hash.update(ledgerFileSection(slice, written > 0));
          written += slice.length;
        });
      }
      hash.update(LEDGER_FILE_CLOSING);
      fileDisagrees = hash.hex() !== stated.sha256;
    }
    if (fileDisagrees) {
      found.push({ code: "LETTER.APPENDIX", seq: appendixSeq, message: `${name}'s frozen ledger no longer matches the ledger file (${stated.count} commitments, SHA-256 ${stated.sha256}) the letter states` });
      return found.first();
    }
  } else {
    for await (const page of pages()) {
      let missingRow: LedgerEntry | undefined;
      await inSlices(page, pace, (slice) => void (missingRow ??= slice.find((e) => !markdown.includes(ledgerAppendixRow(e)))));
      if (missingRow) {
        found.push({ code: "LETTER.APPENDIX", seq: appendixSeq, message: `${name}'s ledger appendix no longer shows commitment ${missingRow.id} as its frozen ledger does` });
        return found.first();
      }
    }
  }
  if (checkpoint && checkpoint.seq > 0) {
    // The earliest disagreement of the whole ledger, as ledgerAgainstRecord finds it over all
    // entries at once: the lowest position, the first in ledger order among equals.
    let disagreement = null as LedgerDisagreement | null;
    for await (const page of pages()) {
      // An id that is not a commitment's (a rewritten ledger) has no revisions: it is not asked for.
      const ids = [...new Set(page.map((e) => e.id))].filter((id) => typeof id === "string" && UUID.test(id));
      const revisionsOf = groupBy(await revisionsUpTo(db, ids, checkpoint.seq), (r) => r.commitmentId);
      await inSlices(page, pace, (slice) => {
        const inSlice = ledgerAgainstRecord(slice, (id) => revisionsOf.get(id) ?? [], checkpoint.seq);
        if (inSlice && (!disagreement || inSlice.seq < disagreement.seq)) disagreement = inSlice;
      });
    }
    if (disagreement) {
      found.push({
        code: "LETTER.LEDGER",
        seq: disagreement.seq,
        message: `${name} says commitment ${disagreement.commitmentId} was ${disagreement.said}, but the record at #${checkpoint.seq} says ${disagreement.recorded}`,
      });
    }
  }
  return found.first();
}

export interface IntegrityStatus {
  /**
   * "checking" while the first check since start runs (nothing is known yet: neither intact nor
   * broken); later checks keep the last result until they finish.
   */
  state: "unchecked" | "checking" | "intact" | "broken";
  checkedAt: Date | null;
  head: Checkpoint | null;
  problem: IntegrityProblem | null;
  /** When this break was first seen (by this process). */
  brokenSince: Date | null;
  /** The check itself failed (say, the database was unreachable): the last result still stands. */
  lastError: string | null;
}

/** What the public ledger may show: the break's position and time, not its details. */
export interface PublicIntegrity {
  broken: boolean;
  /** No check has finished since the server started: the ledger cannot vouch for the record yet. */
  checking: boolean;
  seq: number | null;
  since: string | null;
}

/** Held by the process whose record check runs, so that several processes on one database check one at a time (ADR 0046). */
export const RECORD_CHECK_LOCK_ID = 7_200_431;

/** The share of a process's time a check may take by default (RECORD_CHECK_SHARE_PERCENT), and the time it runs before resting (ADR 0046). */
export const RECORD_CHECK_SHARE = 0.25;
export const RECORD_CHECK_SLICE_MS = 5;
/** How long a process waits before asking again while another process's check runs. */
export const RECORD_CHECK_RETRY_MS = 15_000;

/**
 * Where the monitor's checks run: `fn` on a connection of the check's own under
 * RECORD_CHECK_LOCK_ID, or `{ locked: false }` without running it while another process holds
 * the lock (DatabaseHandle.tryWithAdvisoryLock).
 */
export type CheckTurn = <T>(fn: (db: DbOrTx) => Promise<T>) => Promise<{ locked: true; value: T } | { locked: false }>;

export interface MonitorOptions {
  /** Defaults to the monitor's database, always this process's turn (one process, as on the embedded database). */
  turn?: CheckTurn;
  /** A new pace for each check; defaults to a duty cycle of RECORD_CHECK_SHARE. */
  pace?: () => Pace;
  retryMs?: number;
  /** Rows the check reads per statement; defaults to RECORD_CHECK_BATCH. */
  batch?: number;
}

/**
 * Runs the integrity check at start, every `intervalMs`, and on demand; keeps the latest
 * status for the admin page, the public ledger and the metrics. One per server process,
 * handed to routes through the load context. Each process checks the record itself and shows
 * only what it found: a result shared through the database could be written by whoever holds
 * the database, the one the check is there to catch. Processes take turns (`turn`), so they
 * never check all at once, and each check takes a bounded share of its process (`pace`).
 */
export class RecordIntegrityMonitor {
  private current: IntegrityStatus = { state: "unchecked", checkedAt: null, head: null, problem: null, brokenSince: null, lastError: null };
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<IntegrityStatus> | null = null;
  private stopped = false;
  private readonly turn: CheckTurn;
  private readonly pace: () => Pace;
  private readonly retryMs: number;
  private readonly batch: number;

  constructor(
    private readonly db: DbOrTx,
    private readonly logger: Pick<Logger, "error" | "info" | "warn">,
    private readonly clock: () => Date = () => new Date(),
    options: MonitorOptions = {},
  ) {
    this.turn = options.turn ?? (async (fn) => ({ locked: true, value: await fn(this.db) }));
    this.pace = options.pace ?? (() => new DutyCycle({ share: RECORD_CHECK_SHARE, sliceMs: RECORD_CHECK_SLICE_MS }));
    this.retryMs = options.retryMs ?? RECORD_CHECK_RETRY_MS;
    this.batch = options.batch ?? RECORD_CHECK_BATCH;
  }

  status(): IntegrityStatus {
    return this.current;
  }

  publicStatus(): PublicIntegrity {
    const s = this.current;
    if (s.state === "broken" && s.problem) return { broken: true, checking: false, seq: s.problem.seq, since: (s.brokenSince ?? s.checkedAt)?.toISOString() ?? null };
    return { broken: false, checking: s.state === "unchecked" || s.state === "checking", seq: null, since: null };
  }

  /** Checks now, or as soon as no other process is checking; a check already running or waiting is joined rather than doubled. */
  check(): Promise<IntegrityStatus> {
    if (!this.running) {
      if (this.current.state === "unchecked") this.current = { ...this.current, state: "checking" };
      this.running = this.run().finally(() => (this.running = null));
    }
    return this.running;
  }

  /**
   * Starts the first check without waiting for it (the server listens meanwhile, ADR 0028),
   * then checks every `intervalMs`. A check that cannot run is logged by `check`, not thrown.
   */
  startInBackground(intervalMs: number): Promise<IntegrityStatus> {
    const first = this.check();
    this.start(intervalMs);
    return first;
  }

  private async run(): Promise<IntegrityStatus> {
    let report: IntegrityReport;
    try {
      // Another process's check holds the lock: wait for it to end, then check here too.
      for (;;) {
        const done = await this.turn((db) => checkRecordIntegrity(db, this.clock(), this.batch, this.pace()));
        if (done.locked) {
          report = done.value;
          break;
        }
        if (this.stopped) return this.current;
        await new Promise<void>((resolve) => setTimeout(resolve, this.retryMs).unref());
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn({ err: error }, "record integrity check could not run");
      // Nothing was learnt: a first check that failed leaves the record unchecked, not "checking".
      this.current = { ...this.current, state: this.current.state === "checking" ? "unchecked" : this.current.state, lastError: message };
      return this.current;
    }
    const now = report.checkedAt;
    const previous = this.current;
    if (report.problem) {
      const sameBreak = previous.state === "broken" && previous.problem?.seq === report.problem.seq;
      const brokenSince = sameBreak ? previous.brokenSince : now;
      this.current = { state: "broken", checkedAt: now, head: report.head, problem: report.problem, brokenSince, lastError: null };
      this.logger.error(
        { code: report.problem.code, seq: report.problem.seq, since: brokenSince?.toISOString() },
        `record integrity broken at #${report.problem.seq}: ${report.problem.message}`,
      );
    } else {
      this.current = { state: "intact", checkedAt: now, head: report.head, problem: null, brokenSince: null, lastError: null };
      if (previous.state !== "intact") this.logger.info({ entries: report.entries, head: report.head?.seq ?? 0 }, "record integrity intact");
    }
    return this.current;
  }

  start(intervalMs: number): void {
    this.stop();
    this.stopped = false;
    this.timer = setInterval(() => void this.check(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/** The status as pages show it (dates as strings, so it survives serialisation). */
export interface IntegrityStatusView {
  state: IntegrityStatus["state"];
  checkedAt: string | null;
  head: Checkpoint | null;
  problem: IntegrityProblem | null;
  brokenSince: string | null;
  lastError: string | null;
}

function viewOf(s: IntegrityStatus): IntegrityStatusView {
  return {
    state: s.state,
    checkedAt: s.checkedAt?.toISOString() ?? null,
    head: s.head,
    problem: s.problem,
    brokenSince: s.brokenSince?.toISOString() ?? null,
    lastError: s.lastError,
  };
}

/**
 * The server's latest status, checking first when `checkNow` (or when there is no monitor,
 * as in a context built by hand: then every call checks).
 */
export async function integrityStatus(db: DbOrTx, monitor: RecordIntegrityMonitor | undefined, checkNow: boolean): Promise<IntegrityStatusView> {
  if (monitor) return viewOf(checkNow ? await monitor.check() : monitor.status());
  const report = await checkRecordIntegrity(db, new Date());
  return viewOf({
    state: report.problem ? "broken" : "intact",
    checkedAt: report.checkedAt,
    head: report.head,
    problem: report.problem,
    brokenSince: report.problem ? report.checkedAt : null,
    lastError: null,
  });
}
