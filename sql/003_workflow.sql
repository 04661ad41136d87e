-- 003_workflow.sql - the message lifecycle after intake: routing, execution,
-- approval, answers, ratings, rework, notifications and their delivery.

-- Whether territory child lies within (or is) territory ancestor: a moderation
-- organisation covers its territory and everything below it.
CREATE FUNCTION territory_within(child bigint, ancestor bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
    WITH RECURSIVE up (id, parent_id) AS (
        SELECT id, parent_id FROM territories WHERE id = child
        UNION ALL
        SELECT t.id, t.parent_id FROM territories t JOIN up ON t.id = up.parent_id
    )
    SELECT EXISTS (SELECT 1 FROM up WHERE id = ancestor)
$$;

ALTER TABLE messages
    -- reason code 1..10 of a rejection (SPEC)
    ADD COLUMN rejection_reason smallint CHECK (rejection_reason BETWEEN 1 AND 10),
    -- the executor's answer waiting for the manager's approval
    ADD COLUMN answer_draft text,
    -- the approved answer the citizen reads, and when it was given
    ADD COLUMN answer text,
    ADD COLUMN answered_at timestamptz,
    -- how many answers were approved: a rating is given once per answer
    ADD COLUMN answer_round integer NOT NULL DEFAULT 0,
    -- a proposed redirect: where to, and the status to return to if refused
    ADD COLUMN redirect_organisation_id bigint REFERENCES organisations,
    ADD COLUMN redirect_from_status text,
    ADD COLUMN closed_at timestamptz,
    -- bumped by every transition, for clients that cache
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT otklik_now();

-- Staff lists: by organisation, status, assignee, newest first; overdue scans
-- only open messages by due date.
CREATE INDEX messages_organisation ON messages (organisation_id, id DESC);
CREATE INDEX messages_organisation_status ON messages (organisation_id, status, id DESC);
CREATE INDEX messages_assignee ON messages (assignee_id, id DESC) WHERE assignee_id IS NOT NULL;
CREATE INDEX messages_open_due ON messages (organisation_id, due_at)
    WHERE status NOT IN ('answered', 'closed', 'rejected');
-- the scheduler's auto-closing of answered messages
CREATE INDEX messages_answered ON messages (answered_at) WHERE status = 'answered';

-- Answers' files: an attachment belongs to a message as sent, or to an answer.
ALTER TABLE attachments ADD COLUMN purpose text NOT NULL DEFAULT 'message'
    CHECK (purpose IN ('message', 'answer'));

-- One rating per answer (answer_round), 1..5.
CREATE TABLE message_ratings (
    message_id    bigint NOT NULL REFERENCES messages,
    answer_round  integer NOT NULL,
    author_id     bigint NOT NULL REFERENCES users,
    score         smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment       text,
    created_at    timestamptz NOT NULL DEFAULT otklik_now(),
    PRIMARY KEY (message_id, answer_round)
);

-- What the citizen is told; also the outbox of the webhook notifier: a row is
-- delivered (delivered_at) at least once, in id order per message, with its id
-- as the receiver's key for dropping duplicates.
CREATE TABLE notifications (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id          bigint NOT NULL REFERENCES users,
    message_id       bigint NOT NULL REFERENCES messages,
    event_id         bigint NOT NULL REFERENCES message_events,
    status           text NOT NULL,
    title            text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT otklik_now(),
    read_at          timestamptz,
    delivered_at     timestamptz,
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT otklik_now(),
    last_error       text
);
-- the citizen's feed, newest first
CREATE INDEX notifications_user ON notifications (user_id, id DESC);
-- the notifier's queue
CREATE INDEX notifications_undelivered ON notifications (next_attempt_at, id)
    WHERE delivered_at IS NULL;
CREATE INDEX notifications_message_undelivered ON notifications (message_id, id)
    WHERE delivered_at IS NULL;
