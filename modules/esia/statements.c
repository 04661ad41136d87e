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

    /* $3 the address the provider gave ("" none): where the person lives,
     * unless they have chosen already (sql/030 otklik_territory_of_address) */
    {"users_upsert", "INSERT INTO users (esia_oid, name, territory_id)"
                     " VALUES ($1, $2, otklik_territory_of_address($3))"
                     " ON CONFLICT (esia_oid) DO UPDATE SET name = EXCLUDED.name,"
                     "  territory_id = coalesce(users.territory_id, EXCLUDED.territory_id)"
                     " RETURNING id"},

    /* the person's territory, {code, name, kind} or NULL */
    {"users_territory",
     "SELECT (SELECT json_build_object('code', t.code, 'name', t.name, 'kind', t.kind)"
     " FROM territories t WHERE t.id = u.territory_id), u.language FROM users u WHERE u.id = $1"},
    /* the language of the person's e-mail (sql/071) */
    {"users_language_set", "UPDATE users SET language = $2 WHERE id = $1"},
    /* a citizen picks where they live: a municipality or a settlement, not a
     * region; no row: no such territory; false: a region */
    {"users_territory_set",
     "WITH t AS (SELECT id, kind <> 'region' AS local FROM territories WHERE code = $2),"
     " u AS (UPDATE users SET territory_id = t.id FROM t WHERE users.id = $1 AND t.local"
     "  RETURNING users.id)"
     " SELECT t.local FROM t"},

    {"sessions_insert", "INSERT INTO sessions (id, user_id, kind, expires_at)"
                        " VALUES ($1, $2, $3, to_timestamp($4::bigint))"},

    {"sessions_revoke",
     "UPDATE sessions SET revoked_at = otklik_now() WHERE id = $1 AND revoked_at IS NULL"},
};

const size_t esia_statement_count = sizeof(esia_statements) / sizeof(esia_statements[0]);
