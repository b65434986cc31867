// Use cases of the commitment record. Each change writes its revision row in the same
// transaction, checks permission and version inside the UPDATE, and returns expected
// failures as values with stable codes.
import type { Database, DbOrTx, Transaction } from "../../db/client";
import {
  diffFields,
  isLocked,
  isRescope,
  measureOf,
  type CommitmentFields,
  type FieldChange,
} from "~/domain/commitment";
import { lintCommitment, type LintResult } from "~/domain/falsifiability";
import { diffOutcome, validateOutcome } from "~/domain/outcome-rules";
import { compareIsoDates, localDate, periodFromLabel, type FiscalCalendar, type Period } from "~/domain/period";
import { reasonProblem } from "~/domain/reasons";
import type { Outcome } from "~/domain/types";
import {
  getCommitment,
  getOutcome,
  insertCheckIn,
  insertCommitment,
  insertRevision,
  fieldsChangedSince,
  successorsOf,
  updateCommitmentIfCurrent,
  upsertOutcome,
  type Commitment,
} from "~/models/commitment.server";
import { linkPromotion } from "~/models/retrospective.server";
import { getTeamById } from "~/models/team.server";
import { getUserById } from "~/models/user.server";
import type { CommitmentInput } from "~/schemas/commitments";
import { uniqueViolation } from "~/utils/db-errors.server";
import { authorizeOnTeam, mayOnTeam } from "./authorize.server";
import { emitEvent } from "./events.server";
import { announceCommitmentChange } from "./subscriptions.server";
import { NO_CHANGE_LOG, type ChangeLog } from "./change-log.server";
import { requireOrganisation } from "./organisation.server";
import { fail, ok, type Actor, type DomainError, type Result } from "~/domain/result";

const NOT_YOURS = "Only editors of this team and admins can change its commitments.";

interface OrgContext {
  calendar: FiscalCalendar;
  minPublicScore: number;
  today: string;
}

async function orgContext(db: DbOrTx, now: Date): Promise<OrgContext> {
  const org = await requireOrganisation(db);
  const calendar = { startMonth: org.fiscalYearStartMonth, timeZone: org.timeZone };
  return { calendar, minPublicScore: org.minPublicScore, today: localDate(now, org.timeZone) };
}

export function fieldsOf(c: Commitment): CommitmentFields {
  return {
    statement: c.statement,
    details: c.details,
    measureKind: c.measureKind,
    metricName: c.metricName,
    metricBaseline: c.metricBaseline,
    metricComparator: c.metricComparator,
    metricTarget: c.metricTarget,
    metricUnit: c.metricUnit,
    deliverableEvent: c.deliverableEvent,
    evidenceSource: c.evidenceSource,
    dueDate: c.dueDate,
    periodLabel: c.periodLabel,
    teamId: c.teamId,
    ownerId: c.ownerId,
    audience: c.audience,
    tags: c.tags,
  };
}

export function lintFields(fields: CommitmentFields, period: Period | null, today: string, isNew: boolean): LintResult {
  return lintCommitment({
    statement: fields.statement,
    measure: measureOf(fields),
    evidenceSource: fields.evidenceSource,
    dueDate: fields.dueDate,
    period: period ? { label: period.label, start: period.start, end: period.end } : null,
    hasOwner: fields.ownerId !== null,
    today,
    isNew,
  });
}

/**
 * Checks shared by create, edit and carry-forward: period, team, owner and the public minimum.
 * `keptOwnerId` is the owner an edited or carried-forward commitment already has: a person
 * deactivated since stays its owner (history is kept), so only a new owner must be active.
 */
async function checkFields(
  db: DbOrTx,
  ctx: OrgContext,
  fields: CommitmentFields,
  isNew: boolean,
  keptOwnerId: string | null = null,
): Promise<Result<{ period: Period; lint: LintResult }>> {
  const period = periodFromLabel(fields.periodLabel, ctx.calendar);
  if (!period) return fail("VALIDATION", "Choose a period such as FY2026-Q3.", "periodLabel");
  if (!(await getTeamById(db, fields.teamId))) return fail("VALIDATION", "Choose a team that exists.", "teamId");
  if (fields.ownerId && fields.ownerId !== keptOwnerId) {
    const owner = await getUserById(db, fields.ownerId);
    if (!owner || !owner.active) return fail("VALIDATION", "Choose an active person as owner.", "ownerId");
  }
  const lint = lintFields(fields, period, ctx.today, isNew);
  if (fields.audience === "public" && lint.score < ctx.minPublicScore) {
    return fail(
      "COMMITMENT.BELOW_MINIMUM",
      `Public commitments need a falsifiability score of at least ${ctx.minPublicScore}; this one scores ${lint.score}. ` +
        lint.findings
          .filter((f) => f.severity !== "info")
          .map((f) => f.message)
          .join(" "),
      "statement",
    );
  }
  return ok({ period, lint });
}

