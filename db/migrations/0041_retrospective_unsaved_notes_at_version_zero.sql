-- Rows made by adding an action item started at version 1 with no notes, so the first save of
-- the notes became version 2 (and was logged as such). Notes saves only ever produced version 2
-- or more, so version 1 means "never saved": such rows move to 0, where new ones now start.
UPDATE "retrospectives" SET "version" = 0 WHERE "version" = 1;
