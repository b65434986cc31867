import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  canonicalJson,
  checkCheckpoint,
  checkpointSection,
  compareWithReplay,
  contentText,
  contentTextOfRun,
  GENESIS_HASH,
  monthlyCheckpoints,
  nextEntry,
  nextEntryOfText,
  parseCheckpointSection,
  replayCommitment,
  verifyChain,
  ChainVerifier,
  withCheckpoint,
  type LogContent,
  type LogEntry,
} from "./record-log";

const sha = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

const content = (n: number, overrides: Partial<LogContent> = {}): LogContent => ({
  commitmentId: "0b9e2a6c-1f3e-4d1a-9c1e-3f2b5a6d7e8f",
  version: n,
  kind: "edit",
  actorId: null,
  at: `2026-0${(n % 9) + 1}-10T09:00:00.000Z`,
  changes: [{ field: "details", from: null, to: `step ${n}` }],
  reason: null,
  ...overrides,
});

function chainOf(count: number): LogEntry[] {
  const entries: LogEntry[] = [];
  let head: { seq: number; hash: string } | null = null;
  for (let i = 1; i <= count; i++) {
    const c = content(i);
    const e = nextEntry(sha, head, c);
    entries.push({ ...e, content: c });
    head = e;
  }
  return entries;
}

describe("canonical serialisation (kept-log/1)", () => {
  it("sorts keys at every depth, drops undefined, writes no whitespace", () => {
    expect(canonicalJson({ b: 1, a: [{ d: null, c: "x" }], e: undefined })).toBe('{"a":[{"c":"x","d":null}],"b":1}');
  });

  it("writes numbers and strings as JSON.stringify does, and refuses what JSON cannot say", () => {
    expect(canonicalJson([0.1, -0, 1e21, "é\n\u2028"])).toBe(`[0.1,0,1e+21,${JSON.stringify("é\n\u2028")}]`);
    expect(() => canonicalJson(Number.NaN)).toThrow(/NaN/);
    expect(canonicalJson({ "10": 1, "9": 2, b: 3, B: 4, é: 5 })).toBe('{"10":1,"9":2,"B":4,"b":3,"é":5}');
    expect(() => canonicalJson({ a: () => 1 })).toThrow(/function/);
  });

  it("is stable: the documented serialisation of a known entry, and its hashes", () => {
    const c = content(1, { actorId: "5d3c0b7e-2a1f-4e6b-8c9d-0a1b2c3d4e5f", reason: "Because." });
    expect(contentText(c)).toBe(
      '{"actorId":"5d3c0b7e-2a1f-4e6b-8c9d-0a1b2c3d4e5f","at":"2026-02-10T09:00:00.000Z","changes":[{"field":"details","from":null,"to":"step 1"}],' +
        '"commitmentId":"0b9e2a6c-1f3e-4d1a-9c1e-3f2b5a6d7e8f","format":"kept-log/1","kind":"edit","reason":"Because.","version":1}',
    );
    const e = nextEntry(sha, null, c);
    expect(e).toEqual({ seq: 1, prevHash: GENESIS_HASH, contentHash: sha(contentText(c)), hash: sha(`kept-log/1\n1\n${GENESIS_HASH}\n${sha(contentText(c))}`) });
  });
});

describe("verifyChain", () => {
  it("accepts an intact chain, also with internal entries published as hashes only", () => {
    const entries = chainOf(5).map((e, i) => (i % 2 ? { ...e, content: null } : e));
    const result = verifyChain(entries, sha);
    expect(result.ok).toBe(true);
    expect(result.hashes.size).toBe(5);
  });

  it.each([
    ["edited content", (es: LogEntry[]) => (es[2] = { ...es[2]!, content: { ...es[2]!.content!, reason: "rewritten" } }), "LOG.CONTENT", 3],
    ["a deleted entry", (es: LogEntry[]) => es.splice(1, 1), "LOG.SEQUENCE", 2],
    ["two swapped entries", (es: LogEntry[]) => ([es[3], es[4]] = [es[4]!, es[3]!]), "LOG.SEQUENCE", 4],
    ["a forged link", (es: LogEntry[]) => (es[3] = { ...es[3]!, prevHash: "f".repeat(64) }), "LOG.LINK", 4],
    ["a forged hash", (es: LogEntry[]) => (es[4] = { ...es[4]!, hash: "e".repeat(64) }), "LOG.HASH", 5],
    ["a malformed hash", (es: LogEntry[]) => (es[0] = { ...es[0]!, hash: "XYZ" }), "LOG.MALFORMED", 1],
  ] as const)("names the first entry after %s", (_, tamper, code, seq) => {
    const entries = chainOf(6);
    tamper(entries);
    const result = verifyChain(entries, sha);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatchObject({ code, seq });
  });

  it("a re-hashed rewrite still breaks every later link", () => {
    const entries = chainOf(4);
    const forged = { ...entries[1]!.content!, reason: "rewritten" };
    entries[1] = { ...nextEntry(sha, { seq: 1, hash: entries[0]!.hash }, forged), content: forged };
    const result = verifyChain(entries, sha);
    expect(result.ok ? null : result.problem).toMatchObject({ code: "LOG.LINK", seq: 3 });
  });
});

