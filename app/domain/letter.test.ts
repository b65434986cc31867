import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import type { FieldChange } from "./commitment";
import { renderScorecardChart } from "./letter-chart";
import {
  CHART_MARKER,
  LETTER_CREATION_FIELDS,
  LETTER_REVISION_KINDS,
  LETTER_SECTION_IDS,
  withChart,
  compareShortfalls,
  composeLetter,
  scorecardChart,
  escapeMarkdown,
  formatLetterDate,
  joinList,
  numberWord,
  ordinalWord,
  originalStatement,
  plural,
  revisionsAsLetterReads,
  checkInsAsLetterReads,
  type LetterCommitment,
  type LetterInput,
  type NextYearCommitment,
} from "./letter";
import type {
  Audience,
  CheckIn,
  Control,
  Forecast,
  Measure,
  Outcome,
  OutcomeStatus,
  ReasonCategory,
} from "./types";

// ---------------------------------------------------------------------------------------------
// Golden files: the generated letters are the spec. Run with UPDATE_GOLDEN=1 to rewrite them,
// then read the diff as a customer would before committing it.

function expectGolden(name: string, actual: string): void {
  const path = fileURLToPath(new URL(`./__golden__/${name}`, import.meta.url));
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual, "utf8");
    return;
  }
  if (!existsSync(path)) throw new Error(`Golden file ${name} is missing; run with UPDATE_GOLDEN=1 to create it.`);
  expect(actual).toBe(readFileSync(path, "utf8"));
}

// ---------------------------------------------------------------------------------------------
// Builders

function metric(name: string, comparator: "gte" | "lte" | "eq", target: number, unit: string, baseline: number | null = null): Measure {
  return { kind: "metric", name, comparator, target, unit, baseline };
}

function deliverable(event: string): Measure {
  return { kind: "deliverable", event };
}

function ci(date: string, forecast: Forecast, probability: number, note = ""): CheckIn {
  return { date, forecast, probability, progressValue: null, note };
}

function delivered(resolvedAt: string, evidenceUrl: string, actualValue: number | null = null): Outcome {
  return {
    status: "delivered",
    resolvedAt,
    actualValue,
    evidenceUrl,
    partialDescription: null,
    reasonCategory: null,
    control: null,
    explanation: null,
    lesson: null,
  };
}

function shortfall(
  status: Exclude<OutcomeStatus, "delivered">,
  resolvedAt: string,
  o: {
    reason: ReasonCategory;
    control: Control;
    explanation: string;
    lesson: string;
    actualValue?: number | null;
    partialDescription?: string;
  },
): Outcome {
  return {
    status,
    resolvedAt,
    actualValue: o.actualValue ?? null,
    evidenceUrl: null,
    partialDescription: o.partialDescription ?? null,
    reasonCategory: o.reason,
    control: o.control,
    explanation: o.explanation,
    lesson: o.lesson,
  };
}

interface Rescope {
  at: string;
  reason: string;
  actor: string;
  changes: FieldChange[];
}

interface Spec {
  id: string;
  statement: string;
  team: string;
  owner?: string | null;
  audience?: Audience;
  committedAt: string;
  due: string;
  period: string;
  measure: Measure;
  attempt?: number;
  predecessor?: { periodLabel: string; attempt: number };
  successor?: { periodLabel: string; attempt: number };
  outcome?: Outcome | null;
  checkIns?: CheckIn[];
  rescopes?: Rescope[];
}

/**
 * A commitment with its revision history: the creation revision records the fields as first
 * committed, which are the current ones with every re-scope undone.
 */
function commitment(s: Spec): LetterCommitment {
  const rescopes = s.rescopes ?? [];
  const original: Record<string, unknown> = { statement: s.statement, dueDate: s.due, audience: s.audience ?? "public" };
  for (const r of [...rescopes].reverse()) for (const c of r.changes) original[c.field] = c.from;
  const creation = {
    kind: s.predecessor ? "carried_from" : "create",
    at: `${s.committedAt}T09:00:00Z`,
    actorName: s.owner ?? null,
    reason: null,
    changes: [
      ...(s.predecessor ? [{ field: "predecessor", from: null, to: `prev-${s.id}` }] : []),
      { field: "statement", from: null, to: original.statement },
      { field: "dueDate", from: null, to: original.dueDate },
      { field: "audience", from: null, to: original.audience },
    ],
  };
  const revisions = [
    creation,
    ...rescopes.map((r) => ({ kind: "rescope", at: `${r.at}T14:30:00Z`, actorName: r.actor, reason: r.reason, changes: r.changes })),
    ...(s.successor
      ? [{ kind: "carry_forward", at: `${s.outcome?.resolvedAt ?? s.due}T16:00:00Z`, actorName: s.owner ?? null, reason: null, changes: [{ field: "successor", from: null, to: `next-${s.id}` }] }]
      : []),
  ];
  return {
    id: s.id,
    statement: s.statement,
    team: { name: s.team },
    ownerName: s.owner ?? null,
    audience: s.audience ?? "public",
    dueDate: s.due,
    periodLabel: s.period,
    committedAt: s.committedAt,
    measure: s.measure,
    evidenceSource: "Public status page",
    attempt: s.attempt ?? 1,
    predecessor: s.predecessor ?? null,
    successor: s.successor ?? null,
    outcome: s.outcome ?? null,
    checkIns: s.checkIns ?? [],
    revisions,
  };
}

function next(
  statement: string,
  dueDate: string,
  measure: Measure,
  teamName: string,
  o: { owner?: string; audience?: Audience; lintScore?: number } = {},
): NextYearCommitment {
  return { statement, dueDate, measure, teamName, ownerName: o.owner ?? null, audience: o.audience ?? "public", lintScore: o.lintScore ?? 100 };
}

// ---------------------------------------------------------------------------------------------
// Fixture 1: a good year. Mostly delivered and on time, one partial carried forward, a prior
// letter and two earlier years to compare with. One internal commitment must not appear.

