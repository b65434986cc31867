import { z } from "zod";
import { PERSON_TEXT_MAX } from "~/domain/person-picker";
import { NameSchema, TeamRoleSchema, UuidSchema } from "./common";

export const SlugSchema = z
  .string({ error: "Enter a short name for the address, like platform-team." })
  .trim()
  .toLowerCase()
  .min(2, { error: "Use at least 2 characters." })
  .max(60, { error: "Keep it under 60 characters." })
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, {
    error: "Use lower-case letters, digits and single hyphens, like platform-team.",
  })
  // "org" names the whole organisation in retrospective addresses.
  .refine((slug) => slug !== "org", { error: "“org” is reserved for the whole organisation; choose another." });

const MissionSchema = z
  .string()
  .trim()
  .max(200, { error: "Keep the mission to one line of at most 200 characters." })
  .refine((s) => !/[\r\n]/.test(s), { error: "Keep the mission to one line." })
  .default("");

const ParentSchema = z.union([z.literal("").transform(() => null), UuidSchema]).optional().transform((v) => v ?? null);

export const TeamFieldsSchema = z.object({
  name: NameSchema,
  slug: SlugSchema,
  mission: MissionSchema,
  parentId: ParentSchema,
});

// The address may be left empty when creating a team: it is then made from the name (the page
// fills it as the name is typed; without JavaScript the server does). A name with nothing to
// make one from (only punctuation, or a script slugify drops) gets the error beside the field.
export const CreateTeamFieldsSchema = TeamFieldsSchema.extend({ intent: z.literal("create"), slug: SlugSchema.optional() });
export const CreateTeamSchema = CreateTeamFieldsSchema.transform((team, ctx) => {
  if (team.slug !== undefined) return { ...team, slug: team.slug };
  const made = SlugSchema.safeParse(slugify(team.name));
  if (made.success) return { ...team, slug: made.data };
  ctx.addIssue({
    code: "custom",
    path: ["slug"],
    message: "Enter an address, like platform-team: the name has too few letters or digits to make one from.",
  });
  return z.NEVER;
});
export const UpdateTeamSchema = TeamFieldsSchema.extend({ intent: z.literal("update") });

export const AddMemberSchema = z.object({
  intent: z.literal("add-member"),
  userId: UuidSchema,
  role: TeamRoleSchema,
});

/**
 * The team page's form: the person is typed into `person` (a person picker, ADR 0029), which the
 * action resolves into `userId` before AddMemberSchema parses it.
 */
export const AddMemberFormSchema = AddMemberSchema.extend({
  userId: UuidSchema.optional(),
  person: z
    .string({ error: "Type the name or e-mail of the person to add." })
    .trim()
    .min(1, { error: "Type the name or e-mail of the person to add." })
    .max(PERSON_TEXT_MAX, { error: `Keep it under ${PERSON_TEXT_MAX} characters: a name or an e-mail.` }),
});

export const RemoveMemberSchema = z.object({
  intent: z.literal("remove-member"),
  userId: UuidSchema,
});

export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/g, "");
}
