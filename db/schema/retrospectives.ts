import { relations, sql } from "drizzle-orm";
import { check, date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { commitments } from "./commitments";
import { users } from "./people";
import { teams } from "./teams";

// One retrospective per scope (a team with its sub-teams, or the whole organisation) and
// period. The row appears when someone first writes notes or adds an action item.
export const retrospectives = pgTable(
  "retrospectives",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // null = the whole organisation
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "restrict" }),
    periodLabel: text("period_label").notNull(),
    periodStart: date("period_start", { mode: "string" }).notNull(),
    periodEnd: date("period_end", { mode: "string" }).notNull(),
    wentWell: text("went_well").notNull().default(""),
    wentBadly: text("went_badly").notNull().default(""),
    willChange: text("will_change").notNull().default(""),
    // How many times the notes were saved: 0 for a row made by adding an action item before
    // any notes, so the first save is version 1 (in the change log and the API's ETag too).
    version: integer("version").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "restrict" }),
  },
  (t) => [
    // coalesce makes "whole organisation" one scope like any team.
    uniqueIndex("retrospectives_scope_period_key").on(
      sql`coalesce(${t.teamId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      t.periodLabel,
    ),
    index("retrospectives_team_start_idx").on(t.teamId, t.periodStart),
  ],
);

export const actionItems = pgTable(
  "action_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    retrospectiveId: uuid("retrospective_id")
      .notNull()
      .references(() => retrospectives.id, { onDelete: "restrict" }),
    text: text("text").notNull(),
    ownerId: uuid("owner_id").references(() => users.id, { onDelete: "restrict" }),
    dueDate: date("due_date", { mode: "string" }),
    status: text("status", { enum: ["open", "done", "dropped"] }).notNull().default("open"),
    promotedCommitmentId: uuid("promoted_commitment_id").references(() => commitments.id, { onDelete: "restrict" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("action_items_retrospective_idx").on(t.retrospectiveId, t.createdAt),
    index("action_items_owner_status_idx").on(t.ownerId, t.status),
    check("action_items_status_check", sql`${t.status} in ('open', 'done', 'dropped')`),
  ],
);

export const retrospectivesRelations = relations(retrospectives, ({ many, one }) => ({
  team: one(teams, { fields: [retrospectives.teamId], references: [teams.id] }),
  actionItems: many(actionItems),
}));

export const actionItemsRelations = relations(actionItems, ({ one }) => ({
  retrospective: one(retrospectives, { fields: [actionItems.retrospectiveId], references: [retrospectives.id] }),
}));

export type RetrospectiveRow = typeof retrospectives.$inferSelect;
export type ActionItemRow = typeof actionItems.$inferSelect;
