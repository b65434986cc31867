// The sample organisation's data: a small SaaS company's people, teams and two fiscal years of
// commitments, told as plain records. Dates are placed relative to the fiscal year containing
// `now` through SampleCalendar, so the story is the same whatever the day it is loaded.
// Nothing here touches the database: app/services/sample-organisation.server.ts plays these
// records through the same services the UI and the API use.
import type { Comparator, Control, Forecast, OutcomeStatus, ReasonCategory, Role, TeamRole } from "~/domain/types";
import { addDaysToIsoDate, daysBetween } from "~/domain/period";
import type { SampleCalendar } from "./calendar";

/** The minimum falsifiability score the sample organisation sets for public commitments. */
export const SAMPLE_MIN_PUBLIC_SCORE = 70;
/** People in the sample share this invented domain (RFC 2606 reserves .example). */
export const SAMPLE_EMAIL_DOMAIN = "sample.example";

// ---------------------------------------------------------------------------------------------
// What the sample is made of

export type PersonKey = "priya" | "tomas" | "lukas" | "mei" | "jonas" | "amara" | "sofia";
export type TeamKey = "platform" | "sre" | "security" | "experience" | "growth";

export const PEOPLE: ReadonlyArray<{ key: PersonKey; name: string; email: string; role: Role }> = [
  { key: "priya", name: "Priya Raman", email: `priya.raman@${SAMPLE_EMAIL_DOMAIN}`, role: "member" },
  { key: "tomas", name: "Tomás Ortega", email: `tomas.ortega@${SAMPLE_EMAIL_DOMAIN}`, role: "member" },
  { key: "lukas", name: "Lukas Novak", email: `lukas.novak@${SAMPLE_EMAIL_DOMAIN}`, role: "member" },
  { key: "mei", name: "Mei Chen", email: `mei.chen@${SAMPLE_EMAIL_DOMAIN}`, role: "member" },
  { key: "jonas", name: "Jonas Weber", email: `jonas.weber@${SAMPLE_EMAIL_DOMAIN}`, role: "member" },
  { key: "amara", name: "Amara Okafor", email: `amara.okafor@${SAMPLE_EMAIL_DOMAIN}`, role: "member" },
  { key: "sofia", name: "Sofia Lindqvist", email: `sofia.lindqvist@${SAMPLE_EMAIL_DOMAIN}`, role: "viewer" },
];

export const TEAMS: ReadonlyArray<{ key: TeamKey; name: string; slug: string; mission: string; parent: TeamKey | null }> = [
  {
    key: "platform",
    name: "Platform",
    slug: "platform",
    mission: "Run the infrastructure every product team builds on, in every region we sell in.",
    parent: null,
  },
  {
    key: "sre",
    name: "Site Reliability",
    slug: "site-reliability",
    mission: "Keep the product available and fast, and tell customers the truth when it is not.",
    parent: "platform",
  },
  {
    key: "security",
    name: "Security & Compliance",
    slug: "security",
    mission: "Earn customers' trust with audited controls and fast fixes.",
    parent: null,
  },
  {
    key: "experience",
    name: "Product Experience",
    slug: "product-experience",
    mission: "Make every screen usable by everyone, on the web and on phones.",
    parent: null,
  },
  {
    key: "growth",
    name: "Growth",
    slug: "growth",
    mission: "Help the right customers find us, choose a plan and succeed in their first week.",
    parent: null,
  },
];

export const MEMBERSHIPS: ReadonlyArray<{ team: TeamKey; person: PersonKey; role: TeamRole }> = [
  { team: "platform", person: "priya", role: "editor" },
  { team: "platform", person: "lukas", role: "editor" },
  { team: "sre", person: "priya", role: "editor" },
  { team: "sre", person: "tomas", role: "editor" },
  { team: "security", person: "mei", role: "editor" },
  { team: "security", person: "lukas", role: "viewer" },
  { team: "experience", person: "jonas", role: "editor" },
  { team: "experience", person: "sofia", role: "viewer" },
  { team: "growth", person: "amara", role: "editor" },
  { team: "growth", person: "sofia", role: "viewer" },
];

export type Measure =
  | { kind: "metric"; name: string; baseline: number; comparator: Comparator; target: number; unit: string }
  | { kind: "deliverable"; event: string };

export interface CheckInSpec {
  date: string;
  forecast: Forecast;
  probability: number;
  progress?: number;
  note: string;
}

export interface OutcomeSpec {
  date: string;
  status: OutcomeStatus;
  actual?: number;
  evidenceUrl?: string;
  partial?: string;
  reason?: ReasonCategory;
  control?: Control;
  explanation?: string;
  lesson?: string;
}

export interface RescopeSpec {
  date: string;
  dueDate: string;
  reason: string;
}

