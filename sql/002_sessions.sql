-- 002_sessions.sql - login through ESIA and the platform's sessions.

-- A session is what a bearer token or the session cookie names (the token's
-- jti). Logging out revokes it, so a revoked token answers 401 at once, not only
-- when it expires.
CREATE TABLE sessions (
    id          text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{32}$'),
    user_id     bigint NOT NULL REFERENCES users,
    -- cookie: the platform's pages; widget: handed to an embedded widget;
    -- operator: printed by otklikctl token
    kind        text NOT NULL CHECK (kind IN ('cookie', 'widget', 'operator')),
    created_at  timestamptz NOT NULL DEFAULT otklik_now(),
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);
CREATE INDEX sessions_user ON sessions (user_id);

-- One authorization request in flight: the state sent to the provider, bound
-- to the browser that started it (browser_sha256: hash of a cookie set by
-- /auth/esia/login), usable once, for a few minutes.
CREATE TABLE login_attempts (
    state           text PRIMARY KEY,
    browser_sha256  text NOT NULL,
    nonce           text NOT NULL,
    code_verifier   text NOT NULL,
    return_to       text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT otklik_now(),
    used_at         timestamptz
);
-- the periodic clean-up of old attempts
CREATE INDEX login_attempts_created ON login_attempts (created_at);
