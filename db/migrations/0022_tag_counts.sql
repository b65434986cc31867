-- tag_counts (0021) is kept by statement-level triggers on commitments: one upsert per tag a
-- statement touches, however many rows it writes (an import or the scale seed writes
-- thousands in one statement). Runs as the invoker; the runtime role writes tag_counts.
CREATE OR REPLACE FUNCTION kept_count_tags() RETURNS trigger AS $$
DECLARE
  r record;
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO tag_counts (tag, commitments)
      SELECT t.tag, count(*) FROM new_rows n, unnest(n.tags) AS t(tag) GROUP BY t.tag
      ON CONFLICT (tag) DO UPDATE SET commitments = tag_counts.commitments + excluded.commitments;
  ELSIF TG_OP = 'UPDATE' THEN
    -- Most updates (a lock, an outcome, a check-in's version bump) leave tags alone: no row.
    FOR r IN
      SELECT x.tag, sum(x.d)::int AS d FROM (
        SELECT unnest(o.tags) AS tag, -1 AS d FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE o.tags IS DISTINCT FROM n.tags
        UNION ALL
        SELECT unnest(n.tags), 1 FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE o.tags IS DISTINCT FROM n.tags
      ) x GROUP BY x.tag HAVING sum(x.d) <> 0
    LOOP
      INSERT INTO tag_counts (tag, commitments) VALUES (r.tag, greatest(r.d, 0))
        ON CONFLICT (tag) DO UPDATE SET commitments = greatest(tag_counts.commitments + r.d, 0);
    END LOOP;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE tag_counts SET commitments = greatest(tag_counts.commitments - x.n, 0)
      FROM (SELECT t.tag, count(*)::int AS n FROM old_rows o, unnest(o.tags) AS t(tag) GROUP BY t.tag) x
      WHERE tag_counts.tag = x.tag;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER commitments_count_tags_insert AFTER INSERT ON commitments
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kept_count_tags();
--> statement-breakpoint
CREATE TRIGGER commitments_count_tags_update AFTER UPDATE ON commitments
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kept_count_tags();
--> statement-breakpoint
CREATE TRIGGER commitments_count_tags_delete AFTER DELETE ON commitments
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kept_count_tags();
--> statement-breakpoint
INSERT INTO tag_counts (tag, commitments)
  SELECT t.tag, count(*) FROM commitments c, unnest(c.tags) AS t(tag) GROUP BY t.tag
  ON CONFLICT (tag) DO UPDATE SET commitments = excluded.commitments;
