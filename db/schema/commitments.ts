import { relations, sql, type SQL } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { REASON_CATEGORIES } from "../../app/domain/types";
import { users } from "./people";
import { teams } from "./teams";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

export const commitments = pgTable(
  "commitments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "restrict" }),
    // The period is named by label; its dates are stored as computed when it was chosen, so
    // lists filter and lock on plain indexed columns.
    periodLabel: text("period_label").notNull(),
    periodStart: date("period_start", { mode: "string" }).notNull(),
    periodEnd: date("period_end", { mode: "string" }).notNull(),
    fiscalYear: integer("fiscal_year").notNull(),
    statement: text("statement").notNull(),
    details: text("details").notNull().default(""),
    measureKind: text("measure_kind", { enum: ["metric", "deliverable"] }).notNull(),
    metricName: text("metric_name"),
    metricBaseline: doublePrecision("metric_baseline"),
    metricComparator: text("metric_comparator", { enum: ["gte", "lte", "eq"] }),
    metricTarget: doublePrecision("metric_target"),
    metricUnit: text("metric_unit"),
    deliverableEvent: text("deliverable_event"),
    evidenceSource: text("evidence_source").notNull().default(""),
    dueDate: date("due_date", { mode: "string" }).notNull(),
    ownerId: uuid("owner_id").references(() => users.id, { onDelete: "restrict" }),
    audience: text("audience", { enum: ["public", "internal"] }).notNull(),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    lintScore: integer("lint_score").notNull(),
    lintFindings: jsonb("lint_findings").notNull().default(sql`'[]'::jsonb`),
    // open until an outcome is recorded; mirrors outcomes.status for filtering.
    status: text("status", { enum: ["open", "delivered", "partial", "missed", "withdrawn"] }).notNull().default("open"),
    version: integer("version").notNull().default(1),
    predecessorId: uuid("predecessor_id").references((): AnyPgColumn => commitments.id, { onDelete: "restrict" }),
    attempt: integer("attempt").notNull().default(1),
    sourceActionItemId: uuid("source_action_item_id"),
    committedAt: timestamp("committed_at", { withTimezone: true }).notNull().defaultNow(),
    committedBy: uuid("committed_by")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    search: tsvector("search").generatedAlwaysAs(
      (): SQL =>
        sql`to_tsvector('english', coalesce(${commitments.statement}, '') || ' ' || coalesce(${commitments.details}, '') || ' ' || coalesce(${commitments.deliverableEvent}, '') || ' ' || coalesce(${commitments.metricName}, ''))`,
    ),
  },
  (t) => [
    index("commitments_team_due_idx").on(t.teamId, t.dueDate, t.id),
    index("commitments_due_idx").on(t.dueDate, t.id),
    index("commitments_period_due_idx").on(t.periodLabel, t.dueDate, t.id),
    // Counting a period's outcomes (the retrospective's trend, the dashboard's year) reads only
    // this index: status, team and id (the period-of-record test) are all in it (ADR 0027).
    index("commitments_period_status_idx").on(t.periodLabel, t.status, t.teamId, t.id),
    index("commitments_score_idx").on(t.lintScore, t.id),
    index("commitments_fy_idx").on(t.fiscalYear, t.audience),
    // Next year's commitments in due order, as a letter lists them (nextYearCommitments): by
    // commitments_due_idx the planner walked every earlier year's due dates first (migration 0044).
    index("commitments_fy_due_idx").on(t.fiscalYear, t.dueDate, t.id),
    index("commitments_status_due_idx").on(t.status, t.dueDate, t.id),
    // A person's open commitments by due date (the dashboard's "yours"): found in this index's
    // order, where walking commitments_status_due_idx for the owner's read every open commitment
    // of the organisation for someone who owns none (2.9 s at 1,000,000). Serves owner_id alone too.
    index("commitments_owner_status_due_idx").on(t.ownerId, t.status, t.dueDate, t.id),
    // A commitment is carried forward at most once: attempts form a chain, not a tree.
    uniqueIndex("commitments_predecessor_key").on(t.predecessorId).where(sql`${t.predecessorId} is not null`),
    index("commitments_committed_idx").on(t.committedAt, t.id),
    index("commitments_tags_idx").using("gin", t.tags),
    index("commitments_search_idx").using("gin", t.search),
    check("commitments_measure_check", sql`(${t.measureKind} = 'metric' and ${t.metricTarget} is not null and ${t.metricComparator} is not null) or (${t.measureKind} = 'deliverable' and ${t.deliverableEvent} is not null)`),
    check("commitments_attempt_check", sql`${t.attempt} >= 1`),
    check("commitments_score_check", sql`${t.lintScore} between 0 and 100`),
  ],
);

