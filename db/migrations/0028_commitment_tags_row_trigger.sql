-- commitment_tags' UPDATE trigger (0026) was statement-level and joined the statement's old and
-- new rows by id to find the rows whose tags or sort keys changed. A letter's publication locks
-- a whole year in one UPDATE (25,000 rows at the scale seed); 0027 measured the same join in the
-- tag counts' trigger at 1–3 s of that UPDATE while finding nothing. Here the work is moved to a
-- row-level trigger that fires only for UPDATEs naming tags, due date, commitment time or score
-- (UPDATE OF), and only for rows where one of them changed (WHEN, evaluated without calling a
-- function): a lock, an outcome or a version bump touches no commitment_tags row and costs nothing.
-- Inserts stay statement-level (one statement per import or seed, however many rows).
CREATE OR REPLACE FUNCTION kept_index_commitment_tags() RETURNS trigger AS $$
BEGIN
  INSERT INTO commitment_tags (commitment_id, tag, due_date, committed_at, lint_score)
    SELECT DISTINCT n.id, t.tag, n.due_date, n.committed_at, n.lint_score
    FROM new_rows n, unnest(n.tags) AS t(tag) WHERE t.tag IS NOT NULL;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kept_reindex_commitment_tags_row() RETURNS trigger AS $$
BEGIN
  DELETE FROM commitment_tags WHERE commitment_id = OLD.id;
  INSERT INTO commitment_tags (commitment_id, tag, due_date, committed_at, lint_score)
    SELECT DISTINCT NEW.id, t.tag, NEW.due_date, NEW.committed_at, NEW.lint_score
    FROM unnest(NEW.tags) AS t(tag) WHERE t.tag IS NOT NULL;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
DROP TRIGGER IF EXISTS commitments_index_tags_update ON commitments;
--> statement-breakpoint
CREATE TRIGGER commitments_index_tags_update
  AFTER UPDATE OF tags, due_date, committed_at, lint_score ON commitments
  FOR EACH ROW
  WHEN ((OLD.tags, OLD.due_date, OLD.committed_at, OLD.lint_score) IS DISTINCT FROM (NEW.tags, NEW.due_date, NEW.committed_at, NEW.lint_score))
  EXECUTE FUNCTION kept_reindex_commitment_tags_row();
