// The one env module: parsed once at boot with zod; a bad value stops the process with a
// message that names the variable.
import "./zod-config";
import { isIP } from "node:net";
import { z } from "zod";

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: "must be a whole number" })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` }));

const PROXY_NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);

function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split("/");
  const version = isIP(address ?? "");
  if (!version || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/**
 * What Express's `trust proxy` takes: false (nobody), true (every hop: only when nothing can
 * reach Kept except through the proxy), a hop count, or a comma-separated list of proxy
 * addresses, CIDR ranges and the names loopback, linklocal, uniquelocal.
 */
export const TrustProxySchema = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    if (/^(true|false|yes|no)$/.test(value) || /^\d{1,2}$/.test(value)) return;
    const bad = value.split(",").map((e) => e.trim()).filter((e) => !isProxyAddress(e));
    if (bad.length) {
      ctx.addIssue({
        code: "custom",
        message: `must be true, false, a hop count, or a comma-separated list of addresses, CIDR ranges, loopback, linklocal or uniquelocal (not understood: ${bad.join(", ")})`,
      });
    }
  })
  .transform((value): boolean | number | string[] => {
    if (value === "true" || value === "yes") return true;
    if (value === "false" || value === "no") return false;
    if (/^\d+$/.test(value)) return Number(value);
    return value.split(",").map((e) => e.trim());
  });

const booleanish = z
  .enum(["true", "false", "1", "0", "yes", "no"], {
    error: "must be true or false",
  })
  .transform((v) => v === "true" || v === "1" || v === "yes");

const postgresUrl = z.string().regex(/^postgres(ql)?:\/\/\S+$/, { error: "must be a postgres:// or postgresql:// URL" });

export const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: integer(1, 65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  /** The runtime role the app serves requests with: owns nothing (docs/decisions/0007). */
  DATABASE_URL: postgresUrl.optional(),
  /** The owner role that runs migrations and grants the runtime role what it needs. */
  MIGRATION_DATABASE_URL: postgresUrl.optional(),
  /** Serve even when DATABASE_URL's role owns tables or is a superuser (the operator accepts it). */
  ALLOW_PRIVILEGED_DATABASE_ROLE: booleanish.default(false),
  /** How often the app re-checks the record's hash chain and derived rows. */
  RECORD_CHECK_INTERVAL_MINUTES: integer(1, 7 * 24 * 60).default(60),
  /** The share of each process's time the record check may take while it runs (ADR 0046): lower keeps pages fast, higher ends the check sooner. */
  RECORD_CHECK_SHARE_PERCENT: integer(1, 100).default(25),
  /**
   * Megabytes of rendered immutable pages (published letters, feed, ledger) kept in memory per
   * process (ADR 0015). 16 holds ~400 letter pages of ~37 KB; at 64 a full cache alone was a
   * third of the server's 200 MB budget (ADR 0040).
   */
  PAGE_CACHE_MB: integer(1, 4096).default(16),
  /**
   * Requests one process renders at once; the rest wait their turn (ADR 0052). Each request in
   * flight holds its objects until it ends, so this bounds the server's memory under load.
   * 0: no limit.
   */
  MAX_CONCURRENT_REQUESTS: integer(0, 10_000).default(8),
  /** Requests that may wait for a turn beyond MAX_CONCURRENT_REQUESTS; one more is answered 503 with Retry-After. */
  REQUEST_QUEUE_MAX: integer(0, 100_000).default(256),
  DATA_DIR: z.string().min(1).default("./data"),
  DB_POOL_MAX: integer(1, 200).default(10),
  APP_URL: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://kept.example.com" })
    .optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  COOKIE_SECURE: z.enum(["auto", "true", "false"], { error: "must be auto, true or false" }).default("auto"),
  TRUST_PROXY: TrustProxySchema.default(false),
  BODY_LIMIT_BYTES: integer(1024, 100 * 1024 * 1024).default(1024 * 1024),
  SHUTDOWN_TIMEOUT_MS: integer(100, 60_000).default(9000),
  SESSION_IDLE_DAYS: integer(1, 365).default(7),
  // Tokens and people (each a credential) one person may create per clock hour.
  CREDENTIALS_PER_HOUR: integer(1, 100_000).default(20),
  // For tests and closed development machines: webhooks may target loopback and private
  // addresses (and plain http) whatever the organisation's setting says. The browser tests
  // deliver to a receiver on 127.0.0.1 with it, so no spec ever reaches outside the machine.
  WEBHOOKS_ALLOW_PRIVATE_TARGETS: booleanish.default(false),
  METRICS_TOKEN: z.string().min(16, { error: "must be at least 16 characters" }).optional(),
  // Without SMTP_URL, mail is kept in the outbox (Settings → Outbox) instead of being sent.
  SMTP_URL: z
    .url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL such as smtps://user:password@mail.example.com:465" })
    .optional(),
  MAIL_FROM: z
    .string()
    .regex(/^(?:[^<>@\r\n]*<[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+)$/, {
      error: 'must be an address such as kept@example.com or "Kept <kept@example.com>"',
    })
    .optional(),
}).superRefine((env, ctx) => {
  if (env.MIGRATION_DATABASE_URL && !env.DATABASE_URL) {
    ctx.addIssue({ code: "custom", path: ["MIGRATION_DATABASE_URL"], message: "needs DATABASE_URL too (the runtime role the app serves with)" });
  }
  // Mail that is really sent needs a sender, and links that work outside this machine.
  if (env.SMTP_URL && !env.MAIL_FROM) ctx.addIssue({ code: "custom", path: ["MAIL_FROM"], message: "is required when SMTP_URL is set" });
  if (env.SMTP_URL && !env.APP_URL) ctx.addIssue({ code: "custom", path: ["APP_URL"], message: "is required when SMTP_URL is set (links in mail must reach Kept)" });
});

export type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

export function loadEnv(source: Record<string, string | undefined>): Env {
  // An empty variable means "not set", as in most twelve-factor tooling.
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ""),
  );
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new EnvError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join(".") || "(environment)";
        const value = typeof cleaned[name] === "string" && !name.endsWith("DATABASE_URL") && name !== "METRICS_TOKEN" && name !== "SMTP_URL"
          ? ` (got "${cleaned[name]}")`
          : "";
        return `${name}: ${issue.message}${value}`;
      }),
    );
  }
  return parsed.data;
}

/** The address mail comes from when SMTP is configured; the outbox shows this one too. */
export function mailFrom(env: Env): string {
  return env.MAIL_FROM ?? "kept@localhost.invalid";
}

/** Where links in mail and webhooks point. */
export function publicBaseUrl(env: Env): string {
  return (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "");
}

/**
 * Where a one-time account link points and whether it is mailed: APP_URL when set (else the
 * origin the admin's request came to), and mail only when SMTP is configured — without it
 * the admin passes the link on, and it is not left lying in the outbox.
 */
export function accountLinkDelivery(env: Env, request?: Request): { baseUrl: string; mail: boolean } {
  const baseUrl = env.APP_URL || !request ? publicBaseUrl(env) : new URL(request.url).origin;
  return { baseUrl, mail: Boolean(env.SMTP_URL) };
}

export function cookieIsSecure(env: Env): boolean {
  if (env.COOKIE_SECURE === "true") return true;
  if (env.COOKIE_SECURE === "false") return false;
  return env.NODE_ENV === "production";
}

/** For entry points (server, scripts): the validated environment, or its message and exit 1. */
export function loadEnvOrExit(source: Record<string, string | undefined> = process.env): Env {
  try {
    return loadEnv(source);
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
