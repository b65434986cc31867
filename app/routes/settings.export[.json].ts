import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportOrganisation } from "~/services/export.server";
import { requireAdmin } from "~/http/session.server";

// The admin's download of the whole organisation: `npm run import` loads it into an empty
// instance. It holds every person's email and the internal record, so it is never cached.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireAdmin(request, context);
  const now = new Date();
  const document = await exportOrganisation(context.db, now);
  context.logger.info({ userId: user.id }, "organisation exported");
  const filename = `kept-export-${now.toISOString().slice(0, 10)}.json`;
  return new Response(JSON.stringify(document, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
