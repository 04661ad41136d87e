/*
 * session.c - POST /auth/logout (the session is revoked server-side, so its
 * token answers 401 everywhere at once) and GET /api/v1/me.
 */
#include "esia.h"
#include "ok_auth.h"
#include "ok_problem.h"

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

void session_me(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    const ok_user *user = req->user;
    json_t *roles = json_array();
    for (size_t i = 0; i < user->role_count; i++)
        json_array_append_new(roles, json_pack("{s:s, s:s}", "org", user->roles[i].organisation,
                                               "role", user->roles[i].role));
    ok_http_respond_json_new(req, 200,
                             json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)user->id,
                                       "esia_oid", user->esia_oid, "name", user->name, "roles",
                                       roles));
    ok_http_header(req, "Cache-Control", "no-store");
}
