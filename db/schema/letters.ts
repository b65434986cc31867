import { sql } from "drizzle-orm";
import { type AnyPgColumn, check, index, integer, json, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./people";

// One letter per fiscal year and audience. A draft is edited freely by admins; publishing
// freezes it: the full published Markdown (body, ledger appendix and rating method), its
// sanitised HTML and the SHA-256 of that Markdown are written once, and a trigger
// (migration 0008) refuses any later UPDATE or DELETE of a published row. Corrections are
// appended to letter_errata, which is append-only.
export const letters = pgTable(
  "letters",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    fiscalYear: integer("fiscal_year").notNull(),
    audience: text("audience", { enum: ["public", "internal"] }).notNull(),
    title: text("title").notNull(),
    /** The body people edit (and, once published, the body as published). */
    body: text("body").notNull(),
    /** The body as last generated, so the editor can warn before regenerating over edits. */
    generatedBody: text("generated_body").notNull(),
    status: text("status", { enum: ["draft", "published"] }).notNull().default("draft"),
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    generatedAt: timestamp("generated_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "restrict" }),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    publishedBy: uuid("published_by").references(() => users.id, { onDelete: "restrict" }),
    /** Body + ledger appendix + rating method, exactly the bytes the SHA-256 is of. */
    publishedMarkdown: text("published_markdown"),
    publishedHtml: text("published_html"),
    sha256: text("sha256"),
    /**
     * How many entries the ledger frozen at publication holds (letter_ledger_entries, ADR 0047);
     * null for a draft. A trigger holds the rows to it when the letter is published.
     */
    ledgerSize: integer("ledger_size"),
    previousLetterId: uuid("previous_letter_id").references((): AnyPgColumn => letters.id, { onDelete: "restrict" }),
  },
  (t) => [
    uniqueIndex("letters_year_audience_key").on(t.fiscalYear, t.audience),
    index("letters_published_idx").on(t.status, t.publishedAt),
    check("letters_status_check", sql`${t.status} in ('draft', 'published')`),
    check(
      "letters_published_complete_check",
      sql`${t.status} = 'draft' or (${t.publishedAt} is not null and ${t.publishedMarkdown} is not null and ${t.publishedHtml} is not null and ${t.sha256} is not null and ${t.ledgerSize} is not null and ${t.ledgerSize} >= 0)`,
    ),
  ],
);

export const letterErrata = pgTable(
  "letter_errata",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    letterId: uuid("letter_id")
      .notNull()
      .references(() => letters.id, { onDelete: "restrict" }),
    body: text("body").notNull(),
    bodyHtml: text("body_html").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
  },
  (t) => [index("letter_errata_letter_idx").on(t.letterId, t.createdAt)],
);

/**
 * The ledger appendix as of publication, one row per entry in the ledger's order (ADR 0047):
 * every commitment in scope with its outcome, as the ledger file writes it. Written only by the
 * transaction that publishes the letter, never changed (migration 0043's triggers).
 */
export const letterLedgerEntries = pgTable(
  "letter_ledger_entries",
  {
    // No foreign key: the insert guard checks set-wise that the letter exists and is published,
    // and a published letter is never deleted (ADR 0047).
    letterId: uuid("letter_id").notNull(),
    /** From 1, the entry's place in the ledger. */
    position: integer("position").notNull(),
    /** The entry as JSON text (its keys in the ledger file's order; readers give them in jsonb's). */
    entry: json("entry").notNull(),
    commitmentId: text("commitment_id").generatedAlwaysAs(sql`(entry ->> 'id')`),
    status: text("status").generatedAlwaysAs(sql`(entry ->> 'status')`),
  },
  (t) => [
    primaryKey({ name: "letter_ledger_entries_pkey", columns: [t.letterId, t.position] }),
    index("letter_ledger_entries_commitment_idx").on(t.letterId, t.commitmentId),
    check("letter_ledger_entries_position_check", sql`${t.position} >= 1`),
  ],
);

/** A letter as the app reads it: `ledger` is its frozen ledger's entries once published, else null. */
export type LetterRow = Omit<typeof letters.$inferSelect, "ledgerSize"> & { ledger: unknown };
export type LetterErratumRow = typeof letterErrata.$inferSelect;