export const checkIns = pgTable(
  "check_ins",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    commitmentId: uuid("commitment_id")
      .notNull()
      .references(() => commitments.id, { onDelete: "restrict" }),
    date: date("date", { mode: "string" }).notNull(),
    forecast: text("forecast", { enum: ["on_track", "at_risk", "off_track", "stalled"] }).notNull(),
    probability: integer("probability").notNull(),
    progressValue: doublePrecision("progress_value"),
    note: text("note").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
  },
  (t) => [
    // The latest check-in and the forecast of record are read from the index alone, already in
    // order (date, created_at, id), once per commitment of a retrospective's year (ADR 0027).
    index("check_ins_commitment_idx").on(t.commitmentId, t.date, t.createdAt, t.id, t.forecast, t.probability),
    check("check_ins_probability_check", sql`${t.probability} between 0 and 100`),
  ],
);

export const outcomes = pgTable(
  "outcomes",
  {
    commitmentId: uuid("commitment_id")
      .primaryKey()
      .references(() => commitments.id, { onDelete: "restrict" }),
    status: text("status", { enum: ["delivered", "partial", "missed", "withdrawn"] }).notNull(),
    resolvedAt: date("resolved_at", { mode: "string" }).notNull(),
    actualValue: doublePrecision("actual_value"),
    evidenceUrl: text("evidence_url"),
    partialDescription: text("partial_description"),
    reasonCategory: text("reason_category", { enum: REASON_CATEGORIES }),
    control: text("control", { enum: ["ours", "shared", "external"] }),
    explanation: text("explanation"),
    lesson: text("lesson"),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
    recordedBy: uuid("recorded_by")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
  },
  (t) => [
    // "Recently resolved" orders by (recorded_at, commitment_id): the index hands rows over in
    // that order, so the dashboard reads 25 entries instead of sorting every outcome.
    index("outcomes_recorded_idx").on(t.recordedAt, t.commitmentId),
    check(
      "outcomes_rules_check",
      sql`(${t.status} = 'delivered' and ${t.evidenceUrl} is not null) or (${t.status} <> 'delivered' and ${t.reasonCategory} is not null and ${t.control} is not null and ${t.explanation} is not null and ${t.lesson} is not null)`,
    ),
  ],
);

