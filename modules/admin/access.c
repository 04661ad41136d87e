/*
 * access.c - who may set the platform up, the audit's actor, and the small
 * helpers every handler of the worker shares (codes, field errors, replies).
 */
#include "admin.h"
#include "ok_auth.h"
#include "ok_authz.h"
#include "ok_page.h"
#include "ok_problem.h"

#include <stdlib.h>
#include <string.h>

int admin_operator_or_reply(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return -1;
    if (!ok_authz_can_anywhere(req->user, "platform.operate")) {
        ok_problem(req, 403, "Only the platform's operators may set it up.");
        return -1;
    }
    return 0;
}

const char *admin_user_id(ok_request *req)
{
    return ok_arena_printf(req->arena, "%lld", req->user->id);
}

int admin_actor(ok_request *req)
{
    return ok_db_actor(req);
}

int admin_code_valid(const char *code, size_t min_length)
{
    size_t length = strlen(code);
    if (length < min_length || length > 63)
        return 0;
    for (size_t i = 0; i < length; i++) {
        char c = code[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i > 0);
        if (!ok)
            return 0;
    }
    return 1;
}

void admin_error(json_t *errors, const char *field, const char *code)
{
    json_array_append_new(errors, json_pack("{s:s, s:s}", "field", field, "code", code));
}

int admin_errors_or_reply(ok_request *req, json_t *errors)
{
    if (json_array_size(errors) > 0) {
        ok_problem_validation_new(req, errors);
        return -1;
    }
    json_decref(errors);
    return 0;
}

void admin_reply_row(ok_request *req, int status, const PGresult *row)
{
    const char *json = PQgetvalue(row, 0, 0);
    ok_http_respond(req, status, "application/json; charset=utf-8", json, strlen(json));
    ok_http_header(req, "Cache-Control", "private, no-store");
}

void admin_db_failure(ok_request *req, json_t *errors)
{
    json_decref(errors);
    ok_db_reply_failure(req);
}

void admin_page_reply(ok_request *req, const char *statement, int count, const char *const *params,
                      long limit)
{
    PGresult *rows = ok_db_query(req, statement, count, params);
    if (rows == NULL) {
        ok_db_reply_failure(req);
        return;
    }
    ok_page_reply(req, rows, limit);
    ok_http_header(req, "Cache-Control", "private, no-store");
}
