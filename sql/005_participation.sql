-- 005_participation.sql - budget votings, polls and public discussions.
--
-- Results are counters kept in the same transaction as each ballot or
-- response (votes, voters, respondents), so reading them costs the same with a
-- million ballots as with ten, and they never drift from the ballots table.

CREATE TABLE votings (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id    bigint NOT NULL REFERENCES organisations,
    territory_id       bigint NOT NULL REFERENCES territories,
    title              text NOT NULL,
    description        text NOT NULL DEFAULT '',
    opens_at           timestamptz NOT NULL,
    closes_at          timestamptz NOT NULL CHECK (closes_at > opens_at),
    max_choices        integer NOT NULL CHECK (max_choices BETWEEN 1 AND 100),
    -- optional cap on the total cost of the projects one ballot chooses
    budget_rubles      bigint CHECK (budget_rubles > 0),
    -- live: results readable while open; after_close: only once closed
    results_visibility text NOT NULL DEFAULT 'live' CHECK (results_visibility IN ('live', 'after_close')),
    -- only citizens living in the territory may vote
    residents_only     boolean NOT NULL DEFAULT false,
    voters             integer NOT NULL DEFAULT 0,
    created_at         timestamptz NOT NULL DEFAULT otklik_now()
);
CREATE INDEX votings_territory ON votings (territory_id, id DESC);

CREATE TABLE voting_projects (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    voting_id       bigint NOT NULL REFERENCES votings,
    title           text NOT NULL,
    description     text NOT NULL DEFAULT '',
    cost_rubles     bigint NOT NULL CHECK (cost_rubles > 0),
    address         text,
    photo_ids       bigint[] NOT NULL DEFAULT '{}',
    position        integer NOT NULL DEFAULT 0,
    votes           integer NOT NULL DEFAULT 0
);
CREATE INDEX voting_projects_voting ON voting_projects (voting_id, position, id);

-- One ballot per citizen per voting: the primary key decides, not the code.
CREATE TABLE ballots (
    voting_id    bigint NOT NULL REFERENCES votings,
    user_id      bigint NOT NULL REFERENCES users,
    project_ids  bigint[] NOT NULL,
    cast_at      timestamptz NOT NULL DEFAULT otklik_now(),
    PRIMARY KEY (voting_id, user_id)
);

CREATE TABLE polls (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  bigint NOT NULL REFERENCES organisations,
    territory_id     bigint NOT NULL REFERENCES territories,
    title            text NOT NULL,
    description      text NOT NULL DEFAULT '',
    opens_at         timestamptz NOT NULL,
    closes_at        timestamptz NOT NULL CHECK (closes_at > opens_at),
    respondents      integer NOT NULL DEFAULT 0
);

CREATE TABLE poll_questions (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    poll_id   bigint NOT NULL REFERENCES polls,
    position  integer NOT NULL DEFAULT 0,
    text      text NOT NULL,
    kind      text NOT NULL CHECK (kind IN ('single', 'multiple', 'text')),
    required  boolean NOT NULL DEFAULT true
);
CREATE INDEX poll_questions_poll ON poll_questions (poll_id, position, id);

CREATE TABLE poll_options (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    question_id  bigint NOT NULL REFERENCES poll_questions,
    position     integer NOT NULL DEFAULT 0,
    text         text NOT NULL,
    votes        integer NOT NULL DEFAULT 0
);
CREATE INDEX poll_options_question ON poll_options (question_id, position, id);

-- One response per citizen per poll; answers as given: [{question_id, option_ids | text}]
CREATE TABLE poll_responses (
    poll_id     bigint NOT NULL REFERENCES polls,
    user_id     bigint NOT NULL REFERENCES users,
    answers     jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT otklik_now(),
    PRIMARY KEY (poll_id, user_id)
);

CREATE TABLE discussions (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id      bigint NOT NULL REFERENCES organisations,
    territory_id         bigint NOT NULL REFERENCES territories,
    title                text NOT NULL,
    -- the draft document under discussion
    document             text NOT NULL,
    opens_at             timestamptz NOT NULL,
    closes_at            timestamptz NOT NULL CHECK (closes_at > opens_at),
    -- the organisation's final report, once published
    report               text,
    report_published_at  timestamptz
);

-- Comments pass the same pre-checks and moderation as messages before they
-- are public.
CREATE TABLE discussion_comments (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    discussion_id     bigint NOT NULL REFERENCES discussions,
    author_id         bigint NOT NULL REFERENCES users,
    text              text NOT NULL,
    status            text NOT NULL DEFAULT 'moderation' CHECK (status IN ('moderation', 'published', 'rejected')),
    flags             jsonb NOT NULL DEFAULT '[]',
    rejection_reason  smallint CHECK (rejection_reason BETWEEN 1 AND 10),
    moderator_id      bigint REFERENCES users,
    created_at        timestamptz NOT NULL DEFAULT otklik_now(),
    moderated_at      timestamptz
);
CREATE INDEX discussion_comments_list ON discussion_comments (discussion_id, status, id);
CREATE INDEX discussion_comments_author ON discussion_comments (author_id, id DESC);

-- An RFC 3339 time from a client, or NULL when PostgreSQL cannot read it (a
-- client's bad date is a 422, not an error).
CREATE FUNCTION otklik_try_timestamptz(t text) RETURNS timestamptz
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN t::timestamptz;
EXCEPTION WHEN others THEN
    RETURN NULL;
END
$$;
