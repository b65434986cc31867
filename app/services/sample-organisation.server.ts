// Loads the sample organisation (its records live in app/sample/organisation.ts), so a newcomer
// can see every part of Kept in a minute. Everything is made through the same services the UI and the
// API use, at the simulated moment each thing would have happened (a check-in is posted on its
// date, an outcome recorded when it was resolved), so revisions, lint scores, locks and
// re-scope rules apply exactly as they would to real data. Only loaded when someone asks for
// it, into an organisation without teams, and the organisation is marked is_sample.
//
// Deterministic for a given `now` and calendar: dates are placed relative to the fiscal year
// containing `now`; events of the current year that would lie in the future are left out.
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { savepointsIn, type Database, type Transaction } from "../../db/client";
import { addDaysToIsoDate, fiscalYearOf, localDate, periodOf, type FiscalCalendar } from "~/domain/period";
import { getCommitment, type Commitment } from "~/models/commitment.server";
import { getOrganisation, updateOrganisation } from "~/models/organisation.server";
import { listAllTeams } from "~/models/team.server";
import { getUserById } from "~/models/user.server";
import type { CommitmentInput } from "~/schemas/commitments";
import { addCheckIn, carryForward, createCommitment, recordOutcome, updateCommitment } from "./commitments.server";
import { generateLetterDraft, publishLetter } from "./letters.server";
import { saveOrganisationSettings } from "./organisation.server";
import { addPerson } from "./people.server";
import { addActionItem, changeActionItemStatus, resolveScope, saveNotes } from "./retrospectives.server";
import { addTeamMember, createTeam } from "./teams.server";
import { fail, ok, type Actor, type Result } from "~/domain/result";
import { SampleCalendar } from "~/sample/calendar";
import {
  MEMBERSHIPS,
  PEOPLE,
  SAMPLE_MIN_PUBLIC_SCORE,
  TEAMS,
  lastYear,
  nextYear,
  promotedSpec,
  thisYear,
  type CarrySpec,
  type CommitmentSpec,
  type PersonKey,
  type TeamKey,
} from "~/sample/organisation";

// Serialises two loads that start at once, so the second sees the first one's teams.
const SAMPLE_LOCK_ID = 7_200_430;

export interface SampleSummary {
  teams: number;
  people: number;
  commitments: number;
  lastYear: number;
  thisYear: number;
  letters: { published: string | null; draft: string | null };
}

// ---------------------------------------------------------------------------------------------
// Playing the history through the services

/** The sample data is fixed, so a refusal here is a bug in it: fail loudly and roll back. */
function must<T>(result: Result<T>, what: string): T {
  if (!result.ok) {
    const details = [...(result.error.problems ?? []).map((p) => p.message), ...Object.values(result.error.fieldErrors ?? {}).flat()];
    throw new Error(`Sample organisation: ${what} was refused (${result.error.code}): ${[result.error.message, ...details].join(" ")}`);
  }
  return result.value;
}

interface Cast {
  clock: SampleCalendar;
  actors: Record<PersonKey, Actor>;
  teams: Record<TeamKey, string>;
  people: Record<PersonKey, string>;
}

function inputOf(cast: Cast, spec: CommitmentSpec): CommitmentInput {
  const metric = spec.measure.kind === "metric" ? spec.measure : null;
  return {
    statement: spec.statement,
    details: spec.details ?? "",
    measureKind: spec.measure.kind,
    metricName: metric?.name ?? null,
    metricBaseline: metric?.baseline ?? null,
    metricComparator: metric?.comparator ?? null,
    metricTarget: metric?.target ?? null,
    metricUnit: metric?.unit ?? null,
    deliverableEvent: spec.measure.kind === "deliverable" ? spec.measure.event : null,
    evidenceSource: spec.evidenceSource,
    dueDate: spec.dueDate,
    periodLabel: spec.periodLabel,
    teamId: cast.teams[spec.team],
    ownerId: cast.people[spec.owner],
    audience: spec.audience,
    tags: spec.tags,
  };
}