const goodYear: LetterInput = {
  organisation: { name: "Northwind Payments", signatoryName: "Amara Okafor", signatoryTitle: "Chief Technology Officer" },
  fiscalYear: 2026,
  audience: "public",
  generatedFor: "FY2026",
  previousLetter: { fiscalYear: 2025, url: "https://northwind.example/letters/fy2025", title: "Annual letter FY2025" },
  earlierYears: [
    { fiscalYear: 2024, made: 9, delivered: 5, partial: 2, missed: 1, withdrawn: 1 },
    { fiscalYear: 2025, made: 11, delivered: 7, partial: 2, missed: 2, withdrawn: 0 },
  ],
  commitments: [
    commitment({
      id: "nw-1",
      statement: "Card payments will succeed at least 99.95% of the time in every month from January 2026.",
      team: "Payments",
      owner: "Luca Bianchi",
      committedAt: "2025-12-02",
      due: "2026-12-31",
      period: "FY2026",
      measure: metric("monthly card payment success rate", "gte", 99.95, "%", 99.8),
      outcome: delivered("2026-12-31", "https://status.northwind.example/reports/2026", 99.97),
      checkIns: [ci("2026-03-31", "on_track", 80), ci("2026-09-30", "on_track", 90), ci("2026-12-15", "on_track", 95)],
    }),
    commitment({
      id: "nw-2",
      statement: "Refunds will reach customers' accounts within three working days by 31 March 2026.",
      team: "Payments",
      owner: "Luca Bianchi",
      committedAt: "2025-12-02",
      due: "2026-03-31",
      period: "FY2026-Q1",
      measure: metric("median refund time", "lte", 3, "working days", 6),
      outcome: delivered("2026-03-18", "https://northwind.example/changelog/faster-refunds", 2.5),
      checkIns: [ci("2026-02-01", "on_track", 75), ci("2026-03-01", "on_track", 85)],
    }),
    commitment({
      id: "nw-3",
      statement: "Checkout p95 latency will be 300 ms or less by 30 June 2026.",
      team: "Platform",
      owner: "Sofia Marsh",
      committedAt: "2025-12-09",
      due: "2026-06-30",
      period: "FY2026-Q2",
      measure: metric("p95 checkout latency", "lte", 300, "ms", 900),
      outcome: delivered("2026-07-05", "https://status.northwind.example/latency", 280),
      checkIns: [ci("2026-04-15", "at_risk", 60), ci("2026-06-01", "at_risk", 65)],
    }),
    commitment({
      id: "nw-4",
      statement: "Northwind Payments will be generally available in eu-west-1 by 31 March 2026.",
      team: "Platform",
      owner: "Sofia Marsh",
      committedAt: "2025-12-09",
      due: "2026-03-31",
      period: "FY2026-Q1",
      measure: deliverable("generally available in eu-west-1"),
      outcome: delivered("2026-03-31", "https://northwind.example/blog/eu-west-1-ga"),
      checkIns: [ci("2026-02-15", "on_track", 85), ci("2026-03-20", "on_track", 90)],
    }),
    commitment({
      id: "nw-5",
      statement: "We will publish the model card for our fraud-detection model by 31 March 2026.",
      team: "Risk",
      owner: "Dev Patel",
      committedAt: "2025-12-15",
      due: "2026-03-31",
      period: "FY2026-Q1",
      measure: deliverable("model card published on our website"),
      outcome: delivered("2026-02-27", "https://northwind.example/trust/fraud-model-card"),
      checkIns: [ci("2026-02-01", "on_track", 90)],
    }),
    commitment({
      id: "nw-6",
      statement: "We will answer every chargeback dispute within five working days by 30 September 2026.",
      team: "Risk",
      owner: "Dev Patel",
      committedAt: "2025-12-15",
      due: "2026-09-30",
      period: "FY2026-Q3",
      measure: metric("maximum dispute response time", "lte", 5, "working days", 12),
      outcome: shortfall("partial", "2026-09-30", {
        reason: "underestimated_scope",
        control: "ours",
        actualValue: 8,
        partialDescription: "card-present disputes are answered within five working days; online disputes still take up to eight",
        explanation:
          "Online disputes need evidence from the merchant, and we had not counted the time merchants take to send it.",
        lesson: "Map every hand-off outside our team before committing to an end-to-end time.",
      }),
      checkIns: [ci("2026-06-30", "at_risk", 55), ci("2026-09-15", "off_track", 30)],
      successor: { periodLabel: "FY2027-H1", attempt: 2 },
    }),
    commitment({
      id: "nw-internal",
      statement: "Production database credentials will rotate automatically every 30 days by 31 March 2026.",
      team: "Platform",
      owner: "Sofia Marsh",
      audience: "internal",
      committedAt: "2025-12-09",
      due: "2026-03-31",
      period: "FY2026-Q1",
      measure: deliverable("rotation job running in production"),
      outcome: delivered("2026-03-10", "https://wiki.northwind.internal/rotation"),
    }),
  ],
  nextYearCommitments: [
    next(
      "We will answer every chargeback dispute within five working days by 30 June 2027.",
      "2027-06-30",
      metric("maximum dispute response time", "lte", 5, "working days", 8),
      "Risk",
      { owner: "Dev Patel", lintScore: 95 },
    ),
    next(
      "Payouts will reach merchants on the next working day by 31 March 2027.",
      "2027-03-31",
      metric("share of payouts settled next working day", "gte", 99, "%", 92),
      "Payments",
      { owner: "Luca Bianchi", lintScore: 100 },
    ),
    next(
      "Northwind Payments will be generally available in ap-southeast-2 by 30 September 2027.",
      "2027-09-30",
      deliverable("generally available in ap-southeast-2"),
      "Platform",
      { owner: "Sofia Marsh", lintScore: 100 },
    ),
    next(
      "Move the ledger service to the new cluster by 31 March 2027.",
      "2027-03-31",
      deliverable("ledger service serving from the new cluster"),
      "Platform",
      { owner: "Sofia Marsh", audience: "internal", lintScore: 88 },
    ),
  ],
  openCarriedForward: [
    {
      statement: "Merchants will be able to reconcile every payout in the dashboard without contacting support.",
      attempt: 2,
      firstCommittedYear: 2025,
      currentPeriodLabel: "FY2027-Q1",
      status: "carried",
    },
  ],
};

// ---------------------------------------------------------------------------------------------
// Fixture 2: a bad year. More missed than delivered, surprises, a poor forecast score, a
// second attempt that failed again, and misses of different lateness and distance.

