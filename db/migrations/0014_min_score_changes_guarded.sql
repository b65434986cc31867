-- The history of the falsifiability minimum (0010/0011) is part of the record like the
-- revision history: no TRUNCATE, and the runtime role may read and append it, nothing else.
CREATE TRIGGER min_score_changes_no_truncate BEFORE TRUNCATE ON min_score_changes FOR EACH STATEMENT EXECUTE FUNCTION kept_refuse_truncate();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kept_grant_runtime_role(runtime name) RETURNS void AS $$
BEGIN
  EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', runtime);
  EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', runtime);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', runtime);
  EXECUTE format('REVOKE UPDATE, DELETE ON commitment_revisions, check_ins, letter_errata, min_score_changes FROM %I', runtime);
  EXECUTE format('REVOKE DELETE ON commitments, outcomes FROM %I', runtime);
  -- UPDATE on sequences is setval, which an import needs to continue after imported ids.
  EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO %I', runtime);
  EXECUTE format('GRANT USAGE ON SCHEMA drizzle TO %I', runtime);
  EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA drizzle TO %I', runtime);
END;
$$ LANGUAGE plpgsql;
