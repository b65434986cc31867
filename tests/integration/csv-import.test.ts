// CSV import of a team's commitments: a dry run reports every bad row with its physical line
// and writes nothing; a real import lands every row in one transaction or none; only the
// team's editors and admins may import; the API answers 200/201/422 as documented.
import { count, eq } from "drizzle-orm";
import pino from "pino";
import { describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { commitmentRevisions, commitments, organisation } from "../../db/schema";
import type { PublicUser } from "~/models/user.server";
import { createToken } from "~/services/api-tokens.server";
import { login } from "~/services/auth.server";
import { CSV_TEMPLATE, MAX_IMPORT_ROWS, importCommitmentsCsv } from "~/services/commitment-import.server";
import type { Actor } from "~/domain/result";
import { loadEnv } from "~/utils/env.server";
import { commitSessionToken } from "~/http/session.server";
import { action as importPageAction } from "~/routes/teams.$slug_.import";
import { DEFAULT_PASSWORD, addMember, makeOrganisation, makeTeam, makeUser } from "../factories";
import { testDatabase } from "../setup/db";
import { apiClient } from "../support/api-client";

// Fiscal year from January, UTC: FY2026-Q3 is 2026-07-01..2026-09-30, not started yet.
const NOW = new Date("2026-06-01T09:00:00.000Z");

const HEADER = "statement,details,measure_kind,metric_name,metric_baseline,metric_comparator,metric_target,metric_unit,deliverable_event,evidence_source,due_date,period,owner_email,audience,tags";
const METRIC_ROW = "Move checkout for every EU customer to the Frankfurt region by the end of the quarter,,metric,p95 checkout latency,900,≤,300,ms,,Grafana SLO dashboard,2026-09-15,FY2026-Q3,owen@example.com,public,Reliability;Europe";
const DELIVERABLE_ROW =
  "Launch SEPA instant payouts for every EU merchant,,deliverable,,,,,,SEPA instant payouts generally available in all EU countries,Release notes,2026-09-30,fy2026-q3,,internal,Payments";

const actorOf = (user: PublicUser): Actor => ({ id: user.id, role: user.role });

async function world(db: Database) {
  await makeOrganisation(db, { fiscalYearStartMonth: 1, timeZone: "UTC" });
  const admin = await makeUser(db, { role: "admin", email: "ada@example.com" });
  const editor = await makeUser(db, { role: "member", email: "eve@example.com" });
  const outsider = await makeUser(db, { role: "member", email: "otto@example.com" });
  const teamViewer = await makeUser(db, { role: "member", email: "tess@example.com" });
  const viewer = await makeUser(db, { role: "viewer", email: "vic@example.com" });
  const owner = await makeUser(db, { role: "member", email: "owen@example.com", name: "Owen Owner" });
  await makeUser(db, { role: "member", email: "gone@example.com", active: false });
  const team = await makeTeam(db, { slug: "checkout", name: "Checkout" });
  const other = await makeTeam(db, { slug: "apps", name: "Apps" });
  await addMember(db, team.id, editor.id, "editor");
  await addMember(db, team.id, teamViewer.id, "viewer");
  await addMember(db, other.id, outsider.id, "editor");
  return { admin, editor, outsider, teamViewer, viewer, owner, team, other };
}

async function counts(db: Database) {
  const [c] = await db.select({ n: count() }).from(commitments);
  const [r] = await db.select({ n: count() }).from(commitmentRevisions);
  return { commitments: c?.n ?? 0, revisions: r?.n ?? 0 };
}

/**
 * Line by line: 1 header; 2 good; 3–5 good, its details a quoted field over three lines;
 * 6 bad measure kind; 7 good; 8 blank; 9 bad date and period; 10 unknown owner;
 * 11 too few fields; 12 deactivated owner; 13 a quote in a quoted field, doubled (good).
 */
function mixedFile(newline: string) {
  return [
    HEADER,
    METRIC_ROW,
    `Serve search p95 under 200 ms for every EU customer,"Measured at the edge,${newline}per region,${newline}""p95"" over 28 days",metric,p95 search latency,640,lte,200,ms,,Grafana,2026-09-20,FY2026-Q3,,public,Search`,
    "Ship the thing,,banana,,,,,,,,2026-09-30,FY2026-Q3,,internal,",
    DELIVERABLE_ROW,
    "",
    "Serve login p95 under 100 ms,,metric,p95 login latency,300,lte,100,ms,,Grafana,2026-13-01,Q3,,public,",
    "Serve cart p95 under 100 ms,,metric,p95 cart latency,300,lte,100,ms,,Grafana,2026-09-30,FY2026-Q3,nobody@example.com,public,",
    "Too short,metric,2026-09-30",
    "Serve basket p95 under 100 ms,,metric,p95 basket latency,300,lte,100,ms,,Grafana,2026-09-30,FY2026-Q3,gone@example.com,internal,",
    `"Publish the ""honest"" status page for every EU region",,deliverable,,,,,,Status page live at status.example.com,Public URL,2026-09-30,FY2026-Q3,,public,`,
  ].join(newline) + newline;
}

describe("CSV import of commitments", () => {
  it.each([
    ["LF", "\n"],
    ["CRLF", "\r\n"],
  ])("a dry run reports every bad row with its physical line (%s line endings) and writes nothing", async (_name, newline) => {
    const { db } = await testDatabase();
    const { editor, team } = await world(db);
    const result = await importCommitmentsCsv(db, actorOf(editor), team.id, mixedFile(newline), { dryRun: true }, NOW);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({ dryRun: true, rows: 9, created: [] });
    expect(result.value.errors.map((e) => [e.line, e.field])).toEqual([
      [6, "measure_kind"],
      [9, "due_date"],
      [9, "period"],
      [10, "owner_email"],
      [11, null],
      [12, "owner_email"],
    ]);
    expect(result.value.errors[4]!.message).toMatch(/3 fields; the header has 15/);
    expect(result.value.errors[5]!.message).toMatch(/active person/);
    expect(await counts(db)).toEqual({ commitments: 0, revisions: 0 });
  });

  it("refuses rows the service refuses, like a public commitment under the organisation's minimum score", async () => {
    const { db } = await testDatabase();
    const { editor, team } = await world(db);
    await db.update(organisation).set({ minPublicScore: 90 });
    const csv = [HEADER, METRIC_ROW, "Improve performance,,deliverable,,,,,,better,,2026-09-30,FY2026-Q3,,public,", "Improve performance,,deliverable,,,,,,better,,2026-09-30,FY2026-Q3,,internal,"].join("\n");
    const result = await importCommitmentsCsv(db, actorOf(editor), team.id, csv, { dryRun: true }, NOW);
    expect(result).toMatchObject({ ok: true, value: { rows: 3, errors: [{ line: 3, field: "statement", message: expect.stringMatching(/at least 90/) }] } });
    expect(await counts(db)).toEqual({ commitments: 0, revisions: 0 });
  });

  it("imports nothing when one row is bad", async () => {
    const { db } = await testDatabase();
    const { editor, team } = await world(db);
    const csv = [HEADER, METRIC_ROW, DELIVERABLE_ROW, "Serve cart p95 under 100 ms,,metric,p95 cart latency,300,lte,,ms,,Grafana,2026-09-30,FY2026-Q3,,public,"].join("\n");
    const result = await importCommitmentsCsv(db, actorOf(editor), team.id, csv, { dryRun: false }, NOW);
    expect(result).toMatchObject({ ok: true, value: { dryRun: false, rows: 3, created: [], errors: [{ line: 4, field: "metric_target" }] } });
    expect(await counts(db)).toEqual({ commitments: 0, revisions: 0 });
  });

  it("imports every row of a good file, each with its create revision, exactly as written", async () => {
    const { db } = await testDatabase();
    const { editor, owner, team } = await world(db);
    // Header in another case and order, a byte-order mark, CRLF, a multi-line quoted field.
    const csv =
      "\uFEFFStatement,Measure_Kind,Metric_Name,Metric_Baseline,Metric_Comparator,Metric_Target,Metric_Unit,Deliverable_Event,Evidence_Source,Due_Date,Period,Owner_Email,Audience,Tags,Details\r\n" +
      'Move checkout for every EU customer to the Frankfurt region by the end of the quarter,metric,p95 checkout latency,900,≤,300,ms,,Grafana SLO dashboard,2026-09-15,FY2026-Q3,OWEN@example.com,public,Reliability; Europe ;reliability,"Edge first.\r\nThen origin."\r\n' +
      "Keep checkout availability at least 99.95 % every month,metric,checkout availability,99.9,>=,99.95,%,,Status page,2026-09-30,FY2026-Q3,,internal,,\r\n" +
      "Launch SEPA instant payouts for every EU merchant,deliverable,,,,,,SEPA instant payouts generally available in all EU countries,Release notes,2026-09-30,FY2026-Q3,,internal,Payments,\r\n";
    const checked = await importCommitmentsCsv(db, actorOf(editor), team.id, csv, { dryRun: true }, NOW);
    expect(checked).toMatchObject({ ok: true, value: { dryRun: true, rows: 3, created: [], errors: [] } });
    expect(await counts(db)).toEqual({ commitments: 0, revisions: 0 });

    const result = await importCommitmentsCsv(db, actorOf(editor), team.id, csv, { dryRun: false }, NOW);
    expect(result).toMatchObject({ ok: true, value: { dryRun: false, rows: 3, errors: [] } });
    if (!result.ok) return;
    expect(result.value.created).toHaveLength(3);
    expect(await counts(db)).toEqual({ commitments: 3, revisions: 3 });
    const [first] = await db.select().from(commitments).where(eq(commitments.id, result.value.created[0]!));
    expect(first).toMatchObject({
      teamId: team.id,
      statement: "Move checkout for every EU customer to the Frankfurt region by the end of the quarter",
      details: "Edge first.\nThen origin.",
      measureKind: "metric",
      metricComparator: "lte",
      metricBaseline: 900,
      metricTarget: 300,
      ownerId: owner.id,
      audience: "public",
      tags: ["Reliability", "Europe"],
      periodLabel: "FY2026-Q3",
      committedBy: editor.id,
      committedAt: NOW,
    });
    const revisions = await db.select().from(commitmentRevisions);
    expect(revisions.map((r) => [r.commitmentId, r.kind, r.actorId]).sort()).toEqual(result.value.created.map((id) => [id, "create", editor.id]).sort());
    const [second] = await db.select().from(commitments).where(eq(commitments.id, result.value.created[1]!));
    expect(second).toMatchObject({ metricComparator: "gte", metricTarget: 99.95, ownerId: null, tags: [] });
  });

  it("reports header problems on line 1, and a file with nothing to import", async () => {
    const { db } = await testDatabase();
    const { editor, team } = await world(db);
    const run = (csv: string) => importCommitmentsCsv(db, actorOf(editor), team.id, csv, { dryRun: true }, NOW);
    expect(await run("statement,measure_kind,due_date,audience,colour\nx,metric,2026-09-30,public,red\n")).toMatchObject({
      ok: true,
      value: {
        errors: [
          { line: 1, field: "colour", message: expect.stringMatching(/Unknown column/) },
          { line: 1, field: "period", message: "This column is required." },
        ],
      },
    });
    expect(await run(`${HEADER}\n`)).toMatchObject({ ok: true, value: { rows: 0, errors: [{ line: 1, message: expect.stringMatching(/no commitments/) }] } });
    expect(await run("\n\n")).toMatchObject({ ok: true, value: { errors: [{ line: 1, message: expect.stringMatching(/empty/) }] } });
    expect(CSV_TEMPLATE.trim()).toBe(HEADER);
  });

  it("reports a broken quote at its line, after checking the rows before it", async () => {
    const { db } = await testDatabase();
    const { editor, team } = await world(db);
    const csv = [HEADER, "Ship it,,banana,,,,,,,,2026-09-30,FY2026-Q3,,internal,", METRIC_ROW, `"Serve "fast" pages,,metric`, DELIVERABLE_ROW].join("\n");
    const result = await importCommitmentsCsv(db, actorOf(editor), team.id, csv, { dryRun: true }, NOW);
    expect(result).toMatchObject({ ok: true, value: { errors: [{ line: 2, field: "measure_kind" }, { line: 4, field: null, message: expect.stringMatching(/quote/) }] } });
  });

  it(`refuses more than ${MAX_IMPORT_ROWS} rows`, async () => {
    const { db } = await testDatabase();
    const { editor, team } = await world(db);
    const csv = [HEADER, ...Array.from({ length: MAX_IMPORT_ROWS + 1 }, () => DELIVERABLE_ROW)].join("\n");
    const result = await importCommitmentsCsv(db, actorOf(editor), team.id, csv, { dryRun: false }, NOW);
    expect(result).toMatchObject({ ok: true, value: { created: [], errors: [{ line: MAX_IMPORT_ROWS + 2, message: expect.stringMatching(/at most 2,000/) }] } });
    expect(await counts(db)).toEqual({ commitments: 0, revisions: 0 });
  });

  it("lets only the team's editors and admins import", async () => {
    const { db } = await testDatabase();
    const { admin, editor, outsider, teamViewer, viewer, team } = await world(db);
    const csv = [HEADER, DELIVERABLE_ROW].join("\n");
    const run = (actor: Actor, teamId = team.id) => importCommitmentsCsv(db, actor, teamId, csv, { dryRun: true }, NOW);
    expect(await run(actorOf(outsider))).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await run(actorOf(teamViewer))).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await run(actorOf(viewer))).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await run(actorOf(editor))).toMatchObject({ ok: true, value: { errors: [] } });
    expect(await run(actorOf(admin))).toMatchObject({ ok: true, value: { errors: [] } });
    expect(await run(actorOf(admin), "00000000-0000-4000-8000-000000000000")).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });
});

