// Each main page sends a fixed number of statements, whatever the size of the organisation:
// the same page is loaded on a small and on a larger organisation (db/seed-scale.ts) and the
// statements counted on the app's drizzle instance (db/client.ts onQuery) must be equal, and
// within the page's budget. A loop that queries per row, or a lookup repeated per request,
// changes the count and fails here long before it shows in a benchmark.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql, type SQL } from "drizzle-orm";
import { connect, type DatabaseHandle, type DbOrTx } from "../../db/client";
import { migrateToLatest } from "../../db/migrate";
import { seedScale, type ScaleOptions } from "../../db/seed-scale";
import * as root from "~/root";
import * as dashboardPage from "~/routes/_index";
import * as listPage from "~/routes/commitments._index";
import * as commitmentPage from "~/routes/commitments.$id._index";
import * as retrospectivesPage from "~/routes/retrospectives._index";
import * as retrospectivePage from "~/routes/retrospectives.$scope.$period";
import * as apiList from "~/routes/api.v1.commitments";
import * as teamHomePage from "~/routes/teams.$slug";
import * as personPage from "~/routes/people.$userId";
import { rowsOf } from "~/models/rows.server";
import { openCommitmentsOwnedBy } from "~/models/home.server";
import { nextYearCommitments } from "~/models/letter.server";
import { MY_LIST_LIMIT } from "~/pages/dashboard.server";
import { login } from "~/services/auth.server";
import { createToken } from "~/services/api-tokens.server";
import { commitSessionToken } from "~/http/session.server";
import { loadEnv } from "~/utils/env.server";
import { routeContext } from "../support/routes";

const SMALL: ScaleOptions = { teams: 6, people: 12, commitments: 260 };
const LARGE: ScaleOptions = { teams: 30, people: 60, commitments: 1_500 };
/** The signed-in admin's own teams (the dashboard shows them with their sub-teams). */
const ADMIN_TEAMS = { small: 2, large: 10 };

/**
 * Statements each page sends, root loader included, as measured when this test was written:
 * a change that needs one more says so here, in review. The counts must not grow with data.
 */
const BUDGET = {
  /** No statement for the team picker: the team filter is a search field (ADR 0036). Its
   *  calendar comes from the root loader's organisation row (ADR 0048): 7 before. */
  list: 6,
  deepList: 6,
  /** The owner search is matched inside the list's own statements: no statement more. */
  ownerSearch: 6,
  /** A tag is matched through commitment_tags inside the list's own statements (ADR 0026). */
  tagList: 6,
  /** The latest check-in and the outcome's time are matched inside the list's own statements. */
  forecastList: 6,
  outcomeSinceList: 6,
  /** The team typed or linked to (one bounded search) and its sub-teams (9 before ADR 0048). */
  teamList: 8,
  dashboard: 17,
  retrospectives: 6,
  /** Its outcomes table a page at a time (keyset), so the first and a later page cost the same. */
  retrospective: 11,
  teamRetrospective: 13,
  /** A missed commitment with its record (the seed writes revisions since ADR 0034): the history
   *  names the people and teams its changes mention, one statement each. */
  commitment: 16,
  apiList: 4,
  teamHome: 12,
  person: 12,
} as const;
type Page = keyof typeof BUDGET;

let handle: DatabaseHandle;
let counting = false;
let statements: string[] = [];

beforeAll(async () => {
  // A database of this file's own, so its drizzle instance reports every statement it sends.
  handle = await connect({
    dataDir: "memory://",
    onQuery: (query) => {
      if (counting) statements.push(query);
    },
  });
  await migrateToLatest(handle);
}, 120_000);

afterAll(async () => {
  await handle?.close();
});

async function emptyDatabase() {
  const tables = rowsOf<{ tablename: string }>(
    await handle.db.execute(sql`select tablename from pg_tables where schemaname = 'public' and tablename not like '\\_\\_%'`),
  ).map((r) => `"${r.tablename}"`);
  await handle.db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(sql.raw(`truncate ${tables.join(", ")} restart identity cascade`));
  });
}

/** A fresh small seed, and a request for `path` signed in as its first admin, with its route context. */
async function signedInOnSmallSeed(path: string) {
  await emptyDatabase();
  await seedScale(handle.db, SMALL);
  const env = loadEnv({ NODE_ENV: "test" });
  const session = await login(handle.db, { email: "scale1@example.com", password: "scale-data-password", ip: "192.0.2.1", userAgent: "vitest", previousToken: null });
  if (!session.ok) throw new Error(session.error.message);
  const cookie = (await commitSessionToken(env, session.value.token, session.value.expiresAt)).split(";")[0]!;
  return { context: routeContext(handle.db, env), request: new Request(`http://kept.test${path}`, { headers: { Cookie: cookie } }) };
}

