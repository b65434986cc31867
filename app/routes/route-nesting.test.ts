// A page whose file name nests it under another page (`a.b.tsx` under `a.tsx`) is rendered
// inside that page's <Outlet />. When the parent has none, the URL answers 200 with the
// parent's content and the child never shows: the confirmation link of a subscription mail
// once opened the subscribe form this way. Route-module tests call loaders and actions
// directly and cannot see it, so this test reads the route tree as Remix builds it.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
// Remix's own flat-routes convention (the same function the Vite plugin uses), so the tree
// here is the tree the app serves.
import { flatRoutes } from "@remix-run/dev/dist/config/flat-routes.js";

const appDirectory = path.resolve(__dirname, "..");

type RouteEntry = { id: string; file: string; parentId?: string; path?: string; index?: boolean };

function source(file: string): string {
  return readFileSync(path.join(appDirectory, file), "utf8");
}

/** A route with a component (a page), as opposed to a resource route that answers data. */
function isPage(file: string): boolean {
  return /export\s+default\s/.test(source(file));
}

describe("route tree", () => {
  const manifest = flatRoutes(appDirectory) as Record<string, RouteEntry>;
  const routes = Object.values(manifest);

  it("is read from the app's routes folder", () => {
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.some((r) => r.id === "routes/_index")).toBe(true);
  });

  it("renders every nested page: a page with child pages has an <Outlet />", () => {
    const hidden = routes
      .filter((child) => child.parentId && child.parentId !== "root" && isPage(child.file))
      .map((child) => ({ child, parent: manifest[child.parentId!]! }))
      .filter(({ parent }) => isPage(parent.file) && !/<Outlet\b/.test(source(parent.file)))
      .map(({ child, parent }) => `${child.file} is nested in ${parent.file}, which has no <Outlet />`);
    expect(hidden).toEqual([]);
  });
});
