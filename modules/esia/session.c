/*
 * session.c - POST /auth/logout (the session is revoked server-side, so its
 * token answers 401 everywhere at once), GET /api/v1/me (with the person's
 * territory) and PATCH /api/v1/me {territory} (a citizen picks where they
 * live: a municipality or settlement).
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

/* Answers the caller as GET /api/v1/me shows them; territory is the JSON of
 * their territory ("" or NULL: none). */
static void session_me_reply(ok_request *req, const char *territory)
{
    const ok_user *user = req->user;
    json_t *roles = json_array();
    for (size_t i = 0; i < user->role_count; i++)
        json_array_append_new(roles, json_pack("{s:s, s:s}", "org", user->roles[i].organisation,
                                               "role", user->roles[i].role));
    json_t *place = territory != NULL && *territory ? json_loads(territory, 0, NULL) : NULL;
    ok_http_respond_json_new(req, 200,
                             json_pack("{s:I, s:s, s:s, s:o, s:o}", "id", (json_int_t)user->id,
                                       "esia_oid", user->esia_oid, "name", user->name, "roles",
                                       roles, "territory", place ? place : json_null()));
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
    session_me_reply(req, PQntuples(row) ? ok_db_value(row, 0, 0) : NULL);
}

static const ok_json_field me_fields[] = {
    {"territory", OK_JSON_STRING, .required = true, .min = 1, .max = 64},
    {0},
};

static int session_me_update_tx(ok_request *req, void *context)
{
    const char *params[] = {ok_arena_printf(req->arena, "%lld", req->user->id),
                            json_string_value(json_object_get(context, "territory"))};
    PGresult *set = ok_db_exec(req, "users_territory_set", 2, params);
    if (set == NULL)
        return OK_DB_ROLLBACK;
    if (PQntuples(set) == 0 || strcmp(PQgetvalue(set, 0, 0), "t") != 0) {
        ok_problem_field(req, "territory", PQntuples(set) ? "not_local" : "unknown",
                         PQntuples(set) ? "Choose a municipality or a settlement, not a region."
                                        : "There is no territory with this code.");
        return OK_DB_ROLLBACK;
    }
    PGresult *row = ok_db_exec(req, "users_territory", 1, params);
    if (row == NULL || PQntuples(row) != 1)
        return OK_DB_ROLLBACK;
    session_me_reply(req, ok_db_value(row, 0, 0));
    return OK_DB_COMMIT;
}

/* PATCH /api/v1/me {territory: code}: where the citizen lives. */
void session_me_update(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    json_t *body = ok_json_read_object_or_reply(req, me_fields);
    if (body != NULL)
        ok_db_transaction(req, session_me_update_tx, body);
}