export interface CommitmentSpec {
  team: TeamKey;
  owner: PersonKey;
  audience: "public" | "internal";
  tags: string[];
  statement: string;
  details?: string;
  measure: Measure;
  evidenceSource: string;
  periodLabel: string;
  dueDate: string;
  committedOn: string;
  checkIns: CheckInSpec[];
  rescope?: RescopeSpec;
  outcome?: OutcomeSpec;
}

/** Last fiscal year, told in full: every outcome kind, a re-scope, a late delivery, a surprise. */
/** A shortfall of last year committed again for this year: `next` is the new attempt. */
export interface CarrySpec {
  from: string;
  on: string;
  next: CommitmentSpec;
}

export function lastYear(c: SampleCalendar, fy: number): { specs: Record<string, CommitmentSpec>; carries: CarrySpec[] } {
  const plan = addDaysToIsoDate(c.start(fy), -14);
  const h2plan = c.date(fy, 6, 18);
  const yearEnd = c.end("year", fy, 1);
  const q3End = c.end("quarter", fy, 3);
  const sydneyNewDue = c.date(fy, 11, 15);
  const specs: Record<string, CommitmentSpec> = {
    availability: {
      team: "sre",
      owner: "tomas",
      audience: "public",
      tags: ["Reliability"],
      statement: "Keep monthly API availability at or above 99.95% in every month of the year.",
      details: "Measured per calendar month from our external probes in three regions; planned maintenance counts as downtime.",
      measure: { kind: "metric", name: "monthly API availability (lowest month)", baseline: 99.9, comparator: "gte", target: 99.95, unit: "%" },
      evidenceSource: "Public status page uptime history, one figure per month",
      periodLabel: `FY${fy}`,
      dueDate: yearEnd,
      committedOn: plan,
      checkIns: [
        { date: c.date(fy, 3, 28), forecast: "on_track", probability: 85, progress: 99.97, note: "First quarter: 99.98%, 99.97% and 99.97%." },
        { date: c.date(fy, 6, 27), forecast: "on_track", probability: 80, progress: 99.96, note: "One 38-minute partial outage in the EU; the month still closed at 99.96%." },
        { date: c.date(fy, 9, 26), forecast: "on_track", probability: 85, progress: 99.97, note: "Error budget for the year is 60% unspent." },
        { date: c.date(fy, 12, 12), forecast: "on_track", probability: 92, progress: 99.97, note: "Lowest month so far is 99.96%." },
      ],
      outcome: {
        date: yearEnd,
        status: "delivered",
        actual: 99.96,
        evidenceUrl: `https://status.example.com/history?year=${fy}`,
      },
    },
    euLatency: {
      team: "sre",
      owner: "tomas",
      audience: "public",
      tags: ["Performance"],
      statement: "Cut p95 API latency for EU customers from 420 ms to 250 ms.",
      measure: { kind: "metric", name: "p95 API latency, EU customers, 28-day window", baseline: 420, comparator: "lte", target: 250, unit: "ms" },
      evidenceSource: "Grafana dashboard “API latency by region”, 28-day p95 panel",
      periodLabel: `FY${fy}-H1`,
      dueDate: c.end("half", fy, 1),
      committedOn: plan,
      checkIns: [
        { date: c.date(fy, 2, 14), forecast: "on_track", probability: 70, progress: 390, note: "Connection pooling rolled out in eu-west-1." },
        { date: c.date(fy, 4, 11), forecast: "at_risk", probability: 55, progress: 330, note: "The query cache slipped two weeks behind the schema migration." },
        { date: c.date(fy, 6, 20), forecast: "off_track", probability: 30, progress: 290, note: "We will not reach 250 ms by the due date; the read replicas land next month." },
      ],
      outcome: {
        date: c.date(fy, 7, 24),
        status: "delivered",
        actual: 243,
        evidenceUrl: "https://grafana.example.com/d/api-latency/region?var-region=eu&panel=p95-28d",
      },
    },
    sydney: {
      team: "platform",
      owner: "priya",
      audience: "public",
      tags: ["Regions"],
      statement: "Make the product generally available in ap-southeast-2 (Sydney), with customer data stored only in Australia.",
      measure: { kind: "deliverable", event: "ap-southeast-2 listed as generally available on the public regions page and selectable at sign-up" },
      evidenceSource: "Public regions page and the launch entry in the changelog",
      periodLabel: `FY${fy}`,
      dueDate: q3End,
      committedOn: plan,
      checkIns: [
        { date: c.date(fy, 2, 20), forecast: "on_track", probability: 80, note: "Landing zone and network are built." },
        { date: c.date(fy, 5, 8), forecast: "at_risk", probability: 45, note: "AWS cannot confirm the database capacity we need for a standby until late in the year." },
        { date: c.date(fy, 8, 7), forecast: "on_track", probability: 75, note: "Capacity confirmed; standby replication tested." },
        { date: c.date(fy, 10, 20), forecast: "on_track", probability: 90, note: "Twelve beta customers run production traffic in Sydney." },
      ],
      rescope: {
        date: c.date(fy, 5, 15),
        dueDate: sydneyNewDue,
        reason:
          `AWS could not reserve the database capacity for a hot standby in ap-southeast-2 until the last quarter. We moved the due date by ${daysBetween(q3End, sydneyNewDue)} days rather than launch a region without a standby; what we promised is unchanged.`,
      },
      outcome: {
        date: c.date(fy, 11, 12),
        status: "delivered",
        evidenceUrl: "https://example.com/changelog/sydney-region-generally-available",
      },
    },
    soc2: {
      team: "security",
      owner: "mei",
      audience: "public",
      tags: ["Security", "Compliance"],
      statement: "Publish our first SOC 2 Type II report, covering a six-month observation window, to every customer who asks for it.",
      measure: { kind: "deliverable", event: "SOC 2 Type II report signed by the auditor and downloadable from the trust centre" },
      evidenceSource: "Auditor's signed report and the trust centre download page",
      periodLabel: `FY${fy}`,
      dueDate: q3End,
      committedOn: plan,
      checkIns: [
        { date: c.date(fy, 1, 30), forecast: "on_track", probability: 75, note: "Auditor engaged; readiness assessment found 6 gaps." },
        { date: c.date(fy, 4, 28), forecast: "on_track", probability: 80, note: "All 6 gaps closed; the observation window has started with no exceptions so far." },
        { date: c.date(fy, 8, 25), forecast: "on_track", probability: 85, note: "Fieldwork complete; two minor exceptions are being written up." },
      ],
      outcome: { date: c.date(fy, 9, 22), status: "delivered", evidenceUrl: "https://trust.example.com/reports/soc2-type-2" },
    },
    accessibility: {
      team: "experience",
      owner: "jonas",
      audience: "public",
      tags: ["Accessibility"],
      statement: "Fix all 47 WCAG 2.1 AA failures found by the external accessibility audit of sign-up, billing and the dashboard.",
      measure: { kind: "metric", name: "open WCAG 2.1 AA findings from the external audit", baseline: 47, comparator: "lte", target: 0, unit: "findings" },
      evidenceSource: "Re-audit report from the external accessibility auditor",
      periodLabel: `FY${fy}-H2`,
      dueDate: yearEnd,
      committedOn: h2plan,
      checkIns: [
        { date: c.date(fy, 8, 10), forecast: "on_track", probability: 80, progress: 31, note: "Sign-up fixes shipped: 16 findings closed." },
        { date: c.date(fy, 10, 5), forecast: "at_risk", probability: 50, progress: 14, note: "The dashboard's chart components cannot expose their data to screen readers." },
        { date: c.date(fy, 11, 20), forecast: "off_track", probability: 25, progress: 9, note: "Replacing the charting library will not fit in this half." },
      ],
      outcome: {
        date: yearEnd,
        status: "partial",
        actual: 9,
        partial: "Sign-up and billing pass the re-audit with no findings; 9 findings remain in the dashboard's charts.",
        reason: "underestimated_scope",
        control: "ours",
        explanation:
          "The dashboard's charts are drawn by a library that cannot expose its data to screen readers. We estimated the fix at two weeks; it needs the library replaced, which is closer to two months.",
        lesson: "Audit third-party components before estimating accessibility work, not after.",
      },
    },
    dataExport: {
      team: "experience",
      owner: "jonas",
      audience: "public",
      tags: ["Data portability"],
      statement: "Let workspace admins export all of their workspace's data as CSV and JSON from the settings page.",
      measure: { kind: "deliverable", event: "Export button live for every workspace on the settings page, producing one ZIP file of CSV and JSON" },
      evidenceSource: "Changelog entry and the help-centre article on exporting data",
      periodLabel: `FY${fy}-H2`,
      dueDate: yearEnd,
      committedOn: h2plan,
      checkIns: [
        { date: c.date(fy, 8, 10), forecast: "on_track", probability: 70, note: "Export jobs API merged." },
        { date: c.date(fy, 9, 28), forecast: "at_risk", probability: 50, note: "Two of the four engineers moved to the incident-response rotation." },
        { date: c.date(fy, 11, 20), forecast: "off_track", probability: 20, note: "Workspaces over 50 GB time out; there is no capacity left this year to fix it." },
      ],
      outcome: {
        date: yearEnd,
        status: "missed",
        reason: "capacity_change",
        control: "ours",
        explanation:
          "Two of the team's four engineers spent most of the second half on the incident-response rotation after the storage outage. Export works for small workspaces in staging, but large ones time out, and we will not ship an export that silently leaves data behind.",
        lesson: "When people move to incident work, re-plan the half that same week and say which commitment gives.",
      },
    },
    pricing: {
      team: "growth",
      owner: "amara",
      audience: "public",
      tags: ["Pricing"],
      statement: "Publish the price of all four plans, including Enterprise, on the public pricing page.",
      measure: { kind: "deliverable", event: "Pricing page shows a price for all four plans and no “contact sales” placeholder" },
      evidenceSource: "The public pricing page, archived by the Internet Archive on the due date",
      periodLabel: `FY${fy}`,
      dueDate: c.end("quarter", fy, 2),
      committedOn: plan,
      checkIns: [
        { date: c.date(fy, 2, 10), forecast: "on_track", probability: 70, note: "Self-serve plan prices agreed with finance." },
        { date: c.date(fy, 3, 25), forecast: "at_risk", probability: 40, note: "Enterprise is moving to usage-based pricing; a single list price may mislead." },
      ],
      outcome: {
        date: c.date(fy, 4, 18),
        status: "withdrawn",
        reason: "assumption_wrong",
        control: "ours",
        explanation:
          "Enterprise moved to usage-based pricing, so a single list price would have been wrong for most Enterprise customers. The three self-serve plans kept their published prices.",
        lesson: "Settle the pricing model before promising to publish the price.",
      },
    },
    cves: {
      team: "security",
      owner: "mei",
      audience: "public",
      tags: ["Security"],
      statement: "Patch every critical CVE in production within 7 days of its public disclosure.",
      measure: { kind: "metric", name: "critical CVEs in production patched within 7 days of disclosure", baseline: 82, comparator: "gte", target: 100, unit: "%" },
      evidenceSource: "Vulnerability tracker report listing every critical CVE with its disclosure and patch dates",
      periodLabel: `FY${fy}`,
      dueDate: yearEnd,
      committedOn: plan,
      checkIns: [
        { date: c.date(fy, 3, 28), forecast: "on_track", probability: 80, progress: 100, note: "All 4 critical CVEs this quarter were patched within 5 days." },
        { date: c.date(fy, 6, 27), forecast: "on_track", probability: 80, progress: 100, note: "Still 100%; the slowest patch took 6 days." },
        { date: c.date(fy, 9, 26), forecast: "on_track", probability: 85, progress: 100, note: "No critical CVE has taken longer than 6 days this year." },
      ],
      outcome: {
        date: yearEnd,
        status: "missed",
        actual: 92,
        reason: "dependency_blocker",
        control: "external",
        explanation:
          "Two critical CVEs in our managed database engine had no vendor patch for 12 and 19 days. We applied the vendor's mitigations within a day, but the patches themselves were outside our hands.",
        lesson: "Promise what we control: mitigation within 48 hours of disclosure, and the patch within 7 days of the vendor's fix.",
      },
    },
    offline: {
      team: "experience",
      owner: "jonas",
      audience: "public",
      tags: ["Mobile"],
      statement: "Ship offline editing in the iOS app, so field teams can edit records without a connection.",
      measure: { kind: "deliverable", event: "Offline editing available to all iOS users in App Store release 5.0" },
      evidenceSource: "App Store release notes for version 5.0",
      periodLabel: `FY${fy}`,
      dueDate: q3End,
      committedOn: plan,
      checkIns: [
        { date: c.date(fy, 3, 12), forecast: "on_track", probability: 70, note: "Local storage layer done." },
        { date: c.date(fy, 6, 10), forecast: "on_track", probability: 65, note: "Beta with 40 customers started." },
        { date: c.date(fy, 8, 20), forecast: "at_risk", probability: 35, note: "The beta found sync conflicts that overwrite a colleague's edits." },
      ],
      outcome: {
        date: q3End,
        status: "missed",
        reason: "quality_safety",
        control: "ours",
        explanation:
          "Beta testing showed that two people editing the same record offline could silently overwrite each other's changes. We chose not to ship a feature that can lose customer data.",
        lesson: "Test conflict handling with real concurrent edits before the beta, not during it.",
      },
    },
    cloudSpend: {
      team: "platform",
      owner: "lukas",
      audience: "internal",
      tags: ["Cost"],
      statement: "Cut monthly cloud spend per active workspace from $4.10 to $3.20.",
      measure: { kind: "metric", name: "cloud spend per active workspace per month", baseline: 4.1, comparator: "lte", target: 3.2, unit: "USD" },
      evidenceSource: "Finance's monthly cloud cost report, cost per active workspace line",
      periodLabel: `FY${fy}`,
      dueDate: yearEnd,
      committedOn: plan,
      checkIns: [
        { date: c.date(fy, 3, 28), forecast: "on_track", probability: 75, progress: 3.85, note: "Idle staging clusters switched off at night." },
        { date: c.date(fy, 6, 27), forecast: "on_track", probability: 80, progress: 3.52, note: "Storage tiering live for attachments older than 90 days." },
        { date: c.date(fy, 9, 26), forecast: "on_track", probability: 80, progress: 3.34, note: "Reserved-instance purchase for the last quarter is in approval." },
      ],
      outcome: {
        date: yearEnd,
        status: "missed",
        actual: 3.58,
        reason: "execution_shortfall",
        control: "shared",
        explanation:
          "The reserved-instance purchase that carried most of the remaining saving was approved three weeks late, and storage for the Sydney launch was not in our model.",
        lesson: "Model the cost of launches we have already committed to, and start purchase approvals a quarter early.",
      },
    },
    ciMigration: {
      team: "platform",
      owner: "lukas",
      audience: "internal",
      tags: ["Developer experience"],
      statement: "Move the build pipelines of all 42 repositories from Jenkins to GitHub Actions.",
      measure: { kind: "metric", name: "repositories building on GitHub Actions", baseline: 0, comparator: "gte", target: 42, unit: "repositories" },
      evidenceSource: "Repository inventory sheet, CI system column",
      periodLabel: `FY${fy}`,
      dueDate: c.end("quarter", fy, 4),
      committedOn: plan,
      checkIns: [
        { date: c.date(fy, 3, 20), forecast: "on_track", probability: 70, progress: 11, note: "11 of 42 repositories moved." },
        { date: c.date(fy, 6, 15), forecast: "at_risk", probability: 40, progress: 19, note: "The platform team moves to the Sydney launch for the second half." },
      ],
      outcome: {
        date: c.date(fy, 6, 30),
        status: "withdrawn",
        actual: 19,
        reason: "deprioritised",
        control: "ours",
        explanation:
          "We stopped at 19 of 42 repositories when the platform team moved to the Sydney region launch, which customers had been promised publicly.",
        lesson: "Internal migrations need an owner outside the team that runs launches, or they stall whenever a launch needs hands.",
      },
    },
    failover: {
      team: "sre",
      owner: "tomas",
      audience: "internal",
      tags: ["Reliability"],
      statement: "Run a full EU database failover drill with no more than 15 minutes of write unavailability.",
      measure: { kind: "metric", name: "write unavailability during the EU database failover drill", baseline: 42, comparator: "lte", target: 15, unit: "minutes" },
      evidenceSource: "Drill report on the SRE wiki with the measured write gap",
      periodLabel: `FY${fy}-H1`,
      dueDate: c.end("quarter", fy, 2),
      committedOn: plan,
      checkIns: [{ date: c.date(fy, 3, 15), forecast: "on_track", probability: 75, note: "Dry run in staging: 18 minutes." }],
      outcome: { date: c.date(fy, 5, 21), status: "delivered", actual: 9, evidenceUrl: "https://wiki.example.com/sre/drills/eu-database-failover" },
    },
    conversion: {
      team: "growth",
      owner: "amara",
      audience: "internal",
      tags: ["Growth"],
      statement: "Raise trial-to-paid conversion for self-serve sign-ups from 3.1% to 4.0%.",
      measure: { kind: "metric", name: "trial-to-paid conversion, self-serve, trailing 90 days", baseline: 3.1, comparator: "gte", target: 4, unit: "%" },
      evidenceSource: "Product analytics dashboard “Trial conversion”, trailing 90 days",
      periodLabel: `FY${fy}`,
      dueDate: yearEnd,
      committedOn: plan,
      checkIns: [
        { date: c.date(fy, 4, 2), forecast: "on_track", probability: 60, progress: 3.3, note: "New onboarding checklist live for half of trials." },
        { date: c.date(fy, 8, 4), forecast: "on_track", probability: 70, progress: 3.8, note: "Checklist live for all trials." },
      ],
      outcome: { date: c.date(fy, 12, 10), status: "delivered", actual: 4.2, evidenceUrl: "https://analytics.example.com/dashboards/trial-conversion" },
    },
  };
  const next = fy + 1;
  const carries: CarrySpec[] = [
    {
      from: "dataExport",
      on: yearEnd,
      next: {
        ...specs.dataExport!,
        statement: "Let workspace admins export all of their workspace's data, at any size, as CSV and JSON from the settings page.",
        periodLabel: `FY${next}-H1`,
        dueDate: c.end("half", next, 1),
        committedOn: yearEnd,
        checkIns: [
          { date: c.date(next, 2, 15), forecast: "on_track", probability: 75, note: "Streaming export handles a 200 GB test workspace." },
          { date: c.date(next, 4, 20), forecast: "on_track", probability: 85, note: "Beta with 30 workspaces, the largest 140 GB." },
        ],
        outcome: { date: c.date(next, 5, 20), status: "delivered", evidenceUrl: "https://help.example.com/articles/export-your-workspace-data" },
      },
    },
    {
      // The part left over, planned for the second half once the charting library is chosen.
      from: "accessibility",
      on: yearEnd,
      next: {
        ...specs.accessibility!,
        statement: "Fix the 9 remaining WCAG 2.1 AA findings in the dashboard's charts by replacing the charting library.",
        measure: { kind: "metric", name: "open WCAG 2.1 AA findings in the dashboard's charts", baseline: 9, comparator: "lte", target: 0, unit: "findings" },
        periodLabel: `FY${next}-H2`,
        dueDate: c.end("year", next, 1),
        committedOn: yearEnd,
        checkIns: [
          { date: c.date(next, 8, 12), forecast: "on_track", probability: 70, progress: 6, note: "New charting library chosen after an accessibility review." },
          { date: c.date(next, 10, 14), forecast: "on_track", probability: 80, progress: 2, note: "Line and bar charts replaced." },
        ],
        outcome: undefined,
      },
    },
  ];
  return { specs, carries };
}

