// The record's hash chain ("the log"), format kept-log/1. Every revision row is one entry:
//
//   content_hash = sha256(canonical JSON of { format, commitmentId, version, kind, actorId,
//                                             at, changes, reason })
//   hash         = sha256("kept-log/1\n" + seq + "\n" + prev_hash + "\n" + content_hash)
//
// with seq counting from 1 and the first prev_hash being 64 zeros. Canonical JSON: object keys
// sorted by UTF-16 code units, no whitespace, strings and numbers as JSON.stringify writes
// them, timestamps as ISO 8601 UTC with milliseconds. An internal entry is published as its
// content_hash only: the chain stays checkable without disclosing what it says.
// docs/decisions/0006-record-log-format.md is the reference; scripts/verify-record.mjs
// implements it again from that document alone. Pure: the SHA-256 function is passed in.
import { COMMITMENT_FIELDS } from "./commitment";
import { OUTCOME_FIELDS } from "./outcome-rules";

export const LOG_FORMAT = "kept-log/1";
export const GENESIS_HASH = "0".repeat(64);
export const HASH_PATTERN = /^[0-9a-f]{64}$/;

export type Sha256Hex = (text: string) => string;

export interface LogContent {
  commitmentId: string;
  version: number;
  kind: string;
  actorId: string | null;
  /** ISO 8601 UTC with milliseconds. */
  at: string;
  changes: Array<{ field: string; from: unknown; to: unknown }>;
  reason: string | null;
}

export interface LogEntry {
  seq: number;
  prevHash: string;
  contentHash: string;
  hash: string;
  /** Null when the entry is published as its hash only (an internal commitment's row). */
  content: LogContent | null;
}

export interface Checkpoint {
  seq: number;
  hash: string;
  at: string;
}

/** JSON with sorted keys and no whitespace; refuses what JSON cannot say exactly. */
export function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`canonical JSON has no form for ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(",")}]`;
  if (typeof value === "object") {
    // Written as one loop over the sorted keys (sort()'s default order is by UTF-16 code units):
    // a publication writes 25,000 log entries, and building and sorting [key, value] pairs for
    // each object was most of hashing them (ADR 0045). The same text as before.
    const record = value as Record<string, unknown>;
    let text = "{";
    for (const key of Object.keys(record).sort()) {
      const v = record[key];
      if (v === undefined) continue;
      text += `${text.length === 1 ? "" : ","}${JSON.stringify(key)}:${canonicalJson(v)}`;
    }
    return `${text}}`;
  }
  throw new Error(`canonical JSON has no form for a ${typeof value}`);
}

export function contentText(content: LogContent): string {
  return canonicalJson(contentFields(content));
}

/**
 * contentText for a run of entries that differ only in their commitment and version, as a
 * publication's lock revisions do (one kind, actor, time, changes and reason for thousands of
 * commitments): the shared part is serialised once, the two values spliced between its pieces.
 * The same text as contentText of each entry; the keys are ordered by canonicalJson's own rule.
 */
export function contentTextOfRun(shared: Omit<LogContent, "commitmentId" | "version">): (commitmentId: string, version: number) => string {
  const fields: Record<string, unknown> = contentFields({ ...shared, commitmentId: "", version: 0 });
  const pieces: string[] = [];
  const spliced: Array<"commitmentId" | "version"> = [];
  let text = "{";
  let first = true;
  for (const key of Object.keys(fields).sort()) {
    const v = fields[key];
    if (v === undefined) continue;
    text += `${first ? "" : ","}${JSON.stringify(key)}:`;
    first = false;
    if (key === "commitmentId" || key === "version") {
      pieces.push(text);
      spliced.push(key);
      text = "";
    } else {
      text += canonicalJson(v);
    }
  }
  pieces.push(`${text}}`);
  const [before, between, after] = pieces as [string, string, string];
  // canonicalJson's own key order puts commitmentId before version.
  if (spliced[0] !== "commitmentId" || spliced[1] !== "version") throw new Error("contentTextOfRun: unexpected key order");
  return (commitmentId, version) => `${before}${canonicalJson(commitmentId)}${between}${canonicalJson(version)}${after}`;
}

