// Reasons and evidence mean something (issue 11, section 4): the same rule refuses "  ", "."
// and "tbd" as a reason and `https://n/a` as evidence, through the API (problem+json naming
// the field) and through the services the forms call.
import { describe, expect, it } from "vitest";
import { recordOutcome, updateCommitment } from "~/services/commitments.server";
import { REASON_RULE, EVIDENCE_RULE } from "~/domain/reasons";
import { testDatabase } from "../setup/db";
import { world as makeWorld } from "../support/world";
import { apiClient } from "../support/api-client";

type Problem = { code: string; status: number; fields?: Array<{ name: string; message: string }> };

async function world() {
  const { db } = await testDatabase();
  const w = await makeWorld(db, {
    organisation: { fiscalYearStartMonth: 1, timeZone: "UTC" },
    teams: { team: { slug: "platform" } },
    people: { editor: { role: "member", teams: { team: "editor" } } },
  });
  const { editor } = w.people;
  const { team } = w.teams;
  const call = apiClient(db);
  const token = await w.token(editor);
  // A period that has started, so the commitment is locked and a change of target is a re-scope.
  const body = {
    statement: "Serve checkout p95 under 300 ms for every EU customer",
    measure: { kind: "metric", name: "p95 checkout latency", baseline: 900, comparator: "lte", target: 300, unit: "ms" },
    evidenceSource: "Grafana SLO dashboard",
    dueDate: "2026-03-15",
    periodLabel: "FY2026-Q1",
    teamId: team.id,
    audience: "public",
    tags: [],
  };
  const res = await call("POST", "/api/v1/commitments", { token, body });
  expect(res.status).toBe(201);
  const id = (res.body as { id: string }).id;
  return { db, editor, team, call, token, body, id, etag: res.headers.get("etag")! };
}

const MISSED = {
  status: "missed",
  resolvedAt: "2026-03-20",
  reasonCategory: "dependency_blocker",
  control: "external",
  explanation: "The payment provider's EU region was not ready in time.",
  lesson: "Get the dependency's date in writing first.",
};

function fieldNames(body: unknown): string[] {
  return ((body as Problem).fields ?? []).map((f) => f.name);
}

describe("the API refuses empty reasons and unusable evidence, naming the field", () => {
  it.each(["  ", ".", "-", "n/a", "tbd", "see above"])("a re-scope reason of %j is refused as problem+json on `reason`", async (reason) => {
    const { call, token, body, id, etag } = await world();
    const res = await call("PATCH", `/api/v1/commitments/${id}`, {
      token,
      body: { ...body, measure: { ...body.measure, target: 350 }, reason },
      headers: { "If-Match": etag },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(fieldNames(res.body)).toEqual(["reason"]);
  });

  it("accepts a re-scope with a real reason", async () => {
    const { call, token, body, id, etag } = await world();
    const res = await call("PATCH", `/api/v1/commitments/${id}`, {
      token,
      // The sentence and the target move together: a statement that still said 300 ms would be
      // refused by the falsifiability check for disagreeing with its own target.
      body: {
        ...body,
        statement: "Serve checkout p95 under 350 ms for every EU customer",
        measure: { ...body.measure, target: 350 },
        reason: "The provider's own floor is 320 ms, so 300 ms is not ours to promise.",
      },
      headers: { "If-Match": etag },
    });
    expect(res.status).toBe(200);
  });

  it.each(["  ", ".", "N/A", "TBD, see above"])("an outcome-change reason of %j is refused on `changeReason`", async (changeReason) => {
    const { call, token, id } = await world();
    expect((await call("POST", `/api/v1/commitments/${id}/outcome`, { token, body: MISSED })).status).toBe(201);
    const res = await call("POST", `/api/v1/commitments/${id}/outcome`, {
      token,
      body: { ...MISSED, explanation: "The provider's EU region was ready, but our integration was not.", changeReason },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(fieldNames(res.body)).toEqual(["changeReason"]);
  });

  it("refuses a placeholder explanation of a miss on `explanation`", async () => {
    const { call, token, id } = await world();
    const res = await call("POST", `/api/v1/commitments/${id}/outcome`, { token, body: { ...MISSED, explanation: "n/a" } });
    expect(res.status).toBe(400);
    expect(fieldNames(res.body)).toEqual(["explanation"]);
  });

  it.each(["https://n/a", "http://localhost/report", "/admin", "ftp://files.example.com/x"])(
    "refuses %j as evidence of delivery on `evidenceUrl`",
    async (evidenceUrl) => {
      const { call, token, id } = await world();
      const res = await call("POST", `/api/v1/commitments/${id}/outcome`, { token, body: { status: "delivered", resolvedAt: "2026-03-10", evidenceUrl } });
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(fieldNames(res.body)).toEqual(["evidenceUrl"]);
    },
  );

  it("accepts a Kept reference as evidence, and the commitment page's own path", async () => {
    const { call, token, id } = await world();
    const res = await call("POST", `/api/v1/commitments/${id}/outcome`, { token, body: { status: "delivered", resolvedAt: "2026-03-10", evidenceUrl: "/letters/2025" } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ outcome: { evidenceUrl: "/letters/2025" } });
  });
});

describe("the services apply the same rule, whoever calls them", () => {
  it("refuses a placeholder re-scope reason and a placeholder outcome-change reason", async () => {
    const { db, editor, body, id } = await world();
    const actor = { id: editor.id, role: "member" as const };
    const current = await db.query.commitments.findFirst({ where: (c, { eq }) => eq(c.id, id) });
    const input = {
      statement: body.statement,
      details: "",
      measureKind: "metric" as const,
      metricName: body.measure.name,
      metricBaseline: 900,
      metricComparator: "lte" as const,
      metricTarget: 350,
      metricUnit: "ms",
      deliverableEvent: null,
      evidenceSource: body.evidenceSource,
      dueDate: body.dueDate,
      periodLabel: body.periodLabel,
      teamId: body.teamId,
      ownerId: null,
      audience: "public" as const,
      tags: [],
    };
    const rescope = await updateCommitment(db, actor, id, input, current!.version, "tbd", new Date());
    expect(rescope).toMatchObject({ ok: false, error: { code: "VALIDATION", field: "reason", message: REASON_RULE } });

    const first = await recordOutcome(db, actor, id, { ...MISSED, actualValue: null, evidenceUrl: null, partialDescription: null }, current!.version, null, new Date());
    expect(first.ok).toBe(true);
    const version = first.ok ? first.value.version : 0;
    const change = await recordOutcome(
      db,
      actor,
      id,
      { ...MISSED, explanation: "Our integration was not ready, the provider was.", actualValue: null, evidenceUrl: null, partialDescription: null },
      version,
      ".",
      new Date(),
    );
    expect(change).toMatchObject({ ok: false, error: { code: "VALIDATION", field: "changeReason" } });
    const delivered = await recordOutcome(
      db,
      actor,
      id,
      { status: "delivered", resolvedAt: "2026-03-10", evidenceUrl: "https://n/a", actualValue: null, partialDescription: null, reasonCategory: null, control: null, explanation: null, lesson: null },
      version,
      "We found the release notes after all; it shipped before the due date.",
      new Date(),
    );
    expect(delivered).toMatchObject({ ok: false, error: { code: "VALIDATION", fieldErrors: { evidenceUrl: [EVIDENCE_RULE] } } });
  });
});
