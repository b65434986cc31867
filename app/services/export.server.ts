// The full JSON export of the organisation, and its import into an empty instance: the way
// to move Kept between databases (or restore it) without losing any of the record.
import type { Database } from "../../db/client";
import type { FieldChange } from "~/domain/commitment";
import type { LogoType } from "~/domain/branding";
import { nextEntry } from "~/domain/record-log";
import {
  instanceIsEmpty,
  insertOrganisationRows,
  lockInstanceForSetup,
  readOrganisationRows,
  type ImportRows,
} from "~/models/export.server";
import { logContentOf, sha256Hex } from "~/models/record-log.server";
import { NewPasswordSchema } from "~/schemas/common";
import { EXPORT_FORMAT, EXPORT_VERSION, ExportDocumentSchema, type ExportDocument } from "~/schemas/api-data";
import { COMMON_PASSWORD_MESSAGE, hashPassword, isCommonPassword, unusablePasswordHash } from "~/utils/password.server";
import { uniqueViolation } from "~/utils/db-errors.server";
import { issueLinkIn, type LinkDelivery } from "./accounts.server";
import { notSetUpResponse } from "./organisation.server";
import { fail, ok, type Result } from "~/domain/result";

export type { ExportDocument };

type Wire<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

/** A row as it travels in the document: every instant as an ISO 8601 UTC string. */
function wire<T extends object>(row: T): Wire<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) out[key] = value instanceof Date ? value.toISOString() : value;
  return out as Wire<T>;
}

/** Everything in the instance, as one versioned document (see ExportDocumentSchema). */
export async function exportOrganisation(db: Database, now: Date = new Date()): Promise<ExportDocument> {
  // One snapshot: a commitment saved while the export runs is either wholly in it or not.
  const rows = await db.transaction((tx) => readOrganisationRows(tx), { isolationLevel: "repeatable read", accessMode: "read only" });
  if (!rows.organisation) throw notSetUpResponse();
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now.toISOString(),
    organisation: wire(rows.organisation),
    people: rows.people.map(wire),
    teams: rows.teams.map(wire),
    teamMembers: rows.teamMembers.map(wire),
    commitments: rows.commitments.map(wire),
    checkIns: rows.checkIns.map(wire),
    outcomes: rows.outcomes.map(wire),
    revisions: rows.revisions.map(wire),
    retrospectives: rows.retrospectives.map(wire),
    actionItems: rows.actionItems.map(wire),
    letters: rows.letters.map(wire),
    letterErrata: rows.letterErrata.map(wire),
    minScoreChanges: rows.minScoreChanges.map(wire),
    organisationLogo: rows.organisationLogo
      ? {
          contentType: rows.organisationLogo.contentType as LogoType,
          dataBase64: Buffer.from(rows.organisationLogo.data).toString("base64"),
          sha256: rows.organisationLogo.sha256,
          updatedAt: rows.organisationLogo.updatedAt.toISOString(),
        }
      : null,
  };
}

/**
 * Rows ordered so that each comes after the row it points to (team parents, commitment
 * predecessors, previous letters): a published letter cannot be updated afterwards, so the
 * links have to be right on INSERT. Null when the links form a cycle, with the row's index.
 */
function parentsFirst<T extends { id: string }>(rows: T[], parentOf: (row: T) => string | null): { ordered: T[] } | { cycleAt: number } {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const index = new Map(rows.map((r, i) => [r.id, i]));
  const state = new Map<string, "visiting" | "done">();
  const ordered: T[] = [];
  for (const start of rows) {
    // Iterative walk up the chain, so a 10,000-long carry-forward chain cannot overflow the stack.
    const chain: T[] = [];
    let current: T | undefined = start;
    while (current && state.get(current.id) !== "done") {
      if (state.get(current.id) === "visiting") return { cycleAt: index.get(current.id)! };
      state.set(current.id, "visiting");
      chain.push(current);
      const parent = parentOf(current);
      current = parent ? byId.get(parent) : undefined;
    }
    for (const row of chain.reverse()) {
      state.set(row.id, "done");
      ordered.push(row);
    }
  }
  return { ordered };
}

const instant = (s: string) => new Date(s);
const instantOrNull = (s: string | null) => (s === null ? null : new Date(s));