function createdChanges(fields: CommitmentFields): FieldChange[] {
  return (Object.keys(fields) as Array<keyof CommitmentFields>)
    .filter((k) => fields[k] !== null && fields[k] !== "" && !(Array.isArray(fields[k]) && fields[k].length === 0))
    .map((k) => ({ field: k, from: null, to: fields[k] }));
}

/** Inserts a new commitment and its first revision; the caller supplies the transaction. */
async function insertNewCommitment(
  tx: Transaction,
  actor: Actor,
  fields: CommitmentFields,
  checked: { period: Period; lint: LintResult },
  now: Date,
  link: { predecessorId?: string; attempt?: number; sourceActionItemId?: string },
): Promise<Commitment> {
  const { period, lint } = checked;
  const row = await insertCommitment(tx, {
    ...fields,
    periodStart: period.start,
    periodEnd: period.end,
    fiscalYear: period.fiscalYear,
    lintScore: lint.score,
    lintFindings: lint.findings,
    committedBy: actor.id,
    committedAt: now,
    predecessorId: link.predecessorId ?? null,
    attempt: link.attempt ?? 1,
    sourceActionItemId: link.sourceActionItemId ?? null,
  });
  const predecessor = link.predecessorId ? [{ field: "predecessor", from: null, to: link.predecessorId }] : [];
  await insertRevision(tx, {
    commitmentId: row.id,
    version: row.version,
    kind: link.predecessorId ? "carried_from" : "create",
    actorId: actor.id,
    at: now,
    changes: [...predecessor, ...createdChanges(fields)],
    reason: null,
  });
  await emitEvent(tx, { type: "commitment.created", actorId: actor.id, commitment: row }, now);
  return row;
}

/** Thrown inside a transaction to roll it back when the action item was promoted meanwhile. */
class AlreadyPromoted extends Error {}

/** Opens a transaction of its own (a CSV import hands it savepointsIn(tx): each row a savepoint of the one import). */
async function createCommitmentUnlogged(
  db: Database,
  actor: Actor,
  input: CommitmentInput,
  now: Date,
  link: { predecessorId?: string; attempt?: number; sourceActionItemId?: string } = {},
): Promise<Result<Commitment>> {
  if (!(await mayOnTeam(db, actor, "commitments.write", input.teamId))) {
    if (!(await getTeamById(db, input.teamId))) return fail("VALIDATION", "Choose a team that exists.", "teamId");
    return fail("FORBIDDEN", NOT_YOURS, "teamId");
  }
  const ctx = await orgContext(db, now);
  const fields: CommitmentFields = { ...input };
  const checked = await checkFields(db, ctx, fields, true);
  if (!checked.ok) return checked;
  try {
    const created = await db.transaction(async (tx) => {
      const row = await insertNewCommitment(tx, actor, fields, checked.value, now, link);
      // Promoting an action item links it both ways in the same transaction, once.
      if (link.sourceActionItemId && !(await linkPromotion(tx, link.sourceActionItemId, row.id, now))) throw new AlreadyPromoted();
      return row;
    });
    return ok(created);
  } catch (error) {
    if (error instanceof AlreadyPromoted) {
      return fail("ACTION.ALREADY_PROMOTED", "That action item has already become a commitment.");
    }
    throw error;
  }
}

/** Why an UPDATE guarded by version and permission matched nothing. */
async function explainMiss(db: DbOrTx, actor: Actor, id: string, expectedVersion: number): Promise<DomainError> {
  const now = await getCommitment(db, id);
  if (!now) return { code: "NOT_FOUND", message: "That commitment does not exist." };
  if (!(await mayOnTeam(db, actor, "commitments.write", now.teamId))) return { code: "FORBIDDEN", message: NOT_YOURS };
  // The history says what the other saves changed; the server has no copy of the form's
  // starting values to diff against.
  const changed = await fieldsChangedSince(db, id, expectedVersion);
  return {
    code: "VERSION.CONFLICT",
    message:
      `Someone else saved this commitment while you were working (you started from version ${expectedVersion}; it is now version ${now.version}). ` +
      "Nothing of yours was saved. Review their changes, then save again.",
    conflict: { currentVersion: now.version, changedFields: changed },
  };
}

