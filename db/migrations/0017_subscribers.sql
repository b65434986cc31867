CREATE TABLE "commitment_watches" (
	"subscriber_id" uuid NOT NULL,
	"commitment_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "commitment_watches_subscriber_id_commitment_id_pk" PRIMARY KEY("subscriber_id","commitment_id")
);
--> statement-breakpoint
CREATE TABLE "subscribers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"letters" boolean DEFAULT false NOT NULL,
	"state" text DEFAULT 'confirmed' NOT NULL,
	"unsubscribe_token" text NOT NULL,
	"bounce_reason" text,
	"bounced_at" timestamp with time zone,
	"confirmed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "subscribers_state_check" CHECK ("subscribers"."state" in ('confirmed', 'bounced'))
);
--> statement-breakpoint
CREATE TABLE "subscription_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"token_hash" text NOT NULL,
	"email" text NOT NULL,
	"commitment_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"confirmed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "commitment_watches" ADD CONSTRAINT "commitment_watches_subscriber_id_subscribers_id_fk" FOREIGN KEY ("subscriber_id") REFERENCES "public"."subscribers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitment_watches" ADD CONSTRAINT "commitment_watches_commitment_id_commitments_id_fk" FOREIGN KEY ("commitment_id") REFERENCES "public"."commitments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscription_requests" ADD CONSTRAINT "subscription_requests_commitment_id_commitments_id_fk" FOREIGN KEY ("commitment_id") REFERENCES "public"."commitments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "commitment_watches_commitment_idx" ON "commitment_watches" USING btree ("commitment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "subscribers_email_key" ON "subscribers" USING btree ("email");--> statement-breakpoint
CREATE UNIQUE INDEX "subscribers_unsubscribe_token_key" ON "subscribers" USING btree ("unsubscribe_token");--> statement-breakpoint
CREATE UNIQUE INDEX "subscription_requests_token_key" ON "subscription_requests" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "subscription_requests_email_idx" ON "subscription_requests" USING btree ("email");--> statement-breakpoint
CREATE INDEX "subscription_requests_expires_idx" ON "subscription_requests" USING btree ("expires_at");