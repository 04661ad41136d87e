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

static int my_messages_query(ok_request *req, long *limit, long long *cursor, const char **status)
{
    return ok_page_or_reply(req, 20, 100, limit, cursor) != 0 ||
                   ok_filters_status_or_reply(req, status) != 0
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

/* The staff list's query: paging and the SPEC's filters (400 when bad), and
 * the search filters (422). */
typedef struct staff_query {
    long limit;
    long long cursor;
    const char *status;
    int overdue, mine;
    ok_filters filters;
} staff_query;

static int staff_messages_query(ok_request *req, staff_query *query)
{
    if (ok_page_or_reply(req, 50, 200, &query->limit, &query->cursor) != 0 ||
        ok_filters_staff_or_reply(req, &query->status, &query->overdue, &query->mine) != 0)
        return -1;
    return ok_filters_read_or_reply(req, &query->filters);
}

/* Without search filters, the hot lists: one generic plan each when there is
 * no status or "mine" filter either. With any, the search statement, planned
 * for its values. */
static const char *staff_messages_statement(const staff_query *query)
{
    static const char *const statements[2][2] = {
        {"messages_staff", "messages_staff_filtered"},
        {"messages_staff_overdue", "messages_staff_overdue_filtered"}};
    return query->filters.present
               ? "messages_staff_search"
               : statements[query->overdue][query->status != NULL || query->mine];
}

/* The parameters of the statement (statements.c); user NULL: the session
 * check fills it in. */
static const char **staff_messages_params(ok_request *req, const staff_query *query,
                                          const char *user, const char *only)
{
    const ok_filters *f = &query->filters;
    const char *values[] = {"true",
                            user,
                            ok_authz_roles_allowed(req->arena, "message.read"),
                            query->status,
                            query->overdue ? "true" : "false",
                            query->mine ? "true" : "false",
                            ok_arena_printf(req->arena, "%lld", query->cursor),
                            ok_arena_printf(req->arena, "%ld", query->limit),
                            only,
                            f->q,
                            f->rubric_ids,
                            f->territory_ids,
                            f->due_within_days,
                            f->from,
                            f->to,
                            f->assignee};
    const char **params = ok_arena_alloc(req->arena, sizeof(values));
    memcpy(params, values, sizeof(values));
    return params;
}

/* With ?org=, or a rubric or territory to look up: the session first, then
 * the organisation (404, 403) and the filters (422), then the list. Leaves
 * the list unread for a caller without roles (the caller answers 403). */
static int staff_messages_checked_or_reply(ok_request *req, const char *org, staff_query *query,
                                           ok_db_call *list)
{
    long long only = 0;
    if (ok_auth_require_user(req) != 0)
        return -1;
    if (req->user->role_count == 0)
        return 0;
    if ((org != NULL && (only = ok_org_for_action_or_reply(req, org, "message.read")) < 0) ||
        (ok_filters_need_lookup(&query->filters) &&
         ok_filters_lookup_or_reply(req, &query->filters) != 0))
        return -1;
    list->values =
        staff_messages_params(req, query, ok_arena_printf(req->arena, "%lld", req->user->id),
                              org != NULL ? ok_arena_printf(req->arena, "%lld", only) : NULL);
    if ((list->result = ok_db_query(req, list->name, list->count, list->values)) == NULL) {
        ok_db_reply_failure(req);
        return -1;
    }
    return 0;
}

/* Without ?org= (and nothing to look up) the session check and the list go to
 * the database together (one round trip): the list picks the caller's
 * organisations itself. */
void staff_messages(ok_request *req)
{
    staff_query query;
    if (staff_messages_query(req, &query) != 0) {
        /* a bad query, but an unknown caller hears 401 first */
        ok_http_response_clear(req);
        if (ok_auth_require_user(req) == 0)
            staff_messages_query(req, &query);
        return;
    }
    const char *org = ok_http_query(req, "org");
    ok_db_call list = {staff_messages_statement(&query), query.filters.present ? 16 : 9, NULL,
                       NULL};
    if (org == NULL && !ok_filters_need_lookup(&query.filters)) {
        list.values = staff_messages_params(req, &query, NULL, NULL);
        if (ok_auth_require_user_with(req, &list, 1) != 0)
            return;
    } else if (staff_messages_checked_or_reply(req, org, &query, &list) != 0) {
        return;
    }
    if (req->user->role_count == 0) {
        ok_problem(req, 403, "This list is for the staff of organisations.");
        return;
    }
    ok_page_reply(req, list.result, query.limit);
}
