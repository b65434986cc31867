DROP INDEX "check_ins_commitment_idx";--> statement-breakpoint
CREATE INDEX "commitments_period_status_idx" ON "commitments" USING btree ("period_label","status","team_id","id");--> statement-breakpoint
CREATE INDEX "check_ins_commitment_idx" ON "check_ins" USING btree ("commitment_id","date","created_at","id","forecast","probability");