-- A published letter is frozen by the database itself: no UPDATE and no DELETE of a
-- published row, whoever asks. The only change possible afterwards is an appended erratum.
CREATE OR REPLACE FUNCTION kept_refuse_published_letter_change() RETURNS trigger AS $$
BEGIN
  IF OLD.status = 'published' THEN
    RAISE EXCEPTION 'letter % is published: % is not allowed; append an erratum instead', OLD.id, TG_OP
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER letters_frozen_once_published
  BEFORE UPDATE OR DELETE ON letters
  FOR EACH ROW EXECUTE FUNCTION kept_refuse_published_letter_change();
--> statement-breakpoint
-- Errata are never edited or removed.
CREATE TRIGGER letter_errata_append_only
  BEFORE UPDATE OR DELETE ON letter_errata
  FOR EACH ROW EXECUTE FUNCTION kept_refuse_change();
--> statement-breakpoint
-- An erratum corrects a published letter; a draft is simply edited.
CREATE OR REPLACE FUNCTION kept_erratum_needs_published_letter() RETURNS trigger AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM letters WHERE id = NEW.letter_id AND status = 'published') THEN
    RAISE EXCEPTION 'errata can only be appended to a published letter'
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER letter_errata_published_only
  BEFORE INSERT ON letter_errata
  FOR EACH ROW EXECUTE FUNCTION kept_erratum_needs_published_letter();
