// The job queue on the test database: jobs exist exactly when their transaction commits, run
// once across several runners, retry with backoff, and end in a dead-letter list admins retry.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { installQueues } from "../../db/queues";
import { enqueue, listDeadLetters } from "../../app/models/jobs.server";
import { rowsOf } from "../../app/models/rows.server";
import { discardDeadLetter, readDeadLetters, retryDeadLetter } from "../../app/services/jobs.server";
import { startQueue, type JobHandlers, type RunningQueue } from "../../server/queue";
import { testDatabase } from "../setup/db";

const logger = pino({ level: "silent" });
const admin = { id: randomUUID(), role: "admin" as const };
const member = { id: randomUUID(), role: "member" as const };
const running: RunningQueue[] = [];

async function start(handlers: JobHandlers) {
  const queue = await startQueue({ handle: await testDatabase(), logger, handlers, pollingIntervalSeconds: 0.5 });
  running.push(queue);
  return queue;
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((queue) => queue.stop(1000)));
  // A test that shortened a queue's retries gets the real definition back.
  await installQueues(await testDatabase());
});

describe("the job queue", { timeout: 60_000 }, () => {
  it("has a job only when the transaction that added it commits", async () => {
    const { db } = await testDatabase();
    const seen: unknown[] = [];
    await db
      .transaction(async (tx) => {
        await enqueue(tx, "kept-cleanup", { n: "rolled back" });
        throw new Error("roll back");
      })
      .catch(() => undefined);
    await db.transaction(async (tx) => {
      await enqueue(tx, "kept-cleanup", { n: "committed" });
    });
    await start({ "kept-cleanup": async (payload) => void seen.push(payload) });
    await until(() => seen.length === 1, "the committed job");
    // Another poll or two finds nothing more.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(seen).toEqual([{ n: "committed" }]);
  });

  it("runs every job once with two runners on one database", async () => {
    const { db } = await testDatabase();
    const counts = new Map<number, number>();
    const handler = async (payload: unknown) => {
      const n = (payload as { n: number }).n;
      counts.set(n, (counts.get(n) ?? 0) + 1);
    };
    await start({ "kept-cleanup": handler });
    await start({ "kept-cleanup": handler });
    for (let n = 0; n < 20; n++) await enqueue(db, "kept-cleanup", { n });
    await until(() => counts.size === 20, "all twenty jobs");
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
  });

  it("retries a failing job with backoff, then dead-letters it for an admin to retry", async () => {
    const handle = await testDatabase();
    const runner = await start({});
    await runner.boss.updateQueue("kept-cleanup", { name: "kept-cleanup", retryLimit: 1, retryDelay: 1, retryBackoff: true });
    await runner.stop(1000);
    running.length = 0;

    let attempts = 0;
    let healthy = false;
    const jobId = await enqueue(handle.db, "kept-cleanup", { task: "flaky" });
    await start({
      "kept-cleanup": async () => {
        attempts += 1;
        if (!healthy) throw new Error(`receiver said no (attempt ${attempts})`);
      },
    });

    await until(async () => (await listDeadLetters(handle.db)).length === 1, "the dead letter");
    expect(attempts).toBe(2);
    const failed = rowsOf<{ state: string; retry_count: number; retry_backoff: boolean }>(
      await handle.db.execute(sql`select state, retry_count, retry_backoff from pgboss.job where id = ${jobId}::uuid`),
    );
    expect(failed).toEqual([{ state: "failed", retry_count: 1, retry_backoff: true }]);

    const listed = await readDeadLetters(handle.db, admin);
    expect(listed.ok && listed.value.total).toBe(1);
    const letter = listed.ok ? listed.value.items[0]! : undefined;
    expect(letter).toMatchObject({ queue: "kept-cleanup", payload: { task: "flaky" }, error: "receiver said no (attempt 2)" });

    expect((await readDeadLetters(handle.db, member)).ok).toBe(false);
    expect((await retryDeadLetter(handle.db, member, letter!.id)).ok).toBe(false);
    expect(await retryDeadLetter(handle.db, admin, "not-a-uuid")).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });

    healthy = true;
    const retried = await retryDeadLetter(handle.db, admin, letter!.id);
    expect(retried).toMatchObject({ ok: true, value: { queue: "kept-cleanup" } });
    await until(() => attempts === 3, "the retried job");
    expect(await listDeadLetters(handle.db)).toEqual([]);
    // Retrying twice is refused, not doubled.
    expect(await retryDeadLetter(handle.db, admin, letter!.id)).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });

  it("discards a dead letter on an admin's word", async () => {
    const handle = await testDatabase();
    await handle.db.execute(
      sql`insert into pgboss.job (name, data, output) values ('kept-dead-letter', ${JSON.stringify({ queue: "kept-mail", payload: { to: "x@example.com" } })}::jsonb, '{"message":"550 mailbox unavailable"}'::jsonb)`,
    );
    const [letter] = await listDeadLetters(handle.db);
    expect(letter).toMatchObject({ queue: "kept-mail", error: "550 mailbox unavailable" });
    expect((await discardDeadLetter(handle.db, member, letter!.id)).ok).toBe(false);
    expect((await discardDeadLetter(handle.db, admin, letter!.id)).ok).toBe(true);
    expect(await listDeadLetters(handle.db)).toEqual([]);
  });
});
