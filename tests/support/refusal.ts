// What the database said when it refused a statement, for tests of the record's guards: the
// error's message and its causes' (drizzle wraps the driver's error), joined. A statement the
// database accepted fails the test here, so an assertion on the words can never pass vacuously.
import type { SQL } from "drizzle-orm";
import { rowsOf } from "~/models/rows.server";
import type { DbOrTx } from "../../db/client";

export async function refusal(promise: PromiseLike<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const parts: string[] = [];
    for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) parts.push(String((e as Error).message ?? e));
    return parts.join(" | ");
  }
  throw new Error("expected the database to refuse the statement, but it succeeded");
}

/** The rows a statement returns. */
export async function rows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  return rowsOf<T>(await db.execute(query));
}
