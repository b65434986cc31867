-- commitment_tags (0025) holds one row per (commitment, tag) with the list's sort keys, kept
-- here by statement-level triggers on commitments (as tag_counts is, 0022): one statement per
-- write, however many rows it touches. Most updates (a lock, an outcome, a version bump) change
-- none of tags, due date, commitment time or score and touch no row. Deletes cascade (the
-- foreign key). Runs as the invoker; the runtime role writes commitment_tags.
CREATE OR REPLACE FUNCTION kept_index_commitment_tags() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO commitment_tags (commitment_id, tag, due_date, committed_at, lint_score)
      SELECT DISTINCT n.id, t.tag, n.due_date, n.committed_at, n.lint_score
      FROM new_rows n, unnest(n.tags) AS t(tag) WHERE t.tag IS NOT NULL;
  ELSIF TG_OP = 'UPDATE' THEN
    DELETE FROM commitment_tags ct USING old_rows o, new_rows n
      WHERE n.id = o.id AND ct.commitment_id = o.id
        AND (o.tags, o.due_date, o.committed_at, o.lint_score) IS DISTINCT FROM (n.tags, n.due_date, n.committed_at, n.lint_score);
    INSERT INTO commitment_tags (commitment_id, tag, due_date, committed_at, lint_score)
      SELECT DISTINCT n.id, t.tag, n.due_date, n.committed_at, n.lint_score
      FROM old_rows o JOIN new_rows n ON n.id = o.id, unnest(n.tags) AS t(tag)
      WHERE t.tag IS NOT NULL
        AND (o.tags, o.due_date, o.committed_at, o.lint_score) IS DISTINCT FROM (n.tags, n.due_date, n.committed_at, n.lint_score);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER commitments_index_tags_insert AFTER INSERT ON commitments
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kept_index_commitment_tags();
--> statement-breakpoint
CREATE TRIGGER commitments_index_tags_update AFTER UPDATE ON commitments
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kept_index_commitment_tags();
--> statement-breakpoint
INSERT INTO commitment_tags (commitment_id, tag, due_date, committed_at, lint_score)
  SELECT DISTINCT c.id, t.tag, c.due_date, c.committed_at, c.lint_score
  FROM commitments c, unnest(c.tags) AS t(tag) WHERE t.tag IS NOT NULL
  ON CONFLICT DO NOTHING;
