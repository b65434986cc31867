// Admin use cases over the job queue: read what failed for good, put it back, or drop it.
import type { Database } from "../../db/client";
import { countDeadLetters, enqueue, listDeadLetters, originQueue, takeDeadLetter } from "~/models/jobs.server";
import { fail, ok, type Actor, type Result } from "~/domain/result";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function readDeadLetters(db: Database, actor: Actor) {
  if (actor.role !== "admin") return fail("FORBIDDEN", "Only admins can see failed jobs.");
  const [items, total] = await Promise.all([listDeadLetters(db), countDeadLetters(db)]);
  return ok({ items, total });
}

/** Puts a dead-lettered job back on the queue it came from, with a fresh set of retries. */
export async function retryDeadLetter(db: Database, actor: Actor, id: string): Promise<Result<{ jobId: string | null; queue: string }>> {
  if (actor.role !== "admin") return fail("FORBIDDEN", "Only admins can retry failed jobs.");
  if (!UUID.test(id)) return fail("NOT_FOUND", "That failed job does not exist.");
  // One transaction: the dead letter disappears exactly when its replacement is queued.
  return db.transaction(async (tx) => {
    const letter = await takeDeadLetter(tx, id);
    if (!letter) return fail("NOT_FOUND", "That failed job does not exist (already retried or discarded?).");
    const queue = originQueue(letter);
    if (!queue) return fail("VALIDATION", `The job came from "${letter.queue}", which Kept no longer runs; discard it instead.`);
    const jobId = await enqueue(tx, queue, letter.payload);
    return ok({ jobId, queue });
  });
}

export async function discardDeadLetter(db: Database, actor: Actor, id: string): Promise<Result<null>> {
  if (actor.role !== "admin") return fail("FORBIDDEN", "Only admins can discard failed jobs.");
  if (!UUID.test(id)) return fail("NOT_FOUND", "That failed job does not exist.");
  const letter = await takeDeadLetter(db, id);
  return letter ? ok(null) : fail("NOT_FOUND", "That failed job does not exist (already retried or discarded?).");
}
