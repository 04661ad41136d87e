-- 010_upload_quota.sql - what the upload quota, the upload rate and the
-- scheduler's removal of abandoned uploads read.
--
-- An attachment is "attached" once message_id is set: a citizen's message
-- takes it when sent (modules/widget, purpose 'message') and an executor's
-- answer when drafted (modules/cabinet, purpose 'answer'); nothing else refers
-- to attachments. Until then it is "unattached": it counts against its owner's
-- quota (OTKLIK_UPLOAD_QUOTA_FILES, OTKLIK_UPLOAD_QUOTA_BYTES) and `otklikctl
-- tick` removes it OTKLIK_UPLOAD_TTL_SECONDS after the upload. Whatever comes
-- to refer to attachments later must set message_id too, or change the
-- predicates below and the statements that use them.

-- The quota: an owner's unattached files, their count and total size, and
-- the oldest of them (when the quota frees by itself), read by an index-only
-- scan of a few entries - an owner never has more than the quota.
CREATE INDEX attachments_unattached_owner ON attachments (owner_id, created_at)
    INCLUDE (size_bytes) WHERE message_id IS NULL;

-- The rate: an owner's uploads of the last minute, attached or not (a file
-- sent at once still cost the upload).
CREATE INDEX attachments_owner_created ON attachments (owner_id, created_at);

-- The scheduler: unattached files oldest first, read in batches until the
-- first that is not yet old enough.
CREATE INDEX attachments_unattached_created ON attachments (created_at)
    WHERE message_id IS NULL;
