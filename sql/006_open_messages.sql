-- 006_open_messages.sql - the staff's overdue list, newest first: an index of
-- the open messages of each organisation in id order, so the list stops after
-- a page instead of sorting every overdue message of the organisation.
CREATE INDEX messages_open_by_id ON messages (organisation_id, id DESC)
    WHERE status NOT IN ('answered', 'closed', 'rejected');

-- Read by due date, this index let the planner pick "every overdue message,
-- then sort" for the overdue list; nothing else uses it.
DROP INDEX messages_open_due;
