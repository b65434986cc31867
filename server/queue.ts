// The job queue's workers and schedules, started with the app and stopped on SIGTERM after the
// running jobs finish. Several processes on one database each run workers; pg-boss hands each
// job to exactly one of them (SELECT … FOR UPDATE SKIP LOCKED), and its scheduler lets one
// process per minute turn a cron entry into a job.
import PgBoss from "pg-boss";
import type { Logger } from "pino";
import type { DatabaseHandle } from "../db/client";
import { QUEUE_NAMES, QUEUE_SCHEMA, type QueueName } from "../db/queues";
import type { JobEnvelope } from "../app/models/jobs.server";

export interface JobContext {
  jobId: string;
  /** 0 on the first attempt. */
  retryCount: number;
  retryLimit: number;
  logger: Logger;
}

export type JobHandler = (payload: unknown, context: JobContext) => Promise<void>;
export type JobHandlers = Partial<Record<QueueName, JobHandler>>;

export interface Schedule {
  queue: QueueName;
  /** Five-field cron, read in `timeZone`. */
  cron: string;
  timeZone?: string;
}

export interface QueueOptions {
  handle: DatabaseHandle;
  logger: Logger;
  handlers: JobHandlers;
  schedules?: Schedule[];
  /** How often an idle worker looks for work; pg-boss's floor is 0.5 s. */
  pollingIntervalSeconds?: number;
}

export interface RunningQueue {
  boss: PgBoss;
  /** Stops fetching, waits up to `timeoutMs` for running jobs, then lets pg-boss retry the rest. */
  stop(timeoutMs: number): Promise<void>;
}

export async function startQueue({ handle, logger, handlers, schedules = [], pollingIntervalSeconds = 2 }: QueueOptions): Promise<RunningQueue> {
  const log = logger.child({ component: "queue" });
  const boss = new PgBoss({
    ...handle.queueConnection(),
    schema: QUEUE_SCHEMA,
    // The schema and queues were made at migrate time (db/queues.ts); this process may not own them.
    migrate: false,
    supervise: true,
    schedule: schedules.length > 0,
  });
  boss.on("error", (error: Error) => log.error({ err: error }, "queue error"));
  await boss.start();

  for (const queue of QUEUE_NAMES) {
    const handler = handlers[queue];
    if (!handler) continue;
    await boss.work<JobEnvelope>(queue, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds }, async ([job]) => {
      if (!job) return;
      const jobLog = log.child({ queue, jobId: job.id, attempt: job.retryCount + 1 });
      try {
        await handler(job.data.payload, { jobId: job.id, retryCount: job.retryCount, retryLimit: job.retryLimit, logger: jobLog });
      } catch (error) {
        const final = job.retryCount >= job.retryLimit;
        jobLog.warn({ err: error }, final ? "job failed for the last time; dead-lettered" : "job failed; will retry with backoff");
        throw error;
      }
    });
  }

  const scheduled = new Set(schedules.map((s) => s.queue));
  for (const { queue, cron, timeZone } of schedules) {
    const data: JobEnvelope<Record<string, never>> = { queue, payload: {} };
    await boss.schedule(queue, cron, data, { tz: timeZone ?? "UTC" });
  }
  // A sweep dropped from the code must stop firing too.
  for (const existing of await boss.getSchedules()) {
    if (!scheduled.has(existing.name as QueueName)) await boss.unschedule(existing.name);
  }
  log.info({ workers: Object.keys(handlers), schedules: schedules.map((s) => `${s.queue} ${s.cron}`) }, "queue started");

  return {
    boss,
    async stop(timeoutMs) {
      await boss.stop({ graceful: true, wait: true, timeout: timeoutMs, close: true });
      log.info("queue stopped");
    },
  };
}
