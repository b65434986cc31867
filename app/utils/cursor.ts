// Opaque keyset cursors: the sort key of the last row seen, base64url-encoded JSON. Decoding
// never throws; a tampered cursor simply starts from the beginning.

export function encodeCursor(values: Record<string, string>): string {
  const json = JSON.stringify(values);
  const bytes = new TextEncoder().encode(json);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeCursor<K extends string>(cursor: string | null | undefined, keys: readonly K[]): Record<K, string> | null {
  if (!cursor || cursor.length > 1000 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  try {
    const binary = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (!parsed || typeof parsed !== "object") return null;
    const record = parsed as Record<string, unknown>;
    const out = {} as Record<K, string>;
    for (const key of keys) {
      const value = record[key];
      if (typeof value !== "string") return null;
      out[key] = value;
    }
    return out;
  } catch {
    return null;
  }
}

/**
 * One keyset page from rows fetched with `limit + 1`: the first `limit` rows, and the cursor
 * of the last of them when the extra row shows there is more (null on the last page).
 */
export function keysetPage<T>(rows: readonly T[], limit: number, cursorOf: (last: T) => Record<string, string>): { items: T[]; next: string | null } {
  const { items, last } = pageOf(rows, limit);
  return { items, next: last === null ? null : encodeCursor(cursorOf(last)) };
}

/**
 * The same page where the caller says "next" its own way (a plain sequence number or id in a
 * link, a key object): the first `limit` rows of rows fetched with `limit + 1`, and the last of
 * them when the extra row shows there is more (null on the last page).
 */
export function pageOf<T>(rows: readonly T[], limit: number): { items: T[]; last: T | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, last: rows.length > limit && last !== undefined ? last : null };
}
