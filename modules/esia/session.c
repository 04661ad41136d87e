/*
 * session.c - POST /auth/logout (the session is revoked server-side, so its
 * token answers 401 everywhere at once), GET /api/v1/me (with the person's
 * territory and e-mail language) and PATCH /api/v1/me {territory?,
 * language?} (a citizen picks where they live: a municipality or
 * settlement; anyone the language of their e-mail, ru or en: sql/071).
 */
#include "esia.h"
#include "ok_auth.h"
#include "ok_json.h"
#include "ok_problem.h"

#include <string.h>

void session_logout(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    const char *params[] = {req->user->session_id};
    if (ok_db_write(req, "sessions_revoke", 1, params) == NULL)
        return; /* answered */
    ok_http_respond(req, 204, NULL, NULL, 0);
    ok_http_header_add(req, "Set-Cookie",
                       OK_AUTH_COOKIE "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
    ok_http_header(req, "Cache-Control", "no-store");
}

/* Answers the caller as GET /api/v1/me shows them: row is users_territory's
 * (the JSON of their territory or NULL, their language), or NULL. */
static void session_me_reply(ok_request *req, PGresult *row)
{
    const char *territory = row != NULL && PQntuples(row) ? ok_db_value(row, 0, 0) : NULL;
    const char *language = row != NULL && PQntuples(row) ? PQgetvalue(row, 0, 1) : "ru";
    const ok_user *user = req->user;
    json_t *roles = json_array();
    for (size_t i = 0; i < user->role_count; i++)
        json_array_append_new(roles, json_pack("{s:s, s:s}", "org", user->roles[i].organisation,
                                               "role", user->roles[i].role));
    json_t *place = territory != NULL && *territory ? json_loads(territory, 0, NULL) : NULL;
    ok_http_respond_json_new(req, 200,
                             json_pack("{s:I, s:s, s:s, s:o, s:o, s:s}", "id", (json_int_t)user->id,
                                       "esia_oid", user->esia_oid, "name", user->name, "roles",
                                       roles, "territory", place ? place : json_null(), "language",
                                       language));
    ok_http_header(req, "Cache-Control", "no-store");
}

void session_me(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    const char *id = ok_arena_printf(req->arena, "%lld", req->user->id);
    PGresult *row = ok_db_query(req, "users_territory", 1, &id);
    if (row == NULL) {
        ok_db_reply_failure(req);
        return;
    }
    session_me_reply(req, row);
}

static const ok_json_field me_fields[] = {
    {"territory", OK_JSON_STRING, .min = 1, .max = 64},
    {"language", OK_JSON_STRING, .min = 2, .max = 2},
    {0},
};

/* Sets where the caller lives, if the body names it; 0, or -1 having
 * answered 422 (or after a failed statement). */
static int session_territory_set_or_reply(ok_request *req, const char *const *params)
{
    if (params[1] == NULL)
        return 0;
    PGresult *set = ok_db_exec(req, "users_territory_set", 2, params);
    if (set == NULL)
        return -1;
    if (PQntuples(set) == 0 || strcmp(PQgetvalue(set, 0, 0), "t") != 0) {
        ok_problem_field(req, "territory", PQntuples(set) ? "not_local" : "unknown",
                         PQntuples(set) ? "Choose a municipality or a settlement, not a region."
                                        : "There is no territory with this code.");
        return -1;
    }
    return 0;
}

/* Sets the language of the caller's e-mail, if the body names it; 0, or -1
 * having answered 422 (or after a failed statement). */
static int session_language_set_or_reply(ok_request *req, const char *language)
{
    if (language == NULL)
        return 0;
    if (strcmp(language, "ru") != 0 && strcmp(language, "en") != 0) {
        ok_problem_field(req, "language", "unknown", "The language is ru or en.");
        return -1;
    }
    const char *params[] = {ok_arena_printf(req->arena, "%lld", req->user->id), language};
    return ok_db_exec(req, "users_language_set", 2, params) == NULL ? -1 : 0;
}

static int session_me_update_tx(ok_request *req, void *context)
{
    const char *params[] = {ok_arena_printf(req->arena, "%lld", req->user->id),
                            json_string_value(json_object_get(context, "territory"))};
    if (session_territory_set_or_reply(req, params) != 0 ||
        session_language_set_or_reply(req,
                                      json_string_value(json_object_get(context, "language"))) != 0)
        return OK_DB_ROLLBACK;
    PGresult *row = ok_db_exec(req, "users_territory", 1, params);
    if (row == NULL || PQntuples(row) != 1)
        return OK_DB_ROLLBACK;
    session_me_reply(req, row);
    return OK_DB_COMMIT;
}

/* PATCH /api/v1/me {territory?: code, language?: ru|en}. */
void session_me_update(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    json_t *body = ok_json_read_object_or_reply(req, me_fields);
    if (body == NULL)
        return;
    if (json_object_size(body) == 0) {
        ok_problem(req, 422, "Give the territory, the language or both.");
        return;
    }
    ok_db_transaction(req, session_me_update_tx, body);
}
