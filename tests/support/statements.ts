// Counting what the database is asked: every SQL statement drizzle runs while a function does,
// statements inside transactions included, read from drizzle's own logger hook. Tests assert
// statement counts and shapes this way, never wall-clock time.
import type { Database } from "../../db/client";

type QueryLogger = { logQuery(query: string, params: unknown[]): void };

export async function statementsDuring<T>(db: Database, fn: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const session = (db as unknown as { session: { logger: QueryLogger; options?: { logger?: QueryLogger } } }).session;
  const previous = { own: session.logger, options: session.options?.logger };
  const statements: string[] = [];
  const logger: QueryLogger = { logQuery: (query) => statements.push(query) };
  session.logger = logger;
  // A transaction's session takes its logger from the options it was made with.
  if (session.options) session.options.logger = logger;
  try {
    return { result: await fn(), statements };
  } finally {
    session.logger = previous.own;
    if (session.options) session.options.logger = previous.options;
  }
}
