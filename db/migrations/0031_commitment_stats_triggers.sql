-- commitment_stats (ADR 0032): one row per commitment with what the track-record figures count,
-- kept equal to a recomputation from the record by the triggers below. Every trigger asks one
-- function to recompute the rows of the commitments a statement touched, from scratch, so there
-- is one definition of a row here (and its twin in app/models/record-period.server.ts and
-- app/models/statistics.server.ts, which tests/integration/commitment-stats.test.ts compares it
-- with after every kind of change).
--
-- The function runs as the owner (SECURITY DEFINER): the runtime role may read the table but not
-- write it (kept_grant_runtime_role below), so the app can ask for a recomputation and nothing
-- else; no figure can be typed in.
CREATE OR REPLACE FUNCTION kept_refresh_commitment_stats(ids uuid[]) RETURNS void AS $$
BEGIN
  IF ids IS NULL OR cardinality(ids) = 0 THEN
    RETURN;
  END IF;
  -- Two transactions changing one commitment (a check-in and an outcome) would each recompute
  -- from a snapshot without the other's change, and the later write would lose the earlier one.
  -- Waiting for the commitment's row lock first, then reading in a new statement (a new snapshot
  -- under READ COMMITTED), makes the second recomputation see the first's committed change.
  -- Every writer takes a commitment's row before the chain's lock, so this adds no new order.
  PERFORM 1 FROM commitments c WHERE c.id = ANY(ids) ORDER BY c.id FOR NO KEY UPDATE;
  INSERT INTO commitment_stats AS s
    (commitment_id, record_label, team_id, audience, status, due_date, resolved_at, reason_category, control, forecast, probability)
  SELECT c.id, coalesce(mv.from_label, c.period_label), c.team_id, c.audience, c.status, c.due_date,
         o.resolved_at, o.reason_category, o.control, r.forecast, r.probability
  FROM commitments c
  LEFT JOIN outcomes o ON o.commitment_id = c.id
  -- The period of record: the `from` of the first re-scope that moved it (ADR 0008).
  LEFT JOIN LATERAL (
    SELECT jsonb_path_query_first(mr.changes, '$[*] ? (@.field == "periodLabel").from') #>> '{}' AS from_label
    FROM commitment_revisions mr
    WHERE mr.commitment_id = c.id AND mr.kind = 'rescope' AND mr.changes @> '[{"field": "periodLabel"}]'::jsonb
    ORDER BY mr.id LIMIT 1
  ) mv ON true
  -- The forecast of record: the last check-in on or before both the due date and the resolution
  -- day (same day: the later one written); none while the commitment is open.
  LEFT JOIN LATERAL (
    SELECT ci.forecast, ci.probability
    FROM check_ins ci
    WHERE ci.commitment_id = c.id AND o.resolved_at IS NOT NULL
      AND ci.date <= c.due_date AND ci.date <= o.resolved_at
    ORDER BY ci.date DESC, ci.created_at DESC, ci.id DESC
    LIMIT 1
  ) r ON true
  WHERE c.id = ANY(ids)
  ON CONFLICT (commitment_id) DO UPDATE SET
    record_label = excluded.record_label, team_id = excluded.team_id, audience = excluded.audience,
    status = excluded.status, due_date = excluded.due_date, resolved_at = excluded.resolved_at,
    reason_category = excluded.reason_category, control = excluded.control,
    forecast = excluded.forecast, probability = excluded.probability
  WHERE (s.record_label, s.team_id, s.audience, s.status, s.due_date, s.resolved_at, s.reason_category, s.control, s.forecast, s.probability)
    IS DISTINCT FROM
    (excluded.record_label, excluded.team_id, excluded.audience, excluded.status, excluded.due_date, excluded.resolved_at,
     excluded.reason_category, excluded.control, excluded.forecast, excluded.probability);
