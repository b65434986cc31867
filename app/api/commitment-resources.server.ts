// How API resources look on the wire, built from model rows. Kept in one place so every
// endpoint presents a commitment the same way (and the OpenAPI schemas describe exactly this).
import { versionNamed } from "./preconditions.server";
import { measureOf } from "~/domain/commitment";
import { lateness } from "~/domain/outcome-rules";
import type { Commitment } from "~/models/commitment.server";
import type { getOutcome } from "~/models/commitment.server";
import type { CommitmentInput } from "~/schemas/commitments";
import type { z } from "zod";
import type { CommitmentWriteSchema } from "~/api/schemas/core";
import { fieldsOf } from "~/services/commitments.server";

type OutcomeRow = NonNullable<Awaited<ReturnType<typeof getOutcome>>>;

/** The 404 detail of every /api/v1/commitments/{id}… endpoint (a malformed id or an unknown one). */
export const NO_SUCH_COMMITMENT = "There is no commitment with that id.";

export function commitmentEtag(c: { id: string; version: number }): string {
  return `"${c.id}.v${c.version}"`;
}

/** The version an If-Match ETag names, or null when it does not name this commitment. */
export function versionFromIfMatch(etag: string, id: string): number | null {
  return versionNamed(etag, id);
}

export function commitmentResource(c: Commitment, outcome?: OutcomeRow | null) {
  const f = fieldsOf(c);
  return {
    id: c.id,
    statement: c.statement,
    details: c.details,
    measure: measureOf(f),
    evidenceSource: c.evidenceSource,
    dueDate: c.dueDate,
    periodLabel: c.periodLabel,
    fiscalYear: c.fiscalYear,
    teamId: c.teamId,
    ownerId: c.ownerId,
    audience: c.audience,
    tags: c.tags,
    status: c.status,
    falsifiabilityScore: c.lintScore,
    version: c.version,
    attempt: c.attempt,
    predecessorId: c.predecessorId,
    sourceActionItemId: c.sourceActionItemId,
    lockedByLetterAt: c.lockedByLetterAt?.toISOString() ?? null,
    committedAt: c.committedAt.toISOString(),
    ...(outcome !== undefined
      ? {
          outcome: outcome
            ? {
                status: outcome.status,
                resolvedAt: outcome.resolvedAt,
                actualValue: outcome.actualValue,
                evidenceUrl: outcome.evidenceUrl,
                partialDescription: outcome.partialDescription,
                reasonCategory: outcome.reasonCategory,
                control: outcome.control,
                explanation: outcome.explanation,
                lesson: outcome.lesson,
                daysLate: lateness(c.dueDate, outcome.resolvedAt).daysLate,
              }
            : null,
        }
      : {}),
  };
}

export function inputFromApi(body: z.output<typeof CommitmentWriteSchema>): CommitmentInput {
  const m = body.measure;
  return {
    statement: body.statement,
    details: body.details,
    measureKind: m.kind,
    metricName: m.kind === "metric" ? m.name : null,
    metricBaseline: m.kind === "metric" ? m.baseline : null,
    metricComparator: m.kind === "metric" ? m.comparator : null,
    metricTarget: m.kind === "metric" ? m.target : null,
    metricUnit: m.kind === "metric" ? m.unit || null : null,
    deliverableEvent: m.kind === "deliverable" ? m.event : null,
    evidenceSource: body.evidenceSource,
    dueDate: body.dueDate,
    periodLabel: body.periodLabel,
    teamId: body.teamId,
    ownerId: body.ownerId,
    audience: body.audience,
    tags: body.tags,
  };
}
