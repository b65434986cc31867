-- A letter's lock kept beside the commitment (ADR 0033). Publishing a year used to rewrite
-- every commitment row of the year (locked_by_letter_at: a non-HOT update through every index
-- of commitments) and ran the deferred record guard once per row at commit; it now appends one
-- narrow commitment_locks row per commitment, guarded set-wise. The lock revisions on the hash
-- chain are unchanged: the record says exactly what it said before.

-- The locks written the old way move over as they are (the column goes in the next migration).
INSERT INTO commitment_locks (commitment_id, locked_at)
SELECT id, locked_by_letter_at FROM commitments WHERE locked_by_letter_at IS NOT NULL;
--> statement-breakpoint
-- Locks are part of the record: never changed, never removed, never truncated.
CREATE TRIGGER commitment_locks_append_only
  BEFORE UPDATE OR DELETE ON commitment_locks
  FOR EACH ROW EXECUTE FUNCTION kept_refuse_change();
--> statement-breakpoint
CREATE TRIGGER commitment_locks_no_truncate BEFORE TRUNCATE ON commitment_locks FOR EACH STATEMENT EXECUTE FUNCTION kept_refuse_truncate();
--> statement-breakpoint
-- A lock lands only with its commitment's "lock" revision, appended earlier in the same
-- transaction at the same instant, and stamped with that transaction: checked once per
-- statement over all the rows it inserted.
CREATE OR REPLACE FUNCTION kept_commitment_lock_guard() RETURNS trigger AS $$
DECLARE
  unexplained uuid;
BEGIN
  SELECT n.commitment_id INTO unexplained
  FROM new_locks n
  WHERE n.tx IS DISTINCT FROM txid_current() OR NOT EXISTS (
    SELECT 1 FROM commitment_revisions r
    WHERE r.tx = txid_current() AND r.commitment_id = n.commitment_id AND r.kind = 'lock' AND r.at = n.locked_at
  )
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'commitment %: a letter''s lock is set once, with its lock revision appended first in the same transaction', unexplained
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER commitment_locks_explained
  AFTER INSERT ON commitment_locks
  REFERENCING NEW TABLE AS new_locks
  FOR EACH STATEMENT EXECUTE FUNCTION kept_commitment_lock_guard();
