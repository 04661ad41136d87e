/*
 * lists.c - the lists of the cabinet: a citizen's messages and the staff's
 * messages with the SPEC's filters (the notifications: notifications.c). All
 * keyset-paginated by id, newest first: {items, next_cursor}.
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

static int staff_messages_query(ok_request *req, long *limit, long long *cursor,
                                const char **status, int *overdue, int *mine)
{
    if (ok_page_or_reply(req, 50, 200, limit, cursor) != 0 ||
        list_status_or_reply(req, status) != 0)
        return -1;
    const char *only_overdue = ok_http_query(req, "overdue");
    const char *assignee = ok_http_query(req, "assignee");
    if ((only_overdue != NULL && strcmp(only_overdue, "true") != 0 &&
         strcmp(only_overdue, "false") != 0) ||
        (assignee != NULL && strcmp(assignee, "me") != 0)) {
        ok_problem(req, 400, "overdue must be true or false, and assignee only me.");
        return -1;
    }
    *overdue = only_overdue != NULL && strcmp(only_overdue, "true") == 0;
    *mine = assignee != NULL;
    return 0;
}

/* Without ?org= the session check and the list go to the database together
 * (one round trip): the list picks the caller's organisations itself. With
 * ?org= the organisation is checked first (404, 403). */
void staff_messages(ok_request *req)
{
    long limit;
    long long cursor;
    const char *status;
    int overdue, mine;
    if (staff_messages_query(req, &limit, &cursor, &status, &overdue, &mine) != 0) {
        /* a bad query, but an unknown caller hears 401 first */
        ok_http_response_clear(req);
        if (ok_auth_require_user(req) == 0)
            staff_messages_query(req, &limit, &cursor, &status, &overdue, &mine);
        return;
    }
    const char *org = ok_http_query(req, "org");
    const char *params[] = {"true",
                            NULL /* the caller */,
                            ok_authz_roles_allowed(req->arena, "message.read"),
                            status,
                            overdue ? "true" : "false",
                            mine ? "true" : "false",
                            ok_arena_printf(req->arena, "%lld", cursor),
                            ok_arena_printf(req->arena, "%ld", limit),
                            NULL /* one organisation */};
    static const char *const statements[2][2] = {
        {"messages_staff", "messages_staff_filtered"},
        {"messages_staff_overdue", "messages_staff_overdue_filtered"}};
    ok_db_call list = {statements[overdue][status != NULL || mine], 9, params, NULL};
    if (org == NULL) {
        if (ok_auth_require_user_with(req, &list, 1) != 0)
            return;
    } else {
        long long only = 0;
        if (ok_auth_require_user(req) != 0 ||
            (req->user->role_count > 0 &&
             (only = ok_org_for_action_or_reply(req, org, "message.read")) < 0))
            return;
        params[1] = ok_arena_printf(req->arena, "%lld", req->user->id);
        params[8] = ok_arena_printf(req->arena, "%lld", only);
        if ((list.result = ok_db_query(req, list.name, 9, params)) == NULL) {
            ok_db_reply_failure(req);
            return;
        }
    }
    if (req->user->role_count == 0) {
        ok_problem(req, 403, "This list is for the staff of organisations.");
        return;
    }
    ok_page_reply(req, list.result, limit);
}
