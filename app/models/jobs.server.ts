// Jobs on Kept's queue (pg-boss, schema `pgboss`). Enqueueing goes through pg-boss's own
// insert, run on the caller's connection or transaction, so a job exists exactly when the
// change that caused it committed: nothing is lost if the process dies, and nothing is sent
// for a change that rolled back.
import { sql, type SQL } from "drizzle-orm";
import PgBoss from "pg-boss";
import { serialiseParameters, type DbOrTx, type SqlExecutor } from "../../db/client";
import { DEAD_LETTER_QUEUE, QUEUE_SCHEMA, isQueueName, type QueueName } from "../../db/queues";
import { rowsOf } from "./rows.server";

/** What every job carries: the queue it was meant for survives dead-lettering, so it can be retried there. */
export interface JobEnvelope<T = unknown> {
  queue: QueueName;
  payload: T;
}

export interface EnqueueOptions {
  /** Run no earlier than this. */
  startAfter?: Date;
  /** A second job with the same key in the same queue, still waiting, is not added. */
  singletonKey?: string;
}

/** pg-boss's `db` option over a drizzle connection or transaction. */
export function executorOf(db: DbOrTx): SqlExecutor {
  return {
    async executeSql(text, values) {
      const params = serialiseParameters(values);
      // pg-boss writes `$n` placeholders; drizzle numbers its own, so each becomes a bound value.
      const chunks: SQL[] = text
        .split(/\$(\d+)/)
        .map((piece, index) => (index % 2 === 0 ? sql.raw(piece) : sql`${params[Number(piece) - 1] ?? null}`));
      return { rows: rowsOf(await db.execute(sql.join(chunks))) };
    },
  };
}

// Only pg-boss's SQL builders are used from this instance: every call passes its own `db`.
const sender = new PgBoss({
  schema: QUEUE_SCHEMA,
  db: {
    executeSql() {
      throw new Error("pg-boss sender used without a connection");
    },
  },
});

/** Adds a job; returns its id, or null when a waiting job with the same singleton key exists. */
export async function enqueue<T>(db: DbOrTx, queue: QueueName, payload: T, options: EnqueueOptions = {}): Promise<string | null> {
  const data: JobEnvelope<T> = { queue, payload };
  return sender.send(queue, data as object, {
    db: executorOf(db),
    startAfter: options.startAfter,
    singletonKey: options.singletonKey,
  });
}

export interface DeadLetter {
  id: string;
  queue: string;
  payload: unknown;
  error: string;
  failedAt: Date;
}

function errorText(output: unknown): string {
  if (output && typeof output === "object" && "message" in output && typeof output.message === "string") return output.message;
  if (output === null || output === undefined) return "No error recorded";
  return typeof output === "string" ? output : JSON.stringify(output);
}

function toDeadLetter(row: { id: string; data: unknown; output: unknown; created_on: Date | string }): DeadLetter {
  const data = (row.data ?? {}) as Partial<JobEnvelope>;
  return {
    id: row.id,
    queue: typeof data.queue === "string" ? data.queue : "unknown",
    payload: data.payload ?? null,
    error: errorText(row.output),
    failedAt: new Date(row.created_on),
  };
}

/** Jobs whose retries are spent, newest first. */
export async function listDeadLetters(db: DbOrTx, limit = 100): Promise<DeadLetter[]> {
  const result = await db.execute(
    sql`select id, data, output, created_on from ${sql.raw(QUEUE_SCHEMA)}.job
        where name = ${DEAD_LETTER_QUEUE} and state = 'created'
        order by created_on desc, id limit ${limit}`,
  );
  return rowsOf<{ id: string; data: unknown; output: unknown; created_on: Date | string }>(result).map(toDeadLetter);
}

export async function countDeadLetters(db: DbOrTx): Promise<number> {
  const result = await db.execute(
    sql`select count(*)::int as n from ${sql.raw(QUEUE_SCHEMA)}.job where name = ${DEAD_LETTER_QUEUE} and state = 'created'`,
  );
  return rowsOf<{ n: number }>(result)[0]?.n ?? 0;
}

/** Removes a dead letter and returns it (locked for the caller's transaction), or null if gone. */
export async function takeDeadLetter(db: DbOrTx, id: string): Promise<DeadLetter | null> {
  const result = await db.execute(
    sql`delete from ${sql.raw(QUEUE_SCHEMA)}.job
        where name = ${DEAD_LETTER_QUEUE} and state = 'created' and id = ${id}::uuid
        returning id, data, output, created_on`,
  );
  const row = rowsOf<{ id: string; data: unknown; output: unknown; created_on: Date | string }>(result)[0];
  return row ? toDeadLetter(row) : null;
}

/** The queue a dead letter came from, if it is still one of Kept's. */
export function originQueue(letter: DeadLetter): QueueName | null {
  return isQueueName(letter.queue) ? letter.queue : null;
}
