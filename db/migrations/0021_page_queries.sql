CREATE TABLE "tag_counts" (
	"tag" text PRIMARY KEY NOT NULL,
	"commitments" integer NOT NULL
);
--> statement-breakpoint
DROP INDEX "outcomes_recorded_idx";--> statement-breakpoint
CREATE INDEX "commitment_revisions_moved_idx" ON "commitment_revisions" USING btree ("commitment_id","id") WHERE "commitment_revisions"."kind" = 'rescope' and "commitment_revisions"."changes" @> '[{"field": "periodLabel"}]'::jsonb;--> statement-breakpoint
CREATE INDEX "outcomes_recorded_idx" ON "outcomes" USING btree ("recorded_at","commitment_id");