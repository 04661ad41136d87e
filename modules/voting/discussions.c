/*
 * discussions.c - public discussions of draft documents: citizens comment
 * during the comment period; comments pass the pre-checks and are published
 * only after moderation (the SPEC's reason codes); the organisation publishes
 * its final report once the period is over.
 */
#include "ok_auth.h"
#include "ok_authz.h"
#include "ok_json.h"
#include "ok_page.h"
#include "ok_precheck.h"
#include "ok_problem.h"
#include "voting.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define COMMENT_MAX 3000

void discussions_show(ok_request *req)
{
    voting_show_one(req, "discussions_show", "There is no such discussion.");
}

typedef struct discussion_access {
    long long organisation;
    int open, closed, reported;
    int moderator; /* may moderate: moderator of a covering moderation organisation */
    int staff;     /* may read the moderation queue */
} discussion_access;

/* Loads the discussion and what the caller (maybe anonymous) may do; -1 after 404. */
static int discussion_access_of(ok_request *req, discussion_access *access)
{
    const char *id = ok_arena_printf(req->arena, "%lld", req->path_ids[0]);
    PGresult *row = ok_db_run(req, "discussions_access", 1, &id);
    if (row == NULL) {
        ok_db_reply_failure(req);
        return -1;
    }
    if (PQntuples(row) == 0) {
        ok_problem(req, 404, "There is no such discussion.");
        return -1;
    }
    *access = (discussion_access){
        .organisation = strtoll(PQgetvalue(row, 0, 0), NULL, 10),
        .open = strcmp(PQgetvalue(row, 0, 1), "t") == 0,
        .closed = strcmp(PQgetvalue(row, 0, 2), "t") == 0,
        .reported = strcmp(PQgetvalue(row, 0, 3), "t") == 0,
    };
    access->staff = req->user != NULL && ok_authz_is_staff(req->user, access->organisation);
    json_t *covering = json_loads(PQgetvalue(row, 0, 4), 0, NULL);
    size_t i;
    json_t *org;
    json_array_foreach(covering, i, org)
    {
        if (req->user != NULL &&
            ok_authz_can(req->user, "message.moderate", json_integer_value(org)))
            access->moderator = access->staff = 1;
    }
    json_decref(covering);
    return 0;
}

void comments_list(ok_request *req)
{
    long limit;
    long long cursor;
    const char *status = ok_http_query(req, "status");
    if (status == NULL)
        status = "published";
    if (strcmp(status, "published") != 0 && strcmp(status, "moderation") != 0 &&
        strcmp(status, "rejected") != 0) {
        ok_problem(req, 400, "status is published, moderation or rejected.");
        return;
    }
    if (strcmp(status, "published") != 0 && ok_auth_require_user(req) != 0)
        return;
    discussion_access access;
    if (ok_page_or_reply(req, 50, 200, &limit, &cursor) != 0 ||
        discussion_access_of(req, &access) != 0)
        return;
    if (strcmp(status, "published") != 0 && !access.staff) {
        ok_problem(req, 403,
                   "Only the discussion's staff and moderators see unpublished comments.");
        return;
    }
    const char *params[] = {ok_arena_printf(req->arena, "%lld", req->path_ids[0]), status,
                            ok_arena_printf(req->arena, "%lld", cursor),
                            ok_arena_printf(req->arena, "%ld", limit)};
    PGresult *rows = ok_db_query(req, "comments_list", 4, params);
    if (rows == NULL) {
        ok_db_reply_failure(req);
        return;
    }
    ok_page_reply(req, rows, limit);
}

static const ok_json_field comment_fields[] = {
    {"text", OK_JSON_STRING, .required = true, .min = 1, .max = COMMENT_MAX},
    {0},
};

void comments_create(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    json_t *body = ok_json_read_object_or_reply(req, comment_fields);
    discussion_access access;
    if (body == NULL || discussion_access_of(req, &access) != 0)
        return;
    if (!access.open) {
        ok_problem(req, 409, "The discussion is not open for comments.");
        return;
    }
    const char *text = json_string_value(json_object_get(body, "text"));
    json_t *flags = ok_precheck_text(text);
    char *flags_text = json_dumps(flags, JSON_COMPACT);
    json_decref(flags);
    const char *params[] = {ok_arena_printf(req->arena, "%lld", req->path_ids[0]),
                            ok_arena_printf(req->arena, "%lld", req->user->id), text,
                            ok_arena_strdup(req->arena, flags_text)};
    free(flags_text);
    PGresult *row = ok_db_write(req, "comments_insert", 4, params);
    if (row == NULL)
        return; /* answered */
    ok_http_respond_json_new(req, 201,
                             json_pack("{s:I, s:s, s:o, s:s}", "id",
                                       (json_int_t)strtoll(PQgetvalue(row, 0, 0), NULL, 10),
                                       "status", PQgetvalue(row, 0, 1), "flags",
                                       json_loads(PQgetvalue(row, 0, 2), 0, NULL) ?: json_array(),
                                       "created_at", PQgetvalue(row, 0, 3)));
}

