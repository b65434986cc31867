#!/usr/bin/env node
// Checks a Kept organisation's record without trusting its server. Written from the log
// format document alone (docs/decisions/0006-record-log-format.md): it imports nothing of
// Kept, only Node's crypto and the global fetch.
//
//   npm run verify -- --url https://kept.example.com [--letter saved-letter.md …]
//   node scripts/verify-record.mjs --log kept-log-123.json --letter saved-letter.md
//
//   --url <origin>     a Kept server: downloads its public log (/api/v1/public/log?download=true)
//                      and every published public letter (/api/v1/public/letters).
//   --log <file>       a downloaded log instead of (or as well as) the server's.
//   --letter <file>    a letter's Markdown as you saved it (repeatable): its checkpoint must
//                      be in the log, with the same hash.
//
// It recomputes every entry's hash from the previous one, each public entry's content hash
// from its content, checks every checkpoint it is given against the chain, each live
// letter's SHA-256 against its Markdown, and, for a letter whose year is too large to list, the
// ledger file it states (downloaded, hashed and counted against the letter's words). It names the first entry that disagrees, including
// for a truncated or reordered log. Exit 0 only when everything agrees; 1 when something
// disagrees; 2 when it could not check (bad arguments, unreachable server, malformed file).
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";

const FORMAT = "kept-log/1";
const GENESIS = "0".repeat(64);
const HEX64 = /^[0-9a-f]{64}$/;

class CannotCheck extends Error {}

const sha256 = (text) => createHash("sha256").update(text, "utf8").digest("hex");

/** Canonical JSON: keys sorted by UTF-16 code units, no whitespace, JSON.stringify's scalars. */
function canonical(value) {
  if (value === null) return "null";
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`no canonical form for ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object") {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  }
  throw new Error(`no canonical form for a ${typeof value}`);
}

function contentHash(content) {
  const { commitmentId, version, kind, actorId, at, changes, reason } = content;
  return sha256(canonical({ format: FORMAT, commitmentId, version, kind, actorId, at, changes, reason }));
}

const linkHash = (seq, prev, content) => sha256(`${FORMAT}\n${seq}\n${prev}\n${content}`);

function options() {
  try {
    const { values } = parseArgs({
      options: { url: { type: "string" }, log: { type: "string" }, letter: { type: "string", multiple: true }, help: { type: "boolean" } },
      strict: true,
    });
    if (values.help) {
      console.log("usage: verify-record --url <origin> | --log <file> [--letter <file>]…");
      process.exit(0);
    }
    if (!values.url && !values.log) throw new CannotCheck("give --url <origin> of a Kept server, or --log <file> of a downloaded log");
    return values;
  } catch (error) {
    throw error instanceof CannotCheck ? error : new CannotCheck(error.message);
  }
}

async function getJson(url) {
  let res;
  try {
    res = await fetch(url, { headers: { Accept: "application/json" } });
  } catch (error) {
    throw new CannotCheck(`could not reach ${url}: ${error.cause?.message ?? error.message}`);
  }
  if (!res.ok) throw new CannotCheck(`${url} answered ${res.status}`);
  try {
    return await res.json();
  } catch {
    throw new CannotCheck(`${url} did not answer JSON`);
  }
}

/** The entries of a log document, shape-checked; a malformed document cannot be checked at all. */
function entriesOf(doc, source) {
  if (!doc || typeof doc !== "object" || doc.format !== FORMAT || !Array.isArray(doc.entries)) {
    throw new CannotCheck(`${source} is not a ${FORMAT} log (it needs "format": "${FORMAT}" and an "entries" array)`);
  }
  doc.entries.forEach((e, i) => {
    const where = `${source}: entries[${i}]`;
    if (!e || typeof e !== "object") throw new CannotCheck(`${where} is not an object`);
    if (!Number.isSafeInteger(e.seq)) throw new CannotCheck(`${where} has no whole-number seq`);
    for (const key of ["prevHash", "contentHash", "hash"]) {
      if (typeof e[key] !== "string") throw new CannotCheck(`${where} (#${e.seq}) has no ${key}`);
    }
    if (e.visibility === "public" && (!e.content || typeof e.content !== "object")) throw new CannotCheck(`${where} (#${e.seq}) is public but has no content`);
  });
  return doc.entries;
}

