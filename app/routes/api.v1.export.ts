import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportOrganisation } from "~/services/export.server";
import { json, problem, requireApiPrincipal } from "~/api/handler.server";

// The whole organisation as one JSON document (no password hashes, sessions or tokens).
export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await requireApiPrincipal(request, context, { write: false });
  if (principal.user.role !== "admin") throw problem(403, "FORBIDDEN", "Forbidden", "Only admins can export the organisation.");
  const document = await exportOrganisation(context.db, new Date());
  context.logger.info({ userId: principal.user.id }, "organisation exported through the API");
  return json(document, { headers: { "Cache-Control": "private, no-store" } });
}
