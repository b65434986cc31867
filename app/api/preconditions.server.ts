// The API's one If-Match rule (ADR 0004, ADR 0021), stated to clients by the OpenAPI document
// (IF_MATCH_RULE is the If-Match parameter's description) and applied by every route that takes
// it. Every ETag the API hands out reads "<what>.v<version>" (or, for the organisation's
// settings, "org.<saved at>"), so "does it name the current version" is one comparison.
import { problem } from "./handler.server";

export const IF_MATCH_RULE =
  "The ETag from your last read (a weak W/ prefix is accepted). An ETag naming another version, or another resource, is refused with 412 VERSION.CONFLICT and the current ETag.";
export const IF_MATCH_REQUIRED = " Required: without it the answer is 428 PRECONDITION.REQUIRED.";
export const IF_MATCH_OPTIONAL = " Optional: without it the change applies to the version current when it arrives.";

/** The entity tag If-Match names, trimmed and without a weak W/ prefix. */
function ifMatchHeader(request: Request): string | null {
  const header = request.headers.get("If-Match");
  if (header === null || header.trim() === "") return null;
  return header.trim().replace(/^W\//, "");
}

/**
 * Reads If-Match where the contract requires it: 428 PRECONDITION.REQUIRED without it, thrown
 * as a problem+json Response (`detail` says which ETag to send).
 */
export function requireIfMatch(request: Request, detail: string): string {
  const tag = ifMatchHeader(request);
  if (tag === null) throw problem(428, "PRECONDITION.REQUIRED", "Precondition required", detail);
  return tag;
}

/** Reads If-Match where the contract makes it optional: null when not sent. */
export function optionalIfMatch(request: Request): string | null {
  return ifMatchHeader(request);
}

/** The version an ETag "<what>.v<n>" names, or null when it names something other than `what`. */
export function versionNamed(etag: string, what: string): number | null {
  if (!etag.startsWith(`"${what}.v`) || !etag.endsWith('"')) return null;
  const digits = etag.slice(what.length + 3, -1);
  return /^\d{1,9}$/.test(digits) ? Number(digits) : null;
}

/** 412: the If-Match named another version; the current ETag comes with the answer. */
export function preconditionFailed(detail: string, currentEtag: string, extra: Record<string, unknown> = {}): Response {
  return problem(412, "VERSION.CONFLICT", "Precondition failed", detail, extra, { ETag: currentEtag });
}
