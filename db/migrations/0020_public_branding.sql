CREATE TABLE "organisation_logo" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"content_type" text NOT NULL,
	"data" "bytea" NOT NULL,
	"sha256" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organisation_logo_singleton" CHECK ("organisation_logo"."id" = 1),
	CONSTRAINT "organisation_logo_type" CHECK ("organisation_logo"."content_type" in ('image/png', 'image/jpeg', 'image/webp', 'image/gif')),
	CONSTRAINT "organisation_logo_size" CHECK (octet_length("organisation_logo"."data") between 1 and 262144)
);
--> statement-breakpoint
ALTER TABLE "organisation" ADD COLUMN "accent_colour" text;--> statement-breakpoint
ALTER TABLE "organisation" ADD COLUMN "show_public_check_ins" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "organisation" ADD CONSTRAINT "organisation_accent_colour" CHECK ("organisation"."accent_colour" is null or "organisation"."accent_colour" ~ '^#[0-9a-f]{6}$');