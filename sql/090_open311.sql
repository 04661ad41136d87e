-- 090_open311.sql - Open311 GeoReport v2 (modules/open311): the API keys of
-- integrator organisations and the requests their systems sent.

-- A key lets an organisation's system (an Open311 client such as FixMyStreet)
-- send messages. Only the key's SHA-256 is stored: `otklikctl open311 key
-- create --org CODE` prints the key once. A message needs an author, so each
-- integrator organisation sends as a user of its own (esia_oid
-- 'open311:<code>', named after the organisation), made with its first key.
CREATE TABLE open311_keys (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  bigint NOT NULL REFERENCES organisations,
    user_id          bigint NOT NULL REFERENCES users,
    key_sha256       text NOT NULL UNIQUE CHECK (key_sha256 ~ '^[0-9a-f]{64}$'),
    created_at       timestamptz NOT NULL DEFAULT otklik_now(),
    -- a revoked key is refused like an unknown one
    revoked_at       timestamptz
);
CREATE INDEX open311_keys_organisation ON open311_keys (organisation_id);

-- A message sent through Open311: the key that sent it, and the token its
-- client may follow it by (GET /open311/v2/tokens/{token}).
CREATE TABLE open311_requests (
    message_id  bigint PRIMARY KEY REFERENCES messages,
    key_id      bigint NOT NULL REFERENCES open311_keys,
    token       text NOT NULL UNIQUE
);
CREATE INDEX open311_requests_key ON open311_requests (key_id);

-- The Open311 status of a message: "open" while someone still has to act on
-- it, "closed" once answered, closed or rejected (the detailed status goes to
-- status_notes). The one place of the mapping: GET requests shows it and
-- filters by it.
CREATE FUNCTION open311_status(status text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN status IN ('answered', 'closed', 'rejected') THEN 'closed' ELSE 'open' END
$$;
