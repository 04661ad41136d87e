-- 013_counts_users.sql - the cabinet's queue counts (GET /api/v1/staff/counts)
-- and the admin's search for people (GET /api/v1/users?q=); statements.c
-- staff_counts and users_search.

-- Overdue: an organisation's open messages past due, counted up to the cap
-- along due_at. messages_open_newest has no due date: with nothing overdue it
-- read every open message of the organisation (0.5 s for 125 000). Moderation
-- is left out too (it has no due date): the predicate then differs from the
-- staff's overdue list's, which keeps reading messages_open_newest in id order
-- (sql/006 dropped an index like this one that list misused).
CREATE INDEX messages_overdue_count ON messages (organisation_id, due_at)
    WHERE status NOT IN ('moderation', 'answered', 'closed', 'rejected');
-- "Mine": the caller's open messages, not every message they ever had.
CREATE INDEX messages_assigned_open ON messages (assignee_id, organisation_id)
    WHERE status NOT IN ('answered', 'closed', 'rejected');

-- A part of a name, any case: trigrams of the lower-cased name (three
-- characters and more; a two-character part reads the whole index).
CREATE INDEX users_name_trigram ON users USING gin (lower(name) gin_trgm_ops);
-- A common part (half the surnames end in -ов): people in name order, until
-- twenty match.
CREATE INDEX users_name ON users (name, id);
-- An oid's prefix: the unique index's collation (C.UTF-8) is not C, so LIKE
-- 'prefix%' cannot use it.
CREATE INDEX users_esia_oid_prefix ON users (esia_oid text_pattern_ops);
