// Outgoing webhooks end to end on the test database: a real HTTP receiver on loopback verifies
// every signature with the `standardwebhooks` package; 500s are retried until it answers 200;
// a receiver that hangs times out; the last failure is dead-lettered; redeliver sends the same
// message again; every address class is refused at save and at delivery; the API validates,
// answers problem+json and lets only admins in; commitment events notify owner and editors.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq, sql } from "drizzle-orm";
import pino from "pino";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { installQueues } from "../../db/queues";
import { notifications, sessions, webhookAttempts, webhookDeliveries } from "../../db/schema";
import { listDeadLetters } from "~/models/jobs.server";
import { addCheckIn, recordOutcome, updateCommitment } from "~/services/commitments.server";
import { jobHandlers } from "~/services/job-handlers.server";
import { savePreferences, FALLBACK_PREFERENCES } from "~/services/notifications.server";
import type { Actor } from "~/domain/result";
import { runRetentionSweep } from "~/services/retention.server";
import { createEndpoint, saveWebhookSettings } from "~/services/webhooks.server";
import { loadEnv } from "~/utils/env.server";
import { classifyAddress } from "~/utils/webhook-target.server";
import { startQueue, type RunningQueue } from "../../server/queue";
import { makeCommitment, makeCommitmentInput } from "../factories";
import { testDatabase } from "../setup/db";
import { world as makeWorld } from "../support/world";
import { apiClient } from "../support/api-client";

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A receiver whose answers the test scripts, per path: status codes in turn, or "hang". */
function receiver() {
  const received: Received[] = [];
  const scripts = new Map<string, Array<number | "hang">>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "/";
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const script = scripts.get(path) ?? [];
      const next = script.length > 1 ? script.shift()! : (script[0] ?? 200);
      if (next === "hang") return; // never answers
      if (next >= 300 && next < 400) res.setHeader("Location", "http://127.0.0.1:1/elsewhere");
      res.writeHead(next, { "Content-Type": "text/plain" });
      res.end(next >= 500 ? `receiver broke: ${"x".repeat(5000)}` : "thanks");
    });
  });
  return {
    received,
    script: (path: string, answers: Array<number | "hang">) => scripts.set(path, answers),
    async listen() {
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const running: RunningQueue[] = [];
let hooks: ReturnType<typeof receiver>;

beforeEach(() => {
  hooks = receiver();
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((queue) => queue.stop(1000)));
  await hooks.close();
  // Tests shorten the webhook queue's retries; the real definition comes back.
  await installQueues(await testDatabase());
});

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function world() {
  const handle = await testDatabase();
  const { db } = handle;
  const w = await makeWorld(db, {
    organisation: { fiscalYearStartMonth: 1, timeZone: "UTC" },
    teams: { team: { name: "Payments", slug: "payments" } },
    people: {
      admin: { role: "admin" },
      owner: { role: "member", email: "owner@example.com", teams: { team: "editor" } },
      editor: { role: "member", email: "editor@example.com", teams: { team: "editor" } },
    },
  });
  const { admin, owner, editor } = w.people;
  const { team } = w.teams;
  const { admin: adminActor, owner: ownerActor, editor: editorActor } = w.actors;
  const tokenOf = (actor: Actor, scope: "read" | "write" = "write") => w.token(actor, scope, "t");
  const call = apiClient(db);
  const adminToken = await tokenOf(adminActor);
  return { handle, db, admin, owner, editor, team, adminActor, ownerActor, editorActor, tokenOf, call, adminToken };
}

async function startWorkers(handle: Awaited<ReturnType<typeof testDatabase>>, { retryLimit = 3, timeoutMs = 2000 } = {}) {
  const queue = await startQueue({
    handle,
    logger,
    handlers: jobHandlers({ db: handle.db, env: loadEnv({ NODE_ENV: "test" }), logger, transport: null, webhookTimeoutMs: timeoutMs }),
    pollingIntervalSeconds: 0.5,
  });
  running.push(queue);
  // One second, then two, four…: the real backoff, compressed.
  await queue.boss.updateQueue("kept-webhooks", { name: "kept-webhooks", retryLimit, retryDelay: 1, retryBackoff: true, deadLetter: "kept-dead-letter" });
  return queue;
}

async function attemptsOf(db: Awaited<ReturnType<typeof testDatabase>>["db"], deliveryId: string) {
  return db
    .select({ attempt: webhookAttempts.attempt, status: webhookAttempts.responseStatus, error: webhookAttempts.error, manual: webhookAttempts.manual, excerpt: webhookAttempts.responseExcerpt, latencyMs: webhookAttempts.latencyMs })
    .from(webhookAttempts)
    .where(eq(webhookAttempts.deliveryId, deliveryId))
    .orderBy(webhookAttempts.attempt);
}

describe("webhook delivery", { timeout: 120_000 }, () => {
  it("signs per Standard Webhooks, retries 500s with backoff until a 200, and redelivers the same message", async () => {
    const w = await world();
    const base = await hooks.listen();
    await saveWebhookSettings(w.db, w.adminActor, true, new Date());
    const created = await w.call("POST", "/api/v1/webhooks", {
      token: w.adminToken,
      body: { url: `${base}/kept`, events: ["commitment.created", "outcome.recorded"], description: "CI" },
    });
    expect(created.status).toBe(201);
    const { id: endpointId, secret } = created.body as { id: string; secret: string };
    expect(secret).toMatch(/^whsec_/);
    // The secret is not shown again.
    expect((await w.call("GET", `/api/v1/webhooks/${endpointId}`, { token: w.adminToken })).body).not.toHaveProperty("secret");

    hooks.script("/kept", [500, 500, 200]);
    // Workers first: a job takes its queue's retry settings when it is added.
    await startWorkers(w.handle);
    const commitment = await makeCommitment(w.db, w.ownerActor, w.team.id, { ownerId: w.owner.id });
    await until(() => hooks.received.length === 3, "three tries");

    const verifier = new Webhook(secret);
    const ids = new Set<string>();
    for (const hit of hooks.received) {
      const payload = verifier.verify(hit.body, hit.headers as Record<string, string>) as { type: string; data: { commitment: { id: string } } };
      expect(payload).toMatchObject({ type: "commitment.created", data: { commitment: { id: commitment.id, path: `/commitments/${commitment.id}` } } });
      ids.add(String(hit.headers["webhook-id"]));
    }
    // The same message every time, so the receiver can drop duplicates.
    expect(ids.size).toBe(1);
    // A signature made with another secret does not verify.
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString("base64")}`).verify(hooks.received[0]!.body, hooks.received[0]!.headers as Record<string, string>)).toThrow();

    const deliveries = await w.call("GET", `/api/v1/webhooks/${endpointId}/deliveries`, { token: w.adminToken });
    expect(deliveries.status).toBe(200);
    await until(async () => ((await w.call("GET", `/api/v1/webhooks/${endpointId}/deliveries`, { token: w.adminToken })).body as { items: Array<{ status: string }> }).items[0]?.status === "delivered", "delivered");
    const log = (await w.call("GET", `/api/v1/webhooks/${endpointId}/deliveries`, { token: w.adminToken })).body as {
      items: Array<{ id: string; messageId: string; status: string; attempts: number; log: Array<{ attempt: number; responseStatus: number; responseExcerpt: string; succeeded: boolean; latencyMs: number }> }>;
    };
    expect(log.items).toHaveLength(1);
    const delivery = log.items[0]!;
    expect(delivery).toMatchObject({ status: "delivered", attempts: 3, messageId: [...ids][0] });
    expect(delivery.log.map((a) => [a.attempt, a.responseStatus, a.succeeded])).toEqual([
      [3, 200, true],
      [2, 500, false],
      [1, 500, false],
    ]);
    // The excerpt is bounded, whatever the receiver sent.
    expect(delivery.log[1]!.responseExcerpt.length).toBeLessThanOrEqual(1024);
    expect(delivery.log[1]!.responseExcerpt).toMatch(/^receiver broke: x+/);
    expect(delivery.log.every((a) => a.latencyMs >= 0)).toBe(true);

    // Redeliver: the same webhook-id and payload, a fresh signature, logged as manual.
    const again = await w.call("POST", `/api/v1/webhooks/${endpointId}/deliveries/${delivery.id}/redeliver`, { token: w.adminToken });
    expect(again).toMatchObject({ status: 202, body: { deliveryId: delivery.id, status: "pending" } });
    await until(() => hooks.received.length === 4, "the redelivery");
    const last = hooks.received[3]!;
    expect(last.headers["webhook-id"]).toBe(delivery.messageId);
    expect(verifier.verify(last.body, last.headers as Record<string, string>)).toMatchObject({ type: "commitment.created" });
    await until(async () => (await attemptsOf(w.db, delivery.id)).length === 4, "the fourth attempt logged");
    expect((await attemptsOf(w.db, delivery.id)).at(-1)).toMatchObject({ attempt: 4, status: 200, manual: true });

    // An event the endpoint did not subscribe to is not sent.
    await addCheckIn(w.db, w.ownerActor, commitment.id, { date: "2026-01-02", forecast: "on_track", probability: 80, progressValue: null, note: null }, new Date("2026-01-02T10:00:00Z"));
    expect(await w.db.select().from(webhookDeliveries)).toHaveLength(1);
  });

  it("times out a receiver that does not answer, and dead-letters the delivery after the last try", async () => {
    const w = await world();
    const base = await hooks.listen();
    await saveWebhookSettings(w.db, w.adminActor, true, new Date());
    const created = await createEndpoint(w.db, w.adminActor, { url: `${base}/slow`, description: "", events: ["commitment.created"], active: true }, new Date());
    expect(created.ok).toBe(true);
    hooks.script("/slow", ["hang"]);
    await startWorkers(w.handle, { retryLimit: 1, timeoutMs: 300 });
    await makeCommitment(w.db, w.ownerActor, w.team.id, { ownerId: w.owner.id });
    await until(async () => (await listDeadLetters(w.db)).length === 1, "the dead letter");

    const [dead] = await listDeadLetters(w.db);
    expect(dead).toMatchObject({ queue: "kept-webhooks", error: expect.stringContaining("no answer within 300 ms") });
    const [delivery] = await w.db.select().from(webhookDeliveries);
    expect(delivery).toMatchObject({ status: "failed", attempts: 2 });
    const attempts = await attemptsOf(w.db, delivery!.id);
    expect(attempts.map((a) => [a.status, a.error])).toEqual([
      [null, "no answer within 300 ms"],
      [null, "no answer within 300 ms"],
    ]);
  });

  it("does not follow redirects", async () => {
    const w = await world();
    const base = await hooks.listen();
    await saveWebhookSettings(w.db, w.adminActor, true, new Date());
    await createEndpoint(w.db, w.adminActor, { url: `${base}/moved`, description: "", events: ["commitment.created"], active: true }, new Date());
    hooks.script("/moved", [302]);
    await startWorkers(w.handle, { retryLimit: 0 });
    await makeCommitment(w.db, w.ownerActor, w.team.id, { ownerId: w.owner.id });
    await until(async () => (await w.db.select().from(webhookAttempts)).length === 1, "one try");
    expect(hooks.received.map((r) => r.path)).toEqual(["/moved"]);
    const [attempt] = await w.db.select().from(webhookAttempts);
    expect(attempt).toMatchObject({ responseStatus: 302, succeeded: false, error: "The endpoint answered 302 (redirects are not followed)." });
  });

  it("refuses at delivery an address that became private, and sends nothing", async () => {
    const w = await world();
    const base = await hooks.listen();
    await saveWebhookSettings(w.db, w.adminActor, true, new Date());
    await createEndpoint(w.db, w.adminActor, { url: `${base}/inside`, description: "", events: ["commitment.created"], active: true }, new Date());
    await saveWebhookSettings(w.db, w.adminActor, false, new Date());
    await startWorkers(w.handle, { retryLimit: 0 });
    await makeCommitment(w.db, w.ownerActor, w.team.id, { ownerId: w.owner.id });
    await until(async () => (await w.db.select().from(webhookAttempts)).length === 1, "one try");
    const [attempt] = await w.db.select().from(webhookAttempts);
    // Plain http to a loopback address: both are refused once private targets are not allowed.
    expect(attempt!.error).toMatch(/^Not sent: .*private targets/);
    expect(hooks.received).toEqual([]);
  });

  it("resolves the name again at delivery: a name that now points inside is refused", async () => {
    const w = await world();
    const created = await createEndpoint(w.db, w.adminActor, { url: "https://hooks.example.com/x", description: "", events: ["commitment.created"], active: true }, new Date(), {
      lookup: async () => [{ address: "93.184.215.14", family: 4 }],
    });
    expect(created.ok).toBe(true);
    await makeCommitment(w.db, w.ownerActor, w.team.id, { ownerId: w.owner.id });
    const [delivery] = await w.db.select().from(webhookDeliveries);
    const rebound = jobHandlers({ db: w.db, env: loadEnv({ NODE_ENV: "test" }), logger, transport: null, lookup: async () => [{ address: "169.254.169.254", family: 4 }] });
    await expect(rebound["kept-webhooks"]!({ deliveryId: delivery!.id }, { jobId: "x", retryCount: 0, retryLimit: 3, logger })).rejects.toThrow(/metadata/);
    expect(await attemptsOf(w.db, delivery!.id)).toMatchObject([{ attempt: 1, status: null, error: expect.stringContaining("resolves to 169.254.169.254, a cloud metadata address") }]);
    expect((await w.db.select().from(webhookDeliveries))[0]).toMatchObject({ status: "retrying" });
  });

  it("with WEBHOOKS_ALLOW_PRIVATE_TARGETS (the browser tests' server), delivers to loopback while the organisation's setting stays off", async () => {
    const w = await world();
    const base = await hooks.listen();
    const refused = await createEndpoint(w.db, w.adminActor, { url: `${base}/inside`, description: "", events: ["commitment.created"], active: true }, new Date());
    expect(refused).toMatchObject({ ok: false, error: { field: "url", message: expect.stringContaining("private targets") } });
    vi.stubEnv("WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true");
    try {
      const created = await createEndpoint(w.db, w.adminActor, { url: `${base}/inside`, description: "", events: ["commitment.created"], active: true }, new Date());
      expect(created.ok).toBe(true);
      // Metadata addresses stay refused whatever allows private targets.
      const metadata = await createEndpoint(w.db, w.adminActor, { url: "http://169.254.169.254/latest", description: "", events: ["commitment.created"], active: true }, new Date());
      expect(metadata).toMatchObject({ ok: false, error: { field: "url", message: expect.stringContaining("metadata") } });
      await startWorkers(w.handle, { retryLimit: 0 });
      await makeCommitment(w.db, w.ownerActor, w.team.id, { ownerId: w.owner.id });
      await until(() => hooks.received.length === 1, "the delivery");
      expect(hooks.received[0]!.path).toBe("/inside");
      expect((await w.call("GET", "/api/v1/webhook-settings", { token: w.adminToken })).body).toEqual({ allowPrivateTargets: false });
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("enqueues nothing for a change that rolled back", async () => {
    const w = await world();
    await saveWebhookSettings(w.db, w.adminActor, true, new Date());
    await createEndpoint(w.db, w.adminActor, { url: "http://127.0.0.1:9/x", description: "", events: ["commitment.created"], active: true }, new Date());
    // A refused commitment (an unknown team) writes nothing, and reports nothing.
    await makeCommitment(w.db, w.ownerActor, "00000000-0000-4000-8000-000000000000", {}).catch(() => undefined);
    expect(await w.db.select().from(webhookDeliveries)).toEqual([]);
    const jobs = await w.db.execute(sql`select count(*)::int as n from pgboss.job where name = 'kept-webhooks'`);
    expect((jobs as unknown as { rows?: Array<{ n: number }> }).rows?.[0]?.n ?? (jobs as unknown as Array<{ n: number }>)[0]?.n).toBe(0);
  });
});

describe("webhook targets (no server-side request forgery)", () => {
  const refusedEverywhere = [
    ["https://169.254.169.254/latest/meta-data", "metadata"],
    ["https://[fd00:ec2::254]/", "metadata"],
    ["https://100.100.100.200/", "metadata"],
  ] as const;
  const refusedUnlessAllowed = [
    ["https://127.0.0.1/hook", "loopback"],
    ["https://127.9.9.9/hook", "loopback"],
    ["https://[::1]/hook", "loopback"],
    ["https://[::ffff:127.0.0.1]/hook", "loopback"],
    ["https://10.0.0.8/hook", "private"],
    ["https://172.20.1.1/hook", "private"],
    ["https://192.168.1.20/hook", "private"],
    ["https://100.64.0.1/hook", "private"],
    ["https://169.254.1.1/hook", "link-local"],
    ["https://[fe80::1]/hook", "link-local"],
    ["https://[fd12:3456::1]/hook", "unique-local"],
    ["https://0.0.0.0/hook", "reserved"],
    ["https://[::]/hook", "reserved"],
  ] as const;

  it.each(refusedUnlessAllowed)("refuses %s (%s) unless private targets are allowed", async (url, kind) => {
    const w = await world();
    const refused = await w.call("POST", "/api/v1/webhooks", { token: w.adminToken, body: { url, events: ["letter.published"] } });
    expect(refused.status).toBe(400);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(refused.body).toMatchObject({ code: "VALIDATION", fields: [{ name: "url", message: expect.stringContaining(kind === "unique-local" ? "unique-local" : kind) }] });
    await saveWebhookSettings(w.db, w.adminActor, true, new Date());
    expect((await w.call("POST", "/api/v1/webhooks", { token: w.adminToken, body: { url, events: ["letter.published"] } })).status).toBe(201);
  });

  it.each(refusedEverywhere)("refuses %s (%s) even when private targets are allowed", async (url) => {
    const w = await world();
    await saveWebhookSettings(w.db, w.adminActor, true, new Date());
    const refused = await w.call("POST", "/api/v1/webhooks", { token: w.adminToken, body: { url, events: ["letter.published"] } });
    expect(refused).toMatchObject({ status: 400, body: { fields: [{ name: "url", message: expect.stringContaining("metadata") }] } });
  });

  it("refuses a host name that resolves to a private address, checking every address it has", async () => {
    const w = await world();
    const lookup = async () => [
      { address: "93.184.215.14", family: 4 },
      { address: "10.1.2.3", family: 4 },
    ];
    const refused = await createEndpoint(w.db, w.adminActor, { url: "https://hooks.example.com/x", description: "", events: ["letter.published"], active: true }, new Date(), { lookup });
    expect(refused).toMatchObject({ ok: false, error: { code: "VALIDATION", field: "url", message: expect.stringContaining("resolves to 10.1.2.3, a private network address") } });
    const publicOnly = await createEndpoint(w.db, w.adminActor, { url: "https://hooks.example.com/x", description: "", events: ["letter.published"], active: true }, new Date(), {
      lookup: async () => [{ address: "93.184.215.14", family: 4 }],
    });
    expect(publicOnly.ok).toBe(true);
  });

  it("refuses http, credentials in the URL and localhost names unless allowed", async () => {
    const w = await world();
    const cases = ["http://93.184.215.14/hook", "https://user:pw@93.184.215.14/hook", "https://localhost/hook", "ftp://93.184.215.14/", "not a url"];
    for (const url of cases) {
      const res = await w.call("POST", "/api/v1/webhooks", { token: w.adminToken, body: { url, events: ["letter.published"] } });
      expect(res, url).toMatchObject({ status: 400, body: { fields: [{ name: "url" }] } });
    }
  });

  it("classifies public addresses as public", () => {
    expect(classifyAddress("93.184.215.14")).toBeNull();
    expect(classifyAddress("2606:2800:21f:cb07:6820:80da:af6b:8b2c")).toBeNull();
    expect(classifyAddress("::ffff:10.0.0.1")).toBe("private");
    expect(classifyAddress("64:ff9b::7f00:1")).toBe("loopback");
  });
});

describe("the webhooks API", () => {
  it("answers problem+json naming the failing field", async () => {
    const w = await world();
    const cases: Array<[unknown, string]> = [
      [{ url: "https://93.184.215.14/", events: [] }, "events"],
      [{ url: "https://93.184.215.14/", events: ["commitment.exploded"] }, "events.0"],
      [{ events: ["letter.published"] }, "url"],
      [{ url: "https://93.184.215.14/", events: ["letter.published", "letter.published"] }, "events"],
      [{ url: "https://93.184.215.14/", events: ["letter.published"], description: "d".repeat(201) }, "description"],
    ];
    for (const [body, field] of cases) {
      const res = await w.call("POST", "/api/v1/webhooks", { token: w.adminToken, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect((res.body as { fields: Array<{ name: string }> }).fields.map((f) => f.name)).toContain(field);
    }
    const created = await w.call("POST", "/api/v1/webhooks", { token: w.adminToken, body: { url: "https://93.184.215.14/", events: ["letter.published"] } });
    const id = (created.body as { id: string }).id;
    expect((await w.call("PATCH", `/api/v1/webhooks/${id}`, { token: w.adminToken, body: {} })).status).toBe(400);
    expect((await w.call("PUT", "/api/v1/webhook-settings", { token: w.adminToken, body: { allowPrivateTargets: "yes" } })).body).toMatchObject({ fields: [{ name: "allowPrivateTargets" }] });
    expect((await w.call("GET", `/api/v1/webhooks/${id}/deliveries?limit=0`, { token: w.adminToken })).status).toBe(400);
  });

  it("lets only admins in, and shows a rotated secret once while the old one signs a day more", async () => {
    const w = await world();
    const memberToken = await w.tokenOf(w.ownerActor);
    const created = await w.call("POST", "/api/v1/webhooks", { token: w.adminToken, body: { url: "https://93.184.215.14/", events: ["letter.published"] } });
    const id = (created.body as { id: string }).id;
    const attempts: Array<[string, string, unknown?]> = [
      ["GET", "/api/v1/webhooks"],
      ["POST", "/api/v1/webhooks", { url: "https://93.184.215.14/", events: ["letter.published"] }],
      ["GET", `/api/v1/webhooks/${id}`],
      ["PATCH", `/api/v1/webhooks/${id}`, { active: false }],
      ["DELETE", `/api/v1/webhooks/${id}`],
      ["POST", `/api/v1/webhooks/${id}/rotate-secret`],
      ["GET", `/api/v1/webhooks/${id}/deliveries`],
      ["POST", `/api/v1/webhooks/${id}/deliveries/${id}/redeliver`],
      ["GET", "/api/v1/webhook-settings"],
      ["PUT", "/api/v1/webhook-settings", { allowPrivateTargets: true }],
    ];
    for (const [method, path, body] of attempts) {
      const res = await w.call(method, path, { token: memberToken, body });
      expect(res, `${method} ${path}`).toMatchObject({ status: 403, body: { code: "FORBIDDEN" } });
    }
    const rotated = await w.call("POST", `/api/v1/webhooks/${id}/rotate-secret`, { token: w.adminToken });
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ secret: expect.stringMatching(/^whsec_/) });
    expect((created.body as { secret: string }).secret).not.toBe((rotated.body as { secret: string }).secret);
    const after = await w.call("GET", `/api/v1/webhooks/${id}`, { token: w.adminToken });
    expect(after.body).toMatchObject({ previousSecretExpiresAt: (rotated.body as { previousSecretExpiresAt: string }).previousSecretExpiresAt });
    expect((await w.call("DELETE", `/api/v1/webhooks/${id}`, { token: w.adminToken })).status).toBe(204);
    expect((await w.call("GET", `/api/v1/webhooks/${id}`, { token: w.adminToken })).status).toBe(404);
  });
});

describe("notifications of commitment events", { timeout: 60_000 }, () => {
  it("tells the owner and the team's editors, not the one who acted, as each chose", async () => {
    const w = await world();
    const commitment = await makeCommitment(w.db, w.ownerActor, w.team.id, { ownerId: w.owner.id }, new Date("2026-01-01T09:00:00Z"));
    const kinds = async (userId: string) => (await w.db.select({ kind: notifications.kind }).from(notifications).where(eq(notifications.userId, userId))).map((r) => r.kind).sort();

    // The owner checks in: nobody else is an owner, so only the other editor hears.
    await addCheckIn(w.db, w.ownerActor, commitment.id, { date: "2026-01-02", forecast: "at_risk", probability: 40, progressValue: null, note: null }, new Date("2026-01-02T10:00:00Z"));
    expect(await kinds(w.owner.id)).toEqual([]);
    expect(await kinds(w.editor.id)).toEqual(["checked_in"]);

    // Someone else checks in: the owner hears.
    await addCheckIn(w.db, w.editorActor, commitment.id, { date: "2026-01-03", forecast: "on_track", probability: 70, progressValue: null, note: "Back on track" }, new Date("2026-01-03T10:00:00Z"));
    expect(await kinds(w.owner.id)).toEqual(["checked_in"]);

    // The editor turns off outcomes; the owner keeps the defaults.
    await savePreferences(w.db, w.editorActor, { ...FALLBACK_PREFERENCES, outcomes: false, email: "never" }, new Date());
    const current = (await w.call("GET", `/api/v1/commitments/${commitment.id}`, { token: w.adminToken })).body as { version: number };
    const recorded = await recordOutcome(
      w.db,
      w.adminActor,
      commitment.id,
      { status: "delivered", resolvedAt: "2026-01-04", actualValue: null, evidenceUrl: "https://status.example.com/report", partialDescription: null, reasonCategory: null, control: null, explanation: null, lesson: null },
      current.version,
      null,
      new Date("2026-01-04T10:00:00Z"),
    );
    expect(recorded.ok).toBe(true);
    expect(await kinds(w.owner.id)).toEqual(["checked_in", "outcome"]);
    expect(await kinds(w.editor.id)).toEqual(["checked_in"]);
    const [notice] = await w.db.select().from(notifications).where(eq(notifications.kind, "outcome"));
    expect(notice).toMatchObject({ title: "Outcome recorded: delivered", path: `/commitments/${commitment.id}` });

    // The owner wants each by mail: the kept-notify job mails it once, even if run twice.
    const handlers = jobHandlers({ db: w.db, env: loadEnv({ NODE_ENV: "test" }), logger, transport: null });
    const jobs = await w.db.execute(sql`select data from pgboss.job where name = 'kept-notify' order by created_on`);
    const rows = ((jobs as unknown as { rows?: unknown[] }).rows ?? (jobs as unknown as unknown[])) as Array<{ data: { payload: unknown } }>;
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      await handlers["kept-notify"]!(row.data.payload, { jobId: "x", retryCount: 0, retryLimit: 1, logger });
      await handlers["kept-notify"]!(row.data.payload, { jobId: "x", retryCount: 1, retryLimit: 1, logger });
    }
    const mail = await w.db.execute(sql`select to_address, subject from mail_messages where kind = 'notification' order by subject`);
    const mailRows = ((mail as unknown as { rows?: unknown[] }).rows ?? (mail as unknown as unknown[])) as Array<{ to_address: string; subject: string }>;
    expect(mailRows.filter((m) => m.to_address === "owner@example.com").map((m) => m.subject).sort()).toEqual([
      "Checked in: on track, 70%",
      "Outcome recorded: delivered",
    ]);
    // The editor chose "no mail" after their notification was written: the mail job respects that.
    expect(mailRows.filter((m) => m.to_address === "editor@example.com")).toEqual([]);
  });

  it("tells of a re-scope with its reason", async () => {
    const w = await world();
    const commitment = await makeCommitment(w.db, w.ownerActor, w.team.id, { ownerId: w.owner.id, periodLabel: "FY2026-Q1", dueDate: "2026-03-20" }, new Date("2025-12-01T09:00:00Z"));
    const input = makeCommitmentInput(w.team.id, { ownerId: w.owner.id, periodLabel: "FY2026-Q1", dueDate: "2026-03-27" });
    const changed = await updateCommitment(w.db, w.editorActor, commitment.id, input, commitment.version, "The vendor moved the cut-over by a week, so the date moves with it.", new Date("2026-02-01T09:00:00Z"));
    expect(changed).toMatchObject({ ok: true, value: { rescope: true } });
    const [notice] = await w.db.select().from(notifications).where(eq(notifications.userId, w.owner.id));
    expect(notice).toMatchObject({ kind: "rescoped", body: expect.stringContaining("The vendor moved the cut-over") });
  });
});

describe("the retention sweep (kept-cleanup)", () => {
  it("removes old delivery logs and expired sessions, and keeps what is recent", async () => {
    const w = await world();
    await saveWebhookSettings(w.db, w.adminActor, true, new Date());
    const endpoint = await createEndpoint(w.db, w.adminActor, { url: "http://127.0.0.1:9/x", description: "", events: ["commitment.created"], active: true }, new Date());
    if (!endpoint.ok) throw new Error(endpoint.error.message);
    const now = new Date("2026-11-29T03:40:00Z");
    const payload = { type: "commitment.created" as const, timestamp: now.toISOString(), data: {} };
    const row = (createdAt: Date, status: "delivered" | "failed" | "retrying") => ({
      endpointId: endpoint.value.endpoint.id,
      eventId: crypto.randomUUID(),
      eventType: "commitment.created" as const,
      payload,
      status,
      createdAt,
    });
    const old = new Date("2026-10-01T00:00:00Z");
    await w.db.insert(webhookDeliveries).values([row(old, "delivered"), row(old, "failed"), row(old, "retrying"), row(new Date("2026-11-20T00:00:00Z"), "delivered")]);
    await w.db.insert(sessions).values([
      { tokenHash: "expired", userId: w.owner.id, expiresAt: new Date("2026-11-28T00:00:00Z") },
      { tokenHash: "live", userId: w.owner.id, expiresAt: new Date("2026-12-20T00:00:00Z") },
    ]);
    const removed = await runRetentionSweep(w.db, now);
    expect(removed).toMatchObject({ webhookDeliveries: 2, sessions: 1 });
    expect((await w.db.select({ status: webhookDeliveries.status }).from(webhookDeliveries)).map((r) => r.status).sort()).toEqual(["delivered", "retrying"]);
    expect((await w.db.select({ t: sessions.tokenHash }).from(sessions)).map((r) => r.t)).toEqual(["live"]);
    // A second run finds nothing more.
    expect(await runRetentionSweep(w.db, now)).toMatchObject({ webhookDeliveries: 0, sessions: 0 });
  });
});