async function updateCommitmentUnlogged(
  db: Database,
  actor: Actor,
  id: string,
  input: CommitmentInput,
  expectedVersion: number,
  reason: string | null,
  now: Date,
): Promise<Result<{ commitment: Commitment; rescope: boolean; changes: FieldChange[] }>> {
  const current = await getCommitment(db, id);
  if (!current) return fail("NOT_FOUND", "That commitment does not exist.");
  const refused = await authorizeOnTeam(db, actor, "commitments.write", current.teamId, NOT_YOURS);
  if (refused) return refused;
  if (input.teamId !== current.teamId && !(await mayOnTeam(db, actor, "commitments.write", input.teamId))) {
    return fail("FORBIDDEN", "You can only move a commitment to a team you edit.", "teamId");
  }
  if (current.status !== "open") {
    return fail("COMMITMENT.RESOLVED", "This commitment has an outcome. Change the outcome instead, with a reason.");
  }
  const ctx = await orgContext(db, now);
  const before = fieldsOf(current);
  const after: CommitmentFields = { ...input };
  const changes = diffFields(before, after);
  if (changes.length === 0) return ok({ commitment: current, rescope: false, changes });
  if (current.version !== expectedVersion) {
    return { ok: false, error: await explainMiss(db, actor, id, expectedVersion) };
  }
  const rescope = isLocked(current, ctx.today) && isRescope(changes);
  if (rescope && !reason) {
    return fail(
      "COMMITMENT.RESCOPE_REASON_REQUIRED",
      "This commitment is locked: its period has started or a published letter includes it. Changing what was promised is a re-scope, disclosed beside the original. Say why.",
      "reason",
    );
  }
  const reasonIssue = rescope && reason ? reasonProblem(reason) : null;
  if (reasonIssue) return fail("VALIDATION", reasonIssue, "reason");
  const checked = await checkFields(db, ctx, after, changes.some((c) => c.field === "dueDate"), current.ownerId);
  if (!checked.ok) return checked;
  const { period, lint } = checked.value;
  return db.transaction(async (tx) => {
    const updated = await updateCommitmentIfCurrent(
      tx,
      actor,
      id,
      expectedVersion,
      {
        ...after,
        periodStart: period.start,
        periodEnd: period.end,
        fiscalYear: period.fiscalYear,
        lintScore: lint.score,
        lintFindings: lint.findings,
      },
      now,
    );
    if (!updated) return { ok: false as const, error: await explainMiss(tx, actor, id, expectedVersion) };
    await insertRevision(tx, {
      commitmentId: id,
      version: updated.version,
      kind: rescope ? "rescope" : "edit",
      actorId: actor.id,
      at: now,
      changes,
      reason: reason ?? null,
    });
    if (rescope && reason) await emitEvent(tx, { type: "commitment.rescoped", actorId: actor.id, commitment: updated, reason, changes }, now);
    // Readers watching it hear of a re-scope; the job commits with it (ADR 0013).
    if (rescope) await announceCommitmentChange(tx, updated, { kind: "rescope", changes, reason: reason ?? null, at: now });
    return ok({ commitment: updated, rescope, changes });
  });
}

export interface CheckInInput {
  date: string;
  forecast: "on_track" | "at_risk" | "off_track" | "stalled";
  probability: number;
  progressValue: number | null;
  note: string | null;
}

async function addCheckInUnlogged(db: Database, actor: Actor, id: string, input: CheckInInput, now: Date): Promise<Result<null>> {
  const current = await getCommitment(db, id);
  if (!current) return fail("NOT_FOUND", "That commitment does not exist.");
  const refused = await authorizeOnTeam(db, actor, "commitments.write", current.teamId, NOT_YOURS);
  if (refused) return refused;
  if (current.status !== "open") return fail("COMMITMENT.RESOLVED", "This commitment already has an outcome; check-ins are closed.");
  const ctx = await orgContext(db, now);
  if (compareIsoDates(input.date, ctx.today) > 0) return fail("VALIDATION", "A check-in cannot be dated in the future.", "date");
  await db.transaction(async (tx) => {
    await insertCheckIn(tx, {
      commitmentId: id,
      date: input.date,
      forecast: input.forecast,
      probability: input.probability,
      progressValue: input.progressValue,
      note: input.note ?? "",
      createdBy: actor.id,
      createdAt: now,
    });
    await insertRevision(tx, {
      commitmentId: id,
      version: current.version,
      kind: "check_in",
      actorId: actor.id,
      at: now,
      changes: [
        { field: "date", from: null, to: input.date },
        { field: "forecast", from: null, to: input.forecast },
        { field: "probability", from: null, to: input.probability },
        ...(input.progressValue !== null ? [{ field: "progressValue", from: null, to: input.progressValue }] : []),
      ],
      reason: input.note || null,
    });
    const checkIn = { date: input.date, forecast: input.forecast, probability: input.probability, progressValue: input.progressValue, note: input.note || null };
    await emitEvent(tx, { type: "commitment.checked_in", actorId: actor.id, commitment: current, checkIn }, now);
  });
  return ok(null);
}