async function commit(db: Database, cast: Cast, spec: CommitmentSpec, link: { sourceActionItemId?: string } = {}): Promise<Commitment> {
  return must(
    await createCommitment(db, cast.actors[spec.owner], inputOf(cast, spec), cast.clock.at(spec.committedOn, 10), link),
    `committing “${spec.statement}”`,
  );
}

async function current(db: Database, id: string): Promise<Commitment> {
  const row = await getCommitment(db, id);
  if (!row) throw new Error(`Sample organisation: commitment ${id} vanished`);
  return row;
}

/** Check-ins, the re-scope and the outcome, in date order, skipping whatever lies after today. */
async function unfold(db: Database, cast: Cast, spec: CommitmentSpec, id: string): Promise<void> {
  const { clock } = cast;
  const actor = cast.actors[spec.owner];
  type Step = { date: string; run: () => Promise<void> };
  const steps: Step[] = spec.checkIns.map((ci) => ({
    date: ci.date,
    run: async () => {
      must(
        await addCheckIn(
          db,
          actor,
          id,
          { date: ci.date, forecast: ci.forecast, probability: ci.probability, progressValue: ci.progress ?? null, note: ci.note },
          clock.at(ci.date, 11),
        ),
        `checking in on “${spec.statement}”`,
      );
    },
  }));
  const rescope = spec.rescope;
  if (rescope) {
    steps.push({
      date: rescope.date,
      run: async () => {
        const row = await current(db, id);
        must(
          await updateCommitment(db, actor, id, { ...inputOf(cast, spec), dueDate: rescope.dueDate }, row.version, rescope.reason, clock.at(rescope.date, 14)),
          `re-scoping “${spec.statement}”`,
        );
      },
    });
  }
  const outcome = spec.outcome;
  if (outcome) {
    steps.push({
      date: outcome.date,
      run: async () => {
        const row = await current(db, id);
        must(
          await recordOutcome(
            db,
            actor,
            id,
            {
              status: outcome.status,
              resolvedAt: outcome.date,
              actualValue: outcome.actual ?? null,
              evidenceUrl: outcome.evidenceUrl ?? null,
              partialDescription: outcome.partial ?? null,
              reasonCategory: outcome.reason ?? null,
              control: outcome.control ?? null,
              explanation: outcome.explanation ?? null,
              lesson: outcome.lesson ?? null,
            },
            row.version,
            null,
            clock.at(outcome.date, 16),
          ),
          `recording the outcome of “${spec.statement}”`,
        );
      },
    });
  }
  // A stable sort keeps same-day steps in the order written: check-in, re-scope, outcome.
  steps.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  for (const step of steps) {
    if (clock.happened(step.date)) await step.run();
  }
}

/**
 * Commits a shortfall again in a later period (attempt 2), then, while that period has not
 * started, brings the rest of it up to date as an ordinary edit (a new baseline, say).
 */
async function carryOver(db: Database, cast: Cast, carry: CarrySpec, fromId: string): Promise<string> {
  const { next } = carry;
  const actor = cast.actors[next.owner];
  const from = await current(db, fromId);
  const successor = must(
    await carryForward(
      db,
      actor,
      from.id,
      { periodLabel: next.periodLabel, dueDate: next.dueDate, statement: next.statement },
      from.version,
      cast.clock.at(carry.on, 17),
    ),
    `carrying “${from.statement}” forward`,
  );
  must(
    await updateCommitment(db, actor, successor.id, inputOf(cast, next), successor.version, null, cast.clock.at(carry.on, 17.5)),
    `updating the next attempt of “${from.statement}”`,
  );
  return successor.id;
}

async function createCast(db: Database, admin: Actor, clock: SampleCalendar): Promise<Cast> {
  const people = {} as Record<PersonKey, string>;
  const actors = {} as Record<PersonKey, Actor>;
  for (const p of PEOPLE) {
    // Nobody knows these passwords, so sample people cannot sign in; the admin can.
    const user = must(
      await addPerson(db, admin, { name: p.name, email: p.email, role: p.role, password: randomBytes(24).toString("base64url") }),
      `adding ${p.name}`,
    );
    people[p.key] = user.id;
    actors[p.key] = { id: user.id, role: p.role };
  }
  const teams = {} as Record<TeamKey, string>;
  for (const t of TEAMS) {
    const team = must(
      await createTeam(db, admin, { name: t.name, slug: t.slug, mission: t.mission, parentId: t.parent ? teams[t.parent] : null }),
      `creating the team ${t.name}`,
    );
    teams[t.key] = team.id;
  }
  for (const m of MEMBERSHIPS) {
    must(await addTeamMember(db, admin, teams[m.team], people[m.person], m.role), `adding a member to ${m.team}`);
  }
  return { clock, actors, teams, people };
}

