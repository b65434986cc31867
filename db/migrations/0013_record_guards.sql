-- The record's own guards (docs/decisions/0007-record-threat-model.md). The runtime role has
-- no UPDATE or DELETE on append-only tables at all (see kept_grant_runtime_role below); these
-- triggers hold even for a role that has the privileges but not ownership.

-- Every revision row extends the hash chain: its seq follows the head and its prev_hash is
-- the head's hash. The transaction lock makes appends from several processes queue; the unique
-- index on seq is the backstop. The content hash itself is checked by the integrity check and
-- by any verifier, not here: SQL has no canonical JSON.
CREATE OR REPLACE FUNCTION kept_revision_chain() RETURNS trigger AS $$
DECLARE
  head record;
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'table commitment_revisions is append-only: DELETE is not allowed'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'UPDATE' THEN
    -- The one update there is: sealing a row written before the chain existed, once, with
    -- everything it says unchanged.
    IF OLD.seq IS NOT NULL
       OR (NEW.id, NEW.commitment_id, NEW.version, NEW.kind, NEW.actor_id, NEW.at, NEW.changes, NEW.reason)
          IS DISTINCT FROM (OLD.id, OLD.commitment_id, OLD.version, OLD.kind, OLD.actor_id, OLD.at, OLD.changes, OLD.reason) THEN
      RAISE EXCEPTION 'table commitment_revisions is append-only: UPDATE is not allowed'
        USING ERRCODE = 'insufficient_privilege';
    END IF;
  END IF;
  NEW.tx := txid_current();
  IF NEW.seq IS NULL OR NEW.prev_hash IS NULL OR NEW.content_hash IS NULL OR NEW.hash IS NULL THEN
    RAISE EXCEPTION 'record log: a revision must be appended to the hash chain (seq, prev_hash, content_hash and hash)'
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.prev_hash !~ '^[0-9a-f]{64}$' OR NEW.content_hash !~ '^[0-9a-f]{64}$' OR NEW.hash !~ '^[0-9a-f]{64}$' THEN
    RAISE EXCEPTION 'record log: hashes are 64 lowercase hex digits'
      USING ERRCODE = 'check_violation';
  END IF;
  PERFORM pg_advisory_xact_lock(7200418);
  SELECT seq, hash INTO head FROM commitment_revisions WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1;
  IF NEW.seq <> coalesce(head.seq, 0) + 1 OR NEW.prev_hash <> coalesce(head.hash, repeat('0', 64)) THEN
    RAISE EXCEPTION 'record log: entry #% does not extend the head #%', NEW.seq, coalesce(head.seq, 0)
      USING ERRCODE = 'serialization_failure';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
DROP TRIGGER IF EXISTS commitment_revisions_append_only ON commitment_revisions;
--> statement-breakpoint
CREATE TRIGGER commitment_revisions_chain
  BEFORE INSERT OR UPDATE OR DELETE ON commitment_revisions
  FOR EACH ROW EXECUTE FUNCTION kept_revision_chain();
--> statement-breakpoint
-- A change to a commitment's record needs its revision appended in the same transaction; a
-- change to what a locked commitment promised needs a re-scope revision with a reason; a
-- change of status needs an outcome revision. Deferred to commit, so the service may write
-- the row and then its revision.
CREATE OR REPLACE FUNCTION kept_commitment_guard() RETURNS trigger AS $$
DECLARE
  promise_changed boolean;
  locked boolean;
  tz text;
