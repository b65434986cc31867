// What the database said when it refused a statement, for tests of the record's guards: the
// error's message and its causes' (drizzle wraps the driver's error), joined. A statement the
// database accepted fails the test here, so an assertion on the words can never pass vacuously.
import type { SQL } from "drizzle-orm";
import { rowsOf } from "~/models/rows.server";
import type { DbOrTx } from "../../db/client";

export async function refusal(promise: PromiseLike<unknown>): Promise<string> {
  return causes(await refused(promise))
    .map((e) => String((e as Error).message ?? e))
    .join(" | ");
}

/** As `refusal`, with the SQLSTATE and detail of the database's own error in the chain. */
export async function refusalWithCode(promise: PromiseLike<unknown>): Promise<{ code: string; message: string; detail: string }> {
  const chain = causes(await refused(promise));
  const own = chain.findLast((e) => typeof (e as { code?: unknown }).code === "string" && /^[0-9A-Z]{5}$/.test((e as { code: string }).code)) as
    | { code: string; detail?: unknown }
    | undefined;
  return {
    code: own?.code ?? "",
    message: chain.map((e) => String((e as Error).message ?? e)).join(" | "),
    detail: typeof own?.detail === "string" ? own.detail : "",
  };
}

async function refused(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the database to refuse the statement, but it succeeded");
}

/** The error and its causes, outermost first. */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

/** The rows a statement returns. */
export async function rows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  return rowsOf<T>(await db.execute(query));
}