export interface OutcomeInput {
  status: string;
  resolvedAt: string;
  actualValue: number | null;
  evidenceUrl: string | null;
  partialDescription: string | null;
  reasonCategory: string | null;
  control: string | null;
  explanation: string | null;
  lesson: string | null;
}

function outcomeOf(row: NonNullable<Awaited<ReturnType<typeof getOutcome>>>): Outcome {
  return {
    status: row.status,
    resolvedAt: row.resolvedAt,
    actualValue: row.actualValue,
    evidenceUrl: row.evidenceUrl,
    partialDescription: row.partialDescription,
    reasonCategory: row.reasonCategory,
    control: row.control,
    explanation: row.explanation,
    lesson: row.lesson,
  };
}

async function recordOutcomeUnlogged(
  db: Database,
  actor: Actor,
  id: string,
  input: OutcomeInput,
  expectedVersion: number,
  changeReason: string | null,
  now: Date,
): Promise<Result<Commitment>> {
  const current = await getCommitment(db, id);
  if (!current) return fail("NOT_FOUND", "That commitment does not exist.");
  const refused = await authorizeOnTeam(db, actor, "commitments.write", current.teamId, NOT_YOURS);
  if (refused) return refused;
  const ctx = await orgContext(db, now);
  const validation = validateOutcome(input, { today: ctx.today });
  if (!validation.ok) {
    const fieldErrors = Object.fromEntries(Object.entries(validation.errors).map(([k, v]) => [k, [v as string]]));
    return fail("VALIDATION", "The outcome is not complete yet.", undefined, { fieldErrors });
  }
  const outcome = validation.outcome;
  const previousRow = await getOutcome(db, id);
  const previous = previousRow ? outcomeOf(previousRow) : null;
  if (previous && !changeReason) {
    return fail(
      "OUTCOME.REASON_REQUIRED",
      "An outcome is already recorded. Changing it is part of the record: say why.",
      "changeReason",
    );
  }
  const changeIssue = previous && changeReason ? reasonProblem(changeReason) : null;
  if (changeIssue) return fail("VALIDATION", changeIssue, "changeReason");
  const changes = diffOutcome(previous, outcome);
  if (previous && changes.length === 0) return ok(current);
  if (current.version !== expectedVersion) {
    return { ok: false, error: await explainMiss(db, actor, id, expectedVersion) };
  }
  return db.transaction(async (tx) => {
    const updated = await updateCommitmentIfCurrent(tx, actor, id, expectedVersion, { status: outcome.status }, now);
    if (!updated) return { ok: false as const, error: await explainMiss(tx, actor, id, expectedVersion) };
    await upsertOutcome(tx, { commitmentId: id, ...outcome, recordedAt: now, recordedBy: actor.id });
    await insertRevision(tx, {
      commitmentId: id,
      version: updated.version,
      kind: previous ? "outcome_change" : "outcome",
      actorId: actor.id,
      at: now,
      changes,
      reason: changeReason,
    });
    await emitEvent(
      tx,
      previous && changeReason
        ? { type: "outcome.changed", actorId: actor.id, commitment: updated, outcome, previousStatus: previous.status, reason: changeReason, changes }
        : { type: "outcome.recorded", actorId: actor.id, commitment: updated, outcome },
      now,
    );
    // Readers watching it hear of the outcome; the job commits with it (ADR 0013).
    await announceCommitmentChange(tx, updated, { kind: previous ? "outcome_change" : "outcome", changes, reason: changeReason, at: now });
    return ok(updated);
  });
}

