// Holding a retrospective: the figures for a scope and period (computed in the database),
// the outcomes table, notes saved with optimistic concurrency, and action items that can
// become next period's commitments.
import type { Database, DbOrTx } from "../../db/client";
import { labelsWithin, nextPeriod, periodFromLabel, previousPeriod, type Period } from "~/domain/period";
import {
  ensureRetrospective,
  getActionItem,
  getRetrospective,
  insertActionItem,
  listActionItems,
  listScopeCommitments,
  setActionItemStatus,
  updateNotesIfCurrent,
} from "~/models/retrospective.server";
import { addCounts, deliveryRate, isSurprise, madeOf, type OutcomeCounts } from "~/domain/statistics";
import { outcomeCountsByPeriod, summarizeInDatabase } from "~/models/statistics.server";
import { getTeamBySlug, subtreeIds, type TeamRow } from "~/models/team.server";
import { getUserById } from "~/models/user.server";
import { organisationCalendar } from "./organisation.server";
import { ORG_SCOPE } from "~/schemas/retrospectives";
import { authorizeOnTeam, mayOnTeam } from "./authorize.server";
import { NO_CHANGE_LOG, type ChangeLog } from "./change-log.server";
import { fail, ok, type Actor, type Result } from "~/domain/result";
import type { FigureCache } from "~/utils/figure-cache.server";

export const OUTCOMES_TABLE_LIMIT = 500;
const TREND_PERIODS = 6;

export interface Scope {
  slug: string;
  team: TeamRow | null;
  /** undefined = the whole organisation */
  teamIds: string[] | undefined;
  name: string;
}

export async function resolveScope(db: DbOrTx, slug: string): Promise<Scope | null> {
  if (slug === ORG_SCOPE) return { slug, team: null, teamIds: undefined, name: "the whole organisation" };
  const team = await getTeamBySlug(db, slug);
  if (!team) return null;
  return { slug, team, teamIds: await subtreeIds(db, team.id), name: team.name };
}

/** Team editors (and admins) hold their team's retrospective; only admins the organisation's. */
export async function canEditScope(db: DbOrTx, actor: Actor, scope: Scope): Promise<boolean> {
  return mayOnTeam(db, actor, "retrospective.write", scope.team?.id ?? null);
}

/**
 * One retrospective. `table` bounds its outcomes table: the API's representation takes the
 * first OUTCOMES_TABLE_LIMIT; the page shows a shorter page of it and continues by keyset.
 */
export async function loadRetrospective(
  db: Database,
  actor: Actor,
  scope: Scope,
  period: Period,
  now: Date,
  table: { limit: number; after?: { dueDate: string; id: string } } = { limit: OUTCOMES_TABLE_LIMIT },
  figures?: FigureCache,
) {
  const { today, calendar } = await organisationCalendar(db, now);
  const labels = labelsWithin(period);
  const previous = previousPeriod(period, calendar);
  const trendPeriods: Period[] = [period];
  while (trendPeriods.length < TREND_PERIODS) trendPeriods.unshift(previousPeriod(trendPeriods[0]!, calendar));
  const teamId = scope.team?.id ?? null;
  const [summary, rows, trend, retro, previousRetro, canEdit] = await Promise.all([
    summarizeInDatabase(db, { teamIds: scope.teamIds, periodLabels: labels }, { today, figures }),
    listScopeCommitments(db, { teamIds: scope.teamIds, periodLabels: labels }, table.limit + 1, table.after),
    // The period itself is the summary's: only the earlier points are counted here.
    outcomeCountsByPeriod(db, scope.teamIds, trendPeriods.slice(0, -1).flatMap((p) => labelsWithin(p)), figures),
    getRetrospective(db, teamId, period.label),
    getRetrospective(db, teamId, previous.label),
    canEditScope(db, actor, scope),
  ]);
  const [items, previousItems] = await Promise.all([
    retro ? listActionItems(db, retro.id) : Promise.resolve([]),
    previousRetro ? listActionItems(db, previousRetro.id) : Promise.resolve([]),
  ]);
  return {
    today,
    period,
    previousPeriod: previous,
    nextPeriod: nextPeriod(period, calendar),
    summary,
    rows: rows.slice(0, table.limit).map((r) => ({ ...r, surprise: isSurprise(r.status, r.forecastOfRecord) })),
    truncated: rows.length > table.limit,
    // A year's point counts its halves' and quarters' commitments too.
    trend: trendPeriods.map((p, i) => {
      const within = new Set(labelsWithin(p));
      const counts: OutcomeCounts = i === trendPeriods.length - 1 ? summary.counts : addCounts(trend.filter((t) => within.has(t.periodLabel)));
      return { label: p.label, rate: deliveryRate(counts), n: madeOf(counts) };
    }),
    notes: retro
      ? { wentWell: retro.wentWell, wentBadly: retro.wentBadly, willChange: retro.willChange, version: retro.version }
      : { wentWell: "", wentBadly: "", willChange: "", version: 0 },
    items,
    previousOpenItems: previousItems.filter((i) => i.status === "open"),
    canEdit,
  };
}

export interface Notes {
  wentWell: string;
  wentBadly: string;
  willChange: string;
}