const badYear: LetterInput = {
  organisation: { name: "Halcyon Health Cloud", signatoryName: "Ruth Adeyemi", signatoryTitle: "Chief Executive" },
  fiscalYear: 2026,
  audience: "public",
  generatedFor: "FY2026",
  previousLetter: { fiscalYear: 2025, url: "https://halcyon.example/letters/2025", title: "What we promised in FY2025, and what happened" },
  earlierYears: [{ fiscalYear: 2025, made: 8, delivered: 6, partial: 1, missed: 1, withdrawn: 0 }],
  commitments: [
    commitment({
      id: "hh-1",
      statement: "Patient records will load in under two seconds for 95% of requests by 31 March 2026.",
      team: "Records",
      committedAt: "2026-01-06",
      due: "2026-03-31",
      period: "FY2026-Q1",
      measure: metric("share of record loads under 2 s", "gte", 95, "%", 70),
      outcome: shortfall("missed", "2026-04-30", {
        reason: "underestimated_scope",
        control: "ours",
        actualValue: 78,
        explanation: "Most of the time went into the search index, which we had assumed was not part of the problem.",
        lesson: "Measure where the time goes before promising a number.",
      }),
      checkIns: [ci("2026-02-01", "on_track", 80), ci("2026-03-15", "on_track", 85)],
      successor: { periodLabel: "FY2027-Q2", attempt: 2 },
    }),
    commitment({
      id: "hh-2",
      statement: "The clinician app will work offline for at least eight hours by 30 June 2026.",
      team: "Clinician app",
      committedAt: "2026-01-06",
      due: "2026-06-30",
      period: "FY2026-Q2",
      measure: metric("hours of offline use", "gte", 8, "hours", 0),
      outcome: shortfall("missed", "2026-07-30", {
        reason: "execution_shortfall",
        control: "ours",
        actualValue: 2,
        explanation: "Sync conflicts corrupted drafts in testing, and we did not find the cause in time.",
        lesson: "Ship a smaller offline mode early and extend it, rather than aim for the whole day at once.",
      }),
      checkIns: [ci("2026-03-01", "on_track", 70), ci("2026-06-20", "on_track", 75)],
    }),
    commitment({
      id: "hh-3",
      statement: "We will be certified to ISO 27001 by 30 September 2026.",
      team: "Security",
      committedAt: "2026-01-08",
      due: "2026-09-30",
      period: "FY2026-Q3",
      measure: deliverable("ISO 27001 certificate issued"),
      outcome: shortfall("missed", "2026-09-30", {
        reason: "dependency_blocker",
        control: "external",
        explanation: "The certification body moved our stage 2 audit to January 2027.",
        lesson: "Book external auditors two quarters ahead, not one.",
      }),
      checkIns: [ci("2026-06-30", "at_risk", 50), ci("2026-09-01", "off_track", 20)],
      successor: { periodLabel: "FY2027-Q1", attempt: 2 },
    }),
    commitment({
      id: "hh-4",
      statement: "Appointment reminders will be sent by text message in Welsh by 31 March 2026.",
      team: "Clinician app",
      committedAt: "2026-01-06",
      due: "2026-03-31",
      period: "FY2026-Q1",
      attempt: 2,
      predecessor: { periodLabel: "FY2025-Q4", attempt: 1 },
      measure: deliverable("Welsh text reminders live for all clinics"),
      outcome: shortfall("partial", "2026-03-31", {
        reason: "capacity_change",
        control: "shared",
        partialDescription: "reminders in Welsh are live for the 40 clinics in Cardiff",
        explanation: "The translation contract ended in February and the remaining clinics' templates were not translated.",
        lesson: "Do not depend on a contract that ends before the due date.",
      }),
      checkIns: [ci("2026-02-01", "on_track", 90), ci("2026-03-20", "on_track", 80)],
    }),
    commitment({
      id: "hh-5",
      statement: "Every API endpoint will be documented in our public reference by 31 March 2026.",
      team: "Records",
      committedAt: "2026-01-06",
      due: "2026-03-31",
      period: "FY2026-Q1",
      measure: deliverable("every endpoint listed in the public API reference"),
      outcome: delivered("2026-04-10", "https://developers.halcyon.example/reference"),
      checkIns: [ci("2026-03-01", "at_risk", 60)],
    }),
    commitment({
      id: "hh-6",
      statement: "Scheduled maintenance will never exceed 30 minutes a month during 2026.",
      team: "Platform",
      committedAt: "2026-01-05",
      due: "2026-12-31",
      period: "FY2026",
      measure: metric("maximum monthly scheduled maintenance", "lte", 30, "minutes", 90),
      outcome: delivered("2026-12-31", "https://status.halcyon.example/history", 25),
      checkIns: [ci("2026-06-30", "on_track", 70), ci("2026-12-01", "on_track", 80)],
    }),
    commitment({
      id: "hh-7",
      statement: "We will launch video consultations in Scotland by 30 September 2026.",
      team: "Clinician app",
      committedAt: "2026-01-06",
      due: "2026-09-30",
      period: "FY2026-Q3",
      measure: deliverable("video consultations available to Scottish clinics"),
      outcome: shortfall("withdrawn", "2026-05-12", {
        reason: "deprioritised",
        control: "ours",
        explanation: "We moved the team onto offline support, which clinicians told us mattered more.",
        lesson: "Ask clinicians to rank commitments before we make them, not after.",
      }),
      checkIns: [ci("2026-03-01", "at_risk", 40)],
    }),
  ],
  nextYearCommitments: [
    next(
      "Patient records will load in under two seconds for 95% of requests by 30 June 2027.",
      "2027-06-30",
      metric("share of record loads under 2 s", "gte", 95, "%", 78),
      "Records",
    ),
    next(
      "We will be certified to ISO 27001 by 31 March 2027.",
      "2027-03-31",
      deliverable("ISO 27001 certificate issued"),
      "Security",
    ),
  ],
  openCarriedForward: [
    {
      statement: "Patients will be able to download their full record as a PDF.",
      attempt: 3,
      firstCommittedYear: 2024,
      currentPeriodLabel: "FY2026-Q4",
      status: "open",
    },
    {
      statement: "Clinics will be able to book interpreters from the appointment screen.",
      attempt: 2,
      firstCommittedYear: 2025,
      currentPeriodLabel: "FY2027-Q1",
      status: "carried",
    },
  ],
};

// ---------------------------------------------------------------------------------------------
// Fixture 3: a first year. No earlier letter, no earlier figures, nothing carried, no
// forecasts recorded.

const firstYear: LetterInput = {
  organisation: { name: "Fernbank Libraries", signatoryName: "Tomasz Nowak", signatoryTitle: "Head of Digital Services" },
  fiscalYear: 2026,
  audience: "public",
  generatedFor: "FY2026",
  previousLetter: null,
  earlierYears: [],
  commitments: [
    commitment({
      id: "fb-1",
      statement: "Members will be able to renew loans in the app by 31 May 2026.",
      team: "Digital",
      committedAt: "2026-01-12",
      due: "2026-05-31",
      period: "FY2026-Q2",
      measure: deliverable("loan renewal available in the app"),
      outcome: delivered("2026-05-20", "https://fernbank.example/news/renew-in-the-app"),
    }),
    commitment({
      id: "fb-2",
      statement: "The catalogue will meet WCAG 2.2 AA by 31 October 2026.",
      team: "Digital",
      committedAt: "2026-01-12",
      due: "2026-10-31",
      period: "FY2026-Q4",
      measure: deliverable("independent WCAG 2.2 AA audit passed"),
      outcome: delivered("2026-10-14", "https://fernbank.example/accessibility-statement"),
    }),
    commitment({
      id: "fb-3",
      statement: "Public computers will be replaced in all 12 branches by 30 September 2026.",
      team: "Branch IT",
      committedAt: "2026-01-19",
      due: "2026-09-30",
      period: "FY2026-Q3",
      measure: metric("branches with new public computers", "gte", 12, "branches", 0),
      outcome: shortfall("missed", "2026-10-05", {
        reason: "capacity_change",
        control: "external",
        actualValue: 7,
        explanation: "The council cut the equipment budget in June, and five branches are still waiting.",
        lesson: "Commit to what the confirmed budget covers, and say what depends on the rest.",
      }),
      successor: { periodLabel: "FY2027-Q2", attempt: 2 },
    }),
  ],
  nextYearCommitments: [
    next(
      "Public computers will be replaced in the remaining five branches by 30 June 2027.",
      "2027-06-30",
      metric("branches with new public computers", "gte", 12, "branches", 7),
      "Branch IT",
    ),
  ],
  openCarriedForward: [],
};