async function carryForwardUnlogged(
  db: Database,
  actor: Actor,
  id: string,
  input: { periodLabel: string; dueDate: string; statement: string },
  expectedVersion: number,
  now: Date,
): Promise<Result<Commitment>> {
  const current = await getCommitment(db, id);
  if (!current) return fail("NOT_FOUND", "That commitment does not exist.");
  const refused = await authorizeOnTeam(db, actor, "commitments.write", current.teamId, NOT_YOURS);
  if (refused) return refused;
  if (current.status !== "missed" && current.status !== "partial") {
    return fail("COMMITMENT.NOT_CARRYABLE", "Only a missed or partially delivered commitment can be carried forward.");
  }
  if ((await successorsOf(db, id)).length > 0) {
    return fail("COMMITMENT.ALREADY_CARRIED", "This commitment has already been carried forward; continue with its successor.");
  }
  if (current.version !== expectedVersion) {
    return { ok: false, error: await explainMiss(db, actor, id, expectedVersion) };
  }
  const ctx = await orgContext(db, now);
  const period = periodFromLabel(input.periodLabel, ctx.calendar);
  if (!period) return fail("VALIDATION", "Choose a period such as FY2026-Q3.", "periodLabel");
  if (compareIsoDates(period.start, current.periodStart) <= 0) {
    return fail("VALIDATION", `Choose a period that starts after ${current.periodLabel}.`, "periodLabel");
  }
  const fields: CommitmentFields = { ...fieldsOf(current), statement: input.statement, periodLabel: period.label, dueDate: input.dueDate };
  // The next attempt keeps the owner, as an edit does, even one deactivated since (ADR 0029):
  // neither the form nor the API names an owner here, so refusing on \`ownerId\` was an error
  // nobody could see or fix. A new owner is given afterwards by an edit, among the active.
  const checked = await checkFields(db, ctx, fields, true, current.ownerId);
  if (!checked.ok) return checked;
  try {
    return await db.transaction(async (tx) => {
      // Moving the predecessor's version makes a second, simultaneous carry-forward of the
      // same commitment lose (and the unique index on predecessor_id backs this up).
      const bumped = await updateCommitmentIfCurrent(tx, actor, current.id, expectedVersion, {}, now);
      if (!bumped) return { ok: false as const, error: await explainMiss(tx, actor, id, expectedVersion) };
      const row = await insertNewCommitment(tx, actor, fields, checked.value, now, {
        predecessorId: current.id,
        attempt: current.attempt + 1,
      });
      await insertRevision(tx, {
        commitmentId: current.id,
        version: bumped.version,
        kind: "carry_forward",
        actorId: actor.id,
        at: now,
        changes: [{ field: "successor", from: null, to: row.id }],
        reason: null,
      });
      return ok(row);
    });
  } catch (error) {
    if (uniqueViolation(error) === "commitments_predecessor_key") {
      return fail("COMMITMENT.ALREADY_CARRIED", "This commitment has already been carried forward; continue with its successor.");
    }
    throw error;
  }
}

/** Adds a check-in, and logs the change (the same line for the UI and the API). */
export async function addCheckIn(db: Database, actor: Actor, id: string, input: CheckInInput, now: Date, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await addCheckInUnlogged(db, actor, id, input, now);
  if (result.ok) log.info({ commitmentId: id, intent: "check-in", by: actor.id }, "commitment changed");
  return result;
}

/** Records or changes the outcome, and logs the change (the same line for the UI and the API). */
export async function recordOutcome(db: Database, actor: Actor, id: string, input: OutcomeInput, expectedVersion: number, changeReason: string | null, now: Date, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await recordOutcomeUnlogged(db, actor, id, input, expectedVersion, changeReason, now);
  if (result.ok) log.info({ commitmentId: id, intent: "outcome", status: input.status, by: actor.id }, "commitment changed");
  return result;
}

/** Carries a missed or partial commitment forward, and logs the change (the same line for the UI and the API). */
export async function carryForward(db: Database, actor: Actor, id: string, input: { periodLabel: string; dueDate: string; statement: string }, expectedVersion: number, now: Date, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await carryForwardUnlogged(db, actor, id, input, expectedVersion, now);
  if (result.ok) log.info({ commitmentId: id, intent: "carry-forward", successorId: result.value.id, by: actor.id }, "commitment changed");
  return result;
}

/** createCommitment, and its line in the change log: the same line whether the UI or the API asked. */
export async function createCommitment(db: Database, actor: Actor, input: CommitmentInput, now: Date, link: { predecessorId?: string; attempt?: number; sourceActionItemId?: string } = {}, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await createCommitmentUnlogged(db, actor, input, now, link);
  if (result.ok) log.info({ commitmentId: result.value.id, by: actor.id }, "commitment created");
  return result;
}

/** updateCommitment, and its line in the change log: the same line whether the UI or the API asked. */
export async function updateCommitment(db: Database, actor: Actor, id: string, input: CommitmentInput, expectedVersion: number, reason: string | null, now: Date, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await updateCommitmentUnlogged(db, actor, id, input, expectedVersion, reason, now);
  if (result.ok) log.info({ commitmentId: id, rescope: result.value.rescope, by: actor.id }, "commitment edited");
  return result;
}
