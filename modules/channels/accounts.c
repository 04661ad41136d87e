/*
 * accounts.c - госпаблики: an organisation's official accounts in the social
 * networks (GET/POST /api/v1/orgs/{code}/accounts), and their content plan
 * (GET/POST /api/v1/accounts/{id}/posts), each post approved by the
 * organisation's manager (POST /api/v1/posts/{id}/approve) and then
 * published at its time by the outbox (sql/070's deliveries).
 *
 * The organisation's staff read; its admin or manager registers accounts; its
 * staff but curators write posts. An account's tokens are files, never fields
 * (README).
 */
#include "channels.h"
#include "ok_auth.h"
#include "ok_json.h"
#include "ok_org.h"
#include "ok_page.h"
#include "ok_problem.h"

#include <stdlib.h>
#include <string.h>

static const ok_json_field accounts_fields[] = {
    {"network", OK_JSON_STRING, .required = true, .min = 2, .max = 20},
    {"address", OK_JSON_STRING, .required = true, .min = 1, .max = 300},
    {"external_id", OK_JSON_STRING, .required = true, .min = 1, .max = 21},
    {"verified", OK_JSON_BOOLEAN},
    {"confirmation", OK_JSON_STRING, .min = 1, .max = 100},
    {0},
};

static const ok_json_field posts_fields[] = {
    {"text", OK_JSON_STRING, .required = true, .min = 1, .max = 10000},
    {"publish_at", OK_JSON_STRING, .required = true, .min = 10, .max = 40},
    {0},
};

/* Answers a page of statement's rows for parameter owner ($1; $2 cursor, $3 limit). */
static void accounts_page(ok_request *req, const char *statement, const char *owner)
{
    long limit;
    long long cursor;
    if (ok_page_or_reply(req, 20, 100, &limit, &cursor) != 0)
        return;
    const char *params[] = {owner, ok_arena_printf(req->arena, "%lld", cursor),
                            ok_arena_printf(req->arena, "%ld", limit)};
    PGresult *rows = ok_db_query(req, statement, 3, params);
    if (rows == NULL) {
        ok_db_reply_failure(req);
        return;
    }
    ok_page_reply(req, rows, limit);
}

/* Answers status with the first column of statement's one row for id. */
static int accounts_reply_row(ok_request *req, const char *statement, const char *id, int status)
{
    const char *params[] = {id};
    PGresult *row = ok_db_exec(req, statement, 1, params);
    if (row == NULL)
        return OK_DB_ROLLBACK;
    ok_http_respond(req, status, "application/json", PQgetvalue(row, 0, 0),
                    (size_t)PQgetlength(row, 0, 0));
    return OK_DB_COMMIT;
}

void accounts_list(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    long long org = ok_org_for_action_or_reply(req, req->path_strings[0], "account.read");
    if (org >= 0)
        accounts_page(req, "accounts_list", ok_arena_printf(req->arena, "%lld", org));
}

static int accounts_create_tx(ok_request *req, void *context)
{
    json_t *body = context;
    long long org = ok_org_for_action_or_reply(req, req->path_strings[0], "account.manage");
    if (org < 0)
        return OK_DB_ROLLBACK;
    const char *network = json_string_value(json_object_get(body, "network"));
    if (strcmp(network, "vk") != 0 && strcmp(network, "telegram") != 0) {
        ok_problem_field(req, "network", "unknown", "The network is vk or telegram.");
        return OK_DB_ROLLBACK;
    }
    const char *external = json_string_value(json_object_get(body, "external_id"));
    for (const char *p = external; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (p == external && *p == '-'))) {
            ok_problem_field(req, "external_id", "invalid",
                             "The external id is the network's number of the community or chat.");
            return OK_DB_ROLLBACK;
        }
    const char *params[] = {ok_arena_printf(req->arena, "%lld", org),
                            network,
                            json_string_value(json_object_get(body, "address")),
                            external,
                            json_is_true(json_object_get(body, "verified")) ? "true" : "false",
                            json_string_value(json_object_get(body, "confirmation")),
                            ok_arena_printf(req->arena, "%lld", req->user->id)};
    PGresult *row = ok_db_exec(req, "accounts_insert", 7, params);
    if (row == NULL)
        return OK_DB_ROLLBACK;
    if (PQntuples(row) == 0) {
        ok_problem(req, 409, "This account is already registered.");
        return OK_DB_ROLLBACK;
    }
    return accounts_reply_row(req, "accounts_show",
                              ok_arena_strdup(req->arena, PQgetvalue(row, 0, 0)), 201);
}

