-- 009_staff_newest.sql - the staff's full list, like the overdue one in 007.
-- Ordered by id, the planner walked the primary key backwards and filtered
-- on the organisation (or the moderation queue's territory), because it
-- cannot know, planning a join, how many messages that organisation has: for
-- one with few or none it read every message (0.5 to 3 s on a million). The
-- list is now ordered by - id, which only these indexes provide, so each
-- organisation's and each territory's page is read along its own index and
-- stops after a page.
CREATE INDEX messages_organisation_newest ON messages (organisation_id, (- id));
CREATE INDEX messages_organisation_status_newest ON messages (organisation_id, status, (- id));
CREATE INDEX messages_moderation_newest ON messages (territory_id, (- id))
    WHERE status = 'moderation';
DROP INDEX messages_organisation;
DROP INDEX messages_organisation_status;
DROP INDEX messages_moderation;