END;
$$ LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp;
--> statement-breakpoint
-- Statement level for inserts (an import or a carry-forward writes many rows in one statement):
-- one recomputation for the statement's commitments.
CREATE OR REPLACE FUNCTION kept_commitment_stats_inserted() RETURNS trigger AS $$
BEGIN
  IF TG_TABLE_NAME = 'commitments' THEN
    PERFORM kept_refresh_commitment_stats(array(SELECT n.id FROM new_rows n));
  ELSE
    PERFORM kept_refresh_commitment_stats(array(SELECT DISTINCT n.commitment_id FROM new_rows n));
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- Row level, with a WHEN that names what a row counts by, for updates: a letter's publication
-- updates a whole year of commitments and appends a lock revision for each, and those rows
-- change nothing counted here, so the trigger does not even run for them.
CREATE OR REPLACE FUNCTION kept_commitment_stats_row_changed() RETURNS trigger AS $$
BEGIN
  IF TG_TABLE_NAME = 'commitments' THEN
    PERFORM kept_refresh_commitment_stats(array[coalesce(NEW.id, OLD.id)]);
  ELSE
    PERFORM kept_refresh_commitment_stats(array[coalesce(NEW.commitment_id, OLD.commitment_id)]);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER commitments_stats_insert AFTER INSERT ON commitments
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kept_commitment_stats_inserted();
--> statement-breakpoint
CREATE TRIGGER commitments_stats_update AFTER UPDATE ON commitments FOR EACH ROW
  WHEN ((OLD.period_label, OLD.team_id, OLD.audience, OLD.status, OLD.due_date) IS DISTINCT FROM (NEW.period_label, NEW.team_id, NEW.audience, NEW.status, NEW.due_date))
  EXECUTE FUNCTION kept_commitment_stats_row_changed();
--> statement-breakpoint
CREATE TRIGGER outcomes_stats_insert AFTER INSERT ON outcomes
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kept_commitment_stats_inserted();
--> statement-breakpoint
CREATE TRIGGER outcomes_stats_update AFTER UPDATE ON outcomes FOR EACH ROW
  WHEN ((OLD.commitment_id, OLD.resolved_at, OLD.reason_category, OLD.control) IS DISTINCT FROM (NEW.commitment_id, NEW.resolved_at, NEW.reason_category, NEW.control))
  EXECUTE FUNCTION kept_commitment_stats_row_changed();
--> statement-breakpoint
CREATE TRIGGER outcomes_stats_delete AFTER DELETE ON outcomes FOR EACH ROW EXECUTE FUNCTION kept_commitment_stats_row_changed();
--> statement-breakpoint
CREATE TRIGGER check_ins_stats_insert AFTER INSERT ON check_ins
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kept_commitment_stats_inserted();
--> statement-breakpoint
CREATE TRIGGER check_ins_stats_change AFTER UPDATE OR DELETE ON check_ins FOR EACH ROW EXECUTE FUNCTION kept_commitment_stats_row_changed();
--> statement-breakpoint
-- Only a re-scope that moved a commitment can change its period of record (the lock revisions of
-- a publication never run it).
CREATE TRIGGER commitment_revisions_stats_insert AFTER INSERT ON commitment_revisions FOR EACH ROW
  WHEN (NEW.kind = 'rescope' AND NEW.changes @> '[{"field": "periodLabel"}]'::jsonb)
  EXECUTE FUNCTION kept_commitment_stats_row_changed();
--> statement-breakpoint
-- The runtime role reads commitment_stats and never writes it (the triggers' function does, as the owner).
CREATE OR REPLACE FUNCTION kept_grant_runtime_role(runtime name) RETURNS void AS $$
BEGIN
  EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', runtime);
  EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', runtime);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', runtime);
  EXECUTE format('REVOKE UPDATE, DELETE ON commitment_revisions, check_ins, letter_errata, min_score_changes FROM %I', runtime);
  EXECUTE format('REVOKE DELETE ON commitments, outcomes FROM %I', runtime);
  EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON commitment_stats FROM %I', runtime);
  -- UPDATE on sequences is setval, which an import needs to continue after imported ids.
  EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO %I', runtime);
  EXECUTE format('GRANT USAGE ON SCHEMA drizzle TO %I', runtime);
  EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA drizzle TO %I', runtime);
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
SELECT kept_refresh_commitment_stats(array(SELECT id FROM commitments));