void accounts_create(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    json_t *body = ok_json_read_object_or_reply(req, accounts_fields);
    if (body != NULL)
        ok_db_transaction(req, accounts_create_tx, body);
}

/* The organisation owning statement's object (the path's id) allows action
 * to the caller: 0, or -1 having answered 404/403 (or after a failed
 * statement). */
static int accounts_owner_or_reply(ok_request *req, const char *statement, const char *action,
                                   int in_transaction)
{
    const char *params[] = {ok_arena_printf(req->arena, "%lld", req->path_ids[0])};
    PGresult *row = ok_db_run(req, statement, 1, params);
    if (row == NULL) {
        if (!in_transaction) /* a transaction's failure is answered by ok_db_transaction */
            ok_db_reply_failure(req);
        return -1;
    }
    long long org = PQntuples(row) > 0 ? strtoll(PQgetvalue(row, 0, 0), NULL, 10) : 0;
    return ok_org_allows_or_reply(req, org, action);
}

void posts_list(ok_request *req)
{
    if (ok_auth_require_user(req) != 0 ||
        accounts_owner_or_reply(req, "accounts_owner", "account.read", 0) != 0)
        return;
    accounts_page(req, "posts_list", ok_arena_printf(req->arena, "%lld", req->path_ids[0]));
}

static int posts_create_tx(ok_request *req, void *context)
{
    json_t *body = context;
    if (accounts_owner_or_reply(req, "accounts_owner", "post.write", 1) != 0)
        return OK_DB_ROLLBACK;
    const char *params[] = {ok_arena_printf(req->arena, "%lld", req->path_ids[0]),
                            json_string_value(json_object_get(body, "text")),
                            json_string_value(json_object_get(body, "publish_at")),
                            ok_arena_printf(req->arena, "%lld", req->user->id)};
    PGresult *row = ok_db_exec(req, "posts_insert", 4, params);
    if (row == NULL)
        return OK_DB_ROLLBACK;
    if (PQntuples(row) == 0) {
        ok_problem_field(req, "publish_at", "invalid",
                         "The time is an RFC 3339 date-time with a zone.");
        return OK_DB_ROLLBACK;
    }
    return accounts_reply_row(req, "posts_show", ok_arena_strdup(req->arena, PQgetvalue(row, 0, 0)),
                              201);
}

void posts_create(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    json_t *body = ok_json_read_object_or_reply(req, posts_fields);
    if (body != NULL)
        ok_db_transaction(req, posts_create_tx, body);
}

static int posts_approve_tx(ok_request *req, void *context)
{
    (void)context;
    if (accounts_owner_or_reply(req, "posts_owner", "post.approve", 1) != 0)
        return OK_DB_ROLLBACK;
    const char *params[] = {ok_arena_printf(req->arena, "%lld", req->path_ids[0]),
                            ok_arena_printf(req->arena, "%lld", req->user->id)};
    PGresult *row = ok_db_exec(req, "posts_approve", 2, params);
    if (row == NULL)
        return OK_DB_ROLLBACK;
    if (PQntuples(row) == 0) {
        ok_problem(req, 409, "Only a draft can be approved.");
        return OK_DB_ROLLBACK;
    }
    return accounts_reply_row(req, "posts_show", params[0], 200);
}

void posts_approve(ok_request *req)
{
    if (ok_auth_require_user(req) == 0)
        ok_db_transaction(req, posts_approve_tx, NULL);
}
