import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "./cursor";

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
