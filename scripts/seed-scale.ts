// `npm run db:seed:scale`: loads the large-organisation data set (db/seed-scale.ts) into the
// database Kept is configured for (DATABASE_URL, or the embedded one in DATA_DIR), so the
// app can be tried at size. Refuses a database that already has people in it.
import path from "node:path";
import { performance } from "node:perf_hooks";
import { connect } from "../db/client";
import { migrateToLatest } from "../db/migrate";
import { DEFAULT_SCALE, seedScale } from "../db/seed-scale";
import { countUsers } from "../app/models/user.server";
import { loadEnv } from "../app/utils/env.server";

async function main() {
  const env = loadEnv(process.env);
  const handle = await connect({ databaseUrl: env.DATABASE_URL, dataDir: path.resolve(env.DATA_DIR) });
  try {
    await migrateToLatest(handle);
    if ((await countUsers(handle.db)) > 0) {
      console.error("This database already has people in it; scale data goes only into an empty one.");
      process.exitCode = 1;
      return;
    }
    const started = performance.now();
    await seedScale(handle.db, DEFAULT_SCALE);
    console.log(
      `Seeded ${DEFAULT_SCALE.teams} teams, ${DEFAULT_SCALE.people} people and ${DEFAULT_SCALE.commitments} commitments in ${((performance.now() - started) / 1000).toFixed(1)} s. ` +
        "Sign in as scale1@example.com with the password scale-data-password.",
    );
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
