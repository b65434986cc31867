import { z } from "zod";
import { isValidIsoDate } from "~/domain/period";
import { PERSON_TEXT_MAX } from "~/domain/person-picker";
import { UuidSchema } from "./common";

const notes = z
  .string()
  .max(20_000, { error: "Keep each part under 20,000 characters." })
  .optional()
  .transform((v) => v ?? "");

export const NotesSchema = z.object({
  intent: z.literal("notes"),
  version: z
    .string({ error: "The form lost track of the version; reload the page." })
    .regex(/^\d+$/, { error: "The form lost track of the version; reload the page." })
    .transform(Number),
  wentWell: notes,
  wentBadly: notes,
  willChange: notes,
});

export const ActionItemSchema = z.object({
  intent: z.literal("add-action"),
  text: z
    .string({ error: "Say what will be done." })
    .trim()
    .min(1, { error: "Say what will be done." })
    .max(500, { error: "Keep it under 500 characters." }),
  ownerId: z
    .union([z.literal("").transform(() => null), UuidSchema])
    .optional()
    .transform((v) => v ?? null),
  dueDate: z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || isValidIsoDate(v), { error: "Enter a real date (YYYY-MM-DD)." })
    .transform((v) => v || null),
});

/**
 * The page's form: the owner is typed into `owner` (a person picker, ADR 0029), which the action
 * resolves into `ownerId` before ActionItemSchema, the API's too, parses it.
 */
export const ActionItemFormSchema = ActionItemSchema.extend({
  owner: z.string().max(PERSON_TEXT_MAX, { error: `Keep it under ${PERSON_TEXT_MAX} characters: a name or an e-mail.` }).optional(),
});

export const ActionStatusSchema = z.object({
  intent: z.literal("action-status"),
  itemId: UuidSchema,
  status: z.enum(["open", "done", "dropped"], { error: "Choose open, done or dropped." }),
});

/** The scope slug of the whole organisation in retrospective URLs (team slugs are the others). */
export const ORG_SCOPE = "org";
