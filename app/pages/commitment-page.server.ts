// Everything the commitment page shows, read in one place so the route stays thin.
import type { Database } from "../../db/client";
import { describeMeasure, isLocked, measureOf, rescopeView } from "~/domain/commitment";
import type { Finding } from "~/domain/falsifiability";
import { changedAfterLetter, isLedgerStatus, type ChangedAfterLetter } from "~/domain/letter-publish";
import { historySentence } from "~/domain/history";
import { outcomeDueSoon, outcomeTiming } from "~/domain/outcome-rules";
import {
  getCommitment,
  getOutcome,
  listCheckIns,
  listScopeRevisions,
  namesOf,
  pageOfRevisions,
  successorsOf,
} from "~/models/commitment.server";
import { frozenStatusesOf, latestOutcomeChangeReasons } from "~/models/letter.server";
import { getActionItem } from "~/models/retrospective.server";
import { getTeamById } from "~/models/team.server";
import { getUserById } from "~/models/user.server";
import { renderMarkdown } from "~/utils/markdown.server";
import { organisationCalendar } from "~/services/organisation.server";
import { periodChoices } from "~/domain/period";
import { fieldsOf } from "~/services/commitments.server";
import { mayOnTeam } from "~/services/authorize.server";
import type { Actor } from "~/domain/result";

import { publicCommitmentPath } from "~/domain/commitment";

/** Revisions per page of a commitment's history; "Older" pages back from there. */
export const HISTORY_PAGE_SIZE = 20;

export async function loadCommitmentPage(db: Database, actor: Actor, id: string, now: Date, options: { historyBefore?: number | null } = {}) {
  const commitment = await getCommitment(db, id);
  if (!commitment) return null;
  const [{ org, calendar, today }, team, owner, committer, checkIns, outcome, history, scopeRevisions, successors, canEdit, predecessor] = await Promise.all([
    organisationCalendar(db, now),
    getTeamById(db, commitment.teamId),
    commitment.ownerId ? getUserById(db, commitment.ownerId) : Promise.resolve(null),
    getUserById(db, commitment.committedBy),
    listCheckIns(db, id),
    getOutcome(db, id),
    pageOfRevisions(db, id, HISTORY_PAGE_SIZE, options.historyBefore ?? null),
    listScopeRevisions(db, id),
    successorsOf(db, id),
    mayOnTeam(db, actor, "commitments.write", commitment.teamId),
    commitment.predecessorId ? getCommitment(db, commitment.predecessorId) : Promise.resolve(null),
  ]);
  const fields = fieldsOf(commitment);
  // Independent of one another: one wait, not three.
  const [{ source, sourceTeam }, afterLetter, names] = await Promise.all([
    sourceOf(db, commitment.sourceActionItemId),
    outcome ? changedAfterItsLetter(db, id, commitment.status, outcome.recordedAt) : Promise.resolve(null),
    namesInHistory(db, history.rows),
  ]);
  const timing = outcome ? outcomeTiming(outcome.status, commitment.dueDate, outcome.resolvedAt) : null;
  return {
    commitment: {
      ...fields,
      id: commitment.id,
      status: commitment.status,
      version: commitment.version,
      attempt: commitment.attempt,
      lintScore: commitment.lintScore,
      lintFindings: commitment.lintFindings as Finding[],
      committedAt: commitment.committedAt.toISOString(),
      periodStart: commitment.periodStart,
      periodEnd: commitment.periodEnd,
      measureText: describeMeasure(measureOf(fields)),
      detailsHtml: renderMarkdown(commitment.details),
      locked: isLocked(commitment, today),
      overdue: commitment.status === "open" && commitment.dueDate < today,
    },
    team: team ? { slug: team.slug, name: team.name } : null,
    owner: owner ? { id: owner.id, name: owner.name } : null,
    committedBy: committer?.name ?? "someone",
    checkIns: checkIns.map((c) => ({ ...c, createdAt: c.createdAt.toISOString() })),
    outcome: outcome
      ? {
          ...outcome,
          recordedAt: outcome.recordedAt.toISOString(),
          explanationHtml: renderMarkdown(outcome.explanation ?? ""),
          lessonHtml: renderMarkdown(outcome.lesson ?? ""),
          late: timing?.late ?? false,
          timing: timing?.text ?? null,
        }
      : null,
    history: {
      entries: history.rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        at: r.at.toISOString(),
        ...historySentence(r, {
          timeZone: org.timeZone,
          nameOf: (kind, nameId) => (kind === "person" ? names.people.get(nameId) : names.teams.get(nameId)) ?? null,
        }),
      })),
      olderBefore: history.hasOlder ? (history.rows[history.rows.length - 1]?.id ?? null) : null,
      isFirstPage: !options.historyBefore,
    },
    publicPath: org.publicSiteEnabled && commitment.audience === "public" ? publicCommitmentPath(commitment.id) : null,
    outcomeDueSoon: commitment.status !== "open" || outcomeDueSoon(commitment.dueDate, today),
    changedAfterLetter: afterLetter,
    rescopes: rescopeView(scopeRevisions, fields),
    predecessor: predecessor ? { id: predecessor.id, periodLabel: predecessor.periodLabel, attempt: predecessor.attempt, status: predecessor.status } : null,
    successors,
    source: source
      ? { text: source.text, periodLabel: source.periodLabel, scopeSlug: sourceTeam?.slug ?? "org", scopeName: sourceTeam?.name ?? "the whole organisation" }
      : null,
    canEdit,
    today,
    periods: periodChoices(calendar, today),
  };
}

/** The retrospective action item a commitment was promoted from, and its team. */
async function sourceOf(db: Database, actionItemId: string | null) {
  const source = actionItemId ? await getActionItem(db, actionItemId) : null;
  const sourceTeam = source?.teamId ? await getTeamById(db, source.teamId) : null;
  return { source, sourceTeam };
}

/** The people and teams a page of history names by id (owner and team changes). */
async function namesInHistory(db: Database, rows: ReadonlyArray<{ changes: Array<{ field: string; from: unknown; to: unknown }> }>) {
  const people = new Set<string>();
  const teamIds = new Set<string>();
  for (const r of rows) {
    for (const c of r.changes) {
      const into = c.field === "ownerId" ? people : c.field === "teamId" ? teamIds : null;
      if (!into) continue;
      for (const v of [c.from, c.to]) if (typeof v === "string") into.add(v);
    }
  }
  return namesOf(db, { people: [...people], teams: [...teamIds] });
}

/**
 * "Changed after the FY2026 letter: was Missed, now Delivered — reason", when a published letter
 * (the customer-facing one first) froze an outcome that has been changed since; else null.
 */
async function changedAfterItsLetter(db: Database, id: string, status: string, outcomeRecordedAt: Date): Promise<ChangedAfterLetter | null> {
  if (!isLedgerStatus(status)) return null;
  const frozen = (await frozenStatusesOf(db, id, outcomeRecordedAt)).find((f) => isLedgerStatus(f.status) && f.status !== status);
  if (!frozen || !isLedgerStatus(frozen.status)) return null;
  const reasons = await latestOutcomeChangeReasons(db, [id]);
  return changedAfterLetter({ fiscalYear: frozen.fiscalYear, ledger: [{ id, status: frozen.status }] }, { id, status }, reasons.get(id) ?? null);
}
