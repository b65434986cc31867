import { z } from "zod";

// An unticked checkbox sends nothing.
const tick = z
  .string()
  .optional()
  .transform((v) => v === "on");

export const EMAIL_FREQUENCY_LABELS = {
  each: "Each reminder and event by mail, as it comes",
  digest: "Only the weekly digest by mail",
  never: "No mail: in Kept only",
} as const;

export const PreferencesSchema = z.object({
  checkIn: tick,
  dueSoon: tick,
  pastDue: tick,
  retrospective: tick,
  weeklyDigest: tick,
  rescopes: tick,
  outcomes: tick,
  checkIns: tick,
  email: z.enum(["each", "digest", "never"], { error: "Choose how mail reaches you." }),
});

/** Turning mail back on for kinds a person stopped with an unsubscribe link. */
export const ResumeMailSchema = z.object({
  kind: z
    .array(z.enum(["check_in", "due_soon", "past_due", "retrospective", "rescoped", "outcome", "checked_in"], { error: "Not a kind of mail Kept sends." }), {
      error: "Tick the mail to turn back on.",
    })
    .min(1, { error: "Tick the mail to turn back on." }),
});

export const DefaultPreferencesSchema = PreferencesSchema.extend({
  checkInCadenceDays: z
    .string({ error: "Give a number of days from 1 to 365." })
    .trim()
    .regex(/^\d+$/, { error: "Give a whole number of days from 1 to 365." })
    .transform(Number)
    .pipe(z.number().int().min(1, { error: "At least 1 day." }).max(365, { error: "At most 365 days." })),
});
