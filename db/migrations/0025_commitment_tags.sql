CREATE TABLE "commitment_tags" (
	"tag" text NOT NULL,
	"commitment_id" uuid NOT NULL,
	"due_date" date NOT NULL,
	"committed_at" timestamp with time zone NOT NULL,
	"lint_score" integer NOT NULL,
	CONSTRAINT "commitment_tags_commitment_id_tag_pk" PRIMARY KEY("commitment_id","tag")
);
--> statement-breakpoint
ALTER TABLE "commitment_tags" ADD CONSTRAINT "commitment_tags_commitment_id_commitments_id_fk" FOREIGN KEY ("commitment_id") REFERENCES "public"."commitments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "commitment_tags_due_idx" ON "commitment_tags" USING btree ("tag","due_date","commitment_id");--> statement-breakpoint
CREATE INDEX "commitment_tags_committed_idx" ON "commitment_tags" USING btree ("tag","committed_at","commitment_id");--> statement-breakpoint
CREATE INDEX "commitment_tags_score_idx" ON "commitment_tags" USING btree ("tag","lint_score","commitment_id");