// ---------------------------------------------------------------------------------------------
// Fixture 4: re-scopes and withdrawals. A statement and due date moved, a target lowered
// twice, two withdrawals, a customer-facing commitment later made internal (which must stay
// in the public letter), and an internal one that must not appear.

const rescopeYear: LetterInput = {
  organisation: { name: "Orbital Freight", signatoryName: "Ines Carvalho", signatoryTitle: "Chief Operating Officer" },
  fiscalYear: 2026,
  audience: "public",
  generatedFor: "FY2026",
  previousLetter: { fiscalYear: 2024, url: "https://orbital.example/letters/fy2024", title: "Annual letter FY2024" },
  earlierYears: [
    { fiscalYear: 2024, made: 6, delivered: 4, partial: 1, missed: 1, withdrawn: 0 },
    { fiscalYear: 2025, made: 7, delivered: 4, partial: 0, missed: 1, withdrawn: 2 },
  ],
  commitments: [
    commitment({
      id: "of-1",
      statement: "Customers will see live parcel location on a map for UK and Irish deliveries by 30 June 2026.",
      team: "Tracking",
      committedAt: "2025-12-01",
      due: "2026-06-30",
      period: "FY2026-Q2",
      measure: deliverable("live map tracking for UK and Irish deliveries"),
      rescopes: [
        {
          at: "2026-02-16",
          reason: "Our Irish carrier cannot send positions more often than hourly until its new system is live in May.",
          actor: "Marta Silva",
          changes: [
            {
              field: "statement",
              from: "Customers will see live parcel location on a map for every delivery by 31 March 2026.",
              to: "Customers will see live parcel location on a map for UK and Irish deliveries by 30 June 2026.",
            },
            { field: "dueDate", from: "2026-03-31", to: "2026-06-30" },
            { field: "deliverableEvent", from: "live map tracking for every delivery", to: "live map tracking for UK and Irish deliveries" },
          ],
        },
      ],
      outcome: delivered("2026-06-24", "https://orbital.example/changelog/live-map"),
      checkIns: [ci("2026-02-01", "at_risk", 50), ci("2026-05-01", "on_track", 85)],
    }),
    commitment({
      id: "of-2",
      statement: "At least 90% of parcels will be delivered on the promised day by 30 September 2026.",
      team: "Operations",
      committedAt: "2025-12-01",
      due: "2026-09-30",
      period: "FY2026-Q3",
      measure: metric("parcels delivered on the promised day", "gte", 90, "%", 86),
      rescopes: [
        {
          at: "2026-03-02",
          reason: "The Leeds depot closure moved a quarter of our volume to a site that is still being fitted out.",
          actor: "Ken Adams",
          changes: [
            {
              field: "statement",
              from: "At least 97% of parcels will be delivered on the promised day by 30 September 2026.",
              to: "At least 95% of parcels will be delivered on the promised day by 30 September 2026.",
            },
            { field: "metricTarget", from: 97, to: 95 },
          ],
        },
        {
          at: "2026-06-15",
          reason: "A second depot closure in June.",
          actor: "Ken Adams",
          changes: [
            {
              field: "statement",
              from: "At least 95% of parcels will be delivered on the promised day by 30 September 2026.",
              to: "At least 90% of parcels will be delivered on the promised day by 30 September 2026.",
            },
            { field: "metricTarget", from: 95, to: 90 },
          ],
        },
      ],
      outcome: shortfall("partial", "2026-09-30", {
        reason: "assumption_wrong",
        control: "shared",
        actualValue: 88.5,
        partialDescription: "on-time delivery rose from 86% to 88.5%, short of the 90% we committed to",
        explanation: "We assumed the new depots would reach full speed within a month; the first took three.",
        lesson: "Lowering a target twice is a sign the plan was wrong, not the number. Re-plan instead.",
      }),
      checkIns: [ci("2026-04-01", "at_risk", 50), ci("2026-09-01", "at_risk", 40)],
      successor: { periodLabel: "FY2027", attempt: 2 },
    }),
    commitment({
      id: "of-3",
      statement: "We will offer Saturday collections in every postcode area by 31 July 2026.",
      team: "Operations",
      committedAt: "2025-12-03",
      due: "2026-07-31",
      period: "FY2026-Q3",
      measure: deliverable("Saturday collections bookable in every postcode area"),
      outcome: shortfall("withdrawn", "2026-04-20", {
        reason: "deprioritised",
        control: "ours",
        explanation: "We moved the drivers onto weekday capacity to protect on-time delivery.",
        lesson: "A commitment that competes for the same drivers as another needs a stated priority between them.",
      }),
    }),
    commitment({
      id: "of-4",
      statement: "Drones will deliver parcels in the Orkney islands by 31 October 2026.",
      team: "Innovation",
      committedAt: "2025-12-05",
      due: "2026-10-31",
      period: "FY2026-Q4",
      measure: deliverable("scheduled drone deliveries in Orkney"),
      outcome: shortfall("withdrawn", "2026-08-01", {
        reason: "quality_safety",
        control: "ours",
        explanation: "Two test flights lost their link in high wind. We will not fly parcels over people until that is solved.",
        lesson: "Safety criteria belong in the commitment from the start.",
      }),
      checkIns: [ci("2026-05-01", "at_risk", 40)],
    }),
    commitment({
      id: "of-5",
      statement: "Customs pre-clearance will be in place for all UK-to-EU parcels by 31 March 2026.",
      team: "Operations",
      committedAt: "2025-12-01",
      due: "2026-03-31",
      period: "FY2026-Q1",
      audience: "internal",
      measure: deliverable("pre-clearance declarations filed for all UK-to-EU parcels"),
      rescopes: [
        {
          at: "2026-01-20",
          reason: "Legal advised that customs filing details should not be public commitments.",
          actor: "Ines Carvalho",
          changes: [{ field: "audience", from: "public", to: "internal" }],
        },
      ],
      outcome: delivered("2026-03-27", "https://orbital.example/customs"),
    }),
    commitment({
      id: "of-internal",
      statement: "Replace the depot rostering spreadsheet with the new rota tool by 31 May 2026.",
      team: "Operations",
      committedAt: "2025-12-01",
      due: "2026-05-31",
      period: "FY2026-Q2",
      audience: "internal",
      measure: deliverable("all depots rostered in the rota tool"),
      outcome: shortfall("missed", "2026-06-30", {
        reason: "execution_shortfall",
        control: "ours",
        explanation: "Internal only.",
        lesson: "Internal only.",
      }),
    }),
  ],
  nextYearCommitments: [
    next(
      "At least 92% of parcels will be delivered on the promised day by 30 September 2027.",
      "2027-09-30",
      metric("parcels delivered on the promised day", "gte", 92, "%", 88.5),
      "Operations",
    ),
    next(
      "Customers will see live parcel location on a map for every delivery by 31 March 2027.",
      "2027-03-31",
      deliverable("live map tracking for every delivery"),
      "Tracking",
    ),
  ],
  openCarriedForward: [],
};

