// `npm run db:migrate`: migrates as the owner (MIGRATION_DATABASE_URL, else DATABASE_URL),
// seals revisions written before the hash chain existed, and grants the runtime role (the
// user of DATABASE_URL, when it differs from the owner) what it needs. Then exits.
import path from "node:path";
import { loadEnvOrExit } from "../app/utils/env.server";
import { connect } from "./client";
import { prepareDatabase } from "./migrate";

const env = loadEnvOrExit();
const ownerUrl = env.MIGRATION_DATABASE_URL ?? env.DATABASE_URL;
const handle = await connect({ databaseUrl: ownerUrl, dataDir: path.resolve(env.DATA_DIR), poolMax: 1 });
try {
  const done = await prepareDatabase(handle, { runtimeUrl: env.MIGRATION_DATABASE_URL ? env.DATABASE_URL : undefined });
  console.log(
    `migrations applied${done.sealed ? `; ${done.sealed} earlier revisions sealed into the hash chain` : ""}` +
      (done.grantedTo ? `; runtime role "${done.grantedTo}" granted` : ""),
  );
} catch (error) {
  console.error("db:migrate failed:", error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await handle.close();
}
