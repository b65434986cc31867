import type { LoaderFunctionArgs } from "@remix-run/node";
import { toCsv } from "~/domain/csv";
import { subscribersForExport } from "~/services/subscriptions.server";
import { actorOf, requireAdmin } from "~/http/session.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireAdmin(request, context);
  const result = await subscribersForExport(context.db, actorOf(user));
  if (!result.ok) throw new Response(result.error.message, { status: 403 });
  context.logger.info({ userId: user.id, rows: result.value.length }, "subscribers exported");
  const csv = toCsv(
    ["email", "state", "letters", "commitments watched", "confirmed at", "bounced at", "bounce reason"],
    result.value.map((s) => [s.email, s.state, s.letters ? "yes" : "no", s.watches, s.confirmedAt.toISOString(), s.bouncedAt?.toISOString() ?? null, s.bounceReason]),
  );
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="kept-subscribers-${new Date().toISOString().slice(0, 10)}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
