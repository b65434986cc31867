-- A lowered falsifiability minimum stays on the record: the history of the minimum is
-- append-only, enforced by the database like the revision history (0002).
CREATE TRIGGER min_score_changes_append_only
  BEFORE UPDATE OR DELETE ON min_score_changes
  FOR EACH ROW EXECUTE FUNCTION kept_refuse_change();
