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

export const DefaultPreferencesSchema = PreferencesSchema.extend({
  checkInCadenceDays: z
    .string({ error: "Give a number of days from 1 to 365." })
    .trim()
    .regex(/^\d+$/, { error: "Give a whole number of days from 1 to 365." })
    .transform(Number)
    .pipe(z.number().int().min(1, { error: "At least 1 day." }).max(365, { error: "At most 365 days." })),
});
