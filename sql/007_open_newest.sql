-- 007_open_newest.sql - the staff's overdue list, again. Ordered by id, the
-- planner preferred walking the primary key backwards and filtering: it
-- assumes overdue messages are spread evenly over the ids, but the newest are
-- the ones not yet due (and those still in moderation), so a page read tens of
-- thousands of rows. Ordered by an expression only this index provides, the
-- list reads the organisation's open messages newest first and stops after a
-- page.
CREATE INDEX messages_open_newest ON messages (organisation_id, (- id))
    WHERE status NOT IN ('answered', 'closed', 'rejected');
DROP INDEX messages_open_by_id;
