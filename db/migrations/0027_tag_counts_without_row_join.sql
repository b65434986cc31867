-- The tag counts' UPDATE branch (0022) joined the statement's old and new rows by id to find
-- the rows whose tags changed. A letter's publication locks a whole year in one UPDATE (25,000
-- rows at the scale seed), and that join of two unindexed transition tables took 1–3 s of it
-- while finding nothing. The net change per tag is the same without the join: every tag of the
-- new rows counts +1 and every tag of the old rows −1, and a row whose tags did not change
-- cancels out (HAVING drops the zeros). One pass over each transition table.
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
        SELECT unnest(o.tags) AS tag, -1 AS d FROM old_rows o
        UNION ALL
        SELECT unnest(n.tags), 1 FROM new_rows n
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
