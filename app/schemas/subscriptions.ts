import { z } from "zod";
import { EmailSchema } from "./common";

/** The public subscribe form: the address, and the public commitment to watch when not the letters. */
export const SubscribeSchema = z.object({
  email: EmailSchema,
  commitment: z.uuid({ error: "That is not a commitment Kept knows." }).optional(),
});
