import { defineConfig } from "drizzle-kit";

// Generation only needs the dialect; migrations are applied by the app at start
// (db/migrate.ts) against whichever database it runs on.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
});
