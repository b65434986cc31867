// The change log: one JSON line per change to the record, written by the use case that made
// it, so a change made through the JSON API logs the same line as the same change made in the
// UI. Routes hand their request logger in (context.logger, which carries the request id);
// callers with no request (sample data, imports of an export) pass nothing and log nothing.

/** What a use case needs of a logger: pino's `info(fields, message)`. */
export interface ChangeLog {
  info(fields: Record<string, unknown>, message: string): void;
}

export const NO_CHANGE_LOG: ChangeLog = { info: () => {} };