// Append-only: a trigger refuses UPDATE and DELETE on this table. Every row is also an entry
// of the record's hash chain (docs/decisions/0006-record-log-format.md): seq, prev_hash,
// content_hash and hash are computed by app/domain/record-log.ts under a transaction lock, and
// a trigger refuses rows that do not extend the current head. `tx` is the inserting transaction
// (its default; once per INSERT statement, a trigger refuses any other value, ADR 0035), so the
// guards on commitments and outcomes can tell "a revision was appended in this same
// transaction". Rows from before the chain existed have a
// null seq until db/migrate.ts seals them, once, in id order.
export const commitmentRevisions = pgTable(
  "commitment_revisions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    commitmentId: uuid("commitment_id")
      .notNull()
      .references(() => commitments.id, { onDelete: "restrict" }),
    version: integer("version").notNull(),
    kind: text("kind", {
      enum: ["create", "edit", "rescope", "check_in", "outcome", "outcome_change", "carry_forward", "carried_from", "lock"],
    }).notNull(),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "restrict" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    changes: jsonb("changes").$type<Array<{ field: string; from: unknown; to: unknown }>>().notNull(),
    reason: text("reason"),
    seq: bigint("seq", { mode: "number" }),
    prevHash: text("prev_hash"),
    contentHash: text("content_hash"),
    hash: text("hash"),
    tx: bigint("tx", { mode: "number" }).default(sql`txid_current()`),
  },
  (t) => [
    index("commitment_revisions_commitment_idx").on(t.commitmentId, t.id),
    // One row per position: two writers that both read the same head can never both land.
    uniqueIndex("commitment_revisions_seq_key").on(t.seq),
    index("commitment_revisions_tx_idx").on(t.tx, t.commitmentId),
    // Re-scopes that moved a commitment to another period (app/models/record-period.server.ts):
    // a handful of rows, so finding a commitment's period of record, and every commitment moved
    // out of a period, never walks the whole history. The predicate is repeated verbatim there.
    index("commitment_revisions_moved_idx")
      .on(t.commitmentId, t.id)
      .where(sql`${t.kind} = 'rescope' and ${t.changes} @> '[{"field": "periodLabel"}]'::jsonb`),
    // The revisions a letter reads (LETTER_REVISION_KINDS, app/domain/letter.ts: about one a
    // commitment): a year's are found without fetching its check-in, outcome and lock revisions,
    // two thirds of its log, from the table (ADR 0035). The predicate is repeated verbatim in
    // revisionsOfYear (app/models/letter.server.ts).
    index("commitment_revisions_letter_idx")
      .on(t.commitmentId, t.id)
      .where(sql`${t.kind} in ('create', 'carried_from', 'rescope', 'carry_forward')`),
  ],
);

// A commitment a published letter included, and when: it is locked (changing what it promised
// is a re-scope; its period start locks it too, computed). Kept beside the commitment rather
// than in its row, so publishing a year appends narrow rows instead of rewriting every
// commitment through its indexes (ADR 0033). Append-only, and each row needs its commitment's
// "lock" revision in the same transaction (migration commitment_locks_guarded).
export const commitmentLocks = pgTable("commitment_locks", {
  // No foreign key: the insert guard refuses a lock without its commitment's lock revision of
  // this transaction, whose own foreign key holds the commitment, and answers a missing
  // commitment with the foreign key's error (ADR 0051).
  commitmentId: uuid("commitment_id").primaryKey(),
  lockedAt: timestamp("locked_at", { withTimezone: true }).notNull(),
  // The transaction that wrote it (as commitment_revisions.tx), so the commitment guard can
  // tell a lock from before this transaction from one this transaction appended.
  tx: bigint("tx", { mode: "number" }).notNull().default(sql`txid_current()`),
});

// Theme tags in use and how many commitments carry each, kept by a trigger on commitments
// (migration tag_counts), so the list's tag picker reads a few rows instead of unnesting every
// commitment's tags. A count of zero stays as a row and is not offered.
export const tagCounts = pgTable(
  "tag_counts",
  {
    tag: text("tag").primaryKey(),
    commitments: integer("commitments").notNull(),
  },
);

// One row per (tag, commitment) with the list's sort keys beside it, kept by a trigger on
// commitments (migration commitment_tags_trigger), so the list filtered by a tag walks
// (tag, sort key, id) in order and stops after a page. Filtering commitments by `tags @>`
// while walking a sort index instead reads every row sorted before the first match: all of
// them when a tag belongs to later years (ADR 0026).
export const commitmentTags = pgTable(
  "commitment_tags",
  {
    tag: text("tag").notNull(),
    commitmentId: uuid("commitment_id")
      .notNull()
      .references(() => commitments.id, { onDelete: "cascade" }),
    dueDate: date("due_date", { mode: "string" }).notNull(),
    committedAt: timestamp("committed_at", { withTimezone: true }).notNull(),
    lintScore: integer("lint_score").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.commitmentId, t.tag] }),
    index("commitment_tags_due_idx").on(t.tag, t.dueDate, t.commitmentId),
    index("commitment_tags_committed_idx").on(t.tag, t.committedAt, t.commitmentId),
    index("commitment_tags_score_idx").on(t.tag, t.lintScore, t.commitmentId),
  ],
);

