// Which pages are immutable between changes we can detect with one small query, and their
// validators (ADR 0015). The server answers these for anonymous readers before Remix runs: a
// 304 when the reader's copy is current, the cached bytes on a hit, and a render (kept for
// next time) on a miss. Routes that render the same pages set the same ETag from here, so a
// render is only kept when it is the page the validator describes.
import type { DbOrTx } from "../../db/client";
import type { Audience } from "~/domain/types";
import { publicRecordValidator, publishedLetterValidator } from "~/models/letter.server";
import { sha256Hex } from "~/services/letters.server";

export type ImmutablePage =
  | { kind: "letter"; fiscalYear: number; audience: Audience }
  | { kind: "letter-md"; fiscalYear: number; audience: Audience }
  | { kind: "feed" }
  | { kind: "ledger"; query: string };

export interface PageValidation {
  etag: string;
  lastModified: Date | null;
  cacheControl: string;
  /** The key the rendered bytes are cached under: the page and its ETag. */
  cacheKey: string;
}

const YEAR = /^\d{4}$/;

/** The public, anonymous pages the server may answer from the cache; null for any other request. */
export function immutablePageOf(pathname: string, search: string): ImmutablePage | null {
  const params = new URLSearchParams(search);
  if (pathname === "/ledger" || pathname === "/ledger/") {
    // Only the ledger's own parameters: anything else (Remix's ?_data, say) is a different answer.
    const keys = [...params.keys()];
    if (!keys.every((k) => k === "year" || k === "after")) return null;
    return { kind: "ledger", query: params.toString() };
  }
  if (search !== "" && search !== "?") return null;
  if (pathname === "/letters/feed.xml") return { kind: "feed" };
  const m = /^\/letters\/(\d{4})(\/letter\.md)?\/?$/.exec(pathname);
  if (!m || !YEAR.test(m[1] ?? "")) return null;
  return { kind: m[2] ? "letter-md" : "letter", fiscalYear: Number(m[1]), audience: "public" };
}

function digest(parts: ReadonlyArray<string | number | boolean | null>): string {
  return sha256Hex(parts.map((p) => String(p)).join("\u001f")).slice(0, 32);
}

/**
 * The validator of a published letter's page (HTML), from one short statement. Null when there is
 * no such published letter or the public site is off (the page then answers as it always did).
 */
export async function letterPageValidation(db: DbOrTx, fiscalYear: number, audience: Audience, buildId: string): Promise<(PageValidation & { letterId: string; sha256: string }) | null> {
  const v = await publishedLetterValidator(db, fiscalYear, audience);
  if (!v || v.sha256 === null || v.publishedAt === null) return null;
  if (audience === "public" && !v.organisation.publicSiteEnabled) return null;
  const etag = `"L.${v.sha256}.${digest([v.id, v.sha256, v.errata, v.lastErratumId, v.previousId, v.nextId, v.organisation.name, v.organisation.updatedAt.toISOString(), v.organisation.isSample, buildId])}"`;
  return {
    etag,
    lastModified: v.lastErratumAt ?? v.publishedAt,
    cacheControl: "public, max-age=300, must-revalidate",
    cacheKey: `letter:${audience}:${fiscalYear}:${etag}`,
    letterId: v.id,
    sha256: v.sha256,
  };
}

/** The published Markdown never changes: its ETag is its SHA-256. */
export async function letterSourceValidation(db: DbOrTx, fiscalYear: number, audience: Audience): Promise<(PageValidation & { letterId: string }) | null> {
  const v = await publishedLetterValidator(db, fiscalYear, audience);
  if (!v || v.sha256 === null) return null;
  if (audience === "public" && !v.organisation.publicSiteEnabled) return null;
  const etag = `"${v.sha256}"`;
  return { etag, lastModified: v.publishedAt, cacheControl: "public, max-age=86400, immutable", cacheKey: `letter-md:${audience}:${fiscalYear}:${etag}`, letterId: v.id };
}

/**
 * The feed and the public ledger pages change with the record (any revision moves its head),
 * letters, errata, team names, the organisation's settings and the record's integrity status.
 */