--> statement-breakpoint
-- The commitment guard of 0013, reading the lock from commitment_locks. (The lock is no longer
-- a column of the row, so "set once, with its lock revision" is the lock table's own guard.)
CREATE OR REPLACE FUNCTION kept_commitment_guard() RETURNS trigger AS $$
DECLARE
  promise_changed boolean;
  locked_by_letter boolean;
  locked boolean;
  tz text;
BEGIN
  promise_changed := (OLD.statement, OLD.measure_kind, OLD.metric_name, OLD.metric_baseline, OLD.metric_comparator,
                      OLD.metric_target, OLD.metric_unit, OLD.deliverable_event, OLD.due_date, OLD.period_label, OLD.audience)
    IS DISTINCT FROM (NEW.statement, NEW.measure_kind, NEW.metric_name, NEW.metric_baseline, NEW.metric_comparator,
                      NEW.metric_target, NEW.metric_unit, NEW.deliverable_event, NEW.due_date, NEW.period_label, NEW.audience);
  IF NOT promise_changed
     AND (OLD.id, OLD.details, OLD.evidence_source, OLD.team_id, OLD.owner_id, OLD.tags, OLD.status,
          OLD.version, OLD.period_start, OLD.period_end, OLD.fiscal_year, OLD.committed_at, OLD.committed_by,
          OLD.predecessor_id, OLD.attempt)
       IS NOT DISTINCT FROM (NEW.id, NEW.details, NEW.evidence_source, NEW.team_id, NEW.owner_id, NEW.tags, NEW.status,
          NEW.version, NEW.period_start, NEW.period_end, NEW.fiscal_year, NEW.committed_at, NEW.committed_by,
          NEW.predecessor_id, NEW.attempt) THEN
    RETURN NULL;
  END IF;
  -- The revision that explains this change: appended by this transaction, for this commitment,
  -- at the version the change produced (every change bumps the version).
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
  IF promise_changed THEN
    SELECT time_zone INTO tz FROM organisation WHERE id = 1;
    -- Locked by a letter when the change was made: a lock from an earlier transaction, or one
    -- this transaction appended before the change (its lock revision earlier in the chain than
    -- the change's revision). The guard runs at commit, so "the lock exists now" is not enough:
    -- a commitment edited and then locked in one transaction was not locked when edited.
    locked_by_letter := EXISTS (
      SELECT 1 FROM commitment_locks l
      WHERE l.commitment_id = NEW.id
        AND (l.tx <> txid_current() OR EXISTS (
          SELECT 1 FROM commitment_revisions lr
          WHERE lr.tx = txid_current() AND lr.commitment_id = NEW.id AND lr.kind = 'lock'
            AND lr.seq < (SELECT min(seq) FROM commitment_revisions
                          WHERE tx = txid_current() AND commitment_id = NEW.id AND version = NEW.version AND kind NOT IN ('check_in', 'lock'))
        ))
    );
    -- Locked by a letter, or its period had started when the change was made (the revision's
    -- time, in the organisation's time zone: the same rule the app applies).
    locked := locked_by_letter OR EXISTS (
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
        CASE WHEN locked_by_letter THEN 'yes' ELSE 'no' END, OLD.period_start,
        (SELECT coalesce(string_agg(kind || ' at ' || at::text, ', '), 'none') FROM commitment_revisions WHERE tx = txid_current() AND commitment_id = NEW.id AND version = NEW.version AND kind <> 'check_in')
        USING ERRCODE = 'insufficient_privilege';
    END IF;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql SET enable_seqscan = off;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kept_refuse_locked_commitment_delete() RETURNS trigger AS $$
BEGIN
  IF OLD.period_start <= current_date OR EXISTS (SELECT 1 FROM commitment_locks WHERE commitment_id = OLD.id) THEN
    RAISE EXCEPTION 'commitment % is locked: DELETE is not allowed', OLD.id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- The hash chain's linkage, checked once per INSERT statement instead of once per row (a
-- publication appends one lock revision per commitment of the year in one statement). The row
-- trigger keeps what is per row and cheap: refusing DELETE, the one sealing UPDATE (with its
-- head check, as before), stamping the transaction id, and the hashes' shape.
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
  IF TG_OP = 'UPDATE' THEN
    PERFORM pg_advisory_xact_lock(7200418);
    SELECT seq, hash INTO head FROM commitment_revisions WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1;
    IF NEW.seq <> coalesce(head.seq, 0) + 1 OR NEW.prev_hash <> coalesce(head.hash, repeat('0', 64)) THEN
      RAISE EXCEPTION 'record log: entry #% does not extend the head #%', NEW.seq, coalesce(head.seq, 0)
        USING ERRCODE = 'serialization_failure';
    END IF;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql SET enable_seqscan = off;
--> statement-breakpoint
-- Before any row of an INSERT lands: the chain's lock, so appenders queue as before.
CREATE OR REPLACE FUNCTION kept_revision_chain_lock() RETURNS trigger AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7200418);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER commitment_revisions_chain_lock
  BEFORE INSERT ON commitment_revisions
  FOR EACH STATEMENT EXECUTE FUNCTION kept_revision_chain_lock();
--> statement-breakpoint
-- After the statement: its rows, in seq order, are seq head+1, head+2, … with no gap, nothing
-- beyond them, the first linked to the head before them and each to the one before it. The
-- same entries the row trigger accepted one by one, and the same error.
CREATE OR REPLACE FUNCTION kept_revision_chain_extends() RETURNS trigger AS $$
DECLARE
  first_seq bigint;
  last_seq bigint;
  n bigint;
  head record;
  broken bigint;
BEGIN
  SELECT min(seq), max(seq), count(*) INTO first_seq, last_seq, n FROM new_revisions;
  IF n = 0 THEN
    RETURN NULL;
  END IF;
  SELECT seq, hash INTO head FROM commitment_revisions WHERE seq < first_seq ORDER BY seq DESC LIMIT 1;
  IF first_seq <> coalesce(head.seq, 0) + 1 THEN
    RAISE EXCEPTION 'record log: entry #% does not extend the head #%', first_seq, coalesce(head.seq, 0)
      USING ERRCODE = 'serialization_failure';
  END IF;
  -- seq is unique, so n rows between first_seq and last_seq leave no gap.
  IF last_seq - first_seq + 1 <> n OR EXISTS (SELECT 1 FROM commitment_revisions WHERE seq > last_seq) THEN
    SELECT coalesce(min(s.seq), last_seq) INTO broken
    FROM (SELECT seq, lag(seq) OVER (ORDER BY seq) AS before FROM new_revisions) s
    WHERE s.before IS NOT NULL AND s.seq <> s.before + 1;
    RAISE EXCEPTION 'record log: entry #% does not extend the head #%', broken, broken - 1
      USING ERRCODE = 'serialization_failure';
  END IF;
  SELECT min(s.seq) INTO broken
  FROM (SELECT seq, prev_hash, coalesce(lag(hash) OVER (ORDER BY seq), coalesce(head.hash, repeat('0', 64))) AS before FROM new_revisions) s
  WHERE s.prev_hash <> s.before;
  IF broken IS NOT NULL THEN
    RAISE EXCEPTION 'record log: entry #% does not extend the head #%', broken, broken - 1
      USING ERRCODE = 'serialization_failure';
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql SET enable_seqscan = off;
--> statement-breakpoint
CREATE TRIGGER commitment_revisions_chain_extends
  AFTER INSERT ON commitment_revisions
  REFERENCING NEW TABLE AS new_revisions
  FOR EACH STATEMENT EXECUTE FUNCTION kept_revision_chain_extends();
--> statement-breakpoint
-- The runtime role reads and appends locks, nothing else (0014 plus commitment_locks); it only reads
-- commitment_stats (0031).
CREATE OR REPLACE FUNCTION kept_grant_runtime_role(runtime name) RETURNS void AS $$
BEGIN
  EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', runtime);
  EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', runtime);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', runtime);
  EXECUTE format('REVOKE UPDATE, DELETE ON commitment_revisions, check_ins, letter_errata, min_score_changes, commitment_locks FROM %I', runtime);
  EXECUTE format('REVOKE DELETE ON commitments, outcomes FROM %I', runtime);
  EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON commitment_stats FROM %I', runtime);
  -- UPDATE on sequences is setval, which an import needs to continue after imported ids.
  EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO %I', runtime);
  EXECUTE format('GRANT USAGE ON SCHEMA drizzle TO %I', runtime);
  EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA drizzle TO %I', runtime);
END;
$$ LANGUAGE plpgsql;
