-- commitment_stats.letter_revisions (ADR 0054): whether a letter must read any of the commitment's
-- revisions, so a year's letter reads the revisions of the few flagged commitments instead of
-- probing every creation of the year to drop the lone ones (revisionsOfYear). True exactly when
-- revisionsOfYear sends a row for the commitment: it has a letter revision (create, carried_from,
-- rescope, carry_forward) that is not a lone creation (no other creation or re-scope beside it)
-- whose statement, due date and audience (LETTER_CREATION_FIELDS) all equal the current values.
-- The one definition of a row (migration commitment_stats_triggers) gains the column; nothing
-- else in it changes.
ALTER TABLE "commitment_stats" ADD COLUMN "letter_revisions" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
CREATE INDEX "commitment_stats_letter_revisions_idx" ON "commitment_stats" USING btree ("record_label","commitment_id") WHERE letter_revisions;
--> statement-breakpoint
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
    (commitment_id, record_label, team_id, audience, status, due_date, resolved_at, reason_category, control, forecast, probability, recorded_at, letter_revisions)
  SELECT c.id, coalesce(mv.from_label, c.period_label), c.team_id, c.audience, c.status, c.due_date,
         o.resolved_at, o.reason_category, o.control, r.forecast, r.probability, o.recorded_at,
         -- Any letter revision revisionsOfYear would send (the same predicate, written the same way).
         EXISTS (
           SELECT 1 FROM commitment_revisions lr
           WHERE lr.commitment_id = c.id AND lr.kind IN ('create', 'carried_from', 'rescope', 'carry_forward')
             AND NOT (lr.kind IN ('create', 'carried_from')
                      AND NOT EXISTS (SELECT 1 FROM commitment_revisions x
                                      WHERE x.commitment_id = c.id AND x.kind IN ('create', 'carried_from', 'rescope') AND x.id <> lr.id)
                      AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(lr.changes) e
                                      WHERE e.value->>'field' IN ('statement', 'dueDate', 'audience')
                                        AND e.value->'to' IS DISTINCT FROM CASE e.value->>'field'
                                          WHEN 'statement' THEN to_jsonb(c.statement)
                                          WHEN 'dueDate' THEN to_jsonb(c.due_date::text)
                                          WHEN 'audience' THEN to_jsonb(c.audience) END)))
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
    forecast = excluded.forecast, probability = excluded.probability, recorded_at = excluded.recorded_at,
    letter_revisions = excluded.letter_revisions
  WHERE (s.record_label, s.team_id, s.audience, s.status, s.due_date, s.resolved_at, s.reason_category, s.control, s.forecast, s.probability, s.recorded_at, s.letter_revisions)
    IS DISTINCT FROM
    (excluded.record_label, excluded.team_id, excluded.audience, excluded.status, excluded.due_date, excluded.resolved_at,
     excluded.reason_category, excluded.control, excluded.forecast, excluded.probability, excluded.recorded_at, excluded.letter_revisions);
END;
$$ LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp;
--> statement-breakpoint
-- A commitment's statement is now counted (the flag compares a creation with it).
DROP TRIGGER commitments_stats_update ON commitments;
--> statement-breakpoint
CREATE TRIGGER commitments_stats_update AFTER UPDATE ON commitments FOR EACH ROW
  WHEN ((OLD.period_label, OLD.team_id, OLD.audience, OLD.status, OLD.due_date, OLD.statement) IS DISTINCT FROM (NEW.period_label, NEW.team_id, NEW.audience, NEW.status, NEW.due_date, NEW.statement))
  EXECUTE FUNCTION kept_commitment_stats_row_changed();
--> statement-breakpoint
-- A letter revision can only raise the flag (a revision is never removed), and its commitment's
-- stats row exists already (written when the commitment was). A row-level trigger with a WHEN, so
-- the check-in, outcome, edit and lock revisions (a publication's 18,667 locks) never run it, and
-- it raises the flag with one UPDATE, by the same predicate, instead of recomputing the whole row:
-- an import writes every creation of the organisation in statements of 500 rows, and a
-- recomputation per row cost 0.9–3 ms against 0.07–0.17 ms for this UPDATE (ADR 0054). (A statement-level trigger would capture every row of a
-- publication's lock INSERT in its transition table: 70–130 ms for 18,667 rows, measured.)
CREATE FUNCTION kept_commitment_stats_letter_revision() RETURNS trigger AS $$
BEGIN
  UPDATE commitment_stats s SET letter_revisions = true
  FROM commitments c
  WHERE s.commitment_id = NEW.commitment_id AND c.id = NEW.commitment_id AND NOT s.letter_revisions
    AND (NEW.kind IN ('rescope', 'carry_forward')
         OR EXISTS (SELECT 1 FROM commitment_revisions x
                    WHERE x.commitment_id = NEW.commitment_id AND x.kind IN ('create', 'carried_from', 'rescope') AND x.id <> NEW.id)
         OR EXISTS (SELECT 1 FROM jsonb_array_elements(NEW.changes) e
                    WHERE e.value->>'field' IN ('statement', 'dueDate', 'audience')
                      AND e.value->'to' IS DISTINCT FROM CASE e.value->>'field'
                        WHEN 'statement' THEN to_jsonb(c.statement)
                        WHEN 'dueDate' THEN to_jsonb(c.due_date::text)
                        WHEN 'audience' THEN to_jsonb(c.audience) END));
  RETURN NULL;
END;
$$ LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp;
--> statement-breakpoint
CREATE TRIGGER commitment_revisions_letter_flag AFTER INSERT ON commitment_revisions FOR EACH ROW
  WHEN (NEW.kind IN ('create', 'carried_from', 'rescope', 'carry_forward'))
  EXECUTE FUNCTION kept_commitment_stats_letter_revision();
--> statement-breakpoint
-- The existing rows, by the same definition.
SELECT kept_refresh_commitment_stats(array(SELECT id FROM commitments));