export async function publicRecordValidation(db: DbOrTx, page: { kind: "feed" } | { kind: "ledger"; query: string }, buildId: string, integrity: string): Promise<PageValidation | null> {
  const v = await publicRecordValidator(db);
  if (!v || !v.publicSiteEnabled) return null;
  if (page.kind === "feed") {
    const etag = `"F.${digest([v.state, buildId])}"`;
    return { etag, lastModified: null, cacheControl: "public, max-age=300, must-revalidate", cacheKey: `feed:${etag}` };
  }
  const etag = `"G.${digest([v.state, page.query, integrity, buildId])}"`;
  return { etag, lastModified: null, cacheControl: "public, max-age=60, must-revalidate", cacheKey: `ledger:${page.query}:${etag}` };
}

export async function validateImmutablePage(db: DbOrTx, page: ImmutablePage, buildId: string, integrity: string): Promise<PageValidation | null> {
  switch (page.kind) {
    case "letter":
      return letterPageValidation(db, page.fiscalYear, page.audience, buildId);
    case "letter-md":
      return letterSourceValidation(db, page.fiscalYear, page.audience);
    case "feed":
    case "ledger":
      return publicRecordValidation(db, page, buildId, integrity);
  }
}

/** The NOTIFY channel the database announces changes to these pages' sources on (migration public_pages_notify). */
export const PUBLIC_PAGES_CHANNEL = "kept_public_pages";
/** Tables a letter page's or its Markdown's validator reads; any other notified table changes only the feed and the ledger. */
const LETTER_SOURCES = new Set(["letters", "letter_errata", "organisation", "organisation_logo"]);

function validationKey(page: ImmutablePage, integrity: () => string): string {
  switch (page.kind) {
    case "letter":
    case "letter-md":
      return `${page.kind}:${page.audience}:${page.fiscalYear}`;
    case "feed":
      return "feed";
    case "ledger":
      return `ledger:${integrity()}:${page.query}`;
  }
}

/**
 * Each page's validation, kept in this process while it listens for changes (ADR 0023), so a
 * request for a current page runs no query at all. The database notifies every listening
 * process when a table the validators read changes (on commit); the validations that table
 * feeds are dropped then, and the next request asks the database again. While not listening
 * (before the first LISTEN, or while its connection is lost) nothing is kept: every request
 * validates with its query, as if there were no cache. Bounded: at most `maxEntries` pages.
 */
export class PageValidations {
  private readonly entries = new Map<string, PageValidation | null>();
  /** Moves on every change and every change of listening state: a validation worked out across one is not kept. */
  private generation = 0;
  private live = false;
  private counts = { kept: 0, asked: 0, dropped: 0 };

  constructor(readonly maxEntries = 1024) {}

  get listening(): boolean {
    return this.live;
  }

  /** The LISTEN connection is up (true) or lost (false): either way, what was kept may have missed a change. */
  setListening(now: boolean): void {
    this.live = now;
    this.forget(() => true);
  }

  /** A notification: `table` changed in a committed transaction. */
  changed(table: string): void {
    this.forget(LETTER_SOURCES.has(table) ? () => true : (key) => key === "feed" || key.startsWith("ledger:"));
  }

  /** The kept validation (null: no such page), or undefined when there is none to trust. Never queries. */
  peek(page: ImmutablePage, integrity: () => string): PageValidation | null | undefined {
    if (!this.live) return undefined;
    return this.entries.get(validationKey(page, integrity));
  }

  /** The kept validation, or one worked out now (and kept when nothing changed meanwhile). */
  async validate(db: DbOrTx, page: ImmutablePage, buildId: string, integrity: () => string): Promise<PageValidation | null> {
    const key = validationKey(page, integrity);
    if (this.live && this.entries.has(key)) return this.entries.get(key) ?? null;
    const generation = this.generation;
    this.counts.asked += 1;
    const validation = await validateImmutablePage(db, page, buildId, integrity());
    if (this.live && generation === this.generation) {
      if (this.entries.size >= this.maxEntries) {
        const oldest = this.entries.keys().next().value as string;
        this.entries.delete(oldest);
      }
      this.entries.set(key, validation);
      this.counts.kept += 1;
    }
    return validation;
  }

  stats() {
    return { entries: this.entries.size, listening: this.live, ...this.counts };
  }

  private forget(which: (key: string) => boolean): void {
    this.generation += 1;
    for (const key of [...this.entries.keys()]) {
      if (which(key)) {
        this.entries.delete(key);
        this.counts.dropped += 1;
      }
    }
  }
}