// What the track-record figures count of each commitment, one row per commitment, kept by
// triggers on commitments, outcomes, check-ins and revisions (migration commitment_stats_triggers,
// ADR 0032): its period of record (ADR 0008: the period it was first moved away from, else its
// own), scope columns, outcome and its forecast of record (the last check-in on or before both
// the due date and the resolution day). A retrospective of a year then counts narrow rows instead
// of looking up every commitment's moves and check-ins; each row equals a recomputation from the
// record (tests/integration/commitment-stats.test.ts). The runtime role may only read it.
export const commitmentStats = pgTable(
  "commitment_stats",
  {
    commitmentId: uuid("commitment_id")
      .primaryKey()
      .references(() => commitments.id, { onDelete: "cascade" }),
    recordLabel: text("record_label").notNull(),
    teamId: uuid("team_id").notNull(),
    audience: text("audience", { enum: ["public", "internal"] }).notNull(),
    status: text("status", { enum: ["open", "delivered", "partial", "missed", "withdrawn"] }).notNull(),
    dueDate: date("due_date", { mode: "string" }).notNull(),
    resolvedAt: date("resolved_at", { mode: "string" }),
    reasonCategory: text("reason_category", { enum: REASON_CATEGORIES }),
    control: text("control", { enum: ["ours", "shared", "external"] }),
    forecast: text("forecast", { enum: ["on_track", "at_risk", "off_track", "stalled"] }),
    probability: integer("probability"),
    /** When its outcome was recorded (the outcome's recorded_at), for "recently resolved". */
    recordedAt: timestamp("recorded_at", { withTimezone: true }),
    /**
     * Whether a letter must read any of its revisions: one revisionsOfYear sends (ADR 0054). Most
     * commitments have only a lone creation that the current values restate.
     */
    letterRevisions: boolean("letter_revisions").notNull().default(false),
  },
  (t) => [
    // A scope's periods by status (the trend's and the dashboard's counts come out of the index
    // in order; an id list walks one status), with the team and audience a scope may filter by.
    index("commitment_stats_label_status_idx").on(t.recordLabel, t.status, t.teamId, t.audience),
    // The retrospective's outcomes table, by due date then id, continued by keyset; a team
    // scope's rows are told apart in the index (team_id), so no row is read for another team's.
    index("commitment_stats_label_due_idx").on(t.recordLabel, t.dueDate, t.commitmentId, t.teamId),
    // What falls due in a range whatever its period (the dashboard's quarter), counted by status
    // from the index alone.
    index("commitment_stats_due_idx").on(t.dueDate, t.status, t.teamId),
    // A scope's open commitments past due, by due date (the tally's bounded id list): only open
    // rows, so a closed year's list reads none instead of walking every open row due before today.
    index("commitment_stats_open_label_due_idx").on(t.recordLabel, t.dueDate, t.commitmentId).where(sql`status = 'open'`),
    // A team scope's recently recorded outcomes (the dashboard of one's own teams): each team's
    // range of the window, not a walk of every outcome of the organisation filtered by team.
    index("commitment_stats_team_recorded_idx").on(t.teamId, t.recordedAt, t.commitmentId),
    // The public ledger's tallies of every year (ADR 0038): the public rows' periods by status,
    // counted from this index alone, never reading an internal commitment or the table.
    index("commitment_stats_public_label_status_idx").on(t.recordLabel, t.status).where(sql`audience = 'public'`),
    // The few commitments of a year whose revisions a letter reads (revisionsOfYear, ADR 0054).
    index("commitment_stats_letter_revisions_idx").on(t.recordLabel, t.commitmentId).where(sql`letter_revisions`),
  ],
);

export const commitmentsRelations = relations(commitments, ({ one, many }) => ({
  team: one(teams, { fields: [commitments.teamId], references: [teams.id] }),
  owner: one(users, { fields: [commitments.ownerId], references: [users.id] }),
  checkIns: many(checkIns),
  outcome: one(outcomes, { fields: [commitments.id], references: [outcomes.commitmentId] }),
  revisions: many(commitmentRevisions),
}));

export type CommitmentRow = typeof commitments.$inferSelect;
export type NewCommitmentRow = typeof commitments.$inferInsert;
export type CheckInRow = typeof checkIns.$inferSelect;
export type OutcomeRow = typeof outcomes.$inferSelect;
export type RevisionRow = typeof commitmentRevisions.$inferSelect;
