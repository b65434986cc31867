-- A lock's commitment checked by the lock's guard instead of a foreign key (ADR 0051). The guard
-- already refuses a lock without its commitment's "lock" revision of this transaction, and that
-- revision's own foreign key holds the commitment (and keeps it locked until commit), so the
-- lock table's foreign key only repeated the check: once per row, 18,667 times when a year's
-- letter is published. A delete of a locked commitment is still refused, first by its own
-- trigger, then by the lock revision's foreign key.
ALTER TABLE "commitment_locks" DROP CONSTRAINT "commitment_locks_commitment_id_commitments_id_fk";
--> statement-breakpoint
-- As in commitment_locks_guarded, plus: a lock whose commitment does not exist is refused with
-- the error its foreign key gave (the same code, message, detail and constraint name), as it
-- was before the guard's own error. Looked for only once a lock is found unexplained: an
-- explained lock's commitment exists (its revision's foreign key).
CREATE OR REPLACE FUNCTION kept_commitment_lock_guard() RETURNS trigger AS $$
DECLARE
  unexplained uuid;
  missing uuid;
BEGIN
  SELECT n.commitment_id INTO unexplained
  FROM new_locks n
  WHERE n.tx IS DISTINCT FROM txid_current() OR NOT EXISTS (
    SELECT 1 FROM commitment_revisions r
    WHERE r.tx = txid_current() AND r.commitment_id = n.commitment_id AND r.kind = 'lock' AND r.at = n.locked_at
  )
  LIMIT 1;
  IF FOUND THEN
    SELECT n.commitment_id INTO missing
    FROM new_locks n
    WHERE NOT EXISTS (SELECT 1 FROM commitments c WHERE c.id = n.commitment_id)
    LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION 'insert or update on table "commitment_locks" violates foreign key constraint "commitment_locks_commitment_id_commitments_id_fk"'
        USING ERRCODE = 'foreign_key_violation',
              DETAIL = format('Key (commitment_id)=(%s) is not present in table "commitments".', missing),
              SCHEMA = 'public', TABLE = 'commitment_locks', CONSTRAINT = 'commitment_locks_commitment_id_commitments_id_fk';
    END IF;
    RAISE EXCEPTION 'commitment %: a letter''s lock is set once, with its lock revision appended first in the same transaction', unexplained
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