// ---------------------------------------------------------------------------------------------
// Fixture 5: an internal letter. Public and internal commitments together, owners named, an
// open commitment, a miss of each audience resolved equally late, and lint scores.

const internalYear: LetterInput = {
  organisation: { name: "Quarry Software", signatoryName: "Hannah Lee", signatoryTitle: "CTO" },
  fiscalYear: 2026,
  audience: "internal",
  generatedFor: "FY2026",
  previousLetter: { fiscalYear: 2025, url: "/letters/fy2025-internal", title: "Annual letter FY2025 (internal)" },
  earlierYears: [{ fiscalYear: 2025, made: 10, delivered: 6, partial: 1, missed: 2, withdrawn: 1 }],
  commitments: [
    commitment({
      id: "qs-1",
      statement: "Builds on the main branch will finish in under ten minutes at p90 by 30 April 2026.",
      team: "Developer Experience",
      owner: "Priya Raman",
      audience: "internal",
      committedAt: "2026-01-05",
      due: "2026-04-30",
      period: "FY2026-Q2",
      measure: metric("p90 main-branch build time", "lte", 10, "minutes", 24),
      outcome: shortfall("missed", "2026-05-20", {
        reason: "underestimated_scope",
        control: "ours",
        actualValue: 16,
        explanation: "The integration suite could not be split without rewriting its fixtures.",
        lesson: "Spike the hardest part first.",
      }),
      checkIns: [ci("2026-03-01", "on_track", 75), ci("2026-04-20", "on_track", 70)],
    }),
    commitment({
      id: "qs-2",
      statement: "Single sign-on with Okta and Entra ID will be available to every customer by 30 April 2026.",
      team: "Identity",
      owner: "Marek Zielinski",
      committedAt: "2026-01-05",
      due: "2026-04-30",
      period: "FY2026-Q2",
      measure: deliverable("SSO with Okta and Entra ID generally available"),
      outcome: shortfall("missed", "2026-05-20", {
        reason: "dependency_blocker",
        control: "shared",
        explanation: "Entra ID app-gallery review took seven weeks instead of two.",
        lesson: "Start third-party reviews the week we commit.",
      }),
      checkIns: [ci("2026-03-01", "at_risk", 60), ci("2026-04-25", "off_track", 25)],
      successor: { periodLabel: "FY2026-Q3", attempt: 2 },
    }),
    commitment({
      id: "qs-3",
      statement: "Every production service will have an on-call runbook by 31 March 2026.",
      team: "Developer Experience",
      owner: "Priya Raman",
      audience: "internal",
      committedAt: "2026-01-05",
      due: "2026-03-31",
      period: "FY2026-Q1",
      measure: metric("production services with a runbook", "gte", 100, "%", 40),
      outcome: delivered("2026-03-30", "https://wiki.quarry.example/runbooks", 100),
      checkIns: [ci("2026-03-01", "on_track", 80)],
    }),
    commitment({
      id: "qs-4",
      statement: "Customers will be able to export their audit logs to their own cloud storage.",
      team: "Identity",
      owner: null,
      committedAt: "2026-02-10",
      due: "2026-12-31",
      period: "FY2026-Q4",
      measure: deliverable("audit log export to S3 and Azure Blob generally available"),
      rescopes: [
        {
          at: "2026-06-01",
          reason: "Customers asked for Azure Blob as well as S3; we moved the date to build both.",
          actor: "Marek Zielinski",
          changes: [
            { field: "dueDate", from: "2026-09-30", to: "2026-12-31" },
            { field: "periodLabel", from: "FY2026-Q3", to: "FY2026-Q4" },
            { field: "deliverableEvent", from: "audit log export to S3 generally available", to: "audit log export to S3 and Azure Blob generally available" },
          ],
        },
      ],
      checkIns: [ci("2026-09-01", "on_track", 70)],
    }),
  ],
  nextYearCommitments: [
    next(
      "Builds on the main branch will finish in under ten minutes at p90 by 31 March 2027.",
      "2027-03-31",
      metric("p90 main-branch build time", "lte", 10, "minutes", 16),
      "Developer Experience",
      { owner: "Priya Raman", audience: "internal", lintScore: 100 },
    ),
    next(
      "SCIM provisioning will be available for Okta by 30 June 2027.",
      "2027-06-30",
      deliverable("SCIM provisioning for Okta generally available"),
      "Identity",
      { owner: "Marek Zielinski", audience: "public", lintScore: 90 },
    ),
  ],
  openCarriedForward: [
    {
      statement: "Retire the legacy billing service.",
      attempt: 2,
      firstCommittedYear: 2025,
      currentPeriodLabel: "FY2026-Q4",
      status: "open",
    },
  ],
};

const FIXTURES: Array<[string, LetterInput]> = [
  ["good-year.md", goodYear],
  ["bad-year.md", badYear],
  ["first-year.md", firstYear],
  ["rescopes-and-withdrawals.md", rescopeYear],
  ["internal.md", internalYear],
];

// ---------------------------------------------------------------------------------------------

describe("composeLetter golden files", () => {
  // The goldens are the letters as readers get them: the body with Kept's chart in place.
  it.each(FIXTURES)("%s", (file, input) => {
    const composed = composeLetter(input);
    expectGolden(file, withChart(composed.markdown, composed.chart));
  });

  it.each(FIXTURES)("%s: the body itself carries no SVG, only the chart marker where Kept puts it", (_file, input) => {
    const composed = composeLetter(input);
    expect(composed.markdown).not.toMatch(/<svg/i);
    if (composed.chart === null) {
      expect(composed.markdown).not.toContain(CHART_MARKER);
    } else {
      expect(composed.markdown.split("\n").filter((l) => l === CHART_MARKER)).toHaveLength(1);
      expect(withChart(composed.markdown, composed.chart)).toContain(composed.chart);
    }
  });

  it.each(FIXTURES)("%s: scorecardChart draws the same chart without composing the letter", (_file, input) => {
    expect(scorecardChart(input)).toBe(composeLetter(input).chart);
    expect(scorecardChart({ ...input, generatedFor: `FY${input.fiscalYear} <b>&</b>` })).toBe(
      composeLetter({ ...input, generatedFor: `FY${input.fiscalYear} <b>&</b>` }).chart,
    );
  });
});

