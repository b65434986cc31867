-- Next year's commitments in due order, the first 2,000, as a letter lists them
-- (nextYearCommitments): the planner walked commitments_due_idx from the earliest due date and
-- filtered on the fiscal year, reading every earlier year first (53,000 buffers for FY2026 on
-- the 100,000 seed, against 8,600 through this index, for either audience).
CREATE INDEX "commitments_fy_due_idx" ON "commitments" USING btree ("fiscal_year","due_date","id");
