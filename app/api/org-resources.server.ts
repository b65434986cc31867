// How people, teams and retrospectives look on the wire (described by app/schemas/api-org.ts).
// Built from the same rows the UI pages show; the password hash is never among them.
import { versionNamed } from "./preconditions.server";
import type { Database } from "../../db/client";
import { periodFromLabel, type Period } from "~/domain/period";
import type { TeamRow, listMembers, teamsOfUser } from "~/models/team.server";
import type { PublicUser } from "~/models/user.server";
import type { IssuedLink } from "~/services/accounts.server";
import type { getActionItem } from "~/models/retrospective.server";
import { organisationCalendar } from "~/services/organisation.server";
import { resolveScope, type loadRetrospective, type Scope } from "~/services/retrospectives.server";

type MemberRow = Awaited<ReturnType<typeof listMembers>>[number];
type TeamOfUserRow = Awaited<ReturnType<typeof teamsOfUser>>[number];
type ActionItemRow = NonNullable<Awaited<ReturnType<typeof getActionItem>>>;
type RetrospectiveData = Awaited<ReturnType<typeof loadRetrospective>>;

export function personResource(u: PublicUser) {
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    role: u.role,
    active: u.active,
    createdAt: u.createdAt.toISOString(),
    deactivatedAt: u.deactivatedAt?.toISOString() ?? null,
  };
}

export function personDetailResource(u: PublicUser, teams: TeamOfUserRow[]) {
  return { ...personResource(u), teams: teams.map((t) => ({ id: t.id, slug: t.slug, name: t.name, role: t.role })) };
}

export function signInLinkResource(link: IssuedLink) {
  return { purpose: link.purpose, url: link.url, expiresAt: link.expiresAt.toISOString(), emailed: link.emailed };
}

export function teamResource(t: TeamRow) {
  return { id: t.id, slug: t.slug, name: t.name, mission: t.mission, parentId: t.parentId };
}

export function teamMemberResource(m: MemberRow) {
  return { userId: m.userId, name: m.name, email: m.email, active: m.active, role: m.role, addedAt: m.addedAt.toISOString() };
}

export function teamDetailResource(t: TeamRow, members: MemberRow[]) {
  return { ...teamResource(t), members: members.map(teamMemberResource) };
}

/** The scope and period a retrospective address names, as the UI's pages resolve them. */
export async function findRetrospective(
  db: Database,
  scopeSlug: string | undefined,
  periodLabel: string | undefined,
  now: Date,
): Promise<{ scope: Scope; period: Period } | { missing: string }> {
  const scope = await resolveScope(db, String(scopeSlug ?? "").toLowerCase());
  if (!scope) return { missing: "There is no team with that slug; use a team slug or \"org\"." };
  const { calendar } = await organisationCalendar(db, now);
  const period = periodFromLabel(String(periodLabel ?? ""), calendar);
  if (!period) return { missing: "That is not a period Kept knows, such as FY2026-Q3." };
  return { scope, period };
}

/**
 * The notes of a retrospective are versioned per scope and period, and exist (at version 0)
 * before anyone writes them, so their ETag names the team id (stable across slug changes)
 * and the period rather than a row id.
 */
export function notesEtag(scope: Scope, period: Period, version: number): string {
  return `"retro.${scope.team?.id ?? "org"}.${period.label}.v${version}"`;
}

/** The notes version an If-Match header names, or null when it names other notes. */
export function notesVersionFromIfMatch(etag: string, scope: Scope, period: Period): number | null {
  return versionNamed(etag, `retro.${scope.team?.id ?? "org"}.${period.label}`);
}

export function notesResource(scope: Scope, period: Period, notes: { wentWell: string; wentBadly: string; willChange: string; version: number }) {
  return {
    wentWell: notes.wentWell,
    wentBadly: notes.wentBadly,
    willChange: notes.willChange,
    version: notes.version,
    etag: notesEtag(scope, period, notes.version),
  };
}

export function actionItemResource(item: Pick<ActionItemRow, "id" | "text" | "ownerId" | "dueDate" | "status" | "promotedCommitmentId" | "teamId" | "periodLabel">) {
  return {
    id: item.id,
    text: item.text,
    ownerId: item.ownerId,
    dueDate: item.dueDate,
    status: item.status,
    promotedCommitmentId: item.promotedCommitmentId,
    teamId: item.teamId,
    periodLabel: item.periodLabel,
  };
}

export function retrospectiveResource(scope: Scope, data: RetrospectiveData) {
  const teamId = scope.team?.id ?? null;
  return {
    scope: { slug: scope.slug, name: scope.name, teamId },
    period: { label: data.period.label, start: data.period.start, end: data.period.end },
    previousPeriod: data.previousPeriod.label,
    nextPeriod: data.nextPeriod.label,
    today: data.today,
    summary: data.summary,
    trend: data.trend,
    notes: notesResource(scope, data.period, data.notes),
    actionItems: data.items.map((i) => actionItemResource({ ...i, teamId, periodLabel: data.period.label })),
    previousOpenActionItems: data.previousOpenItems.map((i) => actionItemResource({ ...i, teamId, periodLabel: data.previousPeriod.label })),
    commitments: data.rows.map((r) => ({
      id: r.id,
      statement: r.statement,
      teamName: r.teamName,
      periodLabel: r.periodLabel,
      dueDate: r.dueDate,
      audience: r.audience,
      status: r.status,
      attempt: r.attempt,
      resolvedAt: r.resolvedAt,
      actualValue: r.actualValue,
      reasonCategory: r.reasonCategory,
      control: r.control,
      explanation: r.explanation,
      evidenceUrl: r.evidenceUrl,
    })),
    truncated: data.truncated,
    canEdit: data.canEdit,
  };
}

/** A token as the API shows it: never its secret or hash. */
export function tokenResource(t: {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  scope: "read" | "write";
  expiresAt: Date | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}) {
  return {
    id: t.id,
    userId: t.userId,
    name: t.name,
    prefix: t.prefix,
    scope: t.scope,
    expiresAt: t.expiresAt?.toISOString() ?? null,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}
