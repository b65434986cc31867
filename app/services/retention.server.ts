// The daily retention sweep on the `kept-cleanup` queue: removes what has outlived its use
// (app/domain/retention.ts). Idempotent, so a rerun or a second process changes nothing more.
import type { Database } from "../../db/client";
import { retentionCutoffs } from "~/domain/retention";
import { sweepExpired } from "~/models/retention.server";

export async function runRetentionSweep(db: Database, now: Date) {
  return db.transaction((tx) => sweepExpired(tx, now, retentionCutoffs(now)));
}