async function holdRetrospective(db: Database, cast: Cast, lastFy: number): Promise<{ promotedItemId: string }> {
  const { clock } = cast;
  const scope = await resolveScope(db, "product-experience");
  const period = periodOf("year", lastFy, 1, clock.cal);
  if (!scope) throw new Error("Sample organisation: the Product Experience team is missing");
  const jonas = cast.actors.jonas;
  const heldOn = clock.date(lastFy + 1, 1, 9);
  const held = clock.at(heldOn, 15);
  must(
    await saveNotes(
      db,
      jonas,
      scope,
      period,
      {
        wentWell:
          "Sign-up and billing passed the accessibility re-audit with no findings.\n\nThe offline beta caught a data-loss bug before any customer lost work, and we said so instead of shipping.",
        wentBadly:
          "We committed to the data export and the accessibility fixes in the same half with four engineers, then lost two to the incident rotation and did not re-plan.\n\nOur check-ins said “at risk” for two months before anyone changed the plan.\n\nThe charting library's accessibility gaps were knowable before we estimated.",
        willChange:
          "Re-plan within a week whenever people move to incident work, and say publicly which commitment gives.\n\nAudit third-party components before estimating accessibility work.\n\nCarry the data export forward, with streaming for large workspaces.",
      },
      0,
      held,
    ),
    "writing the retrospective notes",
  );
  const audit = must(
    await addActionItem(
      db,
      jonas,
      scope,
      period,
      { text: "Audit every third-party UI component for accessibility before estimating accessibility work.", ownerId: cast.people.jonas, dueDate: clock.date(lastFy + 1, 2, 28) },
      held,
    ),
    "adding an action item",
  );
  const decision = must(
    await addActionItem(
      db,
      jonas,
      scope,
      period,
      {
        text: "Publish a go/no-go decision on iOS offline editing, backed by automated sync-conflict tests.",
        ownerId: cast.people.jonas,
        dueDate: clock.end("quarter", lastFy + 1, 2),
      },
      held,
    ),
    "adding an action item",
  );
  must(
    await addActionItem(
      db,
      jonas,
      scope,
      period,
      { text: "Re-plan the half within one week whenever an engineer moves to the incident rotation.", ownerId: cast.people.priya, dueDate: null },
      held,
    ),
    "adding an action item",
  );
  const auditDone = clock.date(lastFy + 1, 2, 26);
  if (clock.happened(auditDone)) {
    must(await changeActionItemStatus(db, jonas, audit.id, "done", clock.at(auditDone, 12)), "closing an action item");
  }
  return { promotedItemId: decision.id };
}

/**
 * Fills an empty organisation with the sample: people, teams, two fiscal years of commitments
 * and next year's public ones, a retrospective, last year's published letter and this year's
 * draft. All or nothing: it runs in one transaction.
 */
export async function loadSampleOrganisation(db: Database, who: { adminId: string }, now: Date): Promise<Result<SampleSummary>> {
  return db.transaction((tx) => loadSampleOrganisationIn(tx, who, now));
}

/**
 * loadSampleOrganisation inside the caller's transaction (setup with the sample: Kept is set up
 * with its sample or not at all). The use cases it plays open transactions of their own, which
 * become savepoints of this one (savepointsIn).
 */
