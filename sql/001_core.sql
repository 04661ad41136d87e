-- 001_core.sql - territories, organisations, people and their roles, the
-- rubricator, widgets, attachments, messages and their audit trail.
--
-- Conventions: tables are plural nouns; columns carry their unit
-- (deadline_days, size_bytes); times are timestamptz (UTC on the wire).

-- similarity() for the near-duplicate pre-check (reason code 9).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The platform's clock. Workers in test builds shift it with
-- OTKLIK_CLOCK_OFFSET_SECONDS, passed as the session setting below, so that
-- deadlines and auto-closing can be tested without waiting.
CREATE FUNCTION otklik_now() RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT now() + make_interval(secs => coalesce(
        nullif(current_setting('otklik.clock_offset_seconds', true), '')::double precision, 0))
$$;

-- Regions and municipalities; a moderation organisation covers a territory and
-- everything below it.
CREATE TABLE territories (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL UNIQUE,
    name        text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('region', 'municipality')),
    parent_id   bigint REFERENCES territories
);

CREATE TABLE organisations (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code          text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name          text NOT NULL,
    territory_id  bigint NOT NULL REFERENCES territories,
    -- a ЦУР-like organisation that moderates its territory's incoming messages
    is_moderation boolean NOT NULL DEFAULT false
);

-- People, identified by their ESIA object id.
CREATE TABLE users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    esia_oid      text NOT NULL UNIQUE,
    name          text NOT NULL,
    -- where the person lives, when known (ESIA address); messages sent without
    -- a widget are moderated there
    territory_id  bigint REFERENCES territories,
    created_at    timestamptz NOT NULL DEFAULT otklik_now()
);

CREATE TABLE staff_roles (
    user_id          bigint NOT NULL REFERENCES users,
    organisation_id  bigint NOT NULL REFERENCES organisations,
    role             text NOT NULL CHECK (role IN
                         ('moderator', 'coordinator', 'executor', 'manager', 'curator', 'admin')),
    granted_at       timestamptz NOT NULL DEFAULT otklik_now(),
    PRIMARY KEY (user_id, organisation_id, role)
);
-- "the organisation's staff" lists
CREATE INDEX staff_roles_organisation ON staff_roles (organisation_id);

-- The rubricator: a two-level tree of topics; deadline_days sets a message's
-- due date from its acceptance.
CREATE TABLE rubrics (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code           text NOT NULL UNIQUE,
    parent_id      bigint REFERENCES rubrics,
    title          text NOT NULL,
    deadline_days  integer NOT NULL CHECK (deadline_days BETWEEN 1 AND 365),
    position       integer NOT NULL DEFAULT 0,
    is_active      boolean NOT NULL DEFAULT true
);
CREATE INDEX rubrics_parent ON rubrics (parent_id, position);

-- An organisation's embeddable widget. allowed_origins are the exact origins
-- (scheme://host[:port]) of the pages that may embed it: the CORS allow-list.
-- rubric_ids limits the rubrics offered (a parent offers its children);
-- empty offers the whole rubricator.
CREATE TABLE widgets (
    key              text PRIMARY KEY CHECK (key ~ '^[A-Za-z0-9_-]{3,64}$'),
    organisation_id  bigint NOT NULL REFERENCES organisations,
    allowed_origins  text[] NOT NULL DEFAULT '{}',
    rubric_ids       bigint[] NOT NULL DEFAULT '{}',
    title            text NOT NULL,
    texts            jsonb NOT NULL DEFAULT '{}'
);

-- Files citizens upload before sending the message that carries them. The
-- bytes live in the database so that a message and its files commit together.
CREATE TABLE attachments (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id      bigint NOT NULL REFERENCES users,
    content_type  text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'application/pdf')),
    size_bytes    integer NOT NULL CHECK (size_bytes > 0),
    sha256        text NOT NULL,
    data          bytea NOT NULL,
    -- set once, when a message (or an answer) takes the file
    message_id    bigint,
    created_at    timestamptz NOT NULL DEFAULT otklik_now()
);
CREATE INDEX attachments_message ON attachments (message_id) WHERE message_id IS NOT NULL;

CREATE TABLE messages (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id        bigint NOT NULL REFERENCES users,
    rubric_id        bigint NOT NULL REFERENCES rubrics,
    text             text NOT NULL,
    address          text,
    latitude         double precision CHECK (latitude BETWEEN -90 AND 90),
    longitude        double precision CHECK (longitude BETWEEN -180 AND 180),
    status           text NOT NULL DEFAULT 'moderation' CHECK (status IN
                         ('moderation', 'registered', 'rejected', 'in_progress', 'approval',
                          'redirect_approval', 'answered', 'returned', 'closed')),
    -- suggestions of the automatic pre-checks, [{code, rule}]
    flags            jsonb NOT NULL DEFAULT '[]',
    -- where it is moderated: the widget's organisation's territory, else the
    -- author's, else the root region
    territory_id     bigint NOT NULL REFERENCES territories,
    -- who answers it; NULL until a moderator routes it
    organisation_id  bigint REFERENCES organisations,
    widget_key       text REFERENCES widgets,
    assignee_id      bigint REFERENCES users,
    created_at       timestamptz NOT NULL DEFAULT otklik_now(),
    due_at           timestamptz,
    -- a client's retry of the same send (Idempotency-Key header) finds this row;
    -- request_sha256 tells a true retry from a different body under the same key
    idempotency_key  text,
    request_sha256   text,
    CONSTRAINT messages_idempotency UNIQUE (author_id, idempotency_key)
);
-- the citizen's "my messages", newest first; also the near-duplicate check
CREATE INDEX messages_author ON messages (author_id, id DESC);
-- the moderation queue of a territory
CREATE INDEX messages_moderation ON messages (territory_id, id) WHERE status = 'moderation';

-- The append-only audit trail: every transition of every message.
CREATE TABLE message_events (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id   bigint NOT NULL REFERENCES messages,
    actor_id     bigint REFERENCES users,         -- NULL for the scheduler
    actor_role   text NOT NULL,                   -- citizen, moderator, ..., system
    from_status  text,                            -- NULL for the first event
    to_status    text NOT NULL,
    comment      text,
    -- internal comments are shown to staff only
    is_internal  boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT otklik_now()
);
CREATE INDEX message_events_message ON message_events (message_id, id);

CREATE FUNCTION message_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'message_events is append-only';
END
$$;
CREATE TRIGGER message_events_append_only BEFORE UPDATE OR DELETE ON message_events
    FOR EACH ROW EXECUTE FUNCTION message_events_append_only();

-- attachments is declared before messages; link them now.
ALTER TABLE attachments ADD CONSTRAINT attachments_message_fk
    FOREIGN KEY (message_id) REFERENCES messages;

-- Times on the wire are RFC 3339 in UTC.
CREATE FUNCTION otklik_rfc3339(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
$$;
