-- 031_participation_files.sql - the files a voting project or a discussion
-- shows: public (anyone may read them, GET /api/v1/attachments/{id}) and kept
-- (the scheduler removes only unsent uploads nothing refers to). Before, a
-- project's photo or a discussion's document was readable only by its
-- uploader and removed a day after upload as an unsent file.
CREATE INDEX voting_projects_photos ON voting_projects USING gin (photo_ids);
CREATE INDEX discussions_attachments ON discussions USING gin (attachment_ids);

CREATE FUNCTION attachment_is_public(p_id bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM voting_projects WHERE photo_ids @> ARRAY[p_id])
        OR EXISTS (SELECT 1 FROM discussions WHERE attachment_ids @> ARRAY[p_id])
$$;
