// What Kept's logs may carry. A failed query's parameters are the values a person typed or a
// secret derived from it (a new password's hash, a token's digest), so they never reach a log
// line: not as a property, not inside a message or a stack, not in a wrapped cause.
import pino, { type DestinationStream, type Logger } from "pino";

const SECRET_KEYS = new Set(["params", "parameters", "args", "password", "passwordHash", "token", "cookie", "authorization"]);
const PARAMS_IN_TEXT = /\nparams: [\s\S]*?(?=\n {4}at |$)/g;

function scrub(text: string): string {
  return text.replace(PARAMS_IN_TEXT, "\nparams: [redacted]");
}

/** pino's `err` serializer, minus anything that could hold a query's values. */
export function serializeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error) || depth > 5) {
    return typeof error === "string" ? scrub(error) : error;
  }
  const out: Record<string, unknown> = { type: error.constructor?.name ?? "Error", message: scrub(error.message) };
  if (error.stack) out.stack = scrub(error.stack);
  for (const [key, value] of Object.entries(error)) {
    if (SECRET_KEYS.has(key) || key === "cause" || key === "message" || key === "stack") continue;
    if (value === null || ["string", "number", "boolean"].includes(typeof value)) {
      out[key] = typeof value === "string" ? scrub(value) : value;
    }
  }
  if (error.cause !== undefined) out.cause = serializeError(error.cause, depth + 1);
  return out;
}

export const LOG_REDACT_PATHS = ["password", "*.password", "token", "*.token", "cookie", "*.cookie", "passwordHash", "*.passwordHash"];

/** The process's logger: JSON lines, secrets redacted, errors scrubbed of query values. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: "kept" },
    redact: { paths: LOG_REDACT_PATHS, remove: true },
    serializers: { err: serializeError },
  };
  return destination ? pino(options, destination) : pino(options);
}
