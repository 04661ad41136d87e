-- 030_participation_setup.sql - polls and discussions created through the API,
-- participation catalogues by territory, and "my participation" lists.
--
-- A period's state (upcoming, open, finished) and its rank in catalogues (open
-- first, then upcoming, then finished) are one pair of functions, so every
-- list and every object says the same thing at the same instant.

CREATE FUNCTION otklik_period_state(opens timestamptz, closes timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN otklik_now() < opens THEN 'upcoming'
                WHEN otklik_now() < closes THEN 'open' ELSE 'finished' END
$$;

CREATE FUNCTION otklik_period_rank(opens timestamptz, closes timestamptz) RETURNS integer
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN otklik_now() < opens THEN 1 WHEN otklik_now() < closes THEN 0 ELSE 2 END
$$;

-- The territory and every territory above it (the catalogues' "territory=").
CREATE FUNCTION territory_and_above(child bigint) RETURNS SETOF bigint
LANGUAGE sql STABLE AS $$
    WITH RECURSIVE up (id, parent_id) AS (
        SELECT id, parent_id FROM territories WHERE id = child
        UNION ALL
        SELECT t.id, t.parent_id FROM territories t JOIN up ON t.id = up.parent_id
    )
    SELECT id FROM up
$$;

ALTER TABLE polls
    -- live: citizens see the counts while open; after_close: only once finished
    ADD COLUMN results_visibility text NOT NULL DEFAULT 'live'
        CHECK (results_visibility IN ('live', 'after_close')),
    ADD COLUMN created_at timestamptz NOT NULL DEFAULT otklik_now();

ALTER TABLE discussions
    -- attachments of the draft document (ids of uploaded files)
    ADD COLUMN attachment_ids bigint[] NOT NULL DEFAULT '{}',
    ADD COLUMN created_at timestamptz NOT NULL DEFAULT otklik_now();

CREATE INDEX polls_territory ON polls (territory_id, id DESC);
CREATE INDEX discussions_territory ON discussions (territory_id, id DESC);
-- "my ballots", "my poll responses"
CREATE INDEX ballots_user ON ballots (user_id, voting_id DESC);
CREATE INDEX poll_responses_user ON poll_responses (user_id, poll_id DESC);

-- Where a person lives, from the address an identity provider gives (ESIA):
-- the municipality or settlement whose name appears in it ("г. Демоград", or
-- "Демоград" without the prefix of its kind), or whose code is one of its
-- words; a settlement before a municipality, a longer name before a shorter.
-- NULL when nothing matches (the person then picks one in the profile).
CREATE FUNCTION otklik_territory_of_address(address text) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT t.id FROM territories t
    WHERE t.kind <> 'region' AND coalesce(address, '') <> ''
      AND (strpos(lower(address), lower(t.name)) > 0
           OR (length(regexp_replace(t.name, '^(г\.|город|пос\.|посёлок|п\.|с\.|село|д\.|деревня)\s*', '', 'i')) >= 3
               AND strpos(lower(address), lower(regexp_replace(t.name,
                   '^(г\.|город|пос\.|посёлок|п\.|с\.|село|д\.|деревня)\s*', '', 'i'))) > 0)
           OR lower(t.code) = ANY (regexp_split_to_array(lower(address), '[\s,;]+')))
    ORDER BY t.kind = 'municipality', length(t.name) DESC, t.id
    LIMIT 1
$$;
