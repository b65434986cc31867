// Opaque keyset cursors: the sort key of the last row seen, base64url-encoded JSON. Decoding
// never throws; a tampered cursor simply starts from the beginning.

export function encodeCursor(values: Record<string, string>): string {
  const json = JSON.stringify(values);
  const bytes = new TextEncoder().encode(json);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * What a cursor key holds, checked when it is read: the database compares a key with a typed
 * column (`::date`, `::uuid`, …), and a key that does not fit the type would be a database error
 * (a 500) for a hand-edited link instead of the first page.
 */
export type CursorKeyKind = "text" | "uuid" | "date" | "instant" | "int";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
// An instant as the server writes them (ISO 8601 with an offset), to the microsecond.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-](?:0\d|1[0-5])(?::?[0-5]\d)?)$/;

function fits(kind: CursorKeyKind, value: string): boolean {
  switch (kind) {
    case "text":
      return value.length <= 500;
    case "uuid":
      return UUID.test(value);
    case "date": {
      const m = ISO_DAY.exec(value);
      if (!m) return false;
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const day = new Date(Date.UTC(y, mo - 1, d));
      return y >= 1 && day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d;
    }
    case "instant": {
      const m = ISO_INSTANT.exec(value);
      if (!m || !fits("date", value.slice(0, 10)) || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3]) > 59) return false;
      // PostgreSQL's text form ("2026-11-30 02:00:00.123456+00") in the form Date.parse reads.
      const iso = value.replace(" ", "T").replace(/([+-]\d{2})$/, "$1:00");
      return !Number.isNaN(Date.parse(iso));
    }
    case "int":
      return /^-?\d{1,9}$/.test(value);
  }
}

/**
 * The keys of a cursor, each of the kind `keys` names, or null for anything else (not base64url
 * JSON, a key missing, not a string, or not of its kind). Never throws: a tampered cursor starts
 * from the beginning on a page, and the API answers it with a 400.
 */
export function decodeCursor<K extends string>(cursor: string | null | undefined, keys: Readonly<Record<K, CursorKeyKind>>): Record<K, string> | null {
  if (!cursor || cursor.length > 1000 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  try {
    const binary = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (!parsed || typeof parsed !== "object") return null;
    const record = parsed as Record<string, unknown>;
    const out = {} as Record<K, string>;
    for (const key of Object.keys(keys) as K[]) {
      const value = record[key];
      if (typeof value !== "string" || !fits(keys[key], value)) return null;
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
