/*
 * lists.c - the lists of the cabinet: a citizen's messages and notifications,
 * and the staff's messages with the SPEC's filters. All keyset-paginated by id,
 * newest first: {items, next_cursor}.
 */
#include "cabinet.h"
#include "ok_auth.h"
#include "ok_authz.h"
#include "ok_org.h"
#include "ok_page.h"
#include "ok_problem.h"

#include <stdlib.h>
#include <string.h>

static const char *const list_statuses[] = {
    "moderation",        "registered", "rejected", "in_progress", "approval",
    "redirect_approval", "answered",   "returned", "closed",
};

/* ?status=, if any, when it is one of the SPEC's; -1 after answering 400. */
static int list_status_or_reply(ok_request *req, const char **status)
{
    *status = ok_http_query(req, "status");
    if (*status == NULL)
        return 0;
    for (size_t i = 0; i < sizeof(list_statuses) / sizeof(list_statuses[0]); i++)
        if (strcmp(list_statuses[i], *status) == 0)
            return 0;
    ok_problem(req, 400, "status must be one of the message statuses of the SPEC.");
    return -1;
}

static int my_messages_query(ok_request *req, long *limit, long long *cursor, const char **status)
{
    return ok_page_or_reply(req, 20, 100, limit, cursor) != 0 ||
                   list_status_or_reply(req, status) != 0
               ? -1
               : 0;
}

/* The session check and the list go to the database together (one round trip). */
void my_messages(ok_request *req)
{
    long limit;
    long long cursor;
    const char *status;
    if (my_messages_query(req, &limit, &cursor, &status) != 0) {
        /* a bad query, but an unknown caller hears 401 first */
        ok_http_response_clear(req);
        if (ok_auth_require_user(req) == 0)
            my_messages_query(req, &limit, &cursor, &status);
        return;
    }
    const char *params[] = {"false", NULL /* the caller */, status,
                            ok_arena_printf(req->arena, "%lld", cursor),
                            ok_arena_printf(req->arena, "%ld", limit)};
    ok_db_call list = {"messages_mine", 5, params, NULL};
    if (ok_auth_require_user_with(req, &list, 1) != 0)
        return;
    ok_page_reply(req, list.result, limit);
}

void my_notifications(ok_request *req)
{
    long limit;
    long long cursor;
    if (ok_auth_require_user(req) != 0 || ok_page_or_reply(req, 20, 100, &limit, &cursor) != 0)
        return;
    const char *params[] = {ok_arena_printf(req->arena, "%lld", req->user->id),
                            ok_arena_printf(req->arena, "%lld", cursor),
                            ok_arena_printf(req->arena, "%ld", limit)};
    PGresult *rows = ok_db_query(req, "notifications_mine", 3, params);
    if (rows == NULL) {
        ok_db_reply_failure(req);
        return;
    }
    ok_page_reply(req, rows, limit);
}

/* An array literal of the organisations whose messages the caller reads (the
 * SQL adds the moderation queues of those that moderate); only ?org= if set. */
static const char *staff_scope(ok_request *req, long long only)
{
    const char *list = "";
    for (size_t i = 0; i < req->user->role_count; i++) {
        long long organisation = req->user->roles[i].organisation_id;
        if ((only == 0 || organisation == only) &&
            ok_authz_can(req->user, "message.read", organisation))
            list = ok_arena_printf(req->arena, "%s%s%lld", list, list[0] ? "," : "", organisation);
    }
    return ok_arena_printf(req->arena, "{%s}", list);
}

void staff_messages(ok_request *req)
{
    long limit;
    long long cursor;
    const char *status;
    if (ok_auth_require_user(req) != 0 || ok_page_or_reply(req, 50, 200, &limit, &cursor) != 0 ||
        list_status_or_reply(req, &status) != 0)
        return;
    if (req->user->role_count == 0) {
        ok_problem(req, 403, "This list is for the staff of organisations.");
        return;
    }
    const char *org = ok_http_query(req, "org");
    long long only = 0;
    if (org != NULL && (only = ok_org_for_action_or_reply(req, org, NULL)) < 0)
        return;
    const char *overdue = ok_http_query(req, "overdue");
    const char *assignee = ok_http_query(req, "assignee");
    if ((overdue != NULL && strcmp(overdue, "true") != 0 && strcmp(overdue, "false") != 0) ||
        (assignee != NULL && strcmp(assignee, "me") != 0)) {
        ok_problem(req, 400, "overdue must be true or false, and assignee only me.");
        return;
    }
    const char *scope = staff_scope(req, only);
    const char *params[] = {"true",
                            scope,
                            scope,
                            status,
                            overdue != NULL && strcmp(overdue, "true") == 0 ? "true" : "false",
                            assignee != NULL ? ok_arena_printf(req->arena, "%lld", req->user->id)
                                             : NULL,
                            ok_arena_printf(req->arena, "%lld", cursor),
                            ok_arena_printf(req->arena, "%ld", limit)};
    int only_overdue = overdue != NULL && strcmp(overdue, "true") == 0;
    PGresult *rows =
        ok_db_query(req, only_overdue ? "messages_staff_overdue" : "messages_staff", 8, params);
    if (rows == NULL) {
        ok_db_reply_failure(req);
        return;
    }
    ok_page_reply(req, rows, limit);
}
