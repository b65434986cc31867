-- A published letter's frozen ledger as rows, one per entry (ADR 0047). Storing it as one jsonb
-- value made every publication parse megabytes into jsonb (180–830 ms for a 25,000-commitment
-- year) and every reader of a few entries unpack the whole value.
CREATE TABLE "letter_ledger_entries" (
	"letter_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"entry" json NOT NULL,
	"commitment_id" text GENERATED ALWAYS AS ((entry ->> 'id')) STORED,
	"status" text GENERATED ALWAYS AS ((entry ->> 'status')) STORED,
	CONSTRAINT "letter_ledger_entries_pkey" PRIMARY KEY("letter_id","position"),
	CONSTRAINT "letter_ledger_entries_position_check" CHECK ("letter_ledger_entries"."position" >= 1)
);
--> statement-breakpoint
CREATE INDEX "letter_ledger_entries_commitment_idx" ON "letter_ledger_entries" USING btree ("letter_id","commitment_id");
--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "ledger_size" integer;
--> statement-breakpoint
-- The ledgers published so far move over entry for entry, in their order, as jsonb wrote them.
-- A published letter is frozen by its trigger; this one UPDATE (its size) is the migration's.
-- A value that is not an array (only someone holding the database could have written one) has
-- no entries, as the readers already treated it.
ALTER TABLE "letters" DISABLE TRIGGER "letters_frozen_once_published";
--> statement-breakpoint
UPDATE "letters" SET "ledger_size" = CASE WHEN jsonb_typeof("ledger") = 'array' THEN jsonb_array_length("ledger") ELSE 0 END
WHERE "status" = 'published';
--> statement-breakpoint
ALTER TABLE "letters" ENABLE TRIGGER "letters_frozen_once_published";
--> statement-breakpoint
INSERT INTO "letter_ledger_entries" ("letter_id", "position", "entry")
SELECT l.id, e.position, e.entry::json
FROM "letters" l, jsonb_array_elements(l.ledger) WITH ORDINALITY AS e(entry, position)
WHERE l.status = 'published' AND jsonb_typeof(l.ledger) = 'array';
--> statement-breakpoint
ALTER TABLE "letters" DROP CONSTRAINT "letters_published_complete_check";
--> statement-breakpoint
ALTER TABLE "letters" ADD CONSTRAINT "letters_published_complete_check" CHECK ("letters"."status" = 'draft' or ("letters"."published_at" is not null and "letters"."published_markdown" is not null and "letters"."published_html" is not null and "letters"."sha256" is not null and "letters"."ledger_size" is not null and "letters"."ledger_size" >= 0));
--> statement-breakpoint
ALTER TABLE "letters" DROP COLUMN "ledger";
--> statement-breakpoint
-- Ledger entries are part of the record: never changed, never removed, never truncated.
CREATE TRIGGER letter_ledger_entries_append_only
  BEFORE UPDATE OR DELETE ON letter_ledger_entries
  FOR EACH ROW EXECUTE FUNCTION kept_refuse_change();
--> statement-breakpoint
CREATE TRIGGER letter_ledger_entries_no_truncate BEFORE TRUNCATE ON letter_ledger_entries FOR EACH STATEMENT EXECUTE FUNCTION kept_refuse_truncate();
--> statement-breakpoint
-- An entry lands only in a place its letter's published ledger has (1 … ledger_size): its letter
-- must be published already, in this transaction or before. With the check below, a letter's
-- places are all taken when the transaction that publishes it commits, so no later transaction
-- can add an entry (the primary key refuses a taken place, this guard any other). Checked once
-- per statement over all the rows it inserted.
CREATE OR REPLACE FUNCTION kept_letter_ledger_entry_guard() RETURNS trigger AS $$
DECLARE
  stray record;
BEGIN
  SELECT n.letter_id, n.position INTO stray
  FROM new_entries n
  LEFT JOIN letters l ON l.id = n.letter_id
  WHERE l.id IS NULL OR l.status <> 'published' OR l.ledger_size IS NULL OR n.position > l.ledger_size
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'letter %: ledger entry % is not a place of its published ledger; entries are written only as the letter is published', stray.letter_id, stray.position
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER letter_ledger_entries_published_only
  AFTER INSERT ON letter_ledger_entries
  REFERENCING NEW TABLE AS new_entries
  FOR EACH STATEMENT EXECUTE FUNCTION kept_letter_ledger_entry_guard();
--> statement-breakpoint
-- What letters_published_complete_check's "ledger is not null" said, for the rows: a letter
-- published (by UPDATE, or INSERT on import) has every place of its ledger filled when its
-- transaction commits. Places are unique and at most ledger_size, so their count says it.
CREATE OR REPLACE FUNCTION kept_letter_ledger_complete() RETURNS trigger AS $$
DECLARE
  n bigint;
BEGIN
  SELECT count(*) INTO n FROM letter_ledger_entries WHERE letter_id = NEW.id;
  IF n <> NEW.ledger_size THEN
    RAISE EXCEPTION 'letter %: published with % ledger entries of %', NEW.id, n, NEW.ledger_size
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER letters_ledger_complete
  AFTER INSERT OR UPDATE ON letters
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (NEW.status = 'published')
  EXECUTE FUNCTION kept_letter_ledger_complete();
--> statement-breakpoint
-- The runtime role reads and appends ledger entries, nothing else (0033 plus letter_ledger_entries).
CREATE OR REPLACE FUNCTION kept_grant_runtime_role(runtime name) RETURNS void AS $$
BEGIN
  EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', runtime);
  EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', runtime);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', runtime);
  EXECUTE format('REVOKE UPDATE, DELETE ON commitment_revisions, check_ins, letter_errata, min_score_changes, commitment_locks, letter_ledger_entries FROM %I', runtime);
  EXECUTE format('REVOKE DELETE ON commitments, outcomes FROM %I', runtime);
  EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON commitment_stats FROM %I', runtime);
  -- UPDATE on sequences is setval, which an import needs to continue after imported ids.
  EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO %I', runtime);
  EXECUTE format('GRANT USAGE ON SCHEMA drizzle TO %I', runtime);
  EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA drizzle TO %I', runtime);
END;
$$ LANGUAGE plpgsql;
