import { sql } from "drizzle-orm";
import { bigserial, boolean, check, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { DEFAULT_MIN_PUBLIC_SCORE } from "../../app/domain/falsifiability";
import { users } from "./people";

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
    // On by default: chosen from the labelled corpus (docs/decisions/0009).
    minPublicScore: integer("min_public_score").notNull().default(DEFAULT_MIN_PUBLIC_SCORE),
    /** Webhooks may target loopback and private networks (and plain http): for tests and closed networks only. */
    webhooksAllowPrivate: boolean("webhooks_allow_private").notNull().default(false),
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

/**
 * Every change to the minimum falsifiability score for public commitments: who, when, from
 * what, to what. Append-only (a trigger refuses UPDATE and DELETE), so a lowered bar is always
 * on the record and each letter can state the minimum in force in its year.
 */
export const minScoreChanges = pgTable(
  "min_score_changes",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    changedAt: timestamp("changed_at", { withTimezone: true }).notNull(),
    changedBy: uuid("changed_by").references(() => users.id, { onDelete: "restrict" }),
    /** Null for the value set when the organisation was created. */
    fromScore: integer("from_score"),
    toScore: integer("to_score").notNull(),
  },
  (t) => [
    index("min_score_changes_changed_at").on(t.changedAt),
    check("min_score_changes_range", sql`${t.toScore} between 0 and 100 and (${t.fromScore} is null or ${t.fromScore} between 0 and 100)`),
  ],
);

export type Organisation = typeof organisation.$inferSelect;
export type MinScoreChange = typeof minScoreChanges.$inferSelect;
export type NewOrganisation = typeof organisation.$inferInsert;