function contentFields(content: LogContent) {
  return {
    format: LOG_FORMAT,
    commitmentId: content.commitmentId,
    version: content.version,
    kind: content.kind,
    actorId: content.actorId,
    at: content.at,
    changes: content.changes,
    reason: content.reason,
  };
}

export function linkText(seq: number, prevHash: string, contentHash: string): string {
  return `${LOG_FORMAT}\n${seq}\n${prevHash}\n${contentHash}`;
}

/** The entry that extends a chain whose head is `head` (null: the chain is empty). */
export function nextEntry(sha256: Sha256Hex, head: { seq: number; hash: string } | null, content: LogContent) {
  return nextEntryOfText(sha256, head, contentText(content));
}

/** nextEntry of an entry whose contentText is `text` (contentTextOfRun writes it for a run). */
export function nextEntryOfText(sha256: Sha256Hex, head: { seq: number; hash: string } | null, text: string) {
  const seq = (head?.seq ?? 0) + 1;
  const prevHash = head?.hash ?? GENESIS_HASH;
  const contentHash = sha256(text);
  return { seq, prevHash, contentHash, hash: sha256(linkText(seq, prevHash, contentHash)) };
}

export type ChainProblemCode = "LOG.SEQUENCE" | "LOG.LINK" | "LOG.CONTENT" | "LOG.HASH" | "LOG.MALFORMED";

export interface ChainProblem {
  code: ChainProblemCode;
  /** The first entry that disagrees: its position when it has one, else the position expected. */
  seq: number;
  message: string;
}

/**
 * `hashes`: the verified hash of every position up to where the chain stops agreeing, or only
 * of the positions asked for (ChainVerifier's `keep`); `verified`: how many positions agree.
 */
export type ChainResult =
  | { ok: true; head: Checkpoint | null; hashes: Map<number, string>; verified: number }
  | { ok: false; problem: ChainProblem; hashes: Map<number, string>; verified: number };

/**
 * Verifies the chain a batch at a time, in order, so a caller can read and check a long log
 * in pages and yield between them: `add` the next entries, then `result()`. Stops at the first
 * entry that disagrees; later batches are then ignored. With `keep`, only the hashes of those
 * positions are remembered (say, the checkpoints letters state), so memory stays bounded
 * however long the log is.
 */
export class ChainVerifier {
  private readonly hashes = new Map<number, string>();
  private prev = GENESIS_HASH;
  private position = 0;
  private last: LogEntry | null = null;
  private problem: ChainProblem | null = null;

  constructor(
    private readonly sha256: Sha256Hex,
    private readonly keep?: ReadonlySet<number>,
  ) {}

  /** Checks the next entries; false once the chain has stopped agreeing. */
  add(entries: readonly LogEntry[]): boolean {
    for (const e of entries) {
      if (this.problem) return false;
      this.problem = this.next(e);
    }
    return this.problem === null;
  }