static const ok_json_field moderate_fields[] = {
    {"decision", OK_JSON_STRING, .required = true, .min = 1, .max = 16},
    {"reason_code", OK_JSON_INTEGER, .min = 1, .max = 10},
    {0},
};

typedef struct moderation {
    const char *status;
    const char *reason;
} moderation;

static int comments_moderate_tx(ok_request *req, void *context)
{
    moderation *m = context;
    discussion_access access;
    if (discussion_access_of(req, &access) != 0)
        return OK_DB_ROLLBACK;
    if (!access.moderator) {
        ok_problem(req, access.staff ? 403 : 404,
                   access.staff ? "Only a moderator of the territory may do this."
                                : "There is no such discussion among yours.");
        return OK_DB_ROLLBACK;
    }
    const char *params[] = {ok_arena_printf(req->arena, "%lld", req->path_ids[0]),
                            ok_arena_printf(req->arena, "%lld", req->path_ids[1]), m->status,
                            m->reason, ok_arena_printf(req->arena, "%lld", req->user->id)};
    PGresult *done = ok_db_exec(req, "comments_moderate", 5, params);
    if (done == NULL)
        return OK_DB_ROLLBACK;
    if (PQntuples(done) == 0) {
        PGresult *exists = ok_db_exec(req, "comments_exists", 2, params);
        if (exists == NULL)
            return OK_DB_ROLLBACK;
        ok_problem(req, PQntuples(exists) ? 409 : 404,
                   PQntuples(exists) ? "The comment has already been moderated."
                                     : "There is no such comment in this discussion.");
        return OK_DB_ROLLBACK;
    }
    return OK_DB_COMMIT;
}

void comments_moderate(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    json_t *body = ok_json_read_object_or_reply(req, moderate_fields);
    if (body == NULL)
        return;
    const char *decision = json_string_value(json_object_get(body, "decision"));
    json_t *reason = json_object_get(body, "reason_code");
    moderation m = {.status = strcmp(decision, "publish") == 0  ? "published"
                              : strcmp(decision, "reject") == 0 ? "rejected"
                                                                : NULL};
    if (m.status == NULL) {
        ok_problem_field(req, "decision", "unknown", "decision is publish or reject.");
        return;
    }
    if (strcmp(m.status, "rejected") == 0) {
        if (!json_is_integer(reason)) {
            ok_problem_field(req, "reason_code", "required", "A rejection needs a reason code.");
            return;
        }
        m.reason = ok_arena_printf(req->arena, "%lld", (long long)json_integer_value(reason));
    }
    if (ok_db_transaction(req, comments_moderate_tx, &m) != 0)
        return;
    ok_http_respond_json_new(
        req, 200, json_pack("{s:I, s:s}", "id", (json_int_t)req->path_ids[1], "status", m.status));
}

static const ok_json_field report_fields[] = {
    {"text", OK_JSON_STRING, .required = true, .min = 1, .max = 100000},
    {0},
};

static int discussions_report_tx(ok_request *req, void *context)
{
    discussion_access access;
    if (discussion_access_of(req, &access) != 0)
        return OK_DB_ROLLBACK;
    if (!ok_authz_is_staff(req->user, access.organisation)) {
        ok_problem(req, 404, "There is no such discussion among yours.");
        return OK_DB_ROLLBACK;
    }
    if (!ok_authz_can(req->user, "voting.manage", access.organisation)) {
        ok_problem(req, 403, "Only the organisation's admin or manager may publish the report.");
        return OK_DB_ROLLBACK;
    }
    if (!access.closed || access.reported) {
        ok_problem(req, 409,
                   access.reported ? "The report is already published."
                                   : "The report comes after the comment period.");
        return OK_DB_ROLLBACK;
    }
    const char *params[] = {ok_arena_printf(req->arena, "%lld", req->path_ids[0]), context};
    return ok_db_exec(req, "discussions_report", 2, params) != NULL ? OK_DB_COMMIT : OK_DB_ROLLBACK;
}

void discussions_report(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    json_t *body = ok_json_read_object_or_reply(req, report_fields);
    if (body == NULL ||
        ok_db_transaction(req, discussions_report_tx,
                          (void *)(uintptr_t)json_string_value(json_object_get(body, "text"))) != 0)
        return;
    discussions_show(req);
}
