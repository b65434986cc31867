-- The public pages served from each app process's memory (published letters, their Markdown, the
-- feed, the public ledger; ADR 0023) are valid until one of the tables their ETags are computed
-- from changes. Every statement that changes one of them tells every listening process, on
-- commit, which table changed (NOTIFY is transactional: nothing is said for a rolled-back
-- change, and it arrives after the change is visible). Statement-level, so a publication that
-- locks 25,000 commitments notifies once; ENABLE ALWAYS, so it fires in replica mode too (a
-- restore or a test reset must not leave a process serving pages of rows that are gone).
CREATE FUNCTION kept_public_pages_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('kept_public_pages', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER letters_public_pages AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON letters FOR EACH STATEMENT EXECUTE FUNCTION kept_public_pages_changed();--> statement-breakpoint
ALTER TABLE letters ENABLE ALWAYS TRIGGER letters_public_pages;--> statement-breakpoint
CREATE TRIGGER letter_errata_public_pages AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON letter_errata FOR EACH STATEMENT EXECUTE FUNCTION kept_public_pages_changed();--> statement-breakpoint
ALTER TABLE letter_errata ENABLE ALWAYS TRIGGER letter_errata_public_pages;--> statement-breakpoint
CREATE TRIGGER organisation_public_pages AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisation FOR EACH STATEMENT EXECUTE FUNCTION kept_public_pages_changed();--> statement-breakpoint
ALTER TABLE organisation ENABLE ALWAYS TRIGGER organisation_public_pages;--> statement-breakpoint
CREATE TRIGGER organisation_logo_public_pages AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisation_logo FOR EACH STATEMENT EXECUTE FUNCTION kept_public_pages_changed();--> statement-breakpoint
ALTER TABLE organisation_logo ENABLE ALWAYS TRIGGER organisation_logo_public_pages;--> statement-breakpoint
CREATE TRIGGER teams_public_pages AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON teams FOR EACH STATEMENT EXECUTE FUNCTION kept_public_pages_changed();--> statement-breakpoint
ALTER TABLE teams ENABLE ALWAYS TRIGGER teams_public_pages;--> statement-breakpoint
CREATE TRIGGER commitment_revisions_public_pages AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON commitment_revisions FOR EACH STATEMENT EXECUTE FUNCTION kept_public_pages_changed();--> statement-breakpoint
ALTER TABLE commitment_revisions ENABLE ALWAYS TRIGGER commitment_revisions_public_pages;