/** Recomputes the chain; returns the verified hash of each position and the first disagreement. */
function verifyChain(entries) {
  const hashes = new Map();
  let prev = GENESIS;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const expected = i + 1;
    if (e.seq !== expected) return { hashes, bad: { seq: expected, why: `position ${expected} holds #${e.seq}: the log is truncated or out of order from here` } };
    if (![e.prevHash, e.contentHash, e.hash].every((h) => HEX64.test(h))) return { hashes, bad: { seq: expected, why: "a hash is not 64 lowercase hex digits" } };
    if (e.prevHash !== prev) return { hashes, bad: { seq: expected, why: `its previous hash ${e.prevHash} is not #${expected - 1}'s hash ${prev}` } };
    if (e.content) {
      let computed;
      try {
        computed = contentHash(e.content);
      } catch (error) {
        return { hashes, bad: { seq: expected, why: `its content cannot be serialised: ${error.message}` } };
      }
      if (computed !== e.contentHash) return { hashes, bad: { seq: expected, why: "its content is not what was hashed when it was appended" } };
    }
    const link = linkHash(e.seq, e.prevHash, e.contentHash);
    if (link !== e.hash) return { hashes, bad: { seq: expected, why: `its hash is ${e.hash}; recomputed ${link}` } };
    hashes.set(e.seq, e.hash);
    prev = e.hash;
  }
  return { hashes, bad: null };
}

// A year too large to list in its letter states its ledger file in the appendix (ADR 0015):
//   [ledger.json](<path>) (also as [CSV](<path>)) holds all N commitments; its SHA-256 is `hex`
const LEDGER_FILE_SENTENCE = /\[ledger\.json\]\(<([^>]+)>\)[^\n]*? holds all ([\d,]+) commitments?; its SHA-256 is `([0-9a-f]{64})`/;

/** The ledger file a letter's appendix states (after its last "Ledger appendix" heading), or null. */
function ledgerFileOf(markdown) {
  const at = markdown.lastIndexOf("\n## Ledger appendix\n");
  if (at < 0) return null;
  const m = LEDGER_FILE_SENTENCE.exec(markdown.slice(at));
  return m ? { path: m[1], count: Number(m[2].replace(/,/g, "")), sha256: m[3] } : null;
}

async function getBytes(url) {
  let res;
  try {
    res = await fetch(url);
  } catch (error) {
    throw new CannotCheck(`could not reach ${url}: ${error.cause?.message ?? error.message}`);
  }
  if (!res.ok) return { status: res.status, bytes: null };
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
}

/**
 * Downloads the ledger file a letter states, as the server rebuilds it from the ledger frozen at
 * publication, and checks its SHA-256 and its number of entries against the letter's words.
 * Returns what disagrees, or null.
 */
async function checkLedgerFile(origin, name, letter, stated) {
  const url = new URL(stated.path, origin);
  const { status, bytes } = await getBytes(url);
  if (!bytes) return `${name}: its ledger file ${url.pathname} could not be downloaded (${status})`;
  const computed = createHash("sha256").update(bytes).digest("hex");
  if (computed !== stated.sha256) return `${name}: its ledger file ${url.pathname} hashes to ${computed}, not the SHA-256 the letter states, ${stated.sha256}`;
  let file;
  try {
    file = JSON.parse(bytes.toString("utf8"));
  } catch {
    return `${name}: its ledger file ${url.pathname} is not JSON`;
  }
  const entries = Array.isArray(file?.entries) ? file.entries : null;
  if (!entries) return `${name}: its ledger file ${url.pathname} has no entries array`;
  if (entries.length !== stated.count || file.count !== stated.count) {
    return `${name}: its ledger file holds ${entries.length} entries (and says ${file.count}); the letter states ${stated.count}`;
  }
  if (file.fiscalYear !== letter.fiscalYear) return `${name}: its ledger file is for FY${file.fiscalYear}`;
  return null;
}

/** The checkpoint a letter states in its "## Record checkpoint" section, or null. */
function checkpointOf(markdown) {
  const at = markdown.lastIndexOf("\n## Record checkpoint\n");
  if (at < 0) return null;
  const section = markdown.slice(at);
  const seq = /^- Sequence: (\d+)$/m.exec(section);
  const hash = /^- Head hash: ([0-9a-f]{64})$/m.exec(section);
  return seq && hash ? { seq: Number(seq[1]), hash: hash[1] } : null;
}

