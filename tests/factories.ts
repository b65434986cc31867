// One definition of valid data, shared by the tests and db/seed.ts.
import type { Database } from "../db/client";
import { insertOrganisation } from "../app/models/organisation.server";
import { insertTeam, upsertMember } from "../app/models/team.server";
import { insertUser, type PublicUser } from "../app/models/user.server";
import type { Role, TeamRole } from "../app/domain/types";
import { hashPassword } from "../app/utils/password.server";
import type { Commitment } from "../app/models/commitment.server";
import type { CommitmentInput } from "../app/schemas/commitments";
import { createCommitment } from "../app/services/commitments.server";
import type { Actor } from "../app/domain/result";

let sequence = 0;
const next = () => ++sequence;

export const DEFAULT_PASSWORD = "correct horse battery staple";

// Hashing is deliberately slow; factories reuse one hash per password.
const hashes = new Map<string, Promise<string>>();
function cachedHash(password: string) {
  let hash = hashes.get(password);
  if (!hash) {
    hash = hashPassword(password);
    hashes.set(password, hash);
  }
  return hash;
}

export async function makeOrganisation(
  db: Database,
  overrides: Partial<{ name: string; fiscalYearStartMonth: number; timeZone: string; isSample: boolean }> = {},
) {
  return insertOrganisation(db, {
    name: overrides.name ?? "Acme Cloud",
    fiscalYearStartMonth: overrides.fiscalYearStartMonth ?? 1,
    timeZone: overrides.timeZone ?? "Europe/Berlin",
    isSample: overrides.isSample ?? false,
  });
}

export async function makeUser(
  db: Database,
  overrides: Partial<{ name: string; email: string; role: Role; password: string; active: boolean }> = {},
): Promise<PublicUser> {
  const n = next();
  return insertUser(db, {
    name: overrides.name ?? `Person ${n}`,
    email: overrides.email ?? `person${n}@example.com`,
    role: overrides.role ?? "member",
    active: overrides.active ?? true,
    passwordHash: await cachedHash(overrides.password ?? DEFAULT_PASSWORD),
  });
}

export async function makeTeam(
  db: Database,
  overrides: Partial<{ name: string; slug: string; mission: string; parentId: string | null }> = {},
) {
  const n = next();
  return insertTeam(db, {
    name: overrides.name ?? `Team ${n}`,
    slug: overrides.slug ?? `team-${n}`,
    mission: overrides.mission ?? "",
    parentId: overrides.parentId ?? null,
  });
}

export async function addMember(db: Database, teamId: string, userId: string, role: TeamRole = "editor") {
  await upsertMember(db, teamId, userId, role);
}

// ---- commitments -------------------------------------------------------------------------

/**
 * A valid, sharp commitment input (falsifiability score 100 with an owner) for FY2026-Q3 under a
 * calendar whose fiscal year starts in January. The statement names an observable event rather
 * than restating the target, so a test may move the target alone without the statement and the
 * fields disagreeing. Pass overrides for anything the test is about.
 */
export function makeCommitmentInput(teamId: string, overrides: Partial<CommitmentInput> = {}): CommitmentInput {
  return {
    statement: "Move checkout for every EU customer to the Frankfurt region by the end of the quarter",
    details: "",
    measureKind: "metric",
    metricName: "p95 checkout latency",
    metricBaseline: 900,
    metricComparator: "lte",
    metricTarget: 300,
    metricUnit: "ms",
    deliverableEvent: null,
    evidenceSource: "Grafana SLO dashboard",
    dueDate: "2026-09-15",
    periodLabel: "FY2026-Q3",
    teamId,
    ownerId: null,
    audience: "public",
    tags: ["Reliability"],
    ...overrides,
  };
}

/** Creates a commitment through the service (so it has its create revision); throws if refused. */
export async function makeCommitment(
  db: Database,
  actor: Actor,
  teamId: string,
  overrides: Partial<CommitmentInput> = {},
  now: Date = new Date("2026-06-01T09:00:00.000Z"),
): Promise<Commitment> {
  const result = await createCommitment(db, actor, makeCommitmentInput(teamId, overrides), now);
  if (!result.ok) throw new Error(`makeCommitment: ${result.error.code}: ${result.error.message}`);
  return result.value;
}
