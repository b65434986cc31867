ALTER TABLE "commitment_revisions" ADD COLUMN "seq" bigint;--> statement-breakpoint
ALTER TABLE "commitment_revisions" ADD COLUMN "prev_hash" text;--> statement-breakpoint
ALTER TABLE "commitment_revisions" ADD COLUMN "content_hash" text;--> statement-breakpoint
ALTER TABLE "commitment_revisions" ADD COLUMN "hash" text;--> statement-breakpoint
ALTER TABLE "commitment_revisions" ADD COLUMN "tx" bigint;--> statement-breakpoint
CREATE UNIQUE INDEX "commitment_revisions_seq_key" ON "commitment_revisions" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "commitment_revisions_tx_idx" ON "commitment_revisions" USING btree ("tx","commitment_id");