import type { LoaderFunctionArgs } from "@remix-run/node";
import { TokenQuerySchema } from "~/api/schemas/org";
import { listTokens } from "~/services/api-tokens.server";
import { tokenResource } from "~/api/org-resources.server";
import { json, problem, requireApiPrincipal, validationProblem } from "~/api/handler.server";

// Tokens are listed and revoked over the API (a leaked one can be shut off from a script);
// they are created only by a person signed in to the UI, so a token can never mint another.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await requireApiPrincipal(request, context, { write: false });
  const query = TokenQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw validationProblem(query.error);
  const userId = query.data.userId ?? principal.user.id;
  if (userId !== principal.user.id && principal.user.role !== "admin") {
    throw problem(403, "FORBIDDEN", "Forbidden", "Only admins can list other people's tokens.");
  }
  const rows = await listTokens(context.db, userId);
  return json({ items: rows.map(tokenResource), next: null });
}
