// What counts as a written reason and as evidence of delivery. The record is only worth
// something when "why" says why and "proof" points somewhere: one rule each, used by the
// forms, the API schemas and the services alike (PRODUCT.md, "Trust that outsiders can check").

/** The fewest letters and digits a reason may have: about a short sentence. */
export const MIN_REASON_CHARACTERS = 12;
/** The fewest different words (of two characters or more) a reason may have. */
export const MIN_REASON_WORDS = 3;
/** The longest re-scope or outcome-change reason; explanations may run longer (their own limit). */
export const MAX_REASON_LENGTH = 2000;

/**
 * Stock phrases that fill a box without saying anything. They are removed before the reason is
 * measured, so "TBD, see above" is as empty as "TBD", while a sentence that happens to contain
 * "as above" still counts by its other words.
 */
const PLACEHOLDER_PHRASES = [
  "not applicable",
  "not available",
  "to be determined",
  "to be decided",
  "to be confirmed",
  "to be announced",
  "same as above",
  "see above",
  "as above",
  "see below",
  "as below",
  "see ticket",
  "see jira",
  "see notes",
  "no reason given",
  "no reason",
  "no comment",
  "will explain later",
  "explain later",
  "lorem ipsum dolor sit amet",
  "lorem ipsum",
  "n a",
  "tbd",
  "tbc",
  "tba",
  "todo",
  "fixme",
  "wip",
  "none",
  "nothing",
  "null",
  "nil",
  "na",
  "xxx",
  "asdf",
  "test",
  "etc",
  "ditto",
  "idem",
];

const PLACEHOLDER_PATTERN = new RegExp(`\\b(?:${PLACEHOLDER_PHRASES.map((p) => p.replace(/ /g, "\\s+")).join("|")})\\b`, "gu");

/** The words that carry meaning: letters and digits only, lower case, placeholders taken out. */
function meaningfulWords(text: string): string[] {
  const folded = text
    .normalize("NFKC")
    .toLocaleLowerCase("en-GB")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .replace(PLACEHOLDER_PATTERN, " ");
  return folded.split(" ").filter((w) => w !== "");
}

export const REASON_RULE =
  `Write at least a sentence: ${MIN_REASON_CHARACTERS} letters or more and ${MIN_REASON_WORDS} different words. ` +
  "Placeholders such as “n/a”, “-”, “tbd” or “see above” don’t count.";

/**
 * Why a reason (a re-scope reason, an outcome-change reason, a shortfall explanation) doesn't
 * say anything yet, or null when it does. The text is judged trimmed.
 */
export function reasonProblem(raw: string): string | null {
  const text = raw.trim();
  if (text === "") return "Say why, in at least a sentence.";
  const words = meaningfulWords(text);
  const characters = words.join("").length;
  const distinct = new Set(words.filter((w) => w.length >= 2));
  if (characters < MIN_REASON_CHARACTERS || distinct.size < MIN_REASON_WORDS) return REASON_RULE;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Evidence

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

/**
 * An internal Kept reference: the path of something Kept itself keeps, which a reader of the
 * record can follow on this instance: a commitment (`/commitments/<id>`) or a published letter
 * (`/letters/2026`, `/letters/2026/internal`), optionally with a `#fragment`.
 */
export const KEPT_REFERENCE = new RegExp(`^/(?:commitments/${UUID}|letters/\\d{4}(?:/internal)?)(?:#[A-Za-z0-9_-]{1,80})?$`, "i");

/** A host label: letters, digits and inner hyphens (punycode "xn--" included), 1 to 63 long. */
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
/** A top-level domain: letters only (2 to 63), or an internationalised one in punycode. */
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

function isIpHost(hostname: string): boolean {
  // WHATWG URL parsing has already turned every IPv4 spelling into dotted decimal and wrapped
  // IPv6 in brackets, so these two shapes are the only ones left to recognise.
  if (hostname.startsWith("[") && hostname.endsWith("]")) return true;
  return /^(?:\d{1,3}\.){3}\d{1,3}$/.test(hostname);
}

/** A host that names a real place on the web: a dotted domain name with a TLD, or an IP address. */
export function isRealHost(hostname: string): boolean {
  if (isIpHost(hostname)) return true;
  const labels = hostname.replace(/\.$/, "").split(".");
  if (labels.length < 2) return false;
  const tld = labels[labels.length - 1] ?? "";
  return labels.every((l) => LABEL.test(l)) && TLD.test(tld);
}

export const EVIDENCE_RULE =
  "Link to the evidence: a full web address on a real domain, such as https://status.example.com/…, " +
  "or a Kept page such as /commitments/… or /letters/2026.";

/** Why a piece of evidence can't be followed by a reader, or null when it can. */
export function evidenceProblem(raw: string): string | null {
  const text = raw.trim();
  if (text === "") return EVIDENCE_RULE;
  if (text.startsWith("/")) return KEPT_REFERENCE.test(text) ? null : EVIDENCE_RULE;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return EVIDENCE_RULE;
  }
  // Anything but http(s) (javascript:, data:, file:) could run script or point nowhere a reader can follow.
  if (url.protocol !== "http:" && url.protocol !== "https:") return "Use a web address that starts with http:// or https://.";
  if (url.username !== "" || url.password !== "") return "Leave user names and passwords out of the evidence link.";
  if (!isRealHost(url.hostname)) return EVIDENCE_RULE;
  return null;
}
