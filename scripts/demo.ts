// `npm run demo`: sets Kept up with the sample organisation in the database it is configured
// for (DATABASE_URL, or the embedded one in DATA_DIR), exactly as first-run setup does when
// "Start with a sample organisation" is ticked. Refuses a database that already has people in
// it, so it can never mix invented data with a real organisation's record.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { connect } from "../db/client";
import { migrateToLatest } from "../db/migrate";
import { countUsers } from "../app/models/user.server";
import { setupOrganisation } from "../app/services/setup.server";
import { EnvError, loadEnv } from "../app/utils/env.server";

const ADMIN_NAME = "Alex Morgan";
const ADMIN_EMAIL = "admin@sample.example";

async function main(): Promise<number> {
  const env = loadEnv(process.env);
  const handle = await connect({ databaseUrl: env.DATABASE_URL, dataDir: path.resolve(env.DATA_DIR) });
  try {
    await migrateToLatest(handle);
    if ((await countUsers(handle.db)) > 0) {
      console.error(
        "This database is already set up (it has people in it). The sample organisation only goes into an empty one.\n" +
          "Point DATABASE_URL or DATA_DIR at an empty database, or delete the data directory if it holds nothing you need.",
      );
      return 1;
    }
    // Printed once and stored only as a hash: the person running this is the only one who sees it.
    const password = randomBytes(15).toString("base64url");
    const started = performance.now();
    const result = await setupOrganisation(
      handle.db,
      {
        organisationName: "Northwind Cloud",
        fiscalYearStartMonth: 1,
        timeZone: "Europe/Berlin",
        adminName: ADMIN_NAME,
        adminEmail: ADMIN_EMAIL,
        adminPassword: password,
        sampleOrganisation: true,
      },
      new Date(),
    );
    if (!result.ok) {
      console.error(`The sample organisation was not loaded: ${result.error.message}`);
      return 1;
    }
    const where = handle.kind === "postgres" ? "the PostgreSQL database in DATABASE_URL" : path.resolve(env.DATA_DIR);
    console.log(
      [
        `Loaded the sample organisation “Northwind Cloud” into ${where} in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
        "Every page will say it is sample data. Sign in as the admin:",
        "",
        `  email:    ${ADMIN_EMAIL}`,
        `  password: ${password}`,
        "",
        "The password is shown only this once. Start Kept with `npm start` (or `npm run dev`) and open http://localhost:3000.",
      ].join("\n"),
    );
    return 0;
  } finally {
    await handle.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof EnvError ? error.message : error);
    process.exitCode = 1;
  },
);