async function saveNotesUnlogged(
  db: Database,
  actor: Actor,
  scope: Scope,
  period: Period,
  notes: Notes,
  expectedVersion: number,
  now: Date,
): Promise<Result<{ version: number }>> {
  const refused = await authorizeOnTeam(db, actor, "retrospective.write", scope.team?.id ?? null, "Only this team's editors and admins can write its retrospective.");
  if (refused) return refused;
  return db.transaction(async (tx) => {
    const existing = await getRetrospective(tx, scope.team?.id ?? null, period.label);
    // Version 0 means "the form was opened before anyone wrote anything".
    const current = existing ?? (expectedVersion === 0 ? await ensureRetro(tx, scope, period, actor) : null);
    if (!current) return fail("NOT_FOUND", "That retrospective does not exist.");
    // A row created by adding an action item is at version 0 (no notes saved), so a form
    // opened before it existed may still save over it; a racing first save has moved it to 1
    // and this one refuses. The first save is version 1, not 2 (it once logged 2).
    const updated = await updateNotesIfCurrent(tx, current.id, expectedVersion, notes, actor.id, now);
    if (!updated) {
      const latest = await getRetrospective(tx, scope.team?.id ?? null, period.label);
      return fail(
        "VERSION.CONFLICT",
        `Someone else saved these notes while you were writing (you started from version ${expectedVersion}; they are now version ${latest?.version ?? "?"}). Nothing of yours was saved: copy what you wrote, reload, and merge.`,
        undefined,
        { conflict: { currentVersion: latest?.version ?? 0, changedFields: ["notes"] } },
      );
    }
    return ok({ version: updated.version });
  });
}

function ensureRetro(db: DbOrTx, scope: Scope, period: Period, actor: Actor) {
  return ensureRetrospective(db, {
    teamId: scope.team?.id ?? null,
    periodLabel: period.label,
    periodStart: period.start,
    periodEnd: period.end,
    updatedBy: actor.id,
  });
}

async function addActionItemUnlogged(
  db: Database,
  actor: Actor,
  scope: Scope,
  period: Period,
  input: { text: string; ownerId: string | null; dueDate: string | null },
  now: Date,
): Promise<Result<{ id: string }>> {
  const refused = await authorizeOnTeam(db, actor, "retrospective.write", scope.team?.id ?? null, "Only this team's editors and admins can add action items.");
  if (refused) return refused;
  if (input.ownerId) {
    const owner = await getUserById(db, input.ownerId);
    if (!owner || !owner.active) return fail("VALIDATION", "Choose an active person as owner.", "ownerId");
  }
  return db.transaction(async (tx) => {
    const retro = await ensureRetro(tx, scope, period, actor);
    const item = await insertActionItem(tx, { retrospectiveId: retro.id, ...input, createdBy: actor.id, createdAt: now });
    return ok({ id: item.id });
  });
}

async function changeActionItemStatusUnlogged(
  db: Database,
  actor: Actor,
  itemId: string,
  status: "open" | "done" | "dropped",
  now: Date,
): Promise<Result<null>> {
  const item = await getActionItem(db, itemId);
  if (!item) return fail("NOT_FOUND", "That action item does not exist.");
  const refused = await authorizeOnTeam(db, actor, "retrospective.write", item.teamId, "Only this team's editors and admins can change its action items.");
  if (refused) return refused;
  await setActionItemStatus(db, itemId, status, now);
  return ok(null);
}

/** What the new-commitment form is prefilled with when an action item is promoted. */
export async function promotionDraft(db: Database, actor: Actor, itemId: string, now: Date) {
  const item = await getActionItem(db, itemId);
  if (!item) return null;
  if (item.promotedCommitmentId) return { alreadyPromoted: item.promotedCommitmentId } as const;
  const { calendar } = await organisationCalendar(db, now);
  const period = periodFromLabel(item.periodLabel, calendar);
  const next = period ? nextPeriod(period, calendar) : null;
  const allowed = await mayOnTeam(db, actor, "retrospective.write", item.teamId);
  return {
    alreadyPromoted: null,
    allowed,
    itemId: item.id,
    statement: item.text,
    teamId: item.teamId,
    ownerId: item.ownerId,
    periodLabel: next?.label ?? null,
    dueDate: item.dueDate && next && item.dueDate >= next.start && item.dueDate <= next.end ? item.dueDate : (next?.end ?? null),
  } as const;
}

/** Saves a retrospective's notes, and logs the change (the same line for the UI and the API). */
export async function saveNotes(db: Database, actor: Actor, scope: Scope, period: Period, notes: Notes, expectedVersion: number, now: Date, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await saveNotesUnlogged(db, actor, scope, period, notes, expectedVersion, now);
  if (result.ok) log.info({ scope: scope.slug, period: period.label, intent: "notes", version: result.value.version, by: actor.id }, "retrospective changed");
  return result;
}

/** Adds an action item, and logs the change (the same line for the UI and the API). */
export async function addActionItem(db: Database, actor: Actor, scope: Scope, period: Period, input: { text: string; ownerId: string | null; dueDate: string | null }, now: Date, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await addActionItemUnlogged(db, actor, scope, period, input, now);
  if (result.ok) log.info({ scope: scope.slug, period: period.label, intent: "add-action", itemId: result.value.id, by: actor.id }, "retrospective changed");
  return result;
}

/** Changes an action item's status, and logs the change (the same line for the UI and the API). */
export async function changeActionItemStatus(db: Database, actor: Actor, itemId: string, status: "open" | "done" | "dropped", now: Date, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await changeActionItemStatusUnlogged(db, actor, itemId, status, now);
  if (result.ok) log.info({ itemId, intent: "action-status", status, by: actor.id }, "retrospective changed");
  return result;
}
