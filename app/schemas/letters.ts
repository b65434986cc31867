import { z } from "zod";
import { AUDIENCES } from "~/domain/types";

const version = z
  .string({ error: "The form lost track of the version; reload the page." })
  .regex(/^\d+$/, { error: "The form lost track of the version; reload the page." })
  .transform(Number);

export const FiscalYearSchema = z
  .string({ error: "Choose a fiscal year." })
  .trim()
  .regex(/^\d{4}$/, { error: "Choose a fiscal year." })
  .transform(Number)
  .pipe(z.number()
  .int({ error: "Choose a fiscal year." })
  .min(1970, { error: "Choose a fiscal year from 1970 on." })
  .max(2200, { error: "Choose a fiscal year before 2200." }));

export const GenerateLetterSchema = z.object({
  intent: z.literal("generate"),
  fiscalYear: FiscalYearSchema,
  audience: z.enum(AUDIENCES, { error: "Choose who the letter is for." }),
});

const title = z
  .string({ error: "Give the letter a title." })
  .trim()
  .min(1, { error: "Give the letter a title." })
  .max(200, { error: "Keep the title under 200 characters." });
const body = z
  .string({ error: "The letter needs a body." })
  .refine((v) => v.trim() !== "", { error: "The letter needs a body." })
  .refine((v) => v.length <= 200_000, { error: "Keep the letter under 200,000 characters." });

export const SaveDraftSchema = z.object({
  intent: z.enum(["save", "publish"]),
  version,
  title,
  body,
  // Read only when publishing: the typed phrase before the year ends, the checkbox after it.
  confirmation: z.string().max(100, { error: "Type only the words asked for." }).optional(),
  confirmFrozen: z
    .string()
    .optional()
    .transform((v) => v === "on"),
});
export const PreviewSchema = z.object({ body: z.string().max(200_000).optional().transform((v) => v ?? "") });
export const RegenerateSchema = z.object({
  intent: z.literal("regenerate"),
  version,
  replaceEdits: z
    .string()
    .optional()
    .transform((v) => v === "on"),
});
export const DiscardSchema = z.object({ intent: z.literal("discard"), version });

export const ErratumSchema = z.object({
  intent: z.literal("erratum"),
  body: z
    .string({ error: "Write what the correction is." })
    .trim()
    .min(1, { error: "Write what the correction is." })
    .max(20_000, { error: "Keep an erratum under 20,000 characters." }),
});
