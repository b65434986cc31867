// db.execute() answers differently per driver: postgres.js returns the rows array, PGlite an
// object with `rows`. Raw-SQL model functions read results through this.
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