/** This fiscal year: committed before it began; check-ins and outcomes only up to today. */
export function thisYear(c: SampleCalendar, fy: number): Record<string, CommitmentSpec> {
  const plan = addDaysToIsoDate(c.start(fy), -12);
  const yearEnd = c.end("year", fy, 1);
  const h1End = c.end("half", fy, 1);
  const q3End = c.end("quarter", fy, 3);
  return {
    availability: {
      team: "sre",
      owner: "tomas",
      audience: "public",
      tags: ["Reliability"],
      statement: "Keep monthly API availability at or above 99.95% in every month of the year.",
      details: "Holding last year's line while traffic doubles; the same external probes and the same rule for maintenance.",
      measure: { kind: "metric", name: "monthly API availability (lowest month)", baseline: 99.96, comparator: "gte", target: 99.95, unit: "%" },
      evidenceSource: "Public status page uptime history, one figure per month",
      periodLabel: `FY${fy}`,
      dueDate: yearEnd,
      committedOn: plan,
      checkIns: [
        { date: c.date(fy, 3, 28), forecast: "on_track", probability: 85, progress: 99.98, note: "First quarter: no month below 99.97%." },
        { date: c.date(fy, 6, 26), forecast: "on_track", probability: 85, progress: 99.97, note: "Error budget 70% unspent." },
        { date: c.date(fy, 9, 25), forecast: "at_risk", probability: 60, progress: 99.95, note: "A 41-minute outage in the US region used most of this month's error budget." },
        { date: c.date(fy, 11, 24), forecast: "on_track", probability: 75, progress: 99.96, note: "No incidents since; one month to go." },
      ],
    },
    usLatency: {
      team: "sre",
      owner: "tomas",
      audience: "public",
      tags: ["Performance"],
      statement: "Cut p95 API latency for US customers from 380 ms to 250 ms.",
      measure: { kind: "metric", name: "p95 API latency, US customers, 28-day window", baseline: 380, comparator: "lte", target: 250, unit: "ms" },
      evidenceSource: "Grafana dashboard “API latency by region”, 28-day p95 panel",
      periodLabel: `FY${fy}-H1`,
      dueDate: h1End,
      committedOn: plan,
      checkIns: [
        { date: c.date(fy, 2, 12), forecast: "on_track", probability: 70, progress: 350, note: "The EU read-replica design ported to us-east-1." },
        { date: c.date(fy, 4, 9), forecast: "on_track", probability: 75, progress: 290, note: "Replicas live; cache hit rate at 71%." },
        { date: c.date(fy, 6, 8), forecast: "on_track", probability: 85, progress: 262, note: "The last slow endpoint (search) is being rewritten." },
      ],
      outcome: {
        date: h1End,
        status: "delivered",
        actual: 238,
        evidenceUrl: "https://grafana.example.com/d/api-latency/region?var-region=us&panel=p95-28d",
      },
    },
    frankfurt: {
      team: "platform",
      owner: "priya",
      audience: "public",
      tags: ["Regions", "Compliance"],
      statement: "Make the product generally available in eu-central-1 (Frankfurt), with EU data residency written into the data processing addendum.",
      measure: { kind: "deliverable", event: "eu-central-1 listed as generally available on the public regions page and named in the data processing addendum" },
      evidenceSource: "Public regions page, changelog entry and the published data processing addendum",
      periodLabel: `FY${fy}`,
      dueDate: q3End,
      committedOn: plan,
      checkIns: [
        { date: c.date(fy, 2, 20), forecast: "on_track", probability: 75, note: "Reusing the Sydney landing zone templates." },
        { date: c.date(fy, 5, 14), forecast: "on_track", probability: 80, note: "Database capacity reserved up front this time." },
        { date: c.date(fy, 8, 18), forecast: "on_track", probability: 88, note: "Legal has approved the addendum wording." },
      ],
      outcome: { date: c.date(fy, 9, 16), status: "delivered", evidenceUrl: "https://example.com/changelog/frankfurt-region-generally-available" },
    },
    sso: {
      team: "security",
      owner: "mei",
      audience: "public",
      tags: ["Security"],
      statement: "Offer SAML single sign-on with SCIM provisioning on every paid plan, tested with Okta, Microsoft Entra ID and Google Workspace.",
      measure: {
        kind: "deliverable",
        event: "SAML SSO and SCIM settings available to admins of every paid workspace, with setup guides for Okta, Entra ID and Google Workspace",
      },
      evidenceSource: "Changelog entry and the three setup guides in the help centre",
      periodLabel: `FY${fy}-H1`,
      dueDate: h1End,
      committedOn: plan,
      checkIns: [
        { date: c.date(fy, 2, 5), forecast: "on_track", probability: 70, note: "SAML login works with Okta in staging." },
        { date: c.date(fy, 4, 22), forecast: "at_risk", probability: 50, note: "Google's SCIM partner review has no date." },
      ],
      outcome: {
        date: h1End,
        status: "partial",
        partial:
          "SAML SSO and SCIM work with Okta and Microsoft Entra ID on every paid plan; Google Workspace sign-in works, but its SCIM provisioning awaits Google's partner approval.",
        reason: "dependency_blocker",
        control: "external",
        explanation: "Google's partner review for SCIM provisioning took longer than the half, and we cannot ship the connector without it.",
        lesson: "Start third-party certification reviews in the first month, before the engineering work.",
      },
    },
    secrets: {
      team: "security",
      owner: "mei",
      audience: "internal",
      tags: ["Security"],
      statement: "Rotate every production secret older than 90 days, bringing the count from 63 to 0.",
      measure: { kind: "metric", name: "production secrets older than 90 days", baseline: 63, comparator: "lte", target: 0, unit: "secrets" },
      evidenceSource: "Vault secret-age report for the production namespace",
      periodLabel: `FY${fy}-Q2`,
      dueDate: c.end("quarter", fy, 2),
      committedOn: c.date(fy, 3, 20),
      checkIns: [{ date: c.date(fy, 5, 2), forecast: "on_track", probability: 80, progress: 21, note: "Database and queue credentials rotated." }],
      outcome: { date: c.date(fy, 6, 24), status: "delivered", actual: 0, evidenceUrl: "https://vault.example.com/ui/reports/secret-age?namespace=production" },
    },
    pricing: {
      team: "growth",
      owner: "amara",
      audience: "public",
      tags: ["Pricing"],
      statement: "Publish self-serve prices and Enterprise usage rates for all four plans on the public pricing page.",
      measure: { kind: "deliverable", event: "Pricing page shows prices or usage rates for all four plans, with no “contact sales” placeholder" },
      evidenceSource: "The public pricing page, archived by the Internet Archive on the due date",
      periodLabel: `FY${fy}`,
      dueDate: q3End,
      committedOn: plan,
      checkIns: [
        { date: c.date(fy, 3, 3), forecast: "on_track", probability: 70, note: "Usage rates agreed with finance." },
        { date: c.date(fy, 6, 5), forecast: "on_track", probability: 75, note: "Calculator prototype tested with 8 customers." },
        { date: c.date(fy, 8, 28), forecast: "on_track", probability: 85, note: "Page copy approved." },
      ],
      outcome: { date: c.date(fy, 9, 24), status: "delivered", evidenceUrl: "https://example.com/pricing" },
    },
    activation: {
      team: "growth",
      owner: "amara",
      audience: "internal",
      tags: ["Growth"],
      statement: "Get 60% of new workspaces to invite a second member within their first 7 days, up from 41%.",
      measure: { kind: "metric", name: "new workspaces inviting a second member within 7 days", baseline: 41, comparator: "gte", target: 60, unit: "%" },
      evidenceSource: "Product analytics dashboard “Activation”, weekly cohort view",
      periodLabel: `FY${fy}`,
      dueDate: yearEnd,
      committedOn: plan,
      checkIns: [
        { date: c.date(fy, 4, 1), forecast: "on_track", probability: 60, progress: 46, note: "Invite step added to onboarding." },
        { date: c.date(fy, 7, 1), forecast: "at_risk", probability: 45, progress: 49, note: "Gains flattened after the first month." },
        { date: c.date(fy, 10, 1), forecast: "at_risk", probability: 40, progress: 52, note: "Testing an invite reminder on day 3." },
      ],
    },
    cloudSpend: {
      team: "platform",
      owner: "lukas",
      audience: "internal",
      tags: ["Cost"],
      statement: "Cut monthly cloud spend per active workspace from $3.58 to $3.20.",
      measure: { kind: "metric", name: "cloud spend per active workspace per month", baseline: 3.58, comparator: "lte", target: 3.2, unit: "USD" },
      evidenceSource: "Finance's monthly cloud cost report, cost per active workspace line",
      periodLabel: `FY${fy}`,
      dueDate: q3End,
      committedOn: plan,
      checkIns: [
        { date: c.date(fy, 3, 27), forecast: "on_track", probability: 70, progress: 3.49, note: "Reserved instances bought in the first month this time." },
        { date: c.date(fy, 6, 26), forecast: "on_track", probability: 75, progress: 3.31, note: "Frankfurt costs are in the model." },
      ],
      outcome: { date: q3End, status: "delivered", actual: 3.17, evidenceUrl: "https://finance.example.com/reports/cloud-cost-per-workspace" },
    },
  };
}

