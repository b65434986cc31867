import { sql } from "drizzle-orm";
import { boolean, check, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

// One organisation per deployment: the row's id is pinned to 1 by a check constraint, so a
// second setup can never create a second organisation even if two requests race.
export const organisation = pgTable(
  "organisation",
  {
    id: integer("id").primaryKey().default(1),
    name: text("name").notNull(),
    fiscalYearStartMonth: integer("fiscal_year_start_month").notNull(),
    timeZone: text("time_zone").notNull(),
    signatoryName: text("signatory_name"),
    signatoryTitle: text("signatory_title"),
    publicSiteEnabled: boolean("public_site_enabled").notNull().default(true),
    minPublicScore: integer("min_public_score").notNull().default(0),
    isSample: boolean("is_sample").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("organisation_singleton", sql`${t.id} = 1`),
    check("organisation_fy_month", sql`${t.fiscalYearStartMonth} between 1 and 12`),
    check("organisation_min_score", sql`${t.minPublicScore} between 0 and 100`),
  ],
);

export type Organisation = typeof organisation.$inferSelect;
export type NewOrganisation = typeof organisation.$inferInsert;
