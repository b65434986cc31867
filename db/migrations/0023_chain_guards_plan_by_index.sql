-- The record's row triggers look up the chain's head (ORDER BY seq DESC LIMIT 1) and "the
-- revision this transaction appended" (tx, commitment_id) once per row. PL/pgSQL caches each
-- query's plan for the session; planned while commitment_revisions was empty or small, that plan
-- is a sequential scan, and a publication appending 25,000 lock revisions then rescans the
-- growing table for every row (quadratic: 26 s for a 25,000-commitment year, issue #13). These
-- lookups are only ever meant to use their indexes, so the functions plan without seq scans.
ALTER FUNCTION kept_revision_chain() SET enable_seqscan = off;--> statement-breakpoint
ALTER FUNCTION kept_commitment_guard() SET enable_seqscan = off;--> statement-breakpoint
ALTER FUNCTION kept_outcome_guard() SET enable_seqscan = off;
