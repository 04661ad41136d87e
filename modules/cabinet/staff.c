/*
 * staff.c - /api/v1/orgs/{code}/staff: an organisation's people and roles,
 * read by its staff, granted and revoked by its admin. An organisation always
 * keeps at least one admin.
 */
#include "cabinet.h"
#include "ok_auth.h"
#include "ok_authz.h"
#include "ok_json.h"
#include "ok_org.h"
#include "ok_page.h"
#include "ok_problem.h"

#include <stdlib.h>
#include <string.h>

static const ok_json_field staff_fields[] = {
    {"user_id", OK_JSON_INTEGER, .required = true, .min = 1, .max = 1e15},
    {"role", OK_JSON_STRING, .required = true, .min = 1, .max = 32},
    {0},
};

void staff_list(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    long long organisation = ok_org_for_action_or_reply(req, req->path_strings[0], NULL);
    long limit;
    long long cursor;
    if (organisation < 0 || ok_page_or_reply(req, 100, 500, &limit, &cursor) != 0)
        return;
    const char *params[] = {ok_arena_printf(req->arena, "%lld", organisation),
                            ok_arena_printf(req->arena, "%lld", cursor),
                            ok_arena_printf(req->arena, "%ld", limit)};
    PGresult *rows = ok_db_query(req, "staff_list", 3, params);
    if (rows == NULL) {
        ok_db_reply_failure(req);
        return;
    }
    json_t *items = json_array();
    int count = PQntuples(rows);
    for (int i = 0; i < count; i++)
        json_array_append_new(
            items, json_pack("{s:I, s:s, s:o}", "user_id",
                             (json_int_t)strtoll(PQgetvalue(rows, i, 0), NULL, 10), "name",
                             PQgetvalue(rows, i, 1), "roles",
                             json_loads(PQgetvalue(rows, i, 2), 0, NULL) ?: json_array()));
    json_t *next = count == limit ? json_string(PQgetvalue(rows, count - 1, 0)) : json_null();
    ok_http_respond_json_new(req, 200,
                             json_pack("{s:o, s:o}", "items", items, "next_cursor", next));
}

typedef struct staff_change {
    const char *user_id;
    const char *organisation;
    const char *role;
} staff_change;

/* Common checks of grant and revoke; -1 after answering. */
static int staff_change_read(ok_request *req, staff_change *change)
{
    if (ok_auth_require_user(req) != 0)
        return -1;
    long long organisation = ok_org_for_action_or_reply(req, req->path_strings[0], "staff.manage");
    if (organisation < 0)
        return -1;
    json_t *body = ok_json_read_object_or_reply(req, staff_fields);
    if (body == NULL)
        return -1;
    change->role = json_string_value(json_object_get(body, "role"));
    if (!ok_authz_role_grantable(change->role)) {
        ok_problem_field(req, "role", "unknown",
                         "role must be moderator, coordinator, executor, manager, curator, "
                         "admin or intake_operator.");
        return -1;
    }
    change->user_id = ok_arena_printf(
        req->arena, "%lld", (long long)json_integer_value(json_object_get(body, "user_id")));
    change->organisation = ok_arena_printf(req->arena, "%lld", organisation);
    return 0;
}

static int staff_grant_tx(ok_request *req, void *context)
{
    staff_change *change = context;
    const char *params[] = {change->user_id, change->organisation, change->role};
    if (ok_db_actor(req) != 0 ||
        ok_db_exec(req, "organisations_lock", 1, &change->organisation) == NULL)
        return OK_DB_ROLLBACK;
    PGresult *result = ok_db_exec(req, "staff_grant", 3, params);
    if (result == NULL)
        return OK_DB_ROLLBACK;
    if (strcmp(PQgetvalue(result, 0, 0), "0") == 0) {
        ok_problem_field(req, "user_id", "unknown", "There is no such user.");
        return OK_DB_ROLLBACK;
    }
    if (strcmp(PQgetvalue(result, 0, 1), "0") == 0) {
        ok_problem(req, 409, "The user already holds this role here.");
        return OK_DB_ROLLBACK;
    }
    return OK_DB_COMMIT;
}

void staff_grant(ok_request *req)
{
    staff_change change;
    if (staff_change_read(req, &change) != 0 ||
        ok_db_transaction(req, staff_grant_tx, &change) != 0)
        return;
    ok_http_respond_json_new(req, 201,
                             json_pack("{s:I, s:s, s:s}", "user_id",
                                       (json_int_t)strtoll(change.user_id, NULL, 10), "org",
                                       req->path_strings[0], "role", change.role));
}

static int staff_revoke_tx(ok_request *req, void *context)
{
    staff_change *change = context;
    const char *params[] = {change->user_id, change->organisation, change->role};
    if (ok_db_actor(req) != 0 ||
        ok_db_exec(req, "organisations_lock", 1, &change->organisation) == NULL)
        return OK_DB_ROLLBACK;
    PGresult *result = ok_db_exec(req, "staff_revoke", 3, params);
    if (result == NULL)
        return OK_DB_ROLLBACK;
    if (strcmp(PQgetvalue(result, 0, 0), "0") == 0) {
        ok_problem(req, 404, "The user does not hold this role here.");
        return OK_DB_ROLLBACK;
    }
    if (strcmp(PQgetvalue(result, 0, 1), "0") == 0) {
        ok_problem(req, 409, "The organisation must keep at least one admin.");
        return OK_DB_ROLLBACK;
    }
    return OK_DB_COMMIT;
}

void staff_revoke(ok_request *req)
{
    staff_change change;
    if (staff_change_read(req, &change) != 0 ||
        ok_db_transaction(req, staff_revoke_tx, &change) != 0)
        return;
    ok_http_respond(req, 204, NULL, NULL, 0);
}
