CREATE TABLE "commitment_stats" (
	"commitment_id" uuid PRIMARY KEY NOT NULL,
	"record_label" text NOT NULL,
	"team_id" uuid NOT NULL,
	"audience" text NOT NULL,
	"status" text NOT NULL,
	"due_date" date NOT NULL,
	"resolved_at" date,
	"reason_category" text,
	"control" text,
	"forecast" text,
	"probability" integer
);
--> statement-breakpoint
ALTER TABLE "commitment_stats" ADD CONSTRAINT "commitment_stats_commitment_id_commitments_id_fk" FOREIGN KEY ("commitment_id") REFERENCES "public"."commitments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "commitment_stats_label_status_idx" ON "commitment_stats" USING btree ("record_label","status","team_id","audience");--> statement-breakpoint
CREATE INDEX "commitment_stats_label_due_idx" ON "commitment_stats" USING btree ("record_label","due_date","commitment_id","team_id");--> statement-breakpoint
CREATE INDEX "commitment_stats_due_idx" ON "commitment_stats" USING btree ("due_date","status","team_id");