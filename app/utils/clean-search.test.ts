import { describe, expect, it } from "vitest";
import { cleanListSearch, commitmentListHref } from "./clean-search";

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

describe("commitmentListHref", () => {
  it("continues a bounded list in the whole organisation's list, across every year", () => {
    expect(commitmentListHref("/commitments?status=open&year=all&sort=due", { status: "open", forecast: "not_on_track", sort: "due" })).toBe(
      "/commitments?status=open&forecast=not_on_track&sort=due&year=all",
    );
  });

  it("keeps the team its scope names, and nothing else of the scope", () => {
    expect(commitmentListHref("/commitments?status=open&year=all&sort=due&team=checkout-web", { outcomeSince: "2026-10-30" })).toBe(
      "/commitments?outcomeSince=2026-10-30&year=all&team=checkout-web",
    );
  });

  it("drops an empty filter, as the list's own form does", () => {
    expect(commitmentListHref("/commitments", { forecast: "", status: "open" })).toBe("/commitments?status=open&year=all");
  });
});
