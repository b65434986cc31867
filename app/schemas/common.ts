import { z } from "zod";
import {
  EVIDENCE_RULE,
  MAX_REASON_LENGTH,
  MIN_REASON_CHARACTERS,
  MIN_REASON_WORDS,
  REASON_RULE,
  evidenceProblem,
  reasonProblem,
} from "~/domain/reasons";
import { ROLES, TEAM_ROLES } from "~/domain/types";

// Edge schemas shared by the browser (live validation) and the server (the real check).
// Messages are written for the person filling in the form.

export const NameSchema = z
  .string({ error: "Enter a name." })
  .trim()
  .min(1, { error: "Enter a name." })
  .max(120, { error: "Keep the name under 120 characters." });

export const EmailSchema = z
  .string({ error: "Enter an email address." })
  .trim()
  .toLowerCase()
  .max(254, { error: "That email address is too long." })
  .pipe(z.email({ error: "Enter an email address like name@example.com." }));

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

export const NewPasswordSchema = z
  .string({ error: `Choose a password of at least ${PASSWORD_MIN} characters.` })
  .min(PASSWORD_MIN, { error: `Use at least ${PASSWORD_MIN} characters.` })
  .max(PASSWORD_MAX, { error: `Use at most ${PASSWORD_MAX} characters.` });

export const RoleSchema = z.enum(ROLES, { error: "Choose admin, member or viewer." });
export const TeamRoleSchema = z.enum(TEAM_ROLES, { error: "Choose editor or viewer." });

export const UuidSchema = z.uuid({ error: "That is not a valid id." });

// ---------------------------------------------------------------------------------------------
// Reasons and evidence: one rule (app/domain/reasons.ts) for the forms and the API alike.

export const REASON_DESCRIPTION =
  `Trimmed; at least a sentence: ${MIN_REASON_CHARACTERS} letters or digits and ${MIN_REASON_WORDS} different words, ` +
  "not counting placeholders such as “n/a”, “-”, “.”, “tbd” or “see above”.";

function refineReason(value: string, ctx: z.RefinementCtx) {
  if (value === "") return;
  const problem = reasonProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
}

/**
 * A written reason (re-scope, outcome change, shortfall explanation) in a form. Blank means
 * "none given" (null): whether one is required is the service's decision; anything typed must
 * say something.
 */
export function optionalReasonField(max = MAX_REASON_LENGTH) {
  return z
    .string()
    .trim()
    .max(max, { error: `Keep it under ${max} characters.` })
    .superRefine(refineReason)
    .optional()
    .transform((v) => (v ? v : null));
}

/**
 * The same rule for an API field. The minimum length is stated in the schema so the OpenAPI
 * document shows it; the rest of the rule is in the description.
 */
export function reasonWrite(max = MAX_REASON_LENGTH) {
  return z
    .string()
    .trim()
    .min(MIN_REASON_CHARACTERS, { error: REASON_RULE })
    .max(max, { error: `Keep it under ${max} characters.` })
    // One message per field: the length check above has already said it for short text.
    .superRefine((value, ctx) => {
      if (value.length >= MIN_REASON_CHARACTERS) refineReason(value, ctx);
    });
}

export const EVIDENCE_DESCRIPTION =
  "An absolute http(s) URL whose host is a domain name with a top-level domain (not a single label such as `https://n/a`) " +
  "or an IP address, or a Kept reference: `/commitments/{id}`, `/letters/{year}` or `/letters/{year}/internal`, optionally with `#fragment`.";

export const EVIDENCE_PATTERN = "^(?:https?://[^\\s/?#]*[.\\[][^\\s]*|/(?:commitments|letters)/\\S+)$";

/** Evidence of delivery, for forms and the API: see evidenceProblem. */
export const EvidenceSchema = z
  .string()
  .trim()
  .max(2000, { error: "Keep the link under 2000 characters." })
  .superRefine((value, ctx) => {
    if (value === "") return;
    const problem = evidenceProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .describe(EVIDENCE_DESCRIPTION);

/** Evidence in a form: blank is null; the service requires it for a delivery. */
export const OptionalEvidenceFieldSchema = EvidenceSchema.optional().transform((v) => (v ? v : null));

export const EvidenceWriteSchema = z
  .string()
  .trim()
  .min(1, { error: EVIDENCE_RULE })
  .max(2000, { error: "Keep the link under 2000 characters." })
  .regex(new RegExp(EVIDENCE_PATTERN), { error: EVIDENCE_RULE })
  .superRefine((value, ctx) => {
    // One message per field: the pattern above has already said it for what it refuses.
    if (value === "" || !new RegExp(EVIDENCE_PATTERN).test(value)) return;
    const problem = evidenceProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .describe(EVIDENCE_DESCRIPTION);
