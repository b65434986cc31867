import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, keysetPage, pageOf } from "./cursor";

describe("cursors", () => {
  it("round-trips values, including non-ASCII names", () => {
    const id = "4b1e0c8e-2f7a-4c1d-9a7b-0e5f3c2d1a00";
    const cursor = encodeCursor({ name: "Zoë Ångström", id });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, { name: "text", id: "uuid" })).toEqual({ name: "Zoë Ångström", id });
  });

  it.each([
    ["empty", ""],
    ["not base64", "!!!"],
    ["not json", "bm90IGpzb24"],
    ["missing key", encodeCursor({ name: "a" })],
    ["array", "WzFd"],
  ])("rejects a %s cursor", (_name, cursor) => {
    expect(decodeCursor(cursor, { name: "text", id: "text" })).toBeNull();
  });

  // Each key is compared with a typed column: a key that does not fit would be a database error.
  const ID = "4b1e0c8e-2f7a-4c1d-9a7b-0e5f3c2d1a00";
  it.each([
    ["uuid", ID, true],
    ["uuid", "4b1e", false],
    ["uuid", `${ID}x`, false],
    ["date", "2026-02-28", true],
    ["date", "2024-02-29", true],
    ["date", "2026-02-30", false],
    ["date", "2026-13-01", false],
    ["date", "abc", false],
    ["date", "0000-01-01", false],
    ["instant", "2026-11-30T02:00:00.123Z", true],
    ["instant", "2026-11-30 02:00:00.123456+00", true],
    ["instant", "2026-11-30 02:00:00+05:30", true],
    ["instant", "2026-02-30T02:00:00Z", false],
    ["instant", "2026-11-30T24:00:00Z", false],
    ["instant", "2026-11-30T02:00:00", false],
    ["instant", "yesterday", false],
    ["int", "42", true],
    ["int", "-3", true],
    ["int", "4.2", false],
    ["int", "99999999999", false],
    ["text", "Zoë", true],
    ["text", "x".repeat(501), false],
  ] as const)("reads a %s key %j: %s", (kind, value, fits) => {
    const decoded = decodeCursor(encodeCursor({ key: value, id: ID }), { key: kind, id: "uuid" });
    expect(decoded).toEqual(fits ? { key: value, id: ID } : null);
  });
});

describe("keysetPage", () => {
  const rows = [{ id: "a" }, { id: "b" }, { id: "c" }];
  it("keeps `limit` rows and points past the last one when an extra row was fetched", () => {
    const page = keysetPage(rows, 2, (r) => ({ id: r.id }));
    expect(page.items).toEqual([{ id: "a" }, { id: "b" }]);
    expect(decodeCursor(page.next, { id: "text" })).toEqual({ id: "b" });
  });
  it("has no next page when the rows fit", () => {
    expect(keysetPage(rows, 3, (r) => ({ id: r.id }))).toEqual({ items: rows, next: null });
    expect(keysetPage([], 3, (r: { id: string }) => ({ id: r.id }))).toEqual({ items: [], next: null });
  });
});

describe("pageOf", () => {
  const rows = [{ seq: 1 }, { seq: 2 }, { seq: 3 }];
  it("keeps `limit` rows and names the last of them when an extra row was fetched", () => {
    expect(pageOf(rows, 2)).toEqual({ items: [{ seq: 1 }, { seq: 2 }], last: { seq: 2 } });
  });
  it("names no last row when the rows fit, so there is no next page", () => {
    expect(pageOf(rows, 3)).toEqual({ items: rows, last: null });
    expect(pageOf([], 3)).toEqual({ items: [], last: null });
  });
});
