import type { LoaderFunctionArgs } from "@remix-run/node";
import { toCsv } from "~/domain/csv";
import { labelsWithin, periodFromLabel } from "~/domain/period";
import { lateness } from "~/domain/outcome-rules";
import { CONTROL_LABEL, OUTCOME_LABEL, REASON_LABEL } from "~/domain/types";
import { listScopeCommitments } from "~/models/retrospective.server";
import { organisationCalendar } from "~/services/organisation.server";
import { resolveScope } from "~/services/retrospectives.server";
import { requireUser } from "~/http/session.server";

// Far above any real team's period; the whole organisation's year at 100,000 commitments fits.
const MAX_ROWS = 200_000;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireUser(request, context);
  const scope = await resolveScope(context.db, String(params.scope ?? "").toLowerCase());
  if (!scope) throw new Response("There is no team at this address.", { status: 404 });
  const { calendar } = await organisationCalendar(context.db, new Date());
  const period = periodFromLabel(String(params.period ?? ""), calendar);
  if (!period) throw new Response("That is not a period Kept knows.", { status: 404 });
  const rows = await listScopeCommitments(context.db, { teamIds: scope.teamIds, periodLabels: labelsWithin(period) }, MAX_ROWS);
  const csv = toCsv(
    ["commitment", "team", "period", "due date", "audience", "outcome", "resolved on", "days late", "actual value", "reason", "control", "explanation", "evidence link", "attempt", "link"],
    rows.map((r) => [
      r.statement,
      r.teamName,
      r.periodLabel,
      r.dueDate,
      r.audience,
      r.status === "open" ? "Open" : OUTCOME_LABEL[r.status],
      r.resolvedAt,
      r.resolvedAt ? lateness(r.dueDate, r.resolvedAt).daysLate : null,
      r.actualValue,
      r.reasonCategory ? REASON_LABEL[r.reasonCategory] : null,
      r.control ? CONTROL_LABEL[r.control] : null,
      r.explanation,
      r.evidenceUrl,
      r.attempt,
      new URL(`/commitments/${r.id}`, request.url).toString(),
    ]),
  );
  const filename = `kept-${scope.slug}-${period.label}-outcomes.csv`;
  // A byte-order mark so spreadsheet programs read the file as UTF-8.
  return new Response(`\uFEFF${csv}`, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
