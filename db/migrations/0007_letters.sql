CREATE TABLE "letter_errata" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"letter_id" uuid NOT NULL,
	"body" text NOT NULL,
	"body_html" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "letters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"fiscal_year" integer NOT NULL,
	"audience" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"generated_body" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid NOT NULL,
	"generated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	"published_at" timestamp with time zone,
	"published_by" uuid,
	"published_markdown" text,
	"published_html" text,
	"sha256" text,
	"ledger" jsonb,
	"previous_letter_id" uuid,
	CONSTRAINT "letters_status_check" CHECK ("letters"."status" in ('draft', 'published')),
	CONSTRAINT "letters_published_complete_check" CHECK ("letters"."status" = 'draft' or ("letters"."published_at" is not null and "letters"."published_markdown" is not null and "letters"."published_html" is not null and "letters"."sha256" is not null and "letters"."ledger" is not null))
);
--> statement-breakpoint
ALTER TABLE "letter_errata" ADD CONSTRAINT "letter_errata_letter_id_letters_id_fk" FOREIGN KEY ("letter_id") REFERENCES "public"."letters"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letter_errata" ADD CONSTRAINT "letter_errata_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letters" ADD CONSTRAINT "letters_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letters" ADD CONSTRAINT "letters_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letters" ADD CONSTRAINT "letters_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letters" ADD CONSTRAINT "letters_previous_letter_id_letters_id_fk" FOREIGN KEY ("previous_letter_id") REFERENCES "public"."letters"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "letter_errata_letter_idx" ON "letter_errata" USING btree ("letter_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "letters_year_audience_key" ON "letters" USING btree ("fiscal_year","audience");--> statement-breakpoint
CREATE INDEX "letters_published_idx" ON "letters" USING btree ("status","published_at");