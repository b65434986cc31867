import { describe, expect, it } from "vitest";
import { cleanListSearch } from "./clean-search";

describe("cleanListSearch", () => {
  it("drops empty and blank parameters and keeps the rest in order", () => {
    expect(cleanListSearch(new URLSearchParams("q=&team=&status=open&tag=%20&owner=&sort=due"))).toBe("?status=open&sort=due");
  });

  it("is empty when every parameter is", () => {
    expect(cleanListSearch(new URLSearchParams("q=&team="))).toBe("");
    expect(cleanListSearch(new URLSearchParams(""))).toBe("");
  });

  it("leaves a clean search as it was, so the loader does not redirect it again", () => {
    const search = "?q=checkout+latency&year=all";
    expect(cleanListSearch(new URLSearchParams(search))).toBe(search);
  });
});
