/*
 * ok_auth.c - bearer tokens and session cookies on requests; see ok_auth.h.
 */
#include "ok_auth.h"
#include "ok_config.h"
#include "ok_db.h"
#include "ok_problem.h"
#include "ok_token.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *ok_auth_token(ok_request *req, int *via_cookie)
{
    const char *header = ok_http_param(req, "HTTP_AUTHORIZATION");
    *via_cookie = 0;
    if (header != NULL) {
        if (strncasecmp(header, "Bearer ", 7) != 0)
            return NULL;
        header += 7;
        while (*header == ' ')
            header++;
        return header;
    }
    const char *cookie = ok_http_cookie(req, OK_AUTH_COOKIE);
    *via_cookie = cookie != NULL;
    return cookie;
}

static int ok_auth_refuse(ok_request *req, const char *detail)
{
    ok_problem(req, 401, detail);
    ok_http_header(req, "WWW-Authenticate", "Bearer realm=\"otklik\"");
    return -1;
}

/* A write authenticated by cookie must come from the platform's own pages. */
static int ok_auth_same_origin_write(ok_request *req)
{
    if (strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0)
        return 1;
    const char *origin = ok_http_param(req, "HTTP_ORIGIN");
    return origin == NULL || strcmp(origin, ok_config_global.public_origin) == 0;
}

static void ok_auth_roles(ok_request *req, ok_user *user, const char *roles_json)
{
    json_t *roles = json_loads(roles_json, 0, NULL);
    size_t count = json_array_size(roles);
    ok_role *list = ok_arena_calloc(req->arena, count + 1, sizeof(*list));
    for (size_t i = 0; i < count; i++) {
        json_t *role = json_array_get(roles, i);
        list[i].organisation_id = json_integer_value(json_array_get(role, 0));
        list[i].organisation =
            ok_arena_strdup(req->arena, json_string_value(json_array_get(role, 1)));
        list[i].role = ok_arena_strdup(req->arena, json_string_value(json_array_get(role, 2)));
    }
    json_decref(roles);
    user->roles = list;
    user->role_count = count;
}

/* Checks the token (not yet the session) and builds the session check's
 * parameters; -1 having answered. */
static int ok_auth_claims(ok_request *req, ok_token_claims *claims, int *via_cookie,
                          const char **params)
{
    const char *token = ok_auth_token(req, via_cookie);
    if (token == NULL)
        return ok_auth_refuse(req, "Log in first: this action needs a bearer token.");
    const ok_config *c = &ok_config_global;
    ok_token_result result = ok_token_verify(c->token_key, c->token_key_length, c->token_issuer,
                                             token, ok_config_now(), claims);
    if (result != OK_TOKEN_VALID)
        return ok_auth_refuse(req, ok_token_result_text(result));
    if (*via_cookie && !ok_auth_same_origin_write(req)) {
        ok_problem(req, 403, "A cookie session cannot be used from another site.");
        return -1;
    }
    params[0] = claims->session_id;
    params[1] = ok_arena_printf(req->arena, "%lld", claims->user_id);
    return 0;
}

/* A token handed to a widget: by its claim, or by its session's kind (a token
 * issued before the claim existed, or one whose claim was lost somewhere). */
static int ok_auth_is_widget(const ok_token_claims *claims, PGresult *session)
{
    return claims->scope == OK_TOKEN_SCOPE_WIDGET ||
           strcmp(PQgetvalue(session, 0, 4), "widget") == 0;
}

/* Sets req->user from a live session's row; -1 having answered 401 if none, or
 * 403 for a widget's token on a route not marked for widgets (ok_router.h). A
 * widget's token never carries its user's staff roles. */
static int ok_auth_accept(ok_request *req, const ok_token_claims *claims, int via_cookie,
                          PGresult *session)
{
    if (PQntuples(session) == 0)
        return ok_auth_refuse(req, "The session has ended; please log in again.");
    int widget = ok_auth_is_widget(claims, session);
    if (widget && !req->route_for_widgets) {
        ok_problem(req, 403,
                   "This token was issued to a widget and may only send messages and follow "
                   "them; log in on the platform for anything else.");
        ok_http_header(req, "WWW-Authenticate",
                       "Bearer realm=\"otklik\", error=\"insufficient_scope\"");
        return -1;
    }
    ok_user *user = ok_arena_calloc(req->arena, 1, sizeof(*user));
    user->id = claims->user_id;
    user->esia_oid = ok_arena_strdup(req->arena, PQgetvalue(session, 0, 1));
    user->name = ok_arena_strdup(req->arena, PQgetvalue(session, 0, 2));
    user->session_id = ok_arena_strdup(req->arena, claims->session_id);
    user->via_cookie = via_cookie;
    if (!widget)
        ok_auth_roles(req, user, PQgetvalue(session, 0, 3));
    req->user = user;
    return 0;
}

int ok_auth_require_user(ok_request *req)
{
    ok_token_claims claims;
    int via_cookie;
    const char *params[2];
    if (ok_auth_claims(req, &claims, &via_cookie, params) != 0)
        return -1;
    PGresult *session = ok_db_query(req, "ok_session", 2, params);
    if (session == NULL) {
        ok_db_reply_failure(req);
        return -1;
    }
    return ok_auth_accept(req, &claims, via_cookie, session);
}

void ok_auth_reply_login(ok_request *req)
{
    ok_auth_refuse(req, "Log in first: this action needs a bearer token.");
}

int ok_auth_optional_user(ok_request *req)
{
    int via_cookie;
    req->user = NULL;
    if (ok_auth_token(req, &via_cookie) == NULL || ok_auth_require_user(req) == 0)
        return 0;
    if (req->status >= 500)
        return -1;
    ok_http_response_clear(req); /* the refusal (401, 403): answered as to anyone */
    req->user = NULL;
    return 0;
}

int ok_auth_require_user_with(ok_request *req, ok_db_call *call, int user_param)
{
    ok_token_claims claims;
    int via_cookie;
    const char *params[2];
    call->result = NULL;
    if (ok_auth_claims(req, &claims, &via_cookie, params) != 0)
        return -1;
    const char **values = ok_arena_alloc(req->arena, sizeof(*values) * (size_t)call->count);
    memcpy(values, call->values, sizeof(*values) * (size_t)call->count);
    values[user_param] = params[1];
    ok_db_call calls[] = {{"ok_session", 2, params, NULL}, {call->name, call->count, values, NULL}};
    if (ok_db_query_batch(req, calls, 2) != 0) {
        ok_db_reply_failure(req);
        return -1;
    }
    if (ok_auth_accept(req, &claims, via_cookie, calls[0].result) != 0)
        return -1;
    call->result = calls[1].result;
    return 0;
}
