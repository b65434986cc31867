CREATE TABLE "check_ins" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"commitment_id" uuid NOT NULL,
	"date" date NOT NULL,
	"forecast" text NOT NULL,
	"probability" integer NOT NULL,
	"progress_value" double precision,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid NOT NULL,
	CONSTRAINT "check_ins_probability_check" CHECK ("check_ins"."probability" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "commitment_revisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"commitment_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"kind" text NOT NULL,
	"actor_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"changes" jsonb NOT NULL,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "commitments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" uuid NOT NULL,
	"period_label" text NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"fiscal_year" integer NOT NULL,
	"statement" text NOT NULL,
	"details" text DEFAULT '' NOT NULL,
	"measure_kind" text NOT NULL,
	"metric_name" text,
	"metric_baseline" double precision,
	"metric_comparator" text,
	"metric_target" double precision,
	"metric_unit" text,
	"deliverable_event" text,
	"evidence_source" text DEFAULT '' NOT NULL,
	"due_date" date NOT NULL,
	"owner_id" uuid,
	"audience" text NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"lint_score" integer NOT NULL,
	"lint_findings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"locked_by_letter_at" timestamp with time zone,
	"predecessor_id" uuid,
	"attempt" integer DEFAULT 1 NOT NULL,
	"source_action_item_id" uuid,
	"committed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"committed_by" uuid NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (to_tsvector('english', coalesce("commitments"."statement", '') || ' ' || coalesce("commitments"."details", '') || ' ' || coalesce("commitments"."deliverable_event", '') || ' ' || coalesce("commitments"."metric_name", ''))) STORED,
	CONSTRAINT "commitments_measure_check" CHECK (("commitments"."measure_kind" = 'metric' and "commitments"."metric_target" is not null and "commitments"."metric_comparator" is not null) or ("commitments"."measure_kind" = 'deliverable' and "commitments"."deliverable_event" is not null)),
	CONSTRAINT "commitments_attempt_check" CHECK ("commitments"."attempt" >= 1),
	CONSTRAINT "commitments_score_check" CHECK ("commitments"."lint_score" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "outcomes" (
	"commitment_id" uuid PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"resolved_at" date NOT NULL,
	"actual_value" double precision,
	"evidence_url" text,
	"partial_description" text,
	"reason_category" text,
	"control" text,
	"explanation" text,
	"lesson" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by" uuid NOT NULL,
	CONSTRAINT "outcomes_rules_check" CHECK (("outcomes"."status" = 'delivered' and "outcomes"."evidence_url" is not null) or ("outcomes"."status" <> 'delivered' and "outcomes"."reason_category" is not null and "outcomes"."control" is not null and "outcomes"."explanation" is not null and "outcomes"."lesson" is not null))
);
--> statement-breakpoint
ALTER TABLE "check_ins" ADD CONSTRAINT "check_ins_commitment_id_commitments_id_fk" FOREIGN KEY ("commitment_id") REFERENCES "public"."commitments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_ins" ADD CONSTRAINT "check_ins_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitment_revisions" ADD CONSTRAINT "commitment_revisions_commitment_id_commitments_id_fk" FOREIGN KEY ("commitment_id") REFERENCES "public"."commitments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitment_revisions" ADD CONSTRAINT "commitment_revisions_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_predecessor_id_commitments_id_fk" FOREIGN KEY ("predecessor_id") REFERENCES "public"."commitments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_committed_by_users_id_fk" FOREIGN KEY ("committed_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_commitment_id_commitments_id_fk" FOREIGN KEY ("commitment_id") REFERENCES "public"."commitments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "check_ins_commitment_idx" ON "check_ins" USING btree ("commitment_id","date","created_at");--> statement-breakpoint
CREATE INDEX "commitment_revisions_commitment_idx" ON "commitment_revisions" USING btree ("commitment_id","id");--> statement-breakpoint
CREATE INDEX "commitments_team_due_idx" ON "commitments" USING btree ("team_id","due_date","id");--> statement-breakpoint
CREATE INDEX "commitments_due_idx" ON "commitments" USING btree ("due_date","id");--> statement-breakpoint
CREATE INDEX "commitments_period_idx" ON "commitments" USING btree ("period_label");--> statement-breakpoint
CREATE INDEX "commitments_fy_idx" ON "commitments" USING btree ("fiscal_year","audience");--> statement-breakpoint
CREATE INDEX "commitments_status_due_idx" ON "commitments" USING btree ("status","due_date");--> statement-breakpoint
CREATE INDEX "commitments_owner_idx" ON "commitments" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "commitments_predecessor_idx" ON "commitments" USING btree ("predecessor_id");--> statement-breakpoint
CREATE INDEX "commitments_committed_idx" ON "commitments" USING btree ("committed_at","id");--> statement-breakpoint
CREATE INDEX "commitments_tags_idx" ON "commitments" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "commitments_search_idx" ON "commitments" USING gin ("search");--> statement-breakpoint
CREATE INDEX "outcomes_recorded_idx" ON "outcomes" USING btree ("recorded_at");