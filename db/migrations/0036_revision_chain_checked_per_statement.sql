-- What the chain's row trigger checked of each inserted revision, checked once per INSERT
-- statement over all its rows instead (ADR 0035). A publication appends one lock revision per
-- commitment of its year in one statement; the per-row PL/pgSQL call (stamp tx, the hashes'
-- shape by a regular expression) was the largest part of that INSERT (2.9 s of 6.5 s for 25,000
-- rows, measured under load). The same rows are accepted and refused, with the same messages:
--   * `tx` is the column's default, txid_current() (migration revision_tx_default_and_letter_index); a row
--     naming any other transaction is refused instead of being silently re-stamped;
--   * seq and the three hashes are required, the hashes 64 lowercase hex digits;
--   * the linkage to the head, as before (0033).
-- UPDATE (the one sealing update) and DELETE keep their row trigger, unchanged.
DROP TRIGGER commitment_revisions_chain ON commitment_revisions;
--> statement-breakpoint
CREATE TRIGGER commitment_revisions_chain
  BEFORE UPDATE OR DELETE ON commitment_revisions
  FOR EACH ROW EXECUTE FUNCTION kept_revision_chain();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kept_revision_chain_extends() RETURNS trigger AS $$
DECLARE
  first_seq bigint;
  last_seq bigint;
  n bigint;
  head record;
  broken bigint;
BEGIN
  IF EXISTS (SELECT 1 FROM new_revisions WHERE seq IS NULL OR prev_hash IS NULL OR content_hash IS NULL OR hash IS NULL) THEN
    RAISE EXCEPTION 'record log: a revision must be appended to the hash chain (seq, prev_hash, content_hash and hash)'
      USING ERRCODE = 'check_violation';
  END IF;
  -- Exactly '^[0-9a-f]{64}$', written as a length and a character class: the bounded repetition
  -- made the regular expression itself most of the check (1.7 s against 0.17 s for 25,000 rows).
  IF EXISTS (SELECT 1 FROM new_revisions
             WHERE length(prev_hash) <> 64 OR length(content_hash) <> 64 OR length(hash) <> 64
                OR prev_hash ~ '[^0-9a-f]' OR content_hash ~ '[^0-9a-f]' OR hash ~ '[^0-9a-f]') THEN
    RAISE EXCEPTION 'record log: hashes are 64 lowercase hex digits'
      USING ERRCODE = 'check_violation';
  END IF;
  -- The guards on commitments, outcomes and locks ask "appended by this transaction" of tx.
  IF EXISTS (SELECT 1 FROM new_revisions WHERE tx IS DISTINCT FROM txid_current()) THEN
    RAISE EXCEPTION 'record log: a revision is stamped with the transaction that appends it (leave tx to its default)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
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
