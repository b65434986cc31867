-- commitment_stats.recorded_at (ADR 0037): when the commitment's outcome was recorded, so the
-- dashboard of one's own teams takes "recently resolved" from each team's range of
-- commitment_stats_team_recorded_idx instead of walking every outcome of the organisation in the
-- window and dropping those of other teams. The one definition of a row (migration
-- commitment_stats_triggers) gains the column; nothing else in it changes.
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
    (commitment_id, record_label, team_id, audience, status, due_date, resolved_at, reason_category, control, forecast, probability, recorded_at)
  SELECT c.id, coalesce(mv.from_label, c.period_label), c.team_id, c.audience, c.status, c.due_date,
         o.resolved_at, o.reason_category, o.control, r.forecast, r.probability, o.recorded_at
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
    forecast = excluded.forecast, probability = excluded.probability, recorded_at = excluded.recorded_at
  WHERE (s.record_label, s.team_id, s.audience, s.status, s.due_date, s.resolved_at, s.reason_category, s.control, s.forecast, s.probability, s.recorded_at)
    IS DISTINCT FROM
    (excluded.record_label, excluded.team_id, excluded.audience, excluded.status, excluded.due_date, excluded.resolved_at,
     excluded.reason_category, excluded.control, excluded.forecast, excluded.probability, excluded.recorded_at);
END;
$$ LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp;
--> statement-breakpoint
-- An outcome's recorded_at is now counted: a change of it alone recomputes the row.
DROP TRIGGER outcomes_stats_update ON outcomes;
--> statement-breakpoint
CREATE TRIGGER outcomes_stats_update AFTER UPDATE ON outcomes FOR EACH ROW
  WHEN ((OLD.commitment_id, OLD.resolved_at, OLD.reason_category, OLD.control, OLD.recorded_at) IS DISTINCT FROM (NEW.commitment_id, NEW.resolved_at, NEW.reason_category, NEW.control, NEW.recorded_at))
  EXECUTE FUNCTION kept_commitment_stats_row_changed();
--> statement-breakpoint
-- The existing rows, by the same definition (the outcome's recorded_at; none while open).
UPDATE commitment_stats s SET recorded_at = o.recorded_at FROM outcomes o WHERE o.commitment_id = s.commitment_id;
--> statement-breakpoint
-- Figures kept in memory between changes (ADR 0037, app/utils/figure-cache.server.ts): on commit,
-- every listening process hears which period labels' commitment_stats rows a statement changed
-- (a row moved between labels names both), and drops the figures counted from them. NOTIFY is
-- transactional (nothing for a rolled-back change; delivered after the change is visible) and
-- folds identical payloads of one transaction. ENABLE ALWAYS, so a refresh in replica mode (the
-- scale seed) or a test reset is announced too. A payload too long for NOTIFY says '*' (all).
CREATE FUNCTION kept_figures_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  labels text;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    labels := '*';
  ELSIF TG_OP = 'INSERT' THEN
    SELECT string_agg(DISTINCT n.record_label, ',') INTO labels FROM new_rows n;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT string_agg(DISTINCT o.record_label, ',') INTO labels FROM old_rows o;
  ELSE
    SELECT string_agg(DISTINCT x.label, ',') INTO labels
    FROM (SELECT o.record_label AS label FROM old_rows o UNION SELECT n.record_label FROM new_rows n) x;
  END IF;
  IF labels IS NULL THEN
    RETURN NULL;
  END IF;
  IF length(labels) > 7000 THEN
    labels := '*';
  END IF;
  PERFORM pg_notify('kept_figures', labels);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER commitment_stats_figures_insert AFTER INSERT ON commitment_stats
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kept_figures_changed();
--> statement-breakpoint
CREATE TRIGGER commitment_stats_figures_update AFTER UPDATE ON commitment_stats
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kept_figures_changed();
--> statement-breakpoint
CREATE TRIGGER commitment_stats_figures_delete AFTER DELETE ON commitment_stats
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kept_figures_changed();
--> statement-breakpoint
CREATE TRIGGER commitment_stats_figures_truncate AFTER TRUNCATE ON commitment_stats
  FOR EACH STATEMENT EXECUTE FUNCTION kept_figures_changed();
--> statement-breakpoint
ALTER TABLE commitment_stats ENABLE ALWAYS TRIGGER commitment_stats_figures_insert;
--> statement-breakpoint
ALTER TABLE commitment_stats ENABLE ALWAYS TRIGGER commitment_stats_figures_update;
--> statement-breakpoint
ALTER TABLE commitment_stats ENABLE ALWAYS TRIGGER commitment_stats_figures_delete;
--> statement-breakpoint
ALTER TABLE commitment_stats ENABLE ALWAYS TRIGGER commitment_stats_figures_truncate;
