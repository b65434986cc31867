import type { LoaderFunctionArgs } from "@remix-run/node";
import { json, requireApiPrincipal } from "~/api/handler.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const p = await requireApiPrincipal(request, context, { write: false });
  return json({ id: p.user.id, name: p.user.name, email: p.user.email, role: p.user.role, tokenScope: p.scope });
}