BEGIN
  promise_changed := (OLD.statement, OLD.measure_kind, OLD.metric_name, OLD.metric_baseline, OLD.metric_comparator,
                      OLD.metric_target, OLD.metric_unit, OLD.deliverable_event, OLD.due_date, OLD.period_label, OLD.audience)
    IS DISTINCT FROM (NEW.statement, NEW.measure_kind, NEW.metric_name, NEW.metric_baseline, NEW.metric_comparator,
                      NEW.metric_target, NEW.metric_unit, NEW.deliverable_event, NEW.due_date, NEW.period_label, NEW.audience);
  IF NOT promise_changed
     AND (OLD.id, OLD.details, OLD.evidence_source, OLD.team_id, OLD.owner_id, OLD.tags, OLD.status, OLD.locked_by_letter_at,
          OLD.version, OLD.period_start, OLD.period_end, OLD.fiscal_year, OLD.committed_at, OLD.committed_by,
          OLD.predecessor_id, OLD.attempt)
       IS NOT DISTINCT FROM (NEW.id, NEW.details, NEW.evidence_source, NEW.team_id, NEW.owner_id, NEW.tags, NEW.status, NEW.locked_by_letter_at,
          NEW.version, NEW.period_start, NEW.period_end, NEW.fiscal_year, NEW.committed_at, NEW.committed_by,
          NEW.predecessor_id, NEW.attempt) THEN
    RETURN NULL;
  END IF;
  -- The revision that explains this change: appended by this transaction, for this commitment,
  -- at the version the change produced (every change bumps the version; a lock keeps it).
  IF NOT EXISTS (
    SELECT 1 FROM commitment_revisions WHERE tx = txid_current() AND commitment_id = NEW.id AND version = NEW.version AND kind <> 'check_in'
  ) THEN
    RAISE EXCEPTION 'commitment %: a change to the record needs its revision (version %) appended in the same transaction', NEW.id, NEW.version
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.status IS DISTINCT FROM NEW.status AND NOT EXISTS (
    SELECT 1 FROM commitment_revisions
    WHERE tx = txid_current() AND commitment_id = NEW.id AND version = NEW.version AND kind IN ('outcome', 'outcome_change')
  ) THEN
    RAISE EXCEPTION 'commitment %: its status changes only with an outcome revision', NEW.id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.locked_by_letter_at IS DISTINCT FROM NEW.locked_by_letter_at AND (OLD.locked_by_letter_at IS NOT NULL OR NOT EXISTS (
    SELECT 1 FROM commitment_revisions WHERE tx = txid_current() AND commitment_id = NEW.id AND version = NEW.version AND kind = 'lock'
  )) THEN
    RAISE EXCEPTION 'commitment %: a letter''s lock is set once, with its lock revision', NEW.id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF promise_changed THEN
    SELECT time_zone INTO tz FROM organisation WHERE id = 1;
    -- Locked by a letter, or its period had started when the change was made (the revision's
    -- time, in the organisation's time zone: the same rule the app applies).
    locked := OLD.locked_by_letter_at IS NOT NULL OR EXISTS (
      SELECT 1 FROM commitment_revisions
      WHERE tx = txid_current() AND commitment_id = NEW.id AND version = NEW.version AND kind IN ('edit', 'rescope')
        AND OLD.period_start <= (at AT TIME ZONE coalesce(tz, 'UTC'))::date
    );
    IF locked AND NOT EXISTS (
      SELECT 1 FROM commitment_revisions
      WHERE tx = txid_current() AND commitment_id = NEW.id AND version = NEW.version
        AND kind = 'rescope' AND btrim(coalesce(reason, '')) <> ''
    ) THEN
      RAISE EXCEPTION 'commitment % is locked (by a letter: %; period from %): changing what was promised is a re-scope and needs its revision with a reason in the same transaction (found: %)', NEW.id,
        coalesce(OLD.locked_by_letter_at::text, 'no'), OLD.period_start,
        (SELECT coalesce(string_agg(kind || ' at ' || at::text, ', '), 'none') FROM commitment_revisions WHERE tx = txid_current() AND commitment_id = NEW.id AND version = NEW.version AND kind <> 'check_in')
        USING ERRCODE = 'insufficient_privilege';
    END IF;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER commitments_record_guard
  AFTER UPDATE ON commitments
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION kept_commitment_guard();
--> statement-breakpoint
-- A locked commitment is never deleted (nor is any other: revisions point at every one).
CREATE OR REPLACE FUNCTION kept_refuse_locked_commitment_delete() RETURNS trigger AS $$
BEGIN
  IF OLD.locked_by_letter_at IS NOT NULL OR OLD.period_start <= current_date THEN
    RAISE EXCEPTION 'commitment % is locked: DELETE is not allowed', OLD.id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER commitments_locked_not_deleted
  BEFORE DELETE ON commitments
  FOR EACH ROW EXECUTE FUNCTION kept_refuse_locked_commitment_delete();
--> statement-breakpoint
-- An outcome is recorded with its "outcome" revision, and changed only with an
-- "outcome_change" revision that gives a reason, in the same transaction. Never deleted.
CREATE OR REPLACE FUNCTION kept_outcome_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NOT EXISTS (
      SELECT 1 FROM commitment_revisions WHERE tx = txid_current() AND commitment_id = NEW.commitment_id AND kind IN ('outcome', 'outcome_change')
    ) THEN
      RAISE EXCEPTION 'outcome of %: recording an outcome needs its revision appended in the same transaction', NEW.commitment_id
        USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
  END IF;
  IF (OLD.commitment_id, OLD.status, OLD.resolved_at, OLD.actual_value, OLD.evidence_url, OLD.partial_description,
      OLD.reason_category, OLD.control, OLD.explanation, OLD.lesson)
     IS NOT DISTINCT FROM (NEW.commitment_id, NEW.status, NEW.resolved_at, NEW.actual_value, NEW.evidence_url, NEW.partial_description,
      NEW.reason_category, NEW.control, NEW.explanation, NEW.lesson) THEN
    RETURN NULL;
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM commitment_revisions
    WHERE tx = txid_current() AND commitment_id = NEW.commitment_id AND kind = 'outcome_change' AND btrim(coalesce(reason, '')) <> ''
  ) THEN
    RAISE EXCEPTION 'outcome of % is recorded: changing it needs an outcome_change revision with a reason in the same transaction', NEW.commitment_id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER outcomes_record_guard
  AFTER INSERT OR UPDATE ON outcomes
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION kept_outcome_guard();
--> statement-breakpoint
CREATE TRIGGER outcomes_not_deleted
  BEFORE DELETE ON outcomes
  FOR EACH ROW EXECUTE FUNCTION kept_refuse_change();