/** Next fiscal year: public commitments, so this year's letter can say what comes next. */
export function nextYear(c: SampleCalendar, fy: number): Record<string, CommitmentSpec> {
  const plan = c.date(fy - 1, 11, 10);
  return {
    availability: {
      team: "sre",
      owner: "tomas",
      audience: "public",
      tags: ["Reliability"],
      statement: "Keep monthly API availability at or above 99.99% in every month of the year.",
      measure: { kind: "metric", name: "monthly API availability (lowest month)", baseline: 99.96, comparator: "gte", target: 99.99, unit: "%" },
      evidenceSource: "Public status page uptime history, one figure per month",
      periodLabel: `FY${fy}`,
      dueDate: c.end("year", fy, 1),
      committedOn: plan,
      checkIns: [],
    },
    iso27001: {
      team: "security",
      owner: "mei",
      audience: "public",
      tags: ["Security", "Compliance"],
      statement: "Obtain ISO 27001 certification covering every production system and the teams that run them.",
      measure: { kind: "deliverable", event: "ISO 27001 certificate issued by an accredited certification body and published in the trust centre" },
      evidenceSource: "The certificate in the trust centre and the certification body's public register",
      periodLabel: `FY${fy}`,
      dueDate: c.end("quarter", fy, 3),
      committedOn: plan,
      checkIns: [],
    },
    audit: {
      team: "experience",
      owner: "jonas",
      audience: "public",
      tags: ["Accessibility"],
      statement: "Pass an external WCAG 2.2 AA audit of the whole web app with 0 open findings.",
      measure: { kind: "metric", name: "open WCAG 2.2 AA findings from the external audit", baseline: 23, comparator: "lte", target: 0, unit: "findings" },
      evidenceSource: "Audit report from the external accessibility auditor, published in the trust centre",
      periodLabel: `FY${fy}-H1`,
      dueDate: c.end("half", fy, 1),
      committedOn: plan,
      checkIns: [],
    },
    residency: {
      team: "platform",
      owner: "priya",
      audience: "public",
      tags: ["Regions"],
      statement: "Let every new workspace choose to keep its data in the US, the EU or Australia at sign-up.",
      measure: { kind: "deliverable", event: "Region picker offering US, EU and Australia shown at sign-up for every new workspace" },
      evidenceSource: "Changelog entry and the sign-up page",
      periodLabel: `FY${fy}-H1`,
      dueDate: c.end("quarter", fy, 2),
      committedOn: plan,
      checkIns: [],
    },
  };
}

/** A commitment promoted from the retrospective's action item, early in this year. */
export function promotedSpec(c: SampleCalendar, fy: number): CommitmentSpec {
  return {
    team: "experience",
    owner: "jonas",
    audience: "internal",
    tags: ["Mobile"],
    statement: "Publish a go/no-go decision on iOS offline editing, backed by 500 automated sync-conflict tests.",
    measure: { kind: "deliverable", event: "Decision memo with the results of 500 sync-conflict tests published on the engineering wiki" },
    evidenceSource: "Engineering wiki page “iOS offline editing: decision”",
    periodLabel: `FY${fy}-Q2`,
    dueDate: c.end("quarter", fy, 2),
    committedOn: c.date(fy, 1, 10),
    checkIns: [{ date: c.date(fy, 4, 15), forecast: "on_track", probability: 80, note: "Conflict test harness runs nightly; 340 scenarios so far." }],
    outcome: { date: c.date(fy, 6, 12), status: "delivered", evidenceUrl: "https://wiki.example.com/mobile/ios-offline-editing-decision" },
  };
}
