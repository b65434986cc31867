// `npm run import -- kept-export.json --admin-email ada@example.com --admin-password '…'`
// Loads a full export (Settings → Export, or GET /api/v1/export) into the database Kept is
// configured for — DATABASE_URL, or the embedded one in DATA_DIR (./data) — after applying
// migrations. Refuses any instance that already has an organisation or people in it. Nobody's
// password is in an export: the named admin gets the given password, everyone else active an
// invitation link (printed here, and mailed when SMTP_URL is set) to choose their own.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { connect } from "../db/client";
import { migrateToLatest } from "../db/migrate";
import { importOrganisation } from "../app/services/export.server";
import { accountLinkDelivery, loadEnvOrExit } from "../app/utils/env.server";

const USAGE = `Usage: npm run import -- <export.json> --admin-email <email> --admin-password <password>

  <export.json>       a file from Settings → Export (or GET /api/v1/export)
  --admin-email       an active admin in the export; the one who can sign in afterwards
  --admin-password    that admin's new password (or set KEPT_ADMIN_PASSWORD instead,
                      to keep it out of the shell history)

The target is DATABASE_URL when set, otherwise the embedded database in DATA_DIR (./data).
It must be empty: a fresh instance on which setup has not run.`;

function usage(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

async function main() {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: { "admin-email": { type: "string" }, "admin-password": { type: "string" }, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    usage(error instanceof Error ? error.message : String(error));
  }
  if (args.values.help) {
    console.log(USAGE);
    return;
  }
  const [file, ...extra] = args.positionals;
  if (!file || extra.length > 0) usage("Name exactly one export file.");
  const adminEmail = args.values["admin-email"];
  const adminPassword = args.values["admin-password"] ?? process.env.KEPT_ADMIN_PASSWORD;
  if (!adminEmail) usage("Name the admin who will sign in with --admin-email.");
  if (!adminPassword) usage("Give that admin a password with --admin-password (or KEPT_ADMIN_PASSWORD).");

  const env = loadEnvOrExit();

  let document: unknown;
  try {
    document = JSON.parse(await readFile(path.resolve(file), "utf8"));
  } catch (error) {
    console.error(`Could not read ${file} as JSON: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }

  const handle = await connect({ databaseUrl: env.DATABASE_URL, dataDir: path.resolve(env.DATA_DIR), poolMax: env.DB_POOL_MAX });
  try {
    console.log(handle.kind === "postgres" ? "Importing into the PostgreSQL database in DATABASE_URL." : `Importing into the embedded database in ${path.resolve(env.DATA_DIR)}.`);
    await migrateToLatest(handle);
    const result = await importOrganisation(handle.db, document, { adminEmail, adminPassword, links: accountLinkDelivery(env) });
    if (!result.ok) {
      console.error(result.error.message);
      for (const [where, messages] of Object.entries(result.error.fieldErrors ?? {})) {
        for (const message of messages) console.error(`  ${where}: ${message}`);
      }
      process.exitCode = 1;
      return;
    }
    const counts = Object.entries(result.value.counts)
      .map(([name, n]) => `${n} ${name}`)
      .join(", ");
    console.log(`Imported ${counts}.`);
    console.log(`Sign in as ${adminEmail.trim().toLowerCase()} with the password you gave.`);
    const { invitations } = result.value;
    if (invitations.length === 0) return;
    const mailed = invitations.every((i) => i.emailed);
    console.log(
      mailed
        ? `Passwords are never exported, so everyone else is invited to choose one: ${invitations.length} invitation(s) were mailed. The links, each working once until it expires:`
        : `Passwords are never exported, so everyone else is invited to choose one. Mail is not set up (SMTP_URL), so pass each person their link; each works once until it expires:`,
    );
    for (const i of invitations) console.log(`  ${i.name} <${i.email}>: ${i.url} (until ${i.expiresAt.toISOString()})`);
    console.log("An admin can issue new links on each person's page (People).");
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