describe("POST /api/v1/teams/{id}/commitments/import", () => {
  async function apiWorld() {
    const { db } = await testDatabase();
    const w = await world(db);
    const token = async (user: PublicUser, scope: "read" | "write" = "write") => {
      const result = await createToken(db, actorOf(user), { name: "import", scope, expiresAt: null }, new Date());
      if (!result.ok) throw new Error(result.error.message);
      return result.value.token;
    };
    return { db, ...w, token, call: apiClient(db) };
  }

  it("answers 422 problem+json with every bad row, 200 for a clean dry run, 201 with the ids for an import", async () => {
    const { db, call, token, editor, team } = await apiWorld();
    const t = await token(editor);
    const path = `/api/v1/teams/${team.id}/commitments/import`;

    const bad = await call("POST", path, { token: t, body: { csv: mixedFile("\n"), dryRun: true } });
    expect(bad.status).toBe(422);
    expect(bad.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect(bad.body).toMatchObject({
      status: 422,
      code: "IMPORT.INVALID_ROWS",
      dryRun: true,
      rows: 9,
      errors: expect.arrayContaining([{ line: 6, field: "measure_kind", message: expect.any(String) }, { line: 11, field: null, message: expect.any(String) }]),
    });
    expect((bad.body as { errors: unknown[] }).errors).toHaveLength(6);

    const csv = [HEADER, METRIC_ROW, DELIVERABLE_ROW].join("\n");
    const dry = await call("POST", path, { token: t, body: { csv, dryRun: true } });
    expect(dry).toMatchObject({ status: 200, body: { dryRun: true, rows: 2, created: [], errors: [] } });
    expect(await counts(db)).toEqual({ commitments: 0, revisions: 0 });

    const headers = { "Idempotency-Key": "csv-import-0001" };
    const done = await call("POST", path, { token: t, body: { csv, dryRun: false }, headers });
    expect(done).toMatchObject({ status: 201, body: { dryRun: false, rows: 2, errors: [] } });
    expect((done.body as { created: string[] }).created).toHaveLength(2);
    const replay = await call("POST", path, { token: t, body: { csv, dryRun: false }, headers });
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body).toEqual(done.body);
    expect(await counts(db)).toEqual({ commitments: 2, revisions: 2 });
  });

  it("refuses other teams' members, read-only tokens, unknown teams and bodies that are not the schema", async () => {
    const { call, token, outsider, editor, team } = await apiWorld();
    const path = `/api/v1/teams/${team.id}/commitments/import`;
    const body = { csv: [HEADER, DELIVERABLE_ROW].join("\n"), dryRun: true };
    expect(await call("POST", path, { token: await token(outsider), body })).toMatchObject({ status: 403, body: { code: "FORBIDDEN" } });
    expect(await call("POST", path, { token: await token(editor, "read"), body })).toMatchObject({ status: 403, body: { code: "TOKEN.READ_ONLY" } });
    expect((await call("POST", "/api/v1/teams/00000000-0000-4000-8000-000000000000/commitments/import", { token: await token(editor), body })).status).toBe(404);
    expect((await call("POST", "/api/v1/teams/not-a-uuid/commitments/import", { token: await token(editor), body })).status).toBe(404);
    expect(await call("POST", path, { token: await token(editor), body: { csv: 42 } })).toMatchObject({ status: 400, body: { code: "VALIDATION" } });
  });
});