describe("the revisions a letter reads", () => {
  it.each(FIXTURES)("%s: revisions of other kinds than LETTER_REVISION_KINDS change nothing (the generator leaves them unread)", (_file, input) => {
    const others = ["edit", "check_in", "outcome", "outcome_change", "lock"];
    const noisy: LetterInput = {
      ...input,
      commitments: input.commitments.map((c, i) => ({
        ...c,
        revisions: [
          ...others.map((kind, k) => ({
            kind,
            at: `${c.committedAt.slice(0, 10)}T0${k}:00:00.000Z`,
            actorName: "Someone",
            reason: k % 2 ? "Noise." : null,
            changes: [{ field: k === 0 ? "statement" : "status", from: null, to: `noise ${i}` }],
          })),
          ...c.revisions,
        ],
      })),
    };
    expect(others.some((k) => (LETTER_REVISION_KINDS as readonly string[]).includes(k))).toBe(false);
    const composed = composeLetter(noisy);
    const plain = composeLetter(input);
    expect(composed.markdown).toBe(plain.markdown);
    expect(composed.chart).toBe(plain.chart);
  });
});

describe("what a letter reads of a creation revision", () => {
  // A creation revision records every field of the commitment as first committed; the fixtures
  // record only the few a letter shows. Here each gets the rest too, differing from the current
  // values, as a real record's would after edits.
  const whole = (input: LetterInput): LetterInput => ({
    ...input,
    commitments: input.commitments.map((c, i) => ({
      ...c,
      revisions: c.revisions.map((r) =>
        r.kind === "create" || r.kind === "carried_from"
          ? {
              ...r,
              changes: [
                ...r.changes,
                { field: "details", from: null, to: `First details ${i}` },
                { field: "measureKind", from: null, to: "metric" },
                { field: "metricName", from: null, to: `first metric ${i}` },
                { field: "metricTarget", from: null, to: 1000 + i },
                { field: "metricUnit", from: null, to: "ms" },
                { field: "evidenceSource", from: null, to: "First evidence" },
                { field: "periodLabel", from: null, to: "FY2019-Q1" },
                { field: "teamId", from: null, to: `team-${i}` },
                { field: "ownerId", from: null, to: `owner-${i}` },
                { field: "tags", from: null, to: ["First"] },
              ],
            }
          : r,
      ),
    })),
  });

  it.each(FIXTURES)("%s: the revisions as the generator reads them compose the same letter as the whole revisions", (_file, input) => {
    const full = whole(input);
    const read: LetterInput = { ...full, commitments: full.commitments.map((c) => ({ ...c, revisions: revisionsAsLetterReads(c.revisions, c) })) };
    // Trimmed or left out where the commitment was never re-scoped, whole where it was.
    const fields = (list: LetterInput["commitments"][number]["revisions"]) => list.reduce((n, r) => n + r.changes.length, 0);
    expect(read.commitments.some((c, i) => fields(c.revisions) < fields(full.commitments[i]!.revisions))).toBe(true);
    const composed = composeLetter(read);
    const plain = composeLetter(full);
    expect(composed.markdown).toBe(plain.markdown);
    expect(composed.chart).toBe(plain.chart);
  });

  it("keeps a re-scoped commitment's creation whole: its letter sets the originals beside the final values", () => {
    const rescoped = rescopeYear.commitments.find((c) => c.revisions.some((r) => r.kind === "rescope"))!;
    const full = whole({ ...rescopeYear, commitments: [rescoped] }).commitments[0]!;
    expect(revisionsAsLetterReads(full.revisions, full)).toEqual(full.revisions);
  });

  it("reads each of LETTER_CREATION_FIELDS: dropping one from the creation of a commitment edited before it was locked changes its letter", () => {
    // Edited before its period began: no re-scope, so the letter shows the first words, due date
    // and audience from the creation alone.
    const edited = commitment({
      id: "e1",
      statement: "Serve checkout p95 under 250 ms in every EU region",
      team: "Checkout",
      audience: "public",
      committedAt: "2026-01-05",
      due: "2026-09-30",
      period: "FY2026-Q3",
      measure: metric("p95 checkout latency", "lte", 250, "ms"),
      outcome: delivered("2026-09-20", "https://grafana.example.com/d/checkout"),
    });
    edited.revisions = [
      {
        ...edited.revisions[0]!,
        changes: [
          { field: "statement", from: null, to: "Serve checkout p95 under 300 ms in Frankfurt" },
          { field: "dueDate", from: null, to: "2026-08-31" },
          { field: "audience", from: null, to: "internal" },
        ],
      },
      ...edited.revisions.slice(1),
    ];
    const input: LetterInput = { ...internalYear, commitments: [edited] };
    const letter = composeLetter(input).markdown;
    expect(letter).toContain("Serve checkout p95 under 300 ms in Frankfurt");
    // As the generator reads it, the letter is the same: no field it shows was left out.
    const read = whole(input).commitments.map((c) => ({ ...c, revisions: revisionsAsLetterReads(c.revisions, c) }));
    expect(read[0]!.revisions.some((r) => r.kind === "create")).toBe(true);
    expect(composeLetter({ ...input, commitments: read }).markdown).toBe(letter);
    for (const field of LETTER_CREATION_FIELDS) {
      const without = { ...edited, revisions: edited.revisions.map((r, i) => (i === 0 ? { ...r, changes: r.changes.filter((c) => c.field !== field) } : r)) };
      expect(composeLetter({ ...input, commitments: [without] }).markdown, field).not.toBe(letter);
    }
  });
});

