// Database errors arrive wrapped (drizzle wraps the driver's error in `cause`), so every
// check walks the cause chain. A unique violation, an outage and a bug are different answers.

function* causes(error: unknown): Generator<Record<string, unknown>> {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === "object"; depth++) {
    yield current as Record<string, unknown>;
    current = (current as { cause?: unknown }).cause;
  }
}

const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  for (const e of causes(error)) {
    const code = typeof e.code === "string" ? e.code : undefined;
    if (code && (UNAVAILABLE_CODES.has(code) || code.startsWith("08"))) return true;
    if (typeof e.errno === "string" && UNAVAILABLE_CODES.has(e.errno)) return true;
  }
  return false;
}

/** The name of the violated unique constraint, or null when the error is something else. */
export function uniqueViolation(error: unknown): string | null {
  for (const e of causes(error)) {
    if (e.code === "23505") {
      const name = e.constraint_name ?? e.constraint;
      return typeof name === "string" ? name : "";
    }
  }
  return null;
}

export function foreignKeyViolation(error: unknown): string | null {
  for (const e of causes(error)) {
    if (e.code === "23503") {
      const name = e.constraint_name ?? e.constraint;
      return typeof name === "string" ? name : "";
    }
  }
  return null;
}

/** Postgres raises these for serialization failures and deadlocks: safe to retry. */
export function isRetryableConflict(error: unknown): boolean {
  for (const e of causes(error)) {
    if (e.code === "40001" || e.code === "40P01") return true;
  }
  return false;
}

/**
 * Input the database itself refused as data: a NUL byte in text (22021), a value that is not
 * a uuid or a date where one is compared (22P02, 22007, 22008), a number out of range
 * (22003), text too long for an index (54000). Reaching the database with it is a missing
 * check at the edge, but the person who sent it gets a 400, not a 500.
 */
export function isInvalidInput(error: unknown): boolean {
  if (error instanceof URIError) return true;
  for (const e of causes(error)) {
    const code = typeof e.code === "string" ? e.code : undefined;
    if (code && (code.startsWith("22") || code === "54000")) return true;
  }
  return false;
}
