import { describe, expect, it } from "vitest";
import { descendantsOf, flattenTree } from "./team-tree";

const teams = [
  { id: "p", parentId: null, name: "Platform" },
  { id: "s", parentId: "p", name: "Storage" },
  { id: "n", parentId: "p", name: "Networking" },
  { id: "b", parentId: "s", name: "Backups" },
  { id: "a", parentId: null, name: "Apps" },
  { id: "o", parentId: "gone", name: "Orphan" },
];

describe("flattenTree", () => {
  it("lists depth-first with siblings sorted by name", () => {
    expect(flattenTree(teams).map((r) => `${"-".repeat(r.depth)}${r.team.name}`)).toEqual([
      "Apps",
      "Orphan",
      "Platform",
      "-Networking",
      "-Storage",
      "--Backups",
    ]);
  });
});

describe("descendantsOf", () => {
  it("includes the team itself and every level below", () => {
    expect([...descendantsOf(teams, "p")].sort()).toEqual(["b", "n", "p", "s"]);
    expect([...descendantsOf(teams, "b")]).toEqual(["b"]);
  });
});
