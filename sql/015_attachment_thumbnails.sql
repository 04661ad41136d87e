-- 015_attachment_thumbnails.sql - a small JPEG of each image attachment, made
-- once, on its first request (modules/cabinet/attachments.c), and served from
-- here ever after.

-- One row per image attachment that was asked for a thumbnail. data is NULL
-- when none could be made (broken data, a file that only starts like an
-- image, more pixels than core/ok_thumbnail.c decodes): the refusal is
-- remembered too, so that a hostile file costs one decoding, not one per
-- request. sha256 of data is the thumbnail's ETag. The row goes with its
-- attachment (the scheduler removes unsent files).
CREATE TABLE attachment_thumbnails (
    attachment_id  bigint PRIMARY KEY REFERENCES attachments ON DELETE CASCADE,
    width          integer CHECK (width BETWEEN 1 AND 320),
    height         integer CHECK (height BETWEEN 1 AND 320),
    sha256         text,
    data           bytea,
    created_at     timestamptz NOT NULL DEFAULT otklik_now(),
    CONSTRAINT attachment_thumbnails_made CHECK (
        (data IS NULL) = (sha256 IS NULL) AND (data IS NULL) = (width IS NULL)
        AND (data IS NULL) = (height IS NULL))
);
