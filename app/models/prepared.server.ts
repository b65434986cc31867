import type { DbOrTx } from "../../db/client";

/**
 * drizzle builds a statement's SQL text again every time it runs: for a statement of fixed shape
 * on every page (a person's unread count, the tag picker) that was most of its cost in node
 * (ADR 0061). A query built once with `.prepare(name)` and `sql.placeholder` keeps its text and
 * runs with new values. It belongs to the database handle (or transaction) it was built on, so it
 * is kept per handle: the server's one handle builds it once; a transaction builds its own, which
 * goes with it.
 */
const preparedByHandle = new WeakMap<object, Map<string, unknown>>();

export function preparedOn<T>(db: DbOrTx, name: string, build: (db: DbOrTx) => T): T {
  let byName = preparedByHandle.get(db);
  if (!byName) {
    byName = new Map();
    preparedByHandle.set(db, byName);
  }
  let query = byName.get(name) as T | undefined;
  if (query === undefined) {
    query = build(db);
    byName.set(name, query);
  }
  return query;
}
