import { matchRoutes } from "@remix-run/router";
import { describe, expect, it, vi } from "vitest";
import { memoizeMatchRoutes, type MatchRoutes, type RouteLike } from "./route-matching";

// A tree shaped like Remix's: a root layout, flat dotted routes, params, index, splat, pathless.
function routes(): RouteLike[] {
  return [
    {
      id: "root",
      path: "",
      children: [
        { id: "routes/_index", index: true },
        { id: "routes/commitments._index", path: "commitments", index: true },
        { id: "routes/commitments.$id._index", path: "commitments/:id", index: true },
        { id: "routes/commitments.$id.edit", path: "commitments/:id/edit" },
        { id: "routes/commitments.new", path: "commitments/new" },
        { id: "routes/letters.$year", path: "letters/:year" },
        { id: "routes/letters.$year_.internal", path: "letters/:year/internal" },
        { id: "routes/api.v1.$", path: "api/v1/*" },
        { id: "routes/api.v1.commitments.$id", path: "api/v1/commitments/:id" },
        { id: "routes/Case", path: "Case", caseSensitive: true },
        { id: "routes/teams.$slug", path: "teams/:slug", children: [{ id: "routes/teams.$slug.members", path: "members" }] },
      ],
    },
  ];
}

const PATHS = [
  "/",
  "/commitments",
  "/commitments/new",
  "/commitments/0001de5a-61b6-4b1e-9bc3-d1003a3db0b1",
  "/commitments/0001de5a-61b6-4b1e-9bc3-d1003a3db0b1/edit",
  "/commitments?tag=Security&sort=due",
  "/letters/2025",
  "/letters/2025/internal",
  "/api/v1/anything/at/all",
  "/api/v1/commitments/abc",
  "/case",
  "/Case",
  "/teams/platform/members",
  "/no/such/page",
  "/commitments/caf%C3%A9",
];

const real = matchRoutes as unknown as MatchRoutes;

describe("memoizeMatchRoutes", () => {
  it("answers every path as matchRoutes does, with the caller's own route objects", () => {
    const memo = memoizeMatchRoutes(real);
    for (const round of [1, 2, 3]) {
      // A new tree of the same shape each round, as Remix builds one per render.
      const tree = routes();
      for (const path of PATHS) {
        const expected = real(tree, path);
        const got = memo(tree, path);
        expect(got, `${path} (round ${round})`).toEqual(expected);
        got?.forEach((m, i) => expect(m.route).toBe(expected![i]!.route));
      }
      expect(memo(tree, { pathname: "/letters/2024" })).toEqual(real(tree, { pathname: "/letters/2024" }));
      expect(memo(tree, "/app/commitments", "/app")).toEqual(real(tree, "/app/commitments", "/app"));
      expect(memo(tree, "/commitments", "/app")).toBeNull();
    }
  });

  it("matches a shape and path once, and hands out objects a caller may change", () => {
    const original = vi.fn(real);
    const memo = memoizeMatchRoutes(original as unknown as MatchRoutes);
    const first = memo(routes(), "/letters/2025")!;
    first[1]!.params.year = "1999";
    const second = memo(routes(), "/letters/2025")!;
    expect(second[1]!.params.year).toBe("2025");
    expect(original).toHaveBeenCalledTimes(1);
    // Another shape (a route added) is matched afresh.
    const grown = routes();
    grown[0]!.children!.push({ id: "routes/letters.$year.extra", path: "letters/:year" });
    memo(grown, "/letters/2025");
    expect(original).toHaveBeenCalledTimes(2);
  });

  it("forgets the oldest path past its bound", () => {
    const original = vi.fn(real);
    const memo = memoizeMatchRoutes(original as unknown as MatchRoutes, 2);
    const tree = routes();
    memo(tree, "/letters/1");
    memo(tree, "/letters/2");
    memo(tree, "/letters/3");
    memo(tree, "/letters/3");
    memo(tree, "/letters/1");
    expect(original).toHaveBeenCalledTimes(4);
  });

  it("leaves trees whose routes lack unique ids to matchRoutes itself", () => {
    const original = vi.fn(real);
    const memo = memoizeMatchRoutes(original as unknown as MatchRoutes);
    const anonymous: RouteLike[] = [{ path: "a" }, { path: "b" }];
    expect(memo(anonymous, "/b")).toEqual(real(anonymous, "/b"));
    memo(anonymous, "/b");
    expect(original).toHaveBeenCalledTimes(2);
    const twice: RouteLike[] = [{ id: "x", path: "a" }, { id: "x", path: "b" }];
    expect(memo(twice, "/b")![0]!.route).toBe(twice[1]);
  });
});
