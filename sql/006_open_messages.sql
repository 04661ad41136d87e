-- 006_open_messages.sql - the staff's overdue list, newest first: an index of
-- the open messages of each organisation in id order, so the list stops after
-- a page instead of sorting every overdue message of the organisation.
CREATE INDEX messages_open_by_id ON messages (organisation_id, id DESC)
    WHERE status NOT IN ('answered', 'closed', 'rejected');
