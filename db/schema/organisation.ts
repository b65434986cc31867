import { sql } from "drizzle-orm";
import { bigserial, boolean, check, customType, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
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
    /** Public pages' accent colour, "#rrggbb"; null keeps Kept's own. Dark enough for white text (checked on save). */
    accentColour: text("accent_colour"),
    /** Whether a public commitment's page shows its check-ins (forecasts and notes), or only the promise and outcome. */
    showPublicCheckIns: boolean("show_public_check_ins").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("organisation_singleton", sql`${t.id} = 1`),
    check("organisation_fy_month", sql`${t.fiscalYearStartMonth} between 1 and 12`),
    check("organisation_min_score", sql`${t.minPublicScore} between 0 and 100`),
    check("organisation_accent_colour", sql`${t.accentColour} is null or ${t.accentColour} ~ '^#[0-9a-f]{6}$'`),
  ],
);

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
  // postgres.js hands back a Buffer and PGlite a Uint8Array: both are Uint8Arrays.
  fromDriver: (value) => new Uint8Array(value),
});

/**
 * The organisation's logo for its public pages, uploaded in Settings (docs/decisions/0020): kept
 * in the database, so it is backed up with everything else and served from Kept's own origin
 * (the pages' CSP loads images from nowhere else). Its own table, so reading the organisation
 * on every request never reads the image.
 */
export const organisationLogo = pgTable(
  "organisation_logo",
  {
    id: integer("id").primaryKey().default(1),
    contentType: text("content_type").notNull(),
    data: bytea("data").notNull(),
    sha256: text("sha256").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("organisation_logo_singleton", sql`${t.id} = 1`),
    check("organisation_logo_type", sql`${t.contentType} in ('image/png', 'image/jpeg', 'image/webp', 'image/gif')`),
    check("organisation_logo_size", sql`octet_length(${t.data}) between 1 and 262144`),
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
export type OrganisationLogo = typeof organisationLogo.$inferSelect;
export type MinScoreChange = typeof minScoreChanges.$inferSelect;
export type NewOrganisation = typeof organisation.$inferInsert;