function validationFailure(issues: Array<{ path: PropertyKey[]; message: string }>) {
  const shown = issues.slice(0, 20);
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of shown) {
    const path = issue.path.map(String).join(".") || "(document)";
    (fieldErrors[path] ??= []).push(issue.message);
  }
  const first = shown[0]!;
  const firstPath = first.path.map(String).join(".") || "(document)";
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : "";
  return fail("VALIDATION", `The export is not valid: ${firstPath}: ${first.message}${more}`, undefined, { fieldErrors });
}

export interface ImportOptions {
  /** An active admin in the export: the one person who can sign in afterwards. */
  adminEmail: string;
  adminPassword: string;
  /** Everyone else active gets an invitation link (ADR 0018): where links point, whether mailed. */
  links: LinkDelivery;
  now?: Date;
}

export interface ImportedInvitation {
  name: string;
  email: string;
  url: string;
  expiresAt: Date;
  emailed: boolean;
}

type ImportedRevision = ImportRows["revisions"][number];

/**
 * Revisions as they join the chain: an export that carries the chain keeps it exactly (and the
 * integrity check judges it); one from before the chain existed is chained in id order.
 */
function chained(revisions: ImportedRevision[]): ImportedRevision[] {
  if (revisions.every((r) => r.seq != null && r.prevHash != null && r.contentHash != null && r.hash != null)) {
    return [...revisions].sort((a, b) => a.seq! - b.seq!);
  }
  let head: { seq: number; hash: string } | null = null;
  return [...revisions]
    .sort((a, b) => (a.id ?? 0) - (b.id ?? 0))
    .map((r) => {
      const entry = nextEntry(sha256Hex, head, logContentOf({ ...r, actorId: r.actorId ?? null, at: r.at ?? new Date(0), reason: r.reason ?? null, version: r.version, changes: r.changes as FieldChange[] }));
      head = entry;
      return { ...r, ...entry };
    });
}

/**
 * Loads an export into an empty instance in one transaction, ids and timestamps preserved, so
 * exporting again gives the same document. Nobody's password travels in an export: everyone
 * gets an unusable password hash except the named admin, who gets the given password.
 */
