// What each queue's worker does, and when the scheduled sweeps run. The server entry starts
// the queue with these; tests start it with the same handlers and an injected clock.
import type { Logger } from "pino";
import { z } from "zod";
import type { Database, DbOrTx } from "../../db/client";
import type { QueueName } from "../../db/queues";
import { mailFrom, publicBaseUrl, type Env } from "~/utils/env.server";
import { createMailTransport, type MailTransport } from "~/utils/mail-transport.server";
import type { Lookup } from "~/utils/webhook-target.server";
import { deliverMail } from "./mail.server";
import { mailEventNotifications, runReminderSweep, runWeeklyDigest } from "./notifications.server";
import { runRetentionSweep } from "./retention.server";
import { deliverWebhook, WebhookJobSchema } from "./webhook-delivery.server";
import { noteBounce, runFanOut } from "./subscriptions.server";

export interface JobDependencies {
  db: Database;
  env: Env;
  logger: Logger;
  /** The clock the jobs read; tests travel in time with it. */
  now?: () => Date;
  /** Overrides the transport made from SMTP_URL (tests). */
  transport?: MailTransport | null;
  /** How long a webhook receiver has to answer (default 10 s). */
  webhookTimeoutMs?: number;
  /** Resolves webhook host names (tests); the system resolver otherwise. */
  lookup?: Lookup;
}

export const WEBHOOK_TIMEOUT_MS = 10_000;

type Handler = (payload: unknown, context: { jobId: string; retryCount: number; retryLimit: number; logger: Logger }) => Promise<void>;

const MailJobSchema = z.object({ messageId: z.uuid() });
const NotifyJobSchema = z.object({ notificationIds: z.array(z.uuid()).min(1) });
const FanOutSchema = z.discriminatedUnion("event", [
  z.object({ event: z.literal("letter"), letterId: z.uuid(), after: z.uuid().optional() }),
  z.object({ event: z.literal("erratum"), erratumId: z.uuid(), after: z.uuid().optional() }),
  z.object({
    event: z.literal("commitment"),
    commitmentId: z.uuid(),
    change: z.object({
      kind: z.enum(["rescope", "outcome", "outcome_change"]),
      changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
      reason: z.string().nullable(),
      at: z.iso.datetime(),
    }),
    after: z.uuid().optional(),
  }),
]);

export function jobHandlers(deps: JobDependencies): Partial<Record<QueueName, Handler>> {
  const now = deps.now ?? (() => new Date());
  const transport = deps.transport !== undefined ? deps.transport : createMailTransport(deps.env.SMTP_URL);
  return {
    "kept-mail": async (payload, { logger }) => {
      const { messageId } = MailJobSchema.parse(payload);
      const onBounce = async (db: DbOrTx, address: string, at: Date, reason: string) => {
        // A subscriber whose address is refused gets nothing more until they confirm again.
        if (await noteBounce(db, address, reason, at)) logger.warn({ reason }, "subscriber address bounced; marked bounced, no more mail to it");
      };
      await deliverMail({ db: deps.db, transport, from: mailFrom(deps.env), logger, onBounce }, messageId, now());
    },
    "kept-subscribers": async (payload, { logger }) => {
      const job = FanOutSchema.parse(payload);
      const result = await runFanOut(deps.db, job, now(), publicBaseUrl(deps.env));
      logger.info({ event: job.event, ...result }, "subscriber mail queued");
    },
    "kept-reminders": async (_payload, { logger }) => {
      const result = await runReminderSweep(deps.db, now(), publicBaseUrl(deps.env));
      logger.info(result, "reminder sweep done");
    },
    "kept-digest": async (_payload, { logger }) => {
      const result = await runWeeklyDigest(deps.db, now(), publicBaseUrl(deps.env));
      logger.info(result, "weekly digest sweep done");
    },
    "kept-webhooks": async (payload, { logger, retryCount, retryLimit }) => {
      await deliverWebhook(
        { db: deps.db, logger, now, timeoutMs: deps.webhookTimeoutMs ?? WEBHOOK_TIMEOUT_MS, lookup: deps.lookup },
        WebhookJobSchema.parse(payload),
        { retryCount, retryLimit },
      );
    },
    "kept-notify": async (payload, { logger }) => {
      const { notificationIds } = NotifyJobSchema.parse(payload);
      const result = await mailEventNotifications(deps.db, notificationIds, publicBaseUrl(deps.env), now());
      logger.info(result, "event notifications mailed");
    },
    "kept-cleanup": async (_payload, { logger }) => {
      const removed = await runRetentionSweep(deps.db, now());
      logger.info({ removed }, "retention sweep done");
    },
  };
}

// Hourly: "today" is read in the organisation's time zone on every run, and each reminder's
// dedupe key makes a rerun harmless, so a reminder arrives within the hour its day begins.
export function jobSchedules(): Array<{ queue: QueueName; cron: string; timeZone?: string }> {
  return [
    { queue: "kept-reminders", cron: "5 * * * *" },
    // Hourly too; it acts only on the organisation's Monday, once per person per week.
    { queue: "kept-digest", cron: "15 * * * *" },
    // Daily, at a quiet hour (UTC): nothing in it is urgent.
    { queue: "kept-cleanup", cron: "40 3 * * *" },
  ];
}
