// How letters, errata and the public ledger look on the wire (described by
// app/api/schemas/letters.ts). Built from the same rows and views the letter pages show.
import { versionNamed } from "./preconditions.server";
import { deliveryRate } from "~/domain/statistics";
import type { LedgerEntry, PublishProblem } from "~/domain/letter-publish";
import { listErrata, type LetterRow, type LetterSummary } from "~/models/letter.server";
import type { DbOrTx } from "../../db/client";
import { encodeCursor } from "~/utils/cursor";
import { checkLetterDraft, letterPath, publishedEtag, type publicLedger, type publishedLetterFor } from "~/services/letters.server";

type ErratumRow = Awaited<ReturnType<typeof listErrata>>[number];
type PublishedView = NonNullable<Awaited<ReturnType<typeof publishedLetterFor>>>;
type LedgerView = NonNullable<Awaited<ReturnType<typeof publicLedger>>>;

/**
 * A draft's validator is its version (every save bumps it). A published letter never changes
 * again except by appended errata, so its validator is the content hash plus the errata, the
 * same one the public page sends.
 */
export function letterEtag(letter: Pick<LetterRow, "id" | "version" | "status" | "sha256">, errata: ReadonlyArray<{ id: string }>): string {
  if (letter.status === "published" && letter.sha256) return publishedEtag(letter, errata);
  return `"letter-${letter.id}.v${letter.version}"`;
}

/** The draft version an If-Match header names, or null when it does not name this letter's draft. */
export function letterVersionFromIfMatch(etag: string, id: string): number | null {
  return versionNamed(etag, `letter-${id}`);
}

export function letterSummaryResource(l: LetterSummary) {
  return {
    id: l.id,
    fiscalYear: l.fiscalYear,
    audience: l.audience,
    title: l.title,
    status: l.status,
    version: l.version,
    updatedAt: l.updatedAt.toISOString(),
    publishedAt: l.publishedAt?.toISOString() ?? null,
    sha256: l.sha256,
    url: letterPath(l.fiscalYear, l.audience),
  };
}

export function erratumResource(e: ErratumRow) {
  return { id: e.id, body: e.body, bodyHtml: e.bodyHtml, createdAt: e.createdAt.toISOString(), createdByName: e.createdByName };
}

function publishProblemResource(p: PublishProblem) {
  return { code: p.code, message: p.message, ...("commitmentId" in p ? { commitmentId: p.commitmentId } : {}) };
}

/** The whole letter: `problems` is what checkLetterDraft found for a draft, and ignored once published. */
export function letterResource(letter: LetterRow, errata: ErratumRow[], problems: PublishProblem[]) {
  const published = letter.status === "published";
  return {
    ...letterSummaryResource(letter),
    body: letter.body,
    edited: letter.body !== letter.generatedBody,
    generatedAt: letter.generatedAt.toISOString(),
    publishedMarkdown: letter.publishedMarkdown,
    publishedHtml: letter.publishedHtml,
    ledger: published ? ((letter.ledger ?? []) as LedgerEntry[]) : null,
    previousLetterId: letter.previousLetterId,
    errata: published ? errata.map(erratumResource) : [],
    publishProblems: published ? null : problems.map(publishProblemResource),
  };
}

/**
 * The whole letter and its ETag, reading what goes with it: errata once published, publish
 * problems while a draft (unless the caller has them already, checked against the same record).
 */
export async function letterRepresentation(db: DbOrTx, letter: LetterRow, knownProblems?: PublishProblem[]) {
  const published = letter.status === "published";
  const errata = published ? await listErrata(db, letter.id) : [];
  const problems = published ? [] : (knownProblems ?? (await checkLetterDraft(db, letter)));
  return { resource: letterResource(letter, errata, problems), etag: letterEtag(letter, errata) };
}

// ---- the public site ---------------------------------------------------------------------

export const publicLetterApiPath = (fiscalYear: number) => `/api/v1/public/letters/${fiscalYear}`;

export function publicLetterSummaryResource(l: Pick<LetterSummary, "fiscalYear" | "title" | "publishedAt" | "sha256">) {
  return {
    fiscalYear: l.fiscalYear,
    title: l.title,
    // Only published letters reach the public site, and the database refuses one without these.
    publishedAt: l.publishedAt!.toISOString(),
    sha256: l.sha256!,
    url: letterPath(l.fiscalYear, "public"),
    apiUrl: publicLetterApiPath(l.fiscalYear),
  };
}

function letterLink(l: { fiscalYear: number; title: string; path: string } | null) {
  return l ? { fiscalYear: l.fiscalYear, title: l.title, url: l.path, apiUrl: publicLetterApiPath(l.fiscalYear) } : null;
}

export function publicLetterResource(view: PublishedView) {
  const { letter } = view;
  return {
    ...publicLetterSummaryResource(letter),
    publishedMarkdown: letter.publishedMarkdown!,
    publishedHtml: letter.publishedHtml!,
    ledger: view.ledger,
    errata: view.errata.map((e) => ({ id: e.id, body: e.body, bodyHtml: e.bodyHtml, createdAt: e.createdAt.toISOString() })),
    previous: letterLink(view.previous),
    next: letterLink(view.next),
  };
}

/** The public ledger page as data; `next` keeps the year and carries the keyset cursor. */
export function publicLedgerResource(ledger: LedgerView) {
  return {
    organisationName: ledger.organisationName,
    years: ledger.years.map((y) => ({ ...y, deliveryRate: deliveryRate(y) })),
    year: ledger.year,
    items: ledger.items,
    next: ledger.next && ledger.year !== null ? `/api/v1/public/ledger?year=${ledger.year}&cursor=${encodeCursor(ledger.next)}` : null,
  };
}
