import { z } from "zod";
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
