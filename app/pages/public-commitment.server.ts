// A public commitment's own page on the public site: its whole story for a customer who
// follows a permalink — the promise as first made, re-scopes beside the original with their
// reasons, the check-ins when the organisation shows them, and the outcome with its reason. Internal commitments do not exist here (404), and
// nothing shows while the public site is off, except to people who are signed in.
import type { Database } from "../../db/client";
import { describeMeasure, measureOf, rescopeView } from "~/domain/commitment";
import { outcomeTiming } from "~/domain/outcome-rules";
import { getCommitment, getOutcome, listCheckIns, listScopeRevisions } from "~/models/commitment.server";
import { getOrganisation } from "~/models/organisation.server";
import { getTeamById } from "~/models/team.server";
import { renderMarkdown } from "~/utils/markdown.server";
import { fieldsOf } from "~/services/commitments.server";
import { canReadPublicSite } from "~/services/letters.server";
import type { Actor } from "~/domain/result";

export async function loadPublicCommitment(db: Database, viewer: Actor | null, id: string) {
  if (!(await canReadPublicSite(db, viewer))) return null;
  const commitment = await getCommitment(db, id);
  if (!commitment || commitment.audience !== "public") return null;
  const [org, team, outcome, scopeRevisions] = await Promise.all([
    getOrganisation(db),
    getTeamById(db, commitment.teamId),
    getOutcome(db, id),
    listScopeRevisions(db, id),
  ]);
  // Check-ins are the team's working forecasts: public only when the organisation says so
  // (Settings), and then without the names of who wrote them.
  const checkIns = org?.showPublicCheckIns ? await listCheckIns(db, id) : null;
  const fields = fieldsOf(commitment);
  const rescopes = rescopeView(scopeRevisions, fields);
  const creation = scopeRevisions.find((r) => r.kind === "create" || r.kind === "carried_from");
  const firstStatement = creation?.changes.find((c) => c.field === "statement")?.to;
  const timing = outcome ? outcomeTiming(outcome.status, commitment.dueDate, outcome.resolvedAt) : null;
  return {
    organisationName: org?.name ?? "",
    commitment: {
      id: commitment.id,
      statement: commitment.statement,
      firstStatement: typeof firstStatement === "string" ? firstStatement : commitment.statement,
      committedAt: commitment.committedAt.toISOString(),
      measureText: describeMeasure(measureOf(fields)),
      evidenceSource: commitment.evidenceSource,
      dueDate: commitment.dueDate,
      periodLabel: commitment.periodLabel,
      status: commitment.status,
      attempt: commitment.attempt,
      teamName: team?.name ?? "",
    },
    checkIns: checkIns
      ? checkIns.map((ci) => ({ id: ci.id, date: ci.date, forecast: ci.forecast, probability: ci.probability, progressValue: ci.progressValue, note: ci.note }))
      : null,
    rescopes: rescopes
      ? {
          rows: rescopes.rows,
          events: rescopes.events.map((e) => ({ at: new Date(e.at).toISOString(), reason: e.reason })),
        }
      : null,
    outcome: outcome
      ? {
          status: outcome.status,
          resolvedAt: outcome.resolvedAt,
          timing: timing?.text ?? null,
          late: timing?.late ?? false,
          actualValue: outcome.actualValue,
          evidenceUrl: outcome.evidenceUrl,
          partialDescription: outcome.partialDescription,
          reasonCategory: outcome.reasonCategory,
          control: outcome.control,
          explanationHtml: renderMarkdown(outcome.explanation ?? ""),
          lessonHtml: renderMarkdown(outcome.lesson ?? ""),
        }
      : null,
  };
}
