import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, keysetPage, pageOf } from "./cursor";

describe("cursors", () => {
  it("round-trips values, including non-ASCII names", () => {
    const cursor = encodeCursor({ name: "Zoë Ångström", id: "4b1e" });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, ["name", "id"])).toEqual({ name: "Zoë Ångström", id: "4b1e" });
  });

  it.each([
    ["empty", ""],
    ["not base64", "!!!"],
    ["not json", "bm90IGpzb24"],
    ["missing key", encodeCursor({ name: "a" })],
    ["array", "WzFd"],
  ])("rejects a %s cursor", (_name, cursor) => {
    expect(decodeCursor(cursor, ["name", "id"])).toBeNull();
  });
});

describe("keysetPage", () => {
  const rows = [{ id: "a" }, { id: "b" }, { id: "c" }];
  it("keeps `limit` rows and points past the last one when an extra row was fetched", () => {
    const page = keysetPage(rows, 2, (r) => ({ id: r.id }));
    expect(page.items).toEqual([{ id: "a" }, { id: "b" }]);
    expect(decodeCursor(page.next, ["id"] as const)).toEqual({ id: "b" });
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
