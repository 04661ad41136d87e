-- 021_rubric_flags.sql - the rubricator as operators edit it (modules/admin):
-- an accelerated flag beside deadline_days (the platform answers such topics
-- faster: safety, heating, water, medicine, emergencies).

ALTER TABLE rubrics ADD COLUMN is_accelerated boolean NOT NULL DEFAULT false;
