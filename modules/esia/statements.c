/*
 * statements.c - every SQL statement of the login worker.
 */
#include "esia.h"

const ok_db_statement esia_statements[] = {
    /* a new authorization request; old attempts are cleared on the way */
    {"login_insert",
     "WITH expired AS (DELETE FROM login_attempts"
     "  WHERE created_at < otklik_now() - interval '1 day')"
     " INSERT INTO login_attempts (state, browser_sha256, nonce, code_verifier, return_to,"
     "  hand_off) VALUES ($1, $2, $3, $4, $5, $6)"},

    /* the state comes back: usable once, from the same browser, for 10 minutes */
    {"login_consume", "UPDATE login_attempts SET used_at = otklik_now()"
                      " WHERE state = $1 AND browser_sha256 = $2 AND used_at IS NULL"
                      "   AND created_at > otklik_now() - interval '10 minutes'"
                      " RETURNING nonce, code_verifier, return_to, hand_off"},

    {"users_upsert", "INSERT INTO users (esia_oid, name) VALUES ($1, $2)"
                     " ON CONFLICT (esia_oid) DO UPDATE SET name = EXCLUDED.name"
                     " RETURNING id"},

    {"sessions_insert", "INSERT INTO sessions (id, user_id, kind, expires_at)"
                        " VALUES ($1, $2, $3, to_timestamp($4::bigint))"},

    {"sessions_revoke",
     "UPDATE sessions SET revoked_at = otklik_now() WHERE id = $1 AND revoked_at IS NULL"},
};

const size_t esia_statement_count = sizeof(esia_statements) / sizeof(esia_statements[0]);