export async function loadSampleOrganisationIn(tx: Transaction, who: { adminId: string }, now: Date): Promise<Result<SampleSummary>> {
  const history = savepointsIn(tx);
  await tx.execute(sql`select pg_advisory_xact_lock(${SAMPLE_LOCK_ID})`);
  const org = await getOrganisation(tx);
  if (!org) return fail("SETUP.REQUIRED", "Set Kept up before loading the sample organisation.");
  const adminUser = await getUserById(tx, who.adminId);
  if (!adminUser || adminUser.role !== "admin" || !adminUser.active) {
    return fail("FORBIDDEN", "Only an active admin can load the sample organisation.");
  }
  // Commitments belong to teams, so no teams means no commitments either.
  if ((await listAllTeams(tx)).length > 0) {
    return fail(
      "SAMPLE.NOT_EMPTY",
      "The sample organisation only loads into an organisation without teams or commitments, so it never mixes with real data.",
    );
  }
  const admin: Actor = { id: adminUser.id, role: "admin" };
  const cal: FiscalCalendar = { startMonth: org.fiscalYearStartMonth, timeZone: org.timeZone };
  const today = localDate(now, org.timeZone);
  const clock = new SampleCalendar(cal, now, today);
  const fy = fiscalYearOf(today, cal);
  const last = fy - 1;

  await updateOrganisation(tx, { isSample: true }, now);
  must(
    await saveOrganisationSettings(
      history,
      admin,
      {
        organisationName: org.name,
        fiscalYearStartMonth: org.fiscalYearStartMonth,
        timeZone: org.timeZone,
        signatoryName: org.signatoryName ?? adminUser.name,
        signatoryTitle: org.signatoryTitle ?? "Chief Technology Officer",
        publicSiteEnabled: org.publicSiteEnabled,
        minPublicScore: Math.max(org.minPublicScore, SAMPLE_MIN_PUBLIC_SCORE),
      },
      now,
    ),
    "saving the organisation's settings",
  );

  const cast = await createCast(history, admin, clock);

  // Last year, start to finish.
  const past = lastYear(clock, last);
  const pastIds: Record<string, string> = {};
  for (const [key, spec] of Object.entries(past.specs)) {
    const row = await commit(history, cast, spec);
    pastIds[key] = row.id;
    await unfold(history, cast, spec, row.id);
  }

  // Planning this year, before it starts: shortfalls carried forward, then the new commitments.
  const carried: Array<{ spec: CommitmentSpec; id: string }> = [];
  for (const carry of past.carries) carried.push({ spec: carry.next, id: await carryOver(history, cast, carry, pastIds[carry.from]!) });
  const present = thisYear(clock, fy);
  const presentIds: Record<string, string> = {};
  for (const [key, spec] of Object.entries(present)) presentIds[key] = (await commit(history, cast, spec)).id;

  // Early this year: the retrospective of last year, and an action item that became a commitment.
  const { promotedItemId } = await holdRetrospective(history, cast, last);
  const promoted = promotedSpec(clock, fy);
  const promotedRow = await commit(history, cast, promoted, { sourceActionItemId: promotedItemId });

  // Last year's letter, published a few weeks into this year.
  const published = await publishLastYearsLetter(history, admin, last, clock.at(addDaysToIsoDate(clock.start(fy), 24), 11));

  // This year so far.
  for (const [key, spec] of Object.entries(present)) await unfold(history, cast, spec, presentIds[key]!);
  await unfold(history, cast, promoted, promotedRow.id);
  for (const c of carried) await unfold(history, cast, c.spec, c.id);

  // Next year's public commitments, so this year's letter can say what comes next.
  const future = nextYear(clock, fy + 1);
  for (const spec of Object.values(future)) await commit(history, cast, spec);

  const draft = must(await generateLetterDraft(history, admin, { fiscalYear: fy, audience: "public" }, now), "drafting this year's letter");

  const pastCount = Object.keys(past.specs).length;
  const presentCount = Object.keys(present).length + carried.length + 1;
  return ok({
    teams: TEAMS.length,
    people: PEOPLE.length,
    commitments: pastCount + presentCount + Object.keys(future).length,
    lastYear: pastCount,
    thisYear: presentCount,
    letters: { published: published.id, draft: draft.id },
  });
}

async function publishLastYearsLetter(db: Database, admin: Actor, fiscalYear: number, at: Date): Promise<{ id: string }> {
  const draft = must(await generateLetterDraft(db, admin, { fiscalYear, audience: "public" }, at), "drafting last year's letter");
  return must(await publishLetter(db, admin, draft.id, draft.version, at), "publishing last year's letter");
}
