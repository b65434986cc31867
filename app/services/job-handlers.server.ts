// What each queue's worker does, and when the scheduled sweeps run. The server entry starts
// the queue with these; tests start it with the same handlers and an injected clock.
import type { Logger } from "pino";
import type { Database } from "../../db/client";
import type { QueueName } from "../../db/queues";
import type { Env } from "~/utils/env.server";

export interface JobDependencies {
  db: Database;
  env: Env;
  logger: Logger;
  /** The clock the jobs read; tests travel in time with it. */
  now?: () => Date;
}

type Handler = (payload: unknown, context: { jobId: string; retryCount: number; retryLimit: number; logger: Logger }) => Promise<void>;

export function jobHandlers(deps: JobDependencies): Partial<Record<QueueName, Handler>> {
  void deps;
  return {};
}

export function jobSchedules(): Array<{ queue: QueueName; cron: string; timeZone?: string }> {
  return [];
}