describe("what a letter reads of a commitment's record", () => {
  it("leaves out a lone creation that restates the commitment as it stands, and keeps one that differs in any field read", () => {
    const c = commitment({
      id: "r1",
      statement: "Ship SSO for every plan",
      team: "Identity",
      audience: "public",
      committedAt: "2026-01-05",
      due: "2026-06-30",
      period: "FY2026-Q2",
      measure: { kind: "deliverable", event: "SSO generally available" },
      outcome: null,
    });
    const creation = (changes: Array<{ field: string; to: unknown }>) => ({ kind: "create", at: "2026-01-05T09:00:00.000Z", actorName: null, reason: null, changes: changes.map((x) => ({ ...x, from: null })) });
    const restating = creation([
      { field: "statement", to: c.statement },
      { field: "details", to: "Anything" },
      { field: "dueDate", to: c.dueDate },
      { field: "audience", to: c.audience },
    ]);
    expect(revisionsAsLetterReads([restating], c)).toEqual([]);
    for (const [field, to] of [["statement", "Ship SSO"], ["dueDate", "2026-05-31"], ["audience", "internal"]] as const) {
      const differing = creation([...restating.changes.filter((x) => x.field !== field), { field, to }]);
      expect(revisionsAsLetterReads([differing], c), field).toHaveLength(1);
    }
    // Two creations: neither is left out, whichever the letter would find first.
    expect(revisionsAsLetterReads([restating, { ...restating, kind: "carried_from" }], c)).toHaveLength(2);
  });

  it.each(FIXTURES)("%s: the forecast of record alone composes the same letter as every check-in", (_file, input) => {
    const read: LetterInput = { ...input, commitments: input.commitments.map((c) => ({ ...c, checkIns: checkInsAsLetterReads(c) })) };
    expect(composeLetter(read).markdown).toBe(composeLetter(input).markdown);
    expect(composeLetter(read).chart).toBe(composeLetter(input).chart);
  });

  it("reads the check-in of record: keeping any other one instead changes a letter", () => {
    // Fixtures' commitments with several check-ins whose first is not their forecast of record:
    // keeping the first instead must show in at least one letter.
    const cases = FIXTURES.flatMap(([, input]) =>
      input.commitments.flatMap((c, i) => {
        const record = checkInsAsLetterReads(c)[0];
        const first = c.checkIns[0];
        return record && first && first.probability !== record.probability ? [{ input, i, first }] : [];
      }),
    );
    expect(cases.length).toBeGreaterThan(0);
    const changed = cases.some(({ input, i, first }) => {
      const other = { ...input, commitments: input.commitments.map((c, j) => ({ ...c, checkIns: j === i ? [first] : checkInsAsLetterReads(c) })) };
      return composeLetter(other).markdown !== composeLetter(input).markdown;
    });
    expect(changed).toBe(true);
  });
});

describe("words and numbers", () => {
  it("spells out one to nine and writes 10 and above in digits with separators", () => {
    expect([0, 1, 7, 9, 10, 12, 1234].map(numberWord)).toEqual(["zero", "one", "seven", "nine", "10", "12", "1,234"]);
  });

  it("pluralises with the count", () => {
    expect(plural(0, "commitment")).toBe("no commitments");
    expect(plural(1, "commitment")).toBe("one commitment");
    expect(plural(3, "commitment")).toBe("three commitments");
    expect(plural(12, "commitment")).toBe("12 commitments");
    expect(plural(2, "day")).toBe("two days");
  });

  it("writes ordinals", () => {
    expect([1, 2, 3, 9, 11, 12, 13, 21, 22, 103].map(ordinalWord)).toEqual([
      "first", "second", "third", "ninth", "11th", "12th", "13th", "21st", "22nd", "103rd",
    ]);
  });

  it("joins lists the way people write them", () => {
    expect(joinList([])).toBe("");
    expect(joinList(["A"])).toBe("A");
    expect(joinList(["A", "B"])).toBe("A and B");
    expect(joinList(["A", "B", "C"])).toBe("A, B and C");
  });

  it("formats dates as a reader says them, whatever the time of day of a timestamp", () => {
    expect(formatLetterDate("2026-09-30")).toBe("30 September 2026");
    expect(formatLetterDate("2026-01-05T23:30:00Z")).toBe("5 January 2026");
  });
});

describe("escaping user text", () => {
  it("turns < into an entity and escapes Markdown structure", () => {
    expect(escapeMarkdown("<script>alert(1)</script>")).toBe("&lt;script>alert(1)&lt;/script>");
    expect(escapeMarkdown("# heading")).toBe("\\# heading");
    expect(escapeMarkdown("a | b")).toBe("a \\| b");
    expect(escapeMarkdown("- item")).toBe("\\- item");
    expect(escapeMarkdown("1. first")).toBe("1\\. first");
    expect(escapeMarkdown("[link](javascript:x)")).toBe("\\[link\\]\\(javascript:x)");
    expect(escapeMarkdown("two\n\nparagraphs")).toBe("two paragraphs");
  });

  it("never lets a <script> from user text through raw", () => {
    const evil = "<script>alert('x')</script>";
    const input: LetterInput = {
      ...firstYear,
      organisation: { name: `Evil ${evil}`, signatoryName: evil, signatoryTitle: evil },
      previousLetter: { fiscalYear: 2025, url: "javascript:alert(1)", title: evil },
      commitments: firstYear.commitments.map((c) => ({
        ...c,
        statement: `${c.statement} ${evil}`,
        team: { name: evil },
        revisions: c.revisions.map((r) => ({
          ...r,
          changes: r.changes.map((ch) => (ch.field === "statement" ? { ...ch, to: `${String(ch.to)} ${evil}` } : ch)),
        })),
        outcome: c.outcome && {
          ...c.outcome,
          explanation: evil,
          lesson: evil,
          evidenceUrl: c.outcome.status === "delivered" ? "javascript:alert(1)" : null,
        },
      })),
      nextYearCommitments: [next(evil, "2027-06-30", deliverable(evil), evil)],
      openCarriedForward: [{ statement: evil, attempt: 2, firstCommittedYear: 2025, currentPeriodLabel: evil, status: "open" }],
    };
    const { markdown, title } = composeLetter({ ...input, generatedFor: `FY2026 ${evil}` });
    expect(markdown).not.toMatch(/<script/i);
    expect(markdown).not.toContain("javascript:");
    expect(title).toContain("FY2026");
  });
});