export async function importOrganisation(
  db: Database,
  document: unknown,
  options: ImportOptions,
): Promise<Result<{ counts: Record<string, number>; invitations: ImportedInvitation[] }>> {
  const parsed = ExportDocumentSchema.safeParse(document);
  if (!parsed.success) return validationFailure(parsed.error.issues);
  const doc = parsed.data;

  const adminEmail = options.adminEmail.trim().toLowerCase();
  const admin = doc.people.find((p) => p.email.toLowerCase() === adminEmail);
  if (!admin || admin.role !== "admin" || !admin.active) {
    return fail("VALIDATION", `${options.adminEmail} is not an active admin in this export; name one who is, so someone can sign in.`, "adminEmail");
  }
  const password = NewPasswordSchema.safeParse(options.adminPassword);
  if (!password.success) return fail("VALIDATION", password.error.issues[0]!.message, "adminPassword");
  if (await isCommonPassword(options.adminPassword)) return fail("VALIDATION", COMMON_PASSWORD_MESSAGE, "adminPassword");

  const teams = parentsFirst(doc.teams, (t) => t.parentId);
  if ("cycleAt" in teams) return validationFailure([{ path: ["teams", teams.cycleAt, "parentId"], message: "Teams form a cycle." }]);
  const commitments = parentsFirst(doc.commitments, (c) => c.predecessorId);
  if ("cycleAt" in commitments) {
    return validationFailure([{ path: ["commitments", commitments.cycleAt, "predecessorId"], message: "Carry-forwards form a cycle." }]);
  }
  const letters = parentsFirst(doc.letters, (l) => l.previousLetterId);
  if ("cycleAt" in letters) return validationFailure([{ path: ["letters", letters.cycleAt, "previousLetterId"], message: "Letters form a cycle." }]);

  // A published letter's frozen ledger is its rows (ADR 0047): an array of entries, one row each.
  // A draft has none.
  const ledgerAt = doc.letters.findIndex((l) => (l.status === "published" ? !Array.isArray(l.ledger) : l.ledger !== null && l.ledger !== undefined));
  if (ledgerAt !== -1) {
    return validationFailure([{ path: ["letters", ledgerAt, "ledger"], message: "A published letter's ledger is an array of its entries; a draft has none (null)." }]);
  }

  const adminHash = await hashPassword(options.adminPassword);

  const rows: ImportRows = {
    organisation: { ...doc.organisation, createdAt: instant(doc.organisation.createdAt), updatedAt: instant(doc.organisation.updatedAt) },
    people: doc.people.map((p) => ({
      ...p,
      passwordHash: p.id === admin.id ? adminHash : unusablePasswordHash("imported"),
      createdAt: instant(p.createdAt),
      deactivatedAt: instantOrNull(p.deactivatedAt),
    })),
    teams: teams.ordered.map((t) => ({ ...t, createdAt: instant(t.createdAt), updatedAt: instant(t.updatedAt) })),
    teamMembers: doc.teamMembers.map((m) => ({ ...m, addedAt: instant(m.addedAt) })),
    commitments: commitments.ordered.map((c) => ({
      ...c,
      lockedByLetterAt: instantOrNull(c.lockedByLetterAt),
      committedAt: instant(c.committedAt),
      updatedAt: instant(c.updatedAt),
    })),
    checkIns: doc.checkIns.map((c) => ({ ...c, createdAt: instant(c.createdAt) })),
    outcomes: doc.outcomes.map((o) => ({ ...o, recordedAt: instant(o.recordedAt) })),
    revisions: chained(doc.revisions.map((r) => ({ ...r, at: instant(r.at) }))),
    retrospectives: doc.retrospectives.map((r) => ({ ...r, createdAt: instant(r.createdAt), updatedAt: instant(r.updatedAt) })),
    actionItems: doc.actionItems.map((a) => ({ ...a, createdAt: instant(a.createdAt), updatedAt: instant(a.updatedAt) })),
    letters: letters.ordered.map(({ ledger, ...l }) => ({
      ...l,
      ledgerSize: Array.isArray(ledger) ? ledger.length : null,
      ledgerJson: Array.isArray(ledger) ? JSON.stringify(ledger) : null,
      createdAt: instant(l.createdAt),
      generatedAt: instant(l.generatedAt),
      updatedAt: instant(l.updatedAt),
      publishedAt: instantOrNull(l.publishedAt),
    })),
    letterErrata: doc.letterErrata.map((e) => ({ ...e, createdAt: instant(e.createdAt) })),
    minScoreChanges: doc.minScoreChanges.map((c) => ({ ...c, changedAt: instant(c.changedAt) })),
    organisationLogo: doc.organisationLogo
      ? {
          contentType: doc.organisationLogo.contentType,
          data: new Uint8Array(Buffer.from(doc.organisationLogo.dataBase64, "base64")),
          sha256: doc.organisationLogo.sha256,
          updatedAt: instant(doc.organisationLogo.updatedAt),
        }
      : null,
  };

  const notEmpty = () => fail("SETUP.ALREADY_DONE", "This instance is not empty: an export imports only into a new, empty Kept (no organisation, no people).");
  try {
    return await db.transaction(async (tx) => {
      // The lock first-run setup takes: nobody can set the instance up while this runs.
      await lockInstanceForSetup(tx);
      if (!(await instanceIsEmpty(tx))) return notEmpty();
      await insertOrganisationRows(tx, rows);
      // Passwords never travel in an export, so everyone active but the named admin is
      // invited to choose one, in the same transaction: an import either lands with its
      // invitations or not at all.
      const now = options.now ?? new Date();
      const invitations: ImportedInvitation[] = [];
      for (const person of doc.people) {
        if (person.id === admin.id || !person.active) continue;
        const link = await issueLinkIn(tx, person, "invitation", admin.id, options.links, now);
        invitations.push({ name: person.name, email: person.email, url: link.url, expiresAt: link.expiresAt, emailed: link.emailed });
      }
      const counts: Record<string, number> = {
        people: doc.people.length,
        teams: doc.teams.length,
        teamMembers: doc.teamMembers.length,
        commitments: doc.commitments.length,
        checkIns: doc.checkIns.length,
        outcomes: doc.outcomes.length,
        revisions: doc.revisions.length,
        retrospectives: doc.retrospectives.length,
        actionItems: doc.actionItems.length,
        letters: doc.letters.length,
        letterErrata: doc.letterErrata.length,
        minScoreChanges: doc.minScoreChanges.length,
      };
      return ok({ counts, invitations });
    });
  } catch (error) {
    // The instance was empty under the lock, so a conflict here is between rows of the
    // document itself (say, two retrospectives for one team and period): nothing was written.
    const unique = uniqueViolation(error);
    if (unique !== null) return fail("VALIDATION", `The export contains two rows that must be unique (${unique || "unique constraint"}); nothing was imported.`);
    throw error;
  }
}