async function measure(scale: ScaleOptions, adminTeams: number): Promise<Record<Page, number>> {
  await emptyDatabase();
  await seedScale(handle.db, scale);
  const db = handle.db;
  await db.execute(sql`
    insert into team_members (team_id, user_id, role)
    select t.id, u.id, 'editor' from (select id from teams order by slug limit ${adminTeams}) t, users u
    where u.email = 'scale1@example.com' on conflict do nothing`);
  const env = loadEnv({ NODE_ENV: "test" });
  const session = await login(db, { email: "scale1@example.com", password: "scale-data-password", ip: "192.0.2.1", userAgent: "vitest", previousToken: null });
  if (!session.ok) throw new Error(session.error.message);
  const cookie = (await commitSessionToken(env, session.value.token, session.value.expiresAt)).split(";")[0]!;
  const [admin] = rowsOf<{ id: string }>(await db.execute(sql`select id from users where email = 'scale1@example.com'`));
  const token = await createToken(db, { id: admin!.id, role: "admin" }, { name: "count", scope: "read", expiresAt: null }, new Date());
  if (!token.ok) throw new Error(token.error.message);
  const [team] = rowsOf<{ slug: string }>(await db.execute(sql`select slug from teams where slug = 'scale-team-1'`));
  // A commitment in the same state at every size (a miss: outcome, check-in and a record of its
  // own), so the page's statement count compares like with like.
  const [commitment] = rowsOf<{ id: string }>(await db.execute(sql`select id from commitments where status = 'missed' order by id limit 1`));

  /** Loads a page as the browser does: the root loader and the route loader on one request's context. */
  async function load(path: string, loader: (args: never) => unknown, params: Record<string, string> = {}, headers: Record<string, string> = { Cookie: cookie }) {
    const context = routeContext(db, env);
    const request = new Request(`http://kept.test${path}`, { headers });
    statements = [];
    counting = true;
    try {
      const args = { request, params, context } as never;
      const results = await Promise.all([path.startsWith("/api/") ? null : root.loader(args), (loader as (a: never) => unknown)(args)]);
      const page = results[1];
      if (page instanceof Response && page.status >= 300) throw new Error(`${path} answered ${page.status}`);
      return page;
    } finally {
      counting = false;
    }
  }
  const counts = {} as Record<Page, number>;
  const first = (await load("/commitments?sort=due", listPage.loader)) as { next: string | null };
  counts.list = statements.length;
  // Three pages down the keyset chain: a deep page costs what the first does.
  let cursor = first.next;
  for (let i = 0; i < 3 && cursor; i++) {
    cursor = ((await load(`/commitments?sort=due&after=${cursor}`, listPage.loader)) as { next: string | null }).next;
  }
  expect(cursor, "the list has pages beyond the fourth").toBeTruthy();
  counts.deepList = statements.length;
  await load("/commitments?owner=scale&sort=due", listPage.loader);
  counts.ownerSearch = statements.length;
  const tagged = (await load("/commitments?tag=Security&sort=due", listPage.loader)) as { rows: Array<{ id: string }> };
  expect(tagged.rows.length, "the tag filter finds the seeded Security commitments").toBeGreaterThan(0);
  const taggedIds = sql.join(tagged.rows.map((r) => sql`${r.id}::uuid`), sql`, `);
  const [untagged] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from commitments where id in (${taggedIds}) and not ('Security' = any(tags))`));
  expect(Number(untagged?.n), "every row the tag filter lists has the tag").toBe(0);
  counts.tagList = statements.length;
  const atRisk = (await load("/commitments?status=open&forecast=not_on_track&sort=due", listPage.loader)) as { rows: unknown[] };
  expect(atRisk.rows.length, "the seed has open commitments whose latest check-in is not on track").toBeGreaterThan(0);
  counts.forecastList = statements.length;
  const resolved = (await load("/commitments?outcomeSince=2020-01-01&tag=Security", listPage.loader)) as { rows: unknown[] };
  expect(resolved.rows.length, "the seed has outcomes").toBeGreaterThan(0);
  counts.outcomeSinceList = statements.length;
  const ofTeam = (await load(`/commitments?team=${team!.slug}&sort=due`, listPage.loader)) as { rows: unknown[]; teamError: string | null };
  expect(ofTeam.teamError).toBeNull();
  expect(ofTeam.rows.length, "the team has commitments").toBeGreaterThan(0);
  counts.teamList = statements.length;
  await load("/", dashboardPage.loader);
  counts.dashboard = statements.length;
  await load("/retrospectives", retrospectivesPage.loader);
  counts.retrospectives = statements.length;
  await load("/retrospectives/org/FY2026", retrospectivePage.loader, { scope: "org", period: "FY2026" });
  counts.retrospective = statements.length;
  await load(`/retrospectives/${team!.slug}/FY2026`, retrospectivePage.loader, { scope: team!.slug, period: "FY2026" });
  counts.teamRetrospective = statements.length;
  await load(`/commitments/${commitment!.id}`, commitmentPage.loader, { id: commitment!.id });
  counts.commitment = statements.length;
  await load(`/teams/${team!.slug}`, teamHomePage.loader, { slug: team!.slug });
  counts.teamHome = statements.length;
  await load(`/people/${admin!.id}`, personPage.loader, { userId: admin!.id });
  counts.person = statements.length;
  const api = (await load("/api/v1/commitments?limit=50", apiList.loader, {}, { Authorization: `Bearer ${token.value.token}` })) as Response;
  expect(api.status).toBe(200);
  counts.apiList = statements.length;
  return counts;
}

describe("statements per page", () => {
  it("are the same on a small and a larger organisation, and within each page's budget", async () => {
    const small = await measure(SMALL, ADMIN_TEAMS.small);
    const large = await measure(LARGE, ADMIN_TEAMS.large);
    expect(large).toEqual(small);
    for (const page of Object.keys(BUDGET) as Page[]) {
      expect(small[page], `${page}: ${small[page]} statements`).toBeGreaterThan(0);
      expect(small[page], `${page}: ${small[page]} statements, budget ${BUDGET[page]}`).toBeLessThanOrEqual(BUDGET[page]);
    }
  }, 240_000);

  it("look up the session once per request, however many loaders ask", async () => {
    const { context, request } = await signedInOnSmallSeed("/");
    statements = [];
    counting = true;
    await Promise.all([root.loader({ request, params: {}, context } as never), dashboardPage.loader({ request, params: {}, context } as never)]);
    counting = false;
    expect(statements.filter((s) => /from "sessions"/.test(s))).toHaveLength(1);
  }, 120_000);

  it("read the organisation once on the list, for the frame and the list's calendar alike", async () => {
    const { context, request } = await signedInOnSmallSeed("/commitments?year=all");
    statements = [];
    counting = true;
    const [frame, page] = await Promise.all([root.loader({ request, params: {}, context } as never), listPage.loader({ request, params: {}, context } as never)]);
    counting = false;
    expect(statements.filter((s) => /from "organisation"/.test(s))).toHaveLength(1);
    expect(frame.organisationName).toBeTruthy();
    expect((page as { currentYear: string }).currentYear).toMatch(/^FY\d{4}$/);
  }, 120_000);
});

describe("plans that must not walk the organisation", () => {
  it("finds a person's open commitments through the owner index, even for someone who owns none", async () => {
    await emptyDatabase();
    await seedScale(handle.db, LARGE);
    // An admin on no team owns nothing: the dashboard still asks for "yours". Walking the open
    // commitments by due date and filtering on the owner read all of them (2.9 s at 1,000,000).
    const [nobody] = rowsOf<{ id: string }>(
      await handle.db.execute(sql`insert into users (email, name, role, password_hash) values ('owns-nothing@example.com', 'Owns Nothing', 'admin', 'x') returning id`),
    );
    const plans: string[] = [];
    const explaining = {
      execute: (query: SQL) =>
        handle.db.transaction(async (tx) => {
          // So a small table is not simply read whole: the choice left is which index.
          await tx.execute(sql`set local enable_seqscan = off`);
          const result = await tx.execute(sql`explain (format json) ${query}`);
          plans.push(JSON.stringify(rowsOf(result)));
          return result;
        }),
    } as unknown as DbOrTx;
    await openCommitmentsOwnedBy(explaining, nobody!.id, MY_LIST_LIMIT);
    expect(plans).toHaveLength(1);
    expect(plans[0]).toContain('"Index Name":"commitments_owner_status_due_idx"');
    expect(plans[0]).not.toContain("commitments_status_due_idx");
  });

  it("reads next year's commitments for a letter by the fiscal year's due-date index, not every earlier year's due dates", async () => {
    await emptyDatabase();
    await seedScale(handle.db, LARGE);
    const [year] = rowsOf<{ fy: number }>(await handle.db.execute(sql`select min(fiscal_year) as fy from commitments`));
    for (const audience of ["public", "internal"] as const) {
      // The query as the letter sends it, explained with its own parameters.
      const query = nextYearCommitments(handle.db, Number(year!.fy), audience).toSQL();
      const pieces = query.sql.split(/\$(\d+)/);
      const statement = sql.join(pieces.map((piece, i) => (i % 2 === 0 ? sql.raw(piece) : sql`${query.params[Number(piece) - 1]}`)));
      // A few hundred rows are cheaper to sort than to read in order, so this small year is
      // sorted whatever the indexes; at 25,000 a year the planner reads in due order instead.
      // Without a sort, the plan shows which index gives that order: the year's own, or the
      // organisation's due dates from the first year on.
      const plan = await handle.db.transaction(async (tx) => {
        await tx.execute(sql`set local enable_seqscan = off`);
        await tx.execute(sql`set local enable_sort = off`);
        return JSON.stringify(rowsOf(await tx.execute(sql`explain (format json) ${statement}`)));
      });
      expect(plan, audience).toContain('"Index Name":"commitments_fy_due_idx"');
      expect(plan, audience).not.toContain('"Index Name":"commitments_due_idx"');
    }
  });
});