--> statement-breakpoint
-- TRUNCATE fires no row triggers: each table of the record refuses it at statement level.
CREATE OR REPLACE FUNCTION kept_refuse_truncate() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'table % is part of the record: TRUNCATE is not allowed', TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER commitment_revisions_no_truncate BEFORE TRUNCATE ON commitment_revisions FOR EACH STATEMENT EXECUTE FUNCTION kept_refuse_truncate();
--> statement-breakpoint
CREATE TRIGGER check_ins_no_truncate BEFORE TRUNCATE ON check_ins FOR EACH STATEMENT EXECUTE FUNCTION kept_refuse_truncate();
--> statement-breakpoint
CREATE TRIGGER commitments_no_truncate BEFORE TRUNCATE ON commitments FOR EACH STATEMENT EXECUTE FUNCTION kept_refuse_truncate();
--> statement-breakpoint
CREATE TRIGGER outcomes_no_truncate BEFORE TRUNCATE ON outcomes FOR EACH STATEMENT EXECUTE FUNCTION kept_refuse_truncate();
--> statement-breakpoint
CREATE TRIGGER letters_no_truncate BEFORE TRUNCATE ON letters FOR EACH STATEMENT EXECUTE FUNCTION kept_refuse_truncate();
--> statement-breakpoint
CREATE TRIGGER letter_errata_no_truncate BEFORE TRUNCATE ON letter_errata FOR EACH STATEMENT EXECUTE FUNCTION kept_refuse_truncate();
--> statement-breakpoint
-- What the runtime role may do, granted by the owner after every migration (db/migrate.ts),
-- so tables added later are covered too. Append-only tables: read and append, nothing else.
-- Commitments and outcomes are never deleted. TRUNCATE nowhere.
CREATE OR REPLACE FUNCTION kept_grant_runtime_role(runtime name) RETURNS void AS $$
BEGIN
  EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', runtime);
  EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', runtime);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', runtime);
  EXECUTE format('REVOKE UPDATE, DELETE ON commitment_revisions, check_ins, letter_errata FROM %I', runtime);
  EXECUTE format('REVOKE DELETE ON commitments, outcomes FROM %I', runtime);
  -- UPDATE on sequences is setval, which an import needs to continue after imported ids.
  EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO %I', runtime);
  EXECUTE format('GRANT USAGE ON SCHEMA drizzle TO %I', runtime);
  EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA drizzle TO %I', runtime);
END;
$$ LANGUAGE plpgsql;
