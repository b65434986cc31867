// Expected failures are values with a stable code; routes map codes to HTTP statuses and
// forms show `field` errors beside the field.

export type ErrorCode =
  | "AUTH.REQUIRED"
  | "AUTH.INVALID_CREDENTIALS"
  | "AUTH.THROTTLED"
  | "CREDENTIALS.RATE_LIMITED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "SETUP.ALREADY_DONE"
  | "SETUP.REQUIRED"
  | "USER.EMAIL_TAKEN"
  | "USER.LAST_ADMIN"
  | "USER.SELF"
  | "USER.INACTIVE"
  | "USER.HAS_PASSWORD"
  | "LINK.UNKNOWN"
  | "LINK.USED"
  | "LINK.EXPIRED"
  | "LINK.REVOKED"
  | "TEAM.SLUG_TAKEN"
  | "TEAM.PARENT_CYCLE"
  | "TEAM.PARENT_NOT_FOUND"
  | "TEAM.USER_NOT_FOUND"
  | "TEAM.HAS_CHILDREN"
  | "VALIDATION"
  | "COMMITMENT.BELOW_MINIMUM"
  | "COMMITMENT.RESCOPE_REASON_REQUIRED"
  | "COMMITMENT.RESOLVED"
  | "COMMITMENT.NOT_CARRYABLE"
  | "COMMITMENT.ALREADY_CARRIED"
  | "OUTCOME.REASON_REQUIRED"
  | "VERSION.CONFLICT"
  | "SAMPLE.NOT_EMPTY"
  | "ACTION.ALREADY_PROMOTED"
  | "LETTER.EXISTS"
  | "LETTER.HAS_EDITS"
  | "LETTER.PUBLISHED"
  | "LETTER.NOT_PUBLISHED"
  | "LETTER.NOT_PUBLISHABLE"
  | "LETTER.YEAR_NOT_STARTED"
  | "LETTER.CONFIRMATION_REQUIRED"
  | "SUBSCRIPTION.THROTTLED"
  | "SUBSCRIPTION.EXPIRED"
  | "SUBSCRIPTION.USED";

export interface DomainError {
  code: ErrorCode;
  message: string;
  /** The input field the error belongs to, when there is one. */
  field?: string;
  /** For AUTH.THROTTLED and CREDENTIALS.RATE_LIMITED: seconds until another attempt is allowed. */
  retryAfter?: number;
  /** Several fields at once (e.g. an outcome missing its reason and lesson). */
  fieldErrors?: Record<string, string[]>;
  /** For VERSION.CONFLICT: what the other save changed. */
  conflict?: { currentVersion: number; changedFields: string[] };
  /** For LETTER.NOT_PUBLISHABLE: everything that must change before the letter can be published. */
  problems?: Array<{ code: string; message: string; commitmentId?: string }>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: DomainError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string, field?: string, extra?: Partial<DomainError>): { ok: false; error: DomainError } => ({
  ok: false,
  error: { code, message, field, ...extra },
});

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  "AUTH.REQUIRED": 401,
  "AUTH.INVALID_CREDENTIALS": 401,
  "AUTH.THROTTLED": 429,
  "CREDENTIALS.RATE_LIMITED": 429,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  "SETUP.ALREADY_DONE": 404,
  "SETUP.REQUIRED": 404,
  "USER.EMAIL_TAKEN": 409,
  "USER.LAST_ADMIN": 409,
  "USER.SELF": 409,
  "USER.INACTIVE": 409,
  "USER.HAS_PASSWORD": 409,
  "LINK.UNKNOWN": 404,
  "LINK.USED": 410,
  "LINK.EXPIRED": 410,
  "LINK.REVOKED": 410,
  "TEAM.SLUG_TAKEN": 409,
  "TEAM.PARENT_CYCLE": 422,
  "TEAM.PARENT_NOT_FOUND": 422,
  "TEAM.USER_NOT_FOUND": 422,
  "TEAM.HAS_CHILDREN": 409,
  VALIDATION: 400,
  "COMMITMENT.BELOW_MINIMUM": 422,
  "COMMITMENT.RESCOPE_REASON_REQUIRED": 422,
  "COMMITMENT.RESOLVED": 409,
  "COMMITMENT.NOT_CARRYABLE": 409,
  "COMMITMENT.ALREADY_CARRIED": 409,
  "OUTCOME.REASON_REQUIRED": 422,
  "VERSION.CONFLICT": 409,
  "SAMPLE.NOT_EMPTY": 409,
  "ACTION.ALREADY_PROMOTED": 409,
  "LETTER.EXISTS": 409,
  "LETTER.HAS_EDITS": 409,
  "LETTER.PUBLISHED": 409,
  "LETTER.NOT_PUBLISHED": 409,
  "LETTER.NOT_PUBLISHABLE": 422,
  "LETTER.YEAR_NOT_STARTED": 422,
  "LETTER.CONFIRMATION_REQUIRED": 422,
  "SUBSCRIPTION.THROTTLED": 429,
  "SUBSCRIPTION.EXPIRED": 410,
  "SUBSCRIPTION.USED": 409,
};

/** Who is acting. Services decide permissions from this, never from what the UI showed. */
export interface Actor {
  id: string;
  role: "admin" | "member" | "viewer";
}

/** What Kept says, everywhere, before first-run setup has made the organisation (ADR 0021). */
export const NOT_SET_UP = "Kept is not set up yet.";

/**
 * The one way to say "not set up yet" as a value: SETUP.REQUIRED, 404 on a page and in the API
 * (the status the OpenAPI document already gives the organisation's settings before setup).
 */
export const notSetUp = () => fail("SETUP.REQUIRED", NOT_SET_UP);
