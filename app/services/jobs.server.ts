// Admin use cases over the job queue: read what failed for good, put it back, or drop it.
import type { Database } from "../../db/client";
import { countDeadLetters, enqueue, listDeadLetters, originQueue, takeDeadLetter } from "~/models/jobs.server";
import { authorize } from "./authorize.server";
import { fail, ok, type Actor, type Result } from "~/domain/result";
import { NO_CHANGE_LOG, type ChangeLog } from "./change-log.server";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function readDeadLetters(db: Database, actor: Actor) {
  const refused = authorize(actor, "organisation.manage", "Only admins can see failed jobs.");
  if (refused) return refused;
  const [items, total] = await Promise.all([listDeadLetters(db), countDeadLetters(db)]);
  return ok({ items, total });
}

/** Puts a dead-lettered job back on the queue it came from, with a fresh set of retries. */
async function retryDeadLetterUnlogged(db: Database, actor: Actor, id: string): Promise<Result<{ jobId: string | null; queue: string }>> {
  const refused = authorize(actor, "organisation.manage", "Only admins can retry failed jobs.");
  if (refused) return refused;
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

async function discardDeadLetterUnlogged(db: Database, actor: Actor, id: string): Promise<Result<null>> {
  const refused = authorize(actor, "organisation.manage", "Only admins can discard failed jobs.");
  if (refused) return refused;
  if (!UUID.test(id)) return fail("NOT_FOUND", "That failed job does not exist.");
  const letter = await takeDeadLetter(db, id);
  return letter ? ok(null) : fail("NOT_FOUND", "That failed job does not exist (already retried or discarded?).");
}

/** retryDeadLetter, and its line in the change log: the same line whether the UI or the API asked. */
export async function retryDeadLetter(db: Database, actor: Actor, id: string, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await retryDeadLetterUnlogged(db, actor, id);
  if (result.ok) log.info({ jobId: id, queue: result.value.queue, by: actor.id }, "failed job put back on its queue");
  return result;
}

/** discardDeadLetter, and its line in the change log: the same line whether the UI or the API asked. */
export async function discardDeadLetter(db: Database, actor: Actor, id: string, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await discardDeadLetterUnlogged(db, actor, id);
  if (result.ok) log.info({ jobId: id, by: actor.id }, "failed job discarded");
  return result;
}
