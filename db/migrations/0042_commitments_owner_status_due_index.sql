-- A person's open commitments by due date (the dashboard's list of one's own, with its count):
-- the planner walked commitments_status_due_idx and filtered on owner_id, reading every open
-- commitment of the organisation when the person owns few or none (2.9 s at 1,000,000
-- commitments, 333,333 rows removed by the filter). This index finds them in the order the
-- list shows; owner_id alone (the people pages, a person's history) is its prefix.
DROP INDEX "commitments_owner_idx";--> statement-breakpoint
CREATE INDEX "commitments_owner_status_due_idx" ON "commitments" USING btree ("owner_id","status","due_date","id");