describe("the import page", () => {
  it("shows bad rows with the text kept, and imports a good file into the team", async () => {
    const { db } = await testDatabase();
    const { team } = await world(db);
    const env = loadEnv({ NODE_ENV: "test" });
    const context = { db, env, logger: pino({ level: "silent" }), requestId: "test", cspNonce: "", clientIp: "127.0.0.1" };
    const session = await login(db, { email: "eve@example.com", password: DEFAULT_PASSWORD, ip: "192.0.2.1", userAgent: "vitest", previousToken: null });
    if (!session.ok) throw new Error(session.error.message);
    const cookie = (await commitSessionToken(env, session.value.token, session.value.expiresAt)).split(";")[0]!;
    const post = async (fields: Record<string, string | File>) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      const request = new Request(`http://kept.test/teams/${team.slug}/import`, { method: "POST", body: form, headers: { Cookie: cookie } });
      return (await importPageAction({ request, context, params: { slug: team.slug } } as never)) as unknown;
    };

    const badText = [HEADER, METRIC_ROW, "Ship it,,banana,,,,,,,,2026-09-30,FY2026-Q3,,internal,"].join("\n");
    const checked = (await post({ intent: "import", file: new File([badText], "commitments.csv", { type: "text/csv" }), csv: "" })) as {
      data: { csv: string; report: { errors: Array<{ line: number; field: string }> } };
      init: { status: number };
    };
    expect(checked.init.status).toBe(422);
    expect(checked.data.csv).toBe(badText);
    expect(checked.data.report.errors).toEqual([{ line: 3, field: "measure_kind", message: expect.any(String) }]);
    expect(await counts(db)).toEqual({ commitments: 0, revisions: 0 });

    const imported = (await post({ intent: "import", csv: [HEADER, METRIC_ROW].join("\n") })) as Response;
    expect(imported.status).toBe(302);
    expect(imported.headers.get("Location")).toBe(`/teams/${team.slug}/import?imported=1`);
    expect(await counts(db)).toEqual({ commitments: 1, revisions: 1 });
  });
});
