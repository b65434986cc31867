// What a UI loader or action throws when the thing asked for is not there or not theirs: one
// 404 page, one typed route parameter, one mapping from a domain error (ADR 0021). The API's
// counterparts are `requireApiParam` and `problemFromDomain` in app/api/handler.server.ts.
import type { z } from "zod";
import type { DomainError } from "~/domain/result";
import { STATUS_BY_CODE } from "~/domain/result";
import { forbidden } from "./session.server";

/** A 404 page saying `message`. */
export function notFound(message: string): Response {
  return new Response(message, { status: 404 });
}

/** The route parameter `name` parsed by `schema`; anything else throws a 404 page saying `message`. */
export function requireParam<S extends z.ZodType>(params: Readonly<Record<string, string | undefined>>, name: string, schema: S, message: string): z.output<S> {
  const parsed = schema.safeParse(params[name]);
  if (!parsed.success) throw notFound(message);
  return parsed.data;
}

/**
 * A refused use case as a page: NOT_FOUND is a 404 saying `notFoundMessage` (the error's own
 * message when none is given), FORBIDDEN a 403 with the error's message, any other code its
 * status from STATUS_BY_CODE with the error's message.
 */
export function pageError(error: DomainError, notFoundMessage?: string): Response {
  if (error.code === "NOT_FOUND") return notFound(notFoundMessage ?? error.message);
  if (error.code === "FORBIDDEN") return forbidden(error.message);
  return new Response(error.message, { status: STATUS_BY_CODE[error.code] });
}

/**
 * For a form's action: throws `pageError` when the thing is missing (NOT_FOUND) or not the
 * user's (FORBIDDEN on no field); returns for any other error, which the form shows (`refused`).
 */
export function throwIfNotTheirs(error: DomainError, notFoundMessage?: string): void {
  if (error.code === "NOT_FOUND" || (error.code === "FORBIDDEN" && !error.field)) throw pageError(error, notFoundMessage);
}
