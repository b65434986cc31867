import { z } from "zod";
import { checkAccentColour, normaliseHexColour } from "~/domain/branding";
import { isValidTimeZone } from "~/domain/time-zone";
import { EmailSchema, NameSchema, NewPasswordSchema, PASSWORD_MAX, RoleSchema, TeamRoleSchema, UuidSchema } from "./common";

export const OrganisationFieldsSchema = z.object({
  organisationName: NameSchema,
  fiscalYearStartMonth: z
    .string({ error: "Choose the month your fiscal year starts." })
    .regex(/^(?:[1-9]|1[0-2])$/, { error: "Choose a month from January to December." })
    .transform(Number),
  timeZone: z
    .string({ error: "Choose a time zone." })
    .trim()
    .refine(isValidTimeZone, { error: "Choose a time zone from the list, such as Europe/Berlin." }),
});

export const SetupSchema = OrganisationFieldsSchema.extend({
  adminName: NameSchema,
  adminEmail: EmailSchema,
  adminPassword: NewPasswordSchema,
  // An unticked checkbox sends nothing.
  sampleOrganisation: z
    .string()
    .optional()
    .transform((v) => v === "on"),
});

export const LoginSchema = z.object({
  email: EmailSchema,
  // Any length is checked against the hash; only absurd input is refused before hashing.
  password: z
    .string({ error: "Enter your password." })
    .min(1, { error: "Enter your password." })
    .max(PASSWORD_MAX, { error: "That password is longer than any Kept accepts." }),
  redirectTo: z.string().optional(),
});

export const AddPersonSchema = z.object({
  intent: z.literal("add"),
  name: NameSchema,
  email: EmailSchema,
  role: RoleSchema,
  // Optional: without one the person gets an invitation link and chooses their own (ADR 0018).
  password: NewPasswordSchema.optional(),
});

export const PersonActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("role"), role: RoleSchema }),
  z.object({ intent: z.literal("deactivate") }),
  z.object({ intent: z.literal("reactivate") }),
  z.object({ intent: z.literal("revoke-token"), tokenId: UuidSchema }),
  z.object({ intent: z.literal("invite") }),
  z.object({ intent: z.literal("reset-link") }),
  z.object({ intent: z.literal("revoke-link") }),
  // Put the person on a team from their page (a new person's first step after being added).
  z.object({
    intent: z.literal("add-to-team"),
    teamId: z.uuid({ error: (issue) => (issue.input === undefined ? "Choose a team." : "That is not a valid id.") }),
    teamRole: TeamRoleSchema,
  }),
]);

/** A one-time link's page: the password the person chooses, typed twice. */
export const SetPasswordSchema = z
  .object({
    password: NewPasswordSchema,
    confirm: z.string({ error: "Type the password again." }),
  })
  .refine((v) => v.password === v.confirm, { error: "The two passwords differ. Type the same password twice.", path: ["confirm"] });

export const ChangePasswordSchema = z
  .object({
    intent: z.literal("change-password"),
    currentPassword: z
      .string({ error: "Enter your current password." })
      .max(PASSWORD_MAX, { error: "That password is longer than any Kept accepts." }),
    newPassword: NewPasswordSchema,
    confirm: z.string({ error: "Type the new password again." }),
  })
  .refine((v) => v.newPassword === v.confirm, { error: "The two passwords differ. Type the same new password twice.", path: ["confirm"] });

export const SessionActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("end-session"), sessionId: UuidSchema }),
  z.object({ intent: z.literal("end-others") }),
]);

/** A hex colour white text stays readable on (docs/decisions/0020), normalised to "#rrggbb". */
export const AccentColourSchema = z
  .string()
  .trim()
  .max(20, { error: "Give the colour as a hex code such as #1d4d3a." })
  .check((ctx) => {
    const checked = checkAccentColour(ctx.value);
    if (!checked.ok) ctx.issues.push({ code: "custom", message: checked.message, input: ctx.value });
  })
  .transform((v) => normaliseHexColour(v) as string);

export const OrganisationSettingsSchema = OrganisationFieldsSchema.extend({
  signatoryName: z.string().trim().max(120, { error: "Keep the name under 120 characters." }).optional().transform((v) => v || null),
  signatoryTitle: z.string().trim().max(120, { error: "Keep the title under 120 characters." }).optional().transform((v) => v || null),
  publicSiteEnabled: z
    .string()
    .optional()
    .transform((v) => v === "on"),
  minPublicScore: z
    .string({ error: "Give a score from 0 to 100." })
    .trim()
    .regex(/^\d{1,3}$/, { error: "Give a whole number from 0 to 100." })
    .transform(Number)
    .refine((n) => n <= 100, { error: "Give a whole number from 0 to 100." }),
  accentColour: AccentColourSchema.optional().transform((v) => v ?? null),
  showPublicCheckIns: z
    .string()
    .optional()
    .transform((v) => v === "on"),
});