describe("ChainVerifier", () => {
  it("checked in batches of any size, agrees with checking the whole chain at once, intact or tampered", () => {
    const intact = chainOf(7);
    const tampered = chainOf(7);
    tampered[4] = { ...tampered[4]!, content: { ...tampered[4]!.content!, reason: "rewritten" } };
    for (const entries of [intact, tampered]) {
      const whole = verifyChain(entries, sha);
      for (const size of [1, 2, 3, 4, 7]) {
        const verifier = new ChainVerifier(sha);
        for (let i = 0; i < entries.length; i += size) verifier.add(entries.slice(i, i + size));
        expect(verifier.result()).toEqual(whole);
      }
    }
    expect(verifyChain(tampered, sha)).toMatchObject({ ok: false, problem: { code: "LOG.CONTENT", seq: 5 } });
  });

  it("stops at the first break: later batches, even a correct continuation, change nothing", () => {
    const entries = chainOf(6);
    const verifier = new ChainVerifier(sha);
    expect(verifier.add(entries.slice(0, 2))).toBe(true);
    expect(verifier.add([entries[3]!])).toBe(false);
    expect(verifier.add(entries.slice(2))).toBe(false);
    expect(verifier.result()).toMatchObject({ ok: false, problem: { code: "LOG.SEQUENCE", seq: 3 } });
    expect(verifier.result().hashes.size).toBe(2);
  });

  it("with `keep`, remembers only those positions' hashes, and checkpoints check against them as against the whole map", () => {
    const entries = chainOf(8);
    const whole = verifyChain(entries, sha);
    const verifier = new ChainVerifier(sha, new Set([3, 6, 12]));
    for (let i = 0; i < entries.length; i += 3) verifier.add(entries.slice(i, i + 3));
    const kept = verifier.result();
    expect([...kept.hashes.keys()]).toEqual([3, 6]);
    expect(kept.verified).toBe(8);
    expect(whole.verified).toBe(8);
    for (const checkpoint of [
      { seq: 3, hash: entries[2]!.hash },
      { seq: 6, hash: entries[1]!.hash },
      { seq: 12, hash: entries[7]!.hash },
    ]) {
      expect(checkCheckpoint(kept.hashes, checkpoint, kept.verified)).toEqual(checkCheckpoint(whole.hashes, checkpoint));
    }
    expect(checkCheckpoint(kept.hashes, { seq: 12, hash: entries[7]!.hash }, kept.verified)).toMatchObject({ message: expect.stringContaining("ends at #8") });

    // A break at #5: a kept position past it is beyond the verified log, even though it was read.
    const tampered = chainOf(8);
    tampered[4] = { ...tampered[4]!, content: { ...tampered[4]!.content!, reason: "rewritten" } };
    const broken = new ChainVerifier(sha, new Set([3, 6]));
    broken.add(tampered);
    const result = broken.result();
    expect(result).toMatchObject({ ok: false, verified: 4 });
    expect(checkCheckpoint(result.hashes, { seq: 6, hash: tampered[5]!.hash }, result.verified)).toMatchObject({ ok: false, code: "CHECKPOINT.BEYOND_LOG" });
    expect(checkCheckpoint(result.hashes, { seq: 3, hash: tampered[2]!.hash }, result.verified)).toEqual({ ok: true });
  });
});

