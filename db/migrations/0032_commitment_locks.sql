CREATE TABLE "commitment_locks" (
	"commitment_id" uuid PRIMARY KEY NOT NULL,
	"locked_at" timestamp with time zone NOT NULL,
	"tx" bigint DEFAULT txid_current() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "commitment_locks" ADD CONSTRAINT "commitment_locks_commitment_id_commitments_id_fk" FOREIGN KEY ("commitment_id") REFERENCES "public"."commitments"("id") ON DELETE restrict ON UPDATE no action;