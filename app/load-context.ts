import type { Logger } from "pino";
import type { Database } from "../db/client";
import type { RecordIntegrityMonitor } from "./services/record-log.server";
import type { Env } from "./utils/env.server";
import type { PageCache } from "~/http/page-cache.server";
import type { FigureCache } from "~/utils/figure-cache.server";

// What the server entry hands every loader and action. Routes never open connections of
// their own: the database arrives here, already migrated.
export interface KeptLoadContext {
  db: Database;
  env: Env;
  logger: Logger;
  requestId: string;
  cspNonce: string;
  clientIp: string;
  /** The server's record integrity monitor (absent in tests that build a context by hand). */
  integrity?: RecordIntegrityMonitor;
  /** The server's cache of immutable pages' bytes (ADR 0015); routes may answer from it too. */
  pageCache?: PageCache;
  /** Figures counted from commitment_stats, kept between the changes the database announces (ADR 0037). */
  figures?: FigureCache;
  /** Identifies the running build: part of every cached page's ETag, so a deploy never serves old markup. */
  buildId?: string;
}

declare module "@remix-run/node" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends KeptLoadContext {}
}
