// The one way an integration test builds the organisation it runs in: its settings, teams (with
// parents), people (with roles and team memberships), and handles for what tests do next —
// each person's Actor, an API token, a commitment through the service. A test file names only
// what it is about; what a valid organisation needs comes from tests/factories.ts.
import type { Database } from "../../db/client";
import type { Role, TeamRole } from "../../app/domain/types";
import type { PublicUser } from "../../app/models/user.server";
import type { Commitment } from "../../app/models/commitment.server";
import type { CommitmentInput } from "../../app/schemas/commitments";
import type { Actor } from "../../app/domain/result";
import { createToken } from "../../app/services/api-tokens.server";
import { setupOrganisation } from "../../app/services/setup.server";
import { addMember, makeCommitment, makeOrganisation, makeTeam, makeUser } from "../factories";

export type WorldTeam = Awaited<ReturnType<typeof makeTeam>>;
export type WorldOrganisation = Awaited<ReturnType<typeof makeOrganisation>>;

export interface WorldTeamSpec<T extends string> {
  slug?: string;
  name?: string;
  mission?: string;
  /** Another team of the same world, declared before this one. */
  parent?: T;
}

export interface WorldPersonSpec<T extends string> {
  role: Role;
  name?: string;
  email?: string;
  password?: string;
  active?: boolean;
  /** The teams this person belongs to, and as what. */
  teams?: Partial<Record<T, TeamRole>>;
}

export interface WorldOptions<P extends string, T extends string> {
  organisation?: Parameters<typeof makeOrganisation>[1];
  /** Created in the order given, so a parent is named before its children. */
  teams?: Record<T, WorldTeamSpec<NoInfer<T>>>;
  /** Created in the order given, after the teams; memberships after everyone. */
  people?: Record<P, WorldPersonSpec<NoInfer<T>>>;
}

export interface World<P extends string, T extends string> {
  db: Database;
  organisation: WorldOrganisation;
  people: Record<P, PublicUser>;
  /** Each person as the services see them. */
  actors: Record<P, Actor>;
  teams: Record<T, WorldTeam>;
  /** A new API token of this person's (write scope unless told). */
  token(user: { id: string; role: Role }, scope?: "read" | "write", name?: string): Promise<string>;
  /** A valid commitment (tests/factories.ts makeCommitmentInput) made through the service. */
  commit(by: Actor, team: { id: string }, overrides?: Partial<CommitmentInput>, now?: Date): Promise<Commitment>;
}

export const actorOf = (user: { id: string; role: Role }): Actor => ({ id: user.id, role: user.role });

/** Builds the organisation a test describes, in a database with empty tables. */
export async function world<P extends string = never, T extends string = never>(
  db: Database,
  options: WorldOptions<P, T> = {},
): Promise<World<P, T>> {
  const organisation = await makeOrganisation(db, options.organisation);

  const teams = {} as Record<T, WorldTeam>;
  for (const [key, spec] of Object.entries(options.teams ?? {}) as Array<[T, WorldTeamSpec<T>]>) {
    let parentId: string | null = null;
    if (spec.parent !== undefined) {
      const parent = teams[spec.parent];
      if (!parent) throw new Error(`world(): team "${key}" names parent "${spec.parent}", which is not declared before it`);
      parentId = parent.id;
    }
    teams[key] = await makeTeam(db, { slug: spec.slug, name: spec.name, mission: spec.mission, parentId });
  }

  const people = {} as Record<P, PublicUser>;
  const actors = {} as Record<P, Actor>;
  const entries = Object.entries(options.people ?? {}) as Array<[P, WorldPersonSpec<T>]>;
  for (const [key, spec] of entries) {
    people[key] = await makeUser(db, { role: spec.role, name: spec.name, email: spec.email, password: spec.password, active: spec.active });
    actors[key] = actorOf(people[key]);
  }
  for (const [key, spec] of entries) {
    for (const [team, role] of Object.entries(spec.teams ?? {}) as Array<[T, TeamRole]>) {
      if (!teams[team]) throw new Error(`world(): person "${key}" belongs to team "${team}", which is not declared`);
      await addMember(db, teams[team].id, people[key].id, role);
    }
  }

  return {
    db,
    organisation,
    people,
    actors,
    teams,
    async token(user, scope = "write", name = "test") {
      const created = await createToken(db, actorOf(user), { name, scope, expiresAt: null }, new Date());
      if (!created.ok) throw new Error(`world().token: ${created.error.code}: ${created.error.message}`);
      return created.value.token;
    },
    commit: (by, team, overrides = {}, now) => makeCommitment(db, by, team.id, overrides, now),
  };
}

/**
 * An organisation (fiscal year = calendar year, UTC) whose FY2026 public letter, quoting one
 * public commitment, was published on 2027-01-20: the fixture the immutable-page tests share.
 */
export async function publishedLetterWorld(db: Database) {
  const { generateLetterDraft, publishLetter } = await import("../../app/services/letters.server");
  const w = await world(db, { organisation: { fiscalYearStartMonth: 1, timeZone: "UTC" }, teams: { team: {} }, people: { admin: { role: "admin" } } });
  const actor: Actor = w.actors.admin;
  await w.commit(actor, w.teams.team, { audience: "public", dueDate: "2026-06-30", periodLabel: "FY2026-Q2" }, new Date("2026-01-10T10:00:00Z"));
  const now = new Date("2027-01-20T10:00:00Z");
  const draft = await generateLetterDraft(db, actor, { fiscalYear: 2026, audience: "public" }, now);
  if (!draft.ok) throw new Error(draft.error.message);
  const done = await publishLetter(db, actor, draft.value.id, draft.value.version, now);
  if (!done.ok) throw new Error(done.error.message);
  return { actor, letter: done.value };
}

/**
 * The sample organisation as first-run setup writes it (Acme Cloud, fiscal year = calendar year,
 * Berlin): two years of record with a published letter, for tests of the record itself. The
 * admin's id.
 */
export async function sampleOrganisationWorld(db: Database, now: Date): Promise<string> {
  const result = await setupOrganisation(
    db,
    {
      organisationName: "Acme Cloud",
      fiscalYearStartMonth: 1,
      timeZone: "Europe/Berlin",
      adminName: "Ada Admin",
      adminEmail: "ada@example.com",
      adminPassword: "correct horse battery staple",
      sampleOrganisation: true,
    },
    now,
  );
  if (!result.ok) throw new Error(result.error.message);
  return result.value.userId;
}