async function main() {
  const opts = options();
  const failures = [];
  const notes = [];

  const logDoc = opts.log
    ? await readFile(opts.log, "utf8").then(
        (text) => {
          try {
            return JSON.parse(text);
          } catch {
            throw new CannotCheck(`${opts.log} is not JSON`);
          }
        },
        (error) => {
          throw new CannotCheck(`could not read ${opts.log}: ${error.message}`);
        },
      )
    : await getJson(new URL("/api/v1/public/log?download=true", opts.url));
  const source = opts.log ?? "the server's log";
  const entries = entriesOf(logDoc, source);
  const chain = verifyChain(entries);
  if (chain.bad) failures.push(`log entry #${chain.bad.seq} disagrees: ${chain.bad.why}`);
  else notes.push(`log: ${entries.length} entries, chain intact${entries.length ? ` (head #${entries.length} ${entries[entries.length - 1].hash})` : ""}`);
  if (logDoc.head && !chain.bad) {
    const last = entries[entries.length - 1];
    if (!last || logDoc.head.seq !== last.seq || logDoc.head.hash !== last.hash) {
      failures.push(`the log's stated head #${logDoc.head.seq} is not its last entry (#${last?.seq ?? 0}): the log is truncated`);
    }
  }

  const checkCheckpoint = (name, checkpoint) => {
    if (!checkpoint) return failures.push(`${name} states no record checkpoint`);
    if (checkpoint.seq === 0) return notes.push(`${name}: written before the record had entries`);
    const hash = chain.hashes.get(checkpoint.seq);
    if (hash === undefined) {
      return failures.push(
        chain.bad && checkpoint.seq >= chain.bad.seq
          ? `${name}: checkpoint #${checkpoint.seq} lies past log entry #${chain.bad.seq}, where the log stops agreeing`
          : `${name}: checkpoint #${checkpoint.seq} is not in the log (it has ${entries.length} entries): the log is truncated`,
      );
    }
    if (hash !== checkpoint.hash) return failures.push(`${name}: checkpoint #${checkpoint.seq} says ${checkpoint.hash}; the log has ${hash}: the record was rewritten at or before #${checkpoint.seq}`);
    notes.push(`${name}: checkpoint #${checkpoint.seq} agrees with the log`);
  };

  if (opts.url) {
    let next = "/api/v1/public/letters";
    while (next) {
      const page = await getJson(new URL(next, opts.url));
      for (const item of page.items ?? []) {
        const letter = await getJson(new URL(item.apiUrl, opts.url));
        const name = `the FY${letter.fiscalYear} letter`;
        const computed = sha256(letter.publishedMarkdown);
        if (computed !== letter.sha256) failures.push(`${name}: its Markdown hashes to ${computed}, not its published SHA-256 ${letter.sha256}`);
        checkCheckpoint(name, checkpointOf(letter.publishedMarkdown));
        const stated = ledgerFileOf(letter.publishedMarkdown);
        if (stated) {
          const problem = await checkLedgerFile(opts.url, name, letter, stated);
          if (problem) failures.push(problem);
          else notes.push(`${name}: its ledger file holds all ${stated.count} commitments and hashes to the SHA-256 it states`);
        }
      }
      next = page.next;
    }
  }

  if (opts.url) {
    // The public ledger must say what the log says: each customer-facing commitment's status
    // is its last outcome entry's status ("open" before any).
    const status = new Map();
    const lastSeq = new Map();
    for (const e of entries) {
      if (!e.content) continue;
      lastSeq.set(e.content.commitmentId, e.seq);
      if (!status.has(e.content.commitmentId)) status.set(e.content.commitmentId, "open");
      const change = (e.content.changes ?? []).find((c) => c.field === "status");
      if ((e.content.kind === "outcome" || e.content.kind === "outcome_change") && change) status.set(e.content.commitmentId, change.to);
    }
    const first = await getJson(new URL("/api/v1/public/ledger", opts.url));
    const ledgerProblems = [];
    for (const year of first.years ?? []) {
      let next = `/api/v1/public/ledger?year=${year.fiscalYear}`;
      while (next) {
        const page = await getJson(new URL(next, opts.url));
        for (const item of page.items ?? []) {
          if (!status.has(item.id)) ledgerProblems.push({ seq: Infinity, text: `the public ledger lists commitment ${item.id}, which has no public entry in the log` });
          else if (status.get(item.id) !== item.status) {
            ledgerProblems.push({ seq: lastSeq.get(item.id), text: `the public ledger says commitment ${item.id} is ${item.status}; the log (through #${lastSeq.get(item.id)}) says ${status.get(item.id)}` });
          }
        }
        next = page.next;
      }
    }
    ledgerProblems.sort((a, b) => a.seq - b.seq);
    for (const p of ledgerProblems) failures.push(p.text);
    if (!ledgerProblems.length) notes.push("public ledger: every commitment's status agrees with the log");
  }

  for (const file of opts.letter ?? []) {
    let markdown;
    try {
      markdown = await readFile(file, "utf8");
    } catch (error) {
      throw new CannotCheck(`could not read ${file}: ${error.message}`);
    }
    notes.push(`${file}: SHA-256 ${sha256(markdown)}`);
    checkCheckpoint(file, checkpointOf(markdown));
  }

  for (const note of notes) console.log(note);
  if (failures.length) {
    for (const failure of failures) console.error(`DISAGREES: ${failure}`);
    return 1;
  }
  console.log("everything agrees");
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof CannotCheck ? `cannot check: ${error.message}` : error);
    process.exit(2);
  },
);
