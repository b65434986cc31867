// A bounded in-process cache of rendered bytes for pages that never change while their ETag
// stays the same (published letters, their Markdown, the feed, the public ledger; ADR 0015).
// Correct with several processes because the key *is* the ETag, which each request works out
// from the database with one small query: a process never serves bytes for an ETag the
// database no longer gives, it just renders them again.

export interface CachedPage {
  /** Response headers to send with the bytes (content type, ETag, cache policy). */
  headers: Record<string, string>;
  /**
   * The body, split wherever the rendering request's CSP nonce appeared, so each hit can put its
   * own nonce back in (parts.join(nonce)); a single part when there was none.
   */
  parts: Buffer[];
  /** The bytes as rendered (the rendering request's nonce included). */
  size: number;
  /** The length of the rendering request's nonce, where parts meet. */
  nonceLength: number;
}

export interface PageCacheStats {
  entries: number;
  bytes: number;
  hits: number;
  misses: number;
  evictions: number;
}

export class PageCache {
  private readonly pages = new Map<string, CachedPage>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;

  constructor(
    /** The most bytes the cache holds; the least recently used pages go first. */
    readonly maxBytes: number,
    /** No single page bigger than this is kept (it would push out everything else). */
    readonly maxPageBytes: number = Math.floor(maxBytes / 4),
  ) {}

  get(key: string): CachedPage | undefined {
    const page = this.pages.get(key);
    if (!page) {
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    // Map order is insertion order: re-inserting marks it most recently used.
    this.pages.delete(key);
    this.pages.set(key, page);
    return page;
  }

  /** Keeps a page unless it is too big; evicts the least recently used until it fits. */
  set(key: string, headers: Record<string, string>, body: Buffer, nonce: string | null): boolean {
    if (body.length > this.maxPageBytes) return false;
    const existing = this.pages.get(key);
    if (existing) {
      this.pages.delete(key);
      this.bytes -= existing.size;
    }
    const page: CachedPage = { headers, parts: splitOn(body, nonce), size: body.length, nonceLength: nonce ? Buffer.byteLength(nonce, "utf8") : 0 };
    while (this.bytes + page.size > this.maxBytes && this.pages.size > 0) {
      const [oldest, evicted] = this.pages.entries().next().value as [string, CachedPage];
      this.pages.delete(oldest);
      this.bytes -= evicted.size;
      this.evictions += 1;
    }
    this.pages.set(key, page);
    this.bytes += page.size;
    return true;
  }

  stats(): PageCacheStats {
    return { entries: this.pages.size, bytes: this.bytes, hits: this.hits, misses: this.misses, evictions: this.evictions };
  }
}

function splitOn(body: Buffer, nonce: string | null): Buffer[] {
  if (!nonce) return [body];
  const needle = Buffer.from(nonce, "utf8");
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = body.indexOf(needle, from); at !== -1; at = body.indexOf(needle, from)) {
    parts.push(body.subarray(from, at));
    from = at + needle.length;
  }
  parts.push(body.subarray(from));
  return parts;
}

/** The cached body with this request's nonce where the rendering request's was. */
export function bodyWithNonce(page: CachedPage, nonce: string): Buffer {
  if (page.parts.length === 1) return page.parts[0] as Buffer;
  const glue = Buffer.from(nonce, "utf8");
  const pieces: Buffer[] = [];
  page.parts.forEach((part, i) => {
    if (i > 0) pieces.push(glue);
    pieces.push(part);
  });
  return Buffer.concat(pieces);
}

/** Whether an If-None-Match header matches an ETag (weak comparison, "*" included). */
export function etagMatches(header: string | null | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, "");
  return header.split(",").some((t) => t.trim() === "*" || bare(t) === bare(etag));
}