describe("what is in the letter", () => {
  it("leaves internal commitments out of a public letter, and keeps them in an internal one", () => {
    const publicLetter = composeLetter(goodYear);
    expect(publicLetter.markdown).not.toContain("database credentials");
    expect(publicLetter.mentionedIds).not.toContain("nw-internal");
    expect(publicLetter.markdown).not.toContain("ledger service");

    const internal = composeLetter({ ...goodYear, audience: "internal" });
    expect(internal.markdown).toContain("database credentials");
    expect(internal.mentionedIds).toContain("nw-internal");
    expect(internal.markdown).toContain("ledger service");
  });

  it("keeps a commitment that was customer-facing when made in the public letter after it was made internal", () => {
    const letter = composeLetter(rescopeYear);
    expect(letter.mentionedIds).toContain("of-5");
    expect(letter.mentionedIds).not.toContain("of-internal");
    expect(letter.markdown).toContain("Customs pre-clearance");
  });

  it("names every missed, partial and withdrawn commitment in scope in mentionedIds", () => {
    for (const [, input] of FIXTURES) {
      const letter = composeLetter(input);
      const shortfalls = input.commitments.filter(
        (c) =>
          c.outcome !== null &&
          c.outcome.status !== "delivered" &&
          (input.audience === "internal" || c.audience === "public" || c.id === "of-5"),
      );
      for (const c of shortfalls) expect(letter.mentionedIds).toContain(c.id);
      for (const c of shortfalls) expect(letter.markdown).toContain(escapeMarkdown(c.statement));
    }
  });

  it("quotes each commitment as first committed, not as re-scoped", () => {
    const c = rescopeYear.commitments[0] as LetterCommitment;
    expect(originalStatement(c)).toBe("Customers will see live parcel location on a map for every delivery by 31 March 2026.");
    const section = composeLetter(rescopeYear).sections.find((s) => s.id === "said");
    expect(section?.markdown).toContain("“Customers will see live parcel location on a map for every delivery by 31 March 2026.”");
  });

  it("has the ten sections in order, and no heading without content", () => {
    for (const [, input] of FIXTURES) {
      const letter = composeLetter(input);
      expect(letter.sections.map((s) => s.id)).toEqual([...LETTER_SECTION_IDS]);
      for (const s of letter.sections) {
        expect(s.heading.trim()).not.toBe("");
        expect(s.markdown.trim()).not.toBe("");
      }
      // In the Markdown, every heading is followed by something other than another heading.
      const lines = letter.markdown.split("\n");
      lines.forEach((line, i) => {
        if (!/^#{1,6} /.test(line)) return;
        const nextContent = lines.slice(i + 1).find((l) => l.trim() !== "");
        expect(nextContent, `heading "${line}" has content`).toBeDefined();
        expect(/^#{1,6} /.test(nextContent ?? "") && nextContent!.split(" ")[0]!.length <= line.split(" ")[0]!.length).toBe(false);
      });
    }
  });

  it("writes an empty year as honest sentences, not empty headings", () => {
    const letter = composeLetter({ ...firstYear, commitments: [], nextYearCommitments: [] });
    const byId = Object.fromEntries(letter.sections.map((s) => [s.id, s.markdown]));
    expect(byId["not-delivered"]).toBe("We made no commitments this year, so there is nothing we failed to deliver.");
    expect(byId.changed).toBe("Nothing was re-scoped.");
    expect(byId["still-open"]).toBe("Nothing is outstanding from earlier years.");
    expect(letter.mentionedIds).toEqual([]);
  });
});

describe("the order of what we did not deliver", () => {
  const base = commitment({
    id: "x",
    statement: "B",
    team: "T",
    committedAt: "2026-01-01",
    due: "2026-03-31",
    period: "FY2026-Q1",
    measure: metric("m", "gte", 100, "%", 0),
  });
  const miss = (id: string, o: Partial<LetterCommitment>, resolvedAt: string, actualValue: number | null = null): LetterCommitment => ({
    ...base,
    id,
    ...o,
    outcome: shortfall("missed", resolvedAt, { reason: "execution_shortfall", control: "ours", explanation: "e", lesson: "l", actualValue }),
  });

  it("puts customer-facing before internal, even when the internal one is later", () => {
    const internal = miss("internal", { audience: "internal" }, "2026-06-30");
    const publicOne = miss("public", { audience: "public" }, "2026-03-31");
    expect([internal, publicOne].sort(compareShortfalls).map((c) => c.id)).toEqual(["public", "internal"]);
  });

  it("puts the later one first, then the one further from target, then by statement", () => {
    const late10 = miss("late10", {}, "2026-04-10", 90);
    const late30 = miss("late30", {}, "2026-04-30", 90);
    const late30far = miss("late30far", {}, "2026-04-30", 20);
    const a = miss("a", { statement: "A" }, "2026-03-31");
    const b = miss("b", { statement: "B" }, "2026-03-31");
    expect([b, late10, a, late30, late30far].sort(compareShortfalls).map((c) => c.id)).toEqual([
      "late30far",
      "late30",
      "late10",
      "a",
      "b",
    ]);
  });

  it("lists the bad year's misses in that order in the letter", () => {
    const section = composeLetter(badYear).sections.find((s) => s.id === "not-delivered")?.markdown ?? "";
    const order = ["hh-2", "hh-1", "hh-4", "hh-3", "hh-7"].map((id) => {
      const c = badYear.commitments.find((x) => x.id === id) as LetterCommitment;
      return section.indexOf(escapeMarkdown(c.statement));
    });
    expect(order.every((pos) => pos >= 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
  });

  it("puts the public miss before the equally late internal one in the internal letter", () => {
    const section = composeLetter(internalYear).sections.find((s) => s.id === "not-delivered")?.markdown ?? "";
    expect(section.indexOf("Single sign-on")).toBeLessThan(section.indexOf("Builds on the main branch"));
  });
});

// A deterministic shuffle (no Math.random): reverses, then interleaves the halves.
function shuffle<T>(items: readonly T[]): T[] {
  const reversed = [...items].reverse();
  const half = Math.ceil(reversed.length / 2);
  const out: T[] = [];
  for (let i = 0; i < half; i++) {
    const a = reversed[i + half];
    const b = reversed[i];
    if (a !== undefined) out.push(a);
    if (b !== undefined) out.push(b);
  }
  return out;
}

describe("determinism", () => {
  it.each(FIXTURES)("%s composes to the same bytes twice", (_file, input) => {
    expect(composeLetter(input).markdown).toBe(composeLetter(input).markdown);
  });

  it.each(FIXTURES)("%s does not depend on the order of its input", (_file, input) => {
    const shuffled: LetterInput = {
      ...input,
      commitments: shuffle(input.commitments).map((c) => ({ ...c, revisions: shuffle(c.revisions) })),
      nextYearCommitments: shuffle(input.nextYearCommitments),
      earlierYears: shuffle(input.earlierYears),
      openCarriedForward: shuffle(input.openCarriedForward),
    };
    const a = composeLetter(input);
    const b = composeLetter(shuffled);
    expect(b.markdown).toBe(a.markdown);
    expect(b.mentionedIds).toEqual(a.mentionedIds);
  });
});

describe("renderScorecardChart", () => {
  const svg = renderScorecardChart(
    [
      { label: "FY2025", rate: 0.5, current: false },
      { label: "FY2026", rate: 2 / 3, current: true },
      { label: "FY2027 <b>", rate: null, current: false },
    ],
    { idPrefix: "chart", title: "Delivered in full", description: "FY2025 50%, FY2026 67%" },
  );

  it("is an accessible image labelled by its title and description", () => {
    expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-labelledby="chart-title chart-desc"/);
    expect(svg).toContain('<title id="chart-title">Delivered in full</title>');
    expect(svg).toContain('<desc id="chart-desc">FY2025 50%, FY2026 67%</desc>');
  });

  it("labels every column with its percentage and year, and escapes text", () => {
    expect(svg).toContain(">50%</text>");
    expect(svg).toContain(">67%</text>");
    expect(svg).toContain(">—</text>");
    expect(svg).toContain(">FY2027 &lt;b&gt;</text>");
  });

  it("uses only simple elements, no style attributes, and no blank lines", () => {
    expect(svg).not.toMatch(/style=|<style/);
    const tags = new Set([...svg.matchAll(/<\/?([a-z]+)/g)].map((m) => m[1]));
    expect([...tags].every((t) => ["svg", "title", "desc", "g", "rect", "line", "text", "path"].includes(t ?? ""))).toBe(true);
    expect(svg).not.toMatch(/\n\s*\n/);
  });
});
