-- The record cannot be rewritten unseen: revision rows are append-only, enforced by the
-- database itself so that not even a bug in the app can change history.
CREATE OR REPLACE FUNCTION kept_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'table % is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER commitment_revisions_append_only
  BEFORE UPDATE OR DELETE ON commitment_revisions
  FOR EACH ROW EXECUTE FUNCTION kept_refuse_change();
--> statement-breakpoint
-- Check-ins are a history too: never overwritten, never removed.
CREATE TRIGGER check_ins_append_only
  BEFORE UPDATE OR DELETE ON check_ins
  FOR EACH ROW EXECUTE FUNCTION kept_refuse_change();