describe("checkpoints", () => {
  it("round-trips through a letter's section and checks against the chain", () => {
    const entries = chainOf(3);
    const { hashes } = verifyChain(entries, sha);
    const section = checkpointSection({ seq: 2, hash: entries[1]!.hash, at: "2026-03-01T00:00:00.000Z" }, "/api/v1/public/log");
    const markdown = withCheckpoint("# Letter\n\nBody.\n\n## Ledger appendix\n\n| a |\n|---|\n\n\n", section);
    expect(markdown).toMatch(/\| a \|\n\|---\|\n\n## Record checkpoint\n/);
    const parsed = parseCheckpointSection(markdown);
    expect(parsed).toEqual({ seq: 2, hash: entries[1]!.hash });
    expect(checkCheckpoint(hashes, parsed!)).toEqual({ ok: true });
    expect(checkCheckpoint(hashes, { seq: 2, hash: entries[0]!.hash })).toMatchObject({ ok: false, code: "CHECKPOINT.MISMATCH" });
    expect(checkCheckpoint(hashes, { seq: 9, hash: entries[0]!.hash })).toMatchObject({ ok: false, code: "CHECKPOINT.BEYOND_LOG" });
    expect(parseCheckpointSection("# No checkpoint\n")).toBeNull();
  });

  it("takes one monthly checkpoint per month with entries: that month's last", () => {
    const cps = monthlyCheckpoints([
      { seq: 1, hash: "a", at: "2026-01-03T00:00:00.000Z" },
      { seq: 2, hash: "b", at: "2026-01-30T00:00:00.000Z" },
      { seq: 3, hash: "c", at: "2026-03-01T00:00:00.000Z" },
    ]);
    expect(cps.map((c) => c.seq)).toEqual([2, 3]);
  });
});

describe("replaying a commitment's revisions", () => {
  const revisions = [
    { seq: 1, kind: "create", at: "2026-01-01T00:00:00.000Z", reason: null, changes: [{ field: "statement", from: null, to: "Ship it" }, { field: "dueDate", from: null, to: "2026-06-30" }] },
    { seq: 4, kind: "rescope", at: "2026-02-01T00:00:00.000Z", reason: "Because.", changes: [{ field: "dueDate", from: "2026-06-30", to: "2026-09-30" }] },
    { seq: 6, kind: "check_in", at: "2026-03-01T00:00:00.000Z", reason: "Halfway.", changes: [{ field: "date", from: null, to: "2026-03-01" }, { field: "forecast", from: null, to: "on_track" }, { field: "probability", from: null, to: 70 }] },
    { seq: 9, kind: "outcome", at: "2026-10-01T00:00:00.000Z", reason: null, changes: [{ field: "status", from: null, to: "missed" }] },
  ];
  const replayed = replayCommitment(revisions);
  const current = {
    fields: { ...replayed.fields },
    status: "missed",
    locked: false,
    outcome: { ...replayed.outcome! },
    checkIns: [{ at: "2026-03-01T00:00:00.000Z", date: "2026-03-01", forecast: "on_track", probability: 70, progressValue: null, note: "Halfway." }],
  };

  it("agrees with rows that are what the revisions say", () => {
    expect(replayed.lastSeq).toBe(9);
    expect(replayed.fields.dueDate).toBe("2026-09-30");
    expect(compareWithReplay(replayed, current)).toBeNull();
  });

  it.each([
    ["a rewritten field", { fields: { ...current.fields, dueDate: "2026-12-31" } }, /dueDate/],
    ["a rewritten outcome", { status: "delivered", outcome: { ...current.outcome, status: "delivered" } }, /status/],
    ["a removed outcome", { outcome: null }, /status|outcome/],
    ["a removed check-in", { checkIns: [] }, /check-ins/],
    ["a rewritten check-in", { checkIns: [{ ...current.checkIns[0]!, probability: 95 }] }, /check-in of 2026-03-01/],
  ])("names %s", (_, change, message) => {
    expect(compareWithReplay(replayed, { ...current, ...change } as typeof current)).toMatch(message);
  });
});

describe("canonical JSON against its written rule", () => {
  // The rule as scripts/verify-record.mjs writes it (and as canonicalJson was written until ADR
  // 0045): keys sorted by UTF-16 code units, undefined values left out, JSON.stringify's scalars.
  function rule(value: unknown): string {
    if (value === null) return "null";
    if (typeof value === "string" || typeof value === "boolean" || typeof value === "number") return JSON.stringify(value);
    if (Array.isArray(value)) return `[${value.map(rule).join(",")}]`;
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${keys.map((k) => `${JSON.stringify(k)}:${rule(record[k])}`).join(",")}}`;
  }
  const key = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom("10", "9", "a", "B", "é", "\u{1F600}", "\uFFFF"));
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: "small" }, fc.constant(null), fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string(), tie("array"), tie("object")),
    array: fc.array(tie("node"), { maxLength: 4 }),
    object: fc.dictionary(key, fc.option(tie("node"), { nil: undefined }), { maxKeys: 5 }),
  })).node;
  it("writes every value as the rule does", () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(rule(v));
      }),
      { numRuns: 500 },
    );
  });
});

describe("a run of entries that differ only in commitment and version", () => {
  const json = fc.jsonValue({ maxDepth: 2 });
  const shared = fc.record({
    kind: fc.oneof(fc.constantFrom("lock", "edit", "rescope"), fc.string()),
    actorId: fc.option(fc.oneof(fc.uuid(), fc.string()), { nil: null }),
    at: fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true }).map((d) => d.toISOString()),
    changes: fc.array(fc.record({ field: fc.string(), from: json, to: json }), { maxLength: 3 }),
    reason: fc.option(fc.string({ unit: "binary" }), { nil: null }),
  });
  it("writes each entry's contentText, and so its hashes", () => {
    fc.assert(
      fc.property(shared, fc.array(fc.tuple(fc.oneof(fc.uuid(), fc.string({ unit: "binary" })), fc.integer({ min: -1, max: 2 ** 40 })), { minLength: 1, maxLength: 5 }), (s, rows) => {
        const text = contentTextOfRun(s);
        let head: { seq: number; hash: string } | null = null;
        for (const [commitmentId, version] of rows) {
          const c = { ...s, commitmentId, version };
          expect(text(commitmentId, version)).toBe(contentText(c));
          const entry = nextEntryOfText(sha, head, text(commitmentId, version));
          expect(entry).toEqual(nextEntry(sha, head, c));
          head = entry;
        }
      }),
      { numRuns: 500 },
    );
  });
});
