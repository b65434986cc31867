DROP INDEX "commitments_period_idx";--> statement-breakpoint
DROP INDEX "commitments_status_due_idx";--> statement-breakpoint
CREATE INDEX "commitments_period_due_idx" ON "commitments" USING btree ("period_label","due_date","id");--> statement-breakpoint
CREATE INDEX "commitments_score_idx" ON "commitments" USING btree ("lint_score","id");--> statement-breakpoint
CREATE INDEX "commitments_status_due_idx" ON "commitments" USING btree ("status","due_date","id");