  private next(e: LogEntry): ChainProblem | null {
    const expected = this.position + 1;
    const fail = (code: ChainProblemCode, message: string): ChainProblem => ({ code, seq: expected, message });
    if (e.seq !== expected) {
      return fail("LOG.SEQUENCE", `entry #${expected} is missing: position ${expected} holds #${e.seq} (the log is truncated or out of order there)`);
    }
    if (!HASH_PATTERN.test(e.prevHash) || !HASH_PATTERN.test(e.contentHash) || !HASH_PATTERN.test(e.hash)) {
      return fail("LOG.MALFORMED", `entry #${expected} has a hash that is not 64 lowercase hex digits`);
    }
    if (e.prevHash !== this.prev) return fail("LOG.LINK", `entry #${expected} does not follow #${expected - 1}: its previous hash is ${e.prevHash}, the chain says ${this.prev}`);
    if (e.content) {
      let computed: string;
      try {
        computed = this.sha256(contentText(e.content));
      } catch (error) {
        return fail("LOG.MALFORMED", `entry #${expected} cannot be serialised: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (computed !== e.contentHash) return fail("LOG.CONTENT", `entry #${expected} says something other than what was hashed when it was appended`);
    }
    const link = this.sha256(linkText(e.seq, e.prevHash, e.contentHash));
    if (link !== e.hash) return fail("LOG.HASH", `entry #${expected} has hash ${e.hash}, recomputed ${link}`);
    if (!this.keep || this.keep.has(e.seq)) this.hashes.set(e.seq, e.hash);
    this.prev = e.hash;
    this.position = expected;
    this.last = e;
    return null;
  }

  result(): ChainResult {
    if (this.problem) return { ok: false, problem: this.problem, hashes: this.hashes, verified: this.position };
    const last = this.last;
    return { ok: true, head: last ? { seq: last.seq, hash: last.hash, at: last.content?.at ?? "" } : null, hashes: this.hashes, verified: this.position };
  }
}

/**
 * Recomputes the chain from the first entry. Stops at the first entry that disagrees, so a
 * truncated, reordered or edited log is named by where it stops agreeing. `hashes` holds the
 * verified hash of every position up to there (for checking checkpoints).
 */
export function verifyChain(entries: readonly LogEntry[], sha256: Sha256Hex): ChainResult {
  const verifier = new ChainVerifier(sha256);
  verifier.add(entries);
  return verifier.result();
}

export type CheckpointResult = { ok: true } | { ok: false; code: "CHECKPOINT.BEYOND_LOG" | "CHECKPOINT.MISMATCH"; message: string };

/**
 * A checkpoint agrees when the verified chain has that hash at that position. `verified` is how
 * far the chain was verified (ChainResult's), when `hashes` holds only some positions.
 */
export function checkCheckpoint(hashes: ReadonlyMap<number, string>, checkpoint: Pick<Checkpoint, "seq" | "hash">, verified: number = hashes.size): CheckpointResult {
  const hash = checkpoint.seq <= verified ? hashes.get(checkpoint.seq) : undefined;
  if (hash === undefined) {
    return { ok: false, code: "CHECKPOINT.BEYOND_LOG", message: `checkpoint #${checkpoint.seq} is not in the verified log (it ends at #${verified})` };
  }
  if (hash !== checkpoint.hash) {
    return { ok: false, code: "CHECKPOINT.MISMATCH", message: `checkpoint #${checkpoint.seq} says ${checkpoint.hash}; the log has ${hash} there: the record was rewritten at or before #${checkpoint.seq}` };
  }
  return { ok: true };
}

export const CHECKPOINT_HEADING = "## Record checkpoint";

/** The section Kept appends to every published letter; the letter's SHA-256 covers it. */
export function checkpointSection(checkpoint: Checkpoint | null, logUrl: string): string {
  const lines = [CHECKPOINT_HEADING, ""];
  if (!checkpoint) {
    lines.push("This letter was written before the record had any entries.", "", `- Format: ${LOG_FORMAT}`, "- Sequence: 0", `- Head hash: ${GENESIS_HASH}`);
  } else {
    lines.push(
      `This letter was written from the record as it stood at entry #${checkpoint.seq} of its hash chain. ` +
        `Anyone can check that the record has not been rewritten since: download the log from ${logUrl} and run a verifier (see docs/decisions/0006-record-log-format.md).`,
      "",
      `- Format: ${LOG_FORMAT}`,
      `- Sequence: ${checkpoint.seq}`,
      `- Head hash: ${checkpoint.hash}`,
      `- Taken at: ${checkpoint.at}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The published Markdown with Kept's checkpoint section last, after the ledger appendix. */
export function withCheckpoint(markdown: string, section: string): string {
  return `${markdown.replace(/\s+$/, "")}\n\n${section}`;
}

/** The checkpoint a letter states, or null when it has no (well-formed) checkpoint section. */
export function parseCheckpointSection(markdown: string): Pick<Checkpoint, "seq" | "hash"> | null {
  const start = markdown.lastIndexOf(`\n${CHECKPOINT_HEADING}\n`);
  if (start < 0) return null;
  const section = markdown.slice(start);
  const seq = /^- Sequence: (\d+)$/m.exec(section);
  const hash = /^- Head hash: ([0-9a-f]{64})$/m.exec(section);
  if (!seq || !hash) return null;
  return { seq: Number(seq[1]), hash: hash[1]! };
}

/** One checkpoint per calendar month (UTC) that has entries: the last entry of that month. */
export function monthlyCheckpoints(entries: ReadonlyArray<{ seq: number; hash: string; at: string }>): Checkpoint[] {
  const byMonth = new Map<string, Checkpoint>();
  for (const e of entries) {
    const month = e.at.slice(0, 7);
    const seen = byMonth.get(month);
    if (!seen || e.seq > seen.seq) byMonth.set(month, { seq: e.seq, hash: e.hash, at: e.at });
  }
  return [...byMonth.values()].sort((a, b) => a.seq - b.seq);
}

// ---- derived state ---------------------------------------------------------------------------
// Commitments, outcomes and check-ins are what the revisions say, replayed in chain order.

// The fields a revision tracks are the commitment's and the outcome's own field lists: one
// definition, so a field added to a commitment is replayed and compared without a second edit.
export const TRACKED_COMMITMENT_FIELDS = COMMITMENT_FIELDS;

export const TRACKED_OUTCOME_FIELDS = OUTCOME_FIELDS;

export interface ReplayedCheckIn {
  at: string;
  date: string | null;
  forecast: unknown;
  probability: unknown;
  progressValue: unknown;
  note: string;
}

export interface ReplayedCommitment {
  fields: Record<string, unknown>;
  outcome: Record<string, unknown> | null;
  checkIns: ReplayedCheckIn[];
  locked: boolean;
  lastSeq: number;
}

/** Defaults a created commitment has for fields its "create" revision leaves out. */
const CREATED_DEFAULTS: Record<string, unknown> = { details: "", evidenceSource: "", tags: [] };

export function replayCommitment(revisions: ReadonlyArray<{ seq: number; kind: string; at: string; changes: LogContent["changes"]; reason: string | null }>): ReplayedCommitment {
  const fields: Record<string, unknown> = {};
  for (const f of TRACKED_COMMITMENT_FIELDS) fields[f] = f in CREATED_DEFAULTS ? CREATED_DEFAULTS[f] : null;
  let outcome: Record<string, unknown> | null = null;
  const checkIns: ReplayedCheckIn[] = [];
  let locked = false;
  let lastSeq = 0;
  for (const r of revisions) {
    lastSeq = Math.max(lastSeq, r.seq);
    switch (r.kind) {
      case "create":
      case "carried_from":
      case "edit":
      case "rescope":
        for (const c of r.changes) if ((TRACKED_COMMITMENT_FIELDS as readonly string[]).includes(c.field)) fields[c.field] = c.to;
        break;
      case "outcome":
      case "outcome_change":
        outcome ??= Object.fromEntries(TRACKED_OUTCOME_FIELDS.map((f) => [f, null]));
        for (const c of r.changes) if ((TRACKED_OUTCOME_FIELDS as readonly string[]).includes(c.field)) outcome[c.field] = c.to;
        break;
      case "check_in": {
        const value = (field: string) => r.changes.find((c) => c.field === field)?.to ?? null;
        const date = value("date");
        checkIns.push({
          at: r.at,
          date: typeof date === "string" ? date : null,
          forecast: value("forecast"),
          probability: value("probability"),
          progressValue: value("progressValue"),
          note: r.reason ?? "",
        });
        break;
      }
      case "lock":
        locked = true;
        break;
      default:
        break;
    }
  }
  return { fields, outcome, checkIns, locked, lastSeq };
}

function sameValue(a: unknown, b: unknown): boolean {
  return canonicalJson(a ?? null) === canonicalJson(b ?? null);
}

/**
 * The first difference between a commitment's current rows and its replayed revisions, as a
 * sentence, or null when they agree.
 */
export function compareWithReplay(
  replayed: ReplayedCommitment,
  current: {
    fields: Record<string, unknown>;
    status: string;
    locked: boolean;
    outcome: Record<string, unknown> | null;
    checkIns: ReadonlyArray<{ at: string; date: string; forecast: unknown; probability: unknown; progressValue: unknown; note: string }>;
  },
): string | null {
  for (const f of TRACKED_COMMITMENT_FIELDS) {
    if (!sameValue(current.fields[f], replayed.fields[f])) return `its ${f} is ${canonicalJson(current.fields[f] ?? null)}; the revisions say ${canonicalJson(replayed.fields[f] ?? null)}`;
  }
  const replayedStatus = (replayed.outcome?.status as string | undefined) ?? "open";
  if (current.status !== replayedStatus) return `its status is ${current.status}; the revisions say ${replayedStatus}`;
  if (replayed.locked && !current.locked) return "it is no longer marked as locked by a published letter; the revisions say it is";
  if ((current.outcome === null) !== (replayed.outcome === null)) {
    return current.outcome ? "it has an outcome no revision recorded" : "its recorded outcome is missing";
  }
  if (current.outcome && replayed.outcome) {
    for (const f of TRACKED_OUTCOME_FIELDS) {
      if (!sameValue(current.outcome[f], replayed.outcome[f])) return `its outcome's ${f} is ${canonicalJson(current.outcome[f] ?? null)}; the revisions say ${canonicalJson(replayed.outcome[f] ?? null)}`;
    }
  }
  if (current.checkIns.length !== replayed.checkIns.length) {
    return `it has ${current.checkIns.length} check-ins; the revisions record ${replayed.checkIns.length}`;
  }
  const key = (c: { at: string; forecast: unknown; probability: unknown; progressValue: unknown; note: string }) =>
    canonicalJson([c.at, c.forecast, c.probability, c.progressValue ?? null, c.note]);
  const remaining = new Map<string, number>();
  for (const c of replayed.checkIns) remaining.set(key(c), (remaining.get(key(c)) ?? 0) + 1);
  for (const c of current.checkIns) {
    const k = key(c);
    const n = remaining.get(k) ?? 0;
    const dated = replayed.checkIns.some((r) => key(r) === k && (r.date === null || r.date === c.date));
    if (n === 0 || !dated) return `its check-in of ${c.date} is not what the revisions record`;
    remaining.set(k, n - 1);
  }
  return null;
}

export interface LedgerDisagreement {
  commitmentId: string;
  /** The last entry of that commitment at or before the checkpoint (the checkpoint when none). */
  seq: number;
  said: string;
  recorded: string;
}

/**
 * A published letter's frozen ledger against the record it states it was written from: each
 * entry's outcome must be what the commitment's revisions up to the checkpoint say. A letter
 * whose appendix and hash were rewritten together still disagrees with the chain here.
 */
export function ledgerAgainstRecord(
  entries: ReadonlyArray<{ id: string; status: string }>,
  revisionsOf: (commitmentId: string) => ReadonlyArray<{ seq: number; kind: string; at: string; changes: LogContent["changes"]; reason: string | null }>,
  checkpointSeq: number,
): LedgerDisagreement | null {
  const found: LedgerDisagreement[] = [];
  for (const entry of entries) {
    const upTo = revisionsOf(entry.id).filter((r) => r.seq <= checkpointSeq);
    const replayed = replayCommitment(upTo);
    const recorded = typeof replayed.outcome?.status === "string" ? replayed.outcome.status : "open";
    if (recorded !== entry.status) {
      found.push({ commitmentId: entry.id, seq: upTo.length ? replayed.lastSeq : checkpointSeq, said: entry.status, recorded });
    }
  }
  found.sort((a, b) => a.seq - b.seq);
  return found[0] ?? null;
}
