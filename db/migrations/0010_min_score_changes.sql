CREATE TABLE "min_score_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"changed_at" timestamp with time zone NOT NULL,
	"changed_by" uuid,
	"from_score" integer,
	"to_score" integer NOT NULL,
	CONSTRAINT "min_score_changes_range" CHECK ("min_score_changes"."to_score" between 0 and 100 and ("min_score_changes"."from_score" is null or "min_score_changes"."from_score" between 0 and 100))
);
--> statement-breakpoint
ALTER TABLE "organisation" ALTER COLUMN "min_public_score" SET DEFAULT 70;--> statement-breakpoint
ALTER TABLE "min_score_changes" ADD CONSTRAINT "min_score_changes_changed_by_users_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "min_score_changes_changed_at" ON "min_score_changes" USING btree ("changed_at");