// Route matching once per path. @remix-run/router's matchRoutes flattens and ranks every route
// and compiles a regular expression per route pattern on each call, and one page request calls
// it several times over Kept's hundred-odd routes (the server's match, lazy route discovery's
// partial manifest, the static router's render): a quarter of the CPU a small page cost
// (ADR 0031). Which routes match a path depends only on the routes' ids, paths, index and
// case-sensitivity flags, the basename and the path, so the answer is kept per route tree shape
// and path, bounded, and handed out as fresh match objects pointing at the caller's own routes.
import { createRequire } from "node:module";

export interface RouteLike {
  id?: string;
  path?: string;
  index?: boolean;
  caseSensitive?: boolean;
  children?: RouteLike[];
}

export interface RouteMatch<R extends RouteLike = RouteLike> {
  params: Record<string, string | undefined>;
  pathname: string;
  pathnameBase: string;
  route: R;
}

export type MatchRoutes = <R extends RouteLike>(routes: R[], location: string | { pathname?: string }, basename?: string) => RouteMatch<R>[] | null;

interface Shape {
  /** Small number standing for the tree's shape (ids, paths, flags, nesting). */
  id: number;
  byId: Map<string, RouteLike>;
}

interface Remembered {
  id: string;
  params: Record<string, string | undefined>;
  pathname: string;
  pathnameBase: string;
}

/** Paths remembered at most (oldest forgotten first): addresses carry ids, so they are unbounded. */
export const REMEMBERED_PATHS = 2000;

/** `original`, answering a shape and path it has answered before without matching again. */
export function memoizeMatchRoutes(original: MatchRoutes, limit = REMEMBERED_PATHS): MatchRoutes {
  const shapes = new WeakMap<object, Shape | null>();
  const shapeIds = new Map<string, number>();
  const answers = new Map<string, Remembered[] | null>();

  function shapeOf(routes: RouteLike[]): Shape | null {
    const byId = new Map<string, RouteLike>();
    const parts: string[] = [];
    const walk = (list: RouteLike[]): boolean => {
      parts.push("[");
      for (const route of list) {
        // Without a unique id a route cannot be found again in another tree: match as before.
        if (typeof route.id !== "string" || byId.has(route.id)) return false;
        byId.set(route.id, route);
        parts.push(JSON.stringify([route.id, route.path ?? null, route.index === true, route.caseSensitive === true]));
        if (route.children && !walk(route.children)) return false;
      }
      parts.push("]");
      return true;
    };
    if (!walk(routes)) return null;
    const key = parts.join("");
    let id = shapeIds.get(key);
    if (id === undefined) {
      id = shapeIds.size;
      shapeIds.set(key, id);
    }
    return { id, byId };
  }

  return function matchRoutes<R extends RouteLike>(routes: R[], location: string | { pathname?: string }, basename?: string): RouteMatch<R>[] | null {
    let shape = shapes.get(routes);
    if (shape === undefined) {
      shape = shapeOf(routes);
      shapes.set(routes, shape);
    }
    if (!shape) return original(routes, location, basename);
    // A string may carry a query or fragment, which matching ignores: keyed whole, still correct.
    const path = typeof location === "string" ? location : location.pathname || "/";
    const key = `${shape.id}\u0000${basename ?? "/"}\u0000${path}`;
    let remembered = answers.get(key);
    if (remembered === undefined) {
      const matches = original(routes, location, basename);
      remembered = matches ? matches.map((m) => ({ id: m.route.id!, params: m.params, pathname: m.pathname, pathnameBase: m.pathnameBase })) : null;
      if (answers.size >= limit) answers.delete(answers.keys().next().value!);
      answers.set(key, remembered);
    }
    if (!remembered) return null;
    const byId = shape.byId;
    // Fresh objects each time: callers may add to a match or its params.
    return remembered.map((m) => ({ params: { ...m.params }, pathname: m.pathname, pathnameBase: m.pathnameBase, route: byId.get(m.id) as R }));
  };
}

/**
 * Puts the memo in place of @remix-run/router's matchRoutes for every module that calls it
 * through the package's exports (Remix's server runtime, its React side and React Router), once.
 */
export function rememberRouteMatches(): void {
  const requireHere = createRequire(import.meta.url);
  const router = requireHere("@remix-run/router") as { matchRoutes: MatchRoutes & { remembers?: true } };
  if (router.matchRoutes.remembers) return;
  const memo = Object.assign(memoizeMatchRoutes(router.matchRoutes), { remembers: true as const });
  router.matchRoutes = memo;
}
