/*
 * notifications.c - a person's notifications: the citizen's (the transitions
 * of their messages, table notifications) and the staff's (assigned, waiting
 * for approval, returned, due within 24 hours, overdue: staff_notifications,
 * written by workflow.c's events_add and by `otklikctl tick`). Both feeds read
 * alike: a keyset page newest first with the unread count, {items,
 * next_cursor, unread}; one notification or all of them marked read, answering
 * the unread count after. Another person's notification is 404.
 */
#include "cabinet.h"
#include "ok_auth.h"
#include "ok_page.h"
#include "ok_problem.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* One feed: its statements (statements.c) and whether it is the staff's. */
typedef struct notifications_feed {
    const char *list, *unread, *read, *read_all;
    int staff;
} notifications_feed;

static const notifications_feed notifications_citizen = {
    "notifications_mine", "notifications_unread", "notifications_read", "notifications_read_all",
    0};
static const notifications_feed notifications_staff = {
    "staff_notifications_mine", "staff_notifications_unread", "staff_notifications_read",
    "staff_notifications_read_all", 1};

/* GET: a page and the unread count, in one round trip; the staff's feed is
 * 403 to a person with no staff role. */
static void notifications_list(ok_request *req, const notifications_feed *feed)
{
    long limit;
    long long cursor;
    if (ok_auth_require_user(req) != 0)
        return;
    if (feed->staff && req->user->role_count == 0) {
        ok_problem(req, 403, "These notifications are for the staff of organisations.");
        return;
    }
    if (ok_page_or_reply(req, 20, 100, &limit, &cursor) != 0)
        return;
    const char *params[] = {ok_arena_printf(req->arena, "%lld", req->user->id),
                            ok_arena_printf(req->arena, "%lld", cursor),
                            ok_arena_printf(req->arena, "%ld", limit)};
    ok_db_call calls[] = {{feed->list, 3, params, NULL}, {feed->unread, 1, params, NULL}};
    if (ok_db_query_batch(req, calls, 2) != 0) {
        ok_db_reply_failure(req);
        return;
    }
    ok_page_reply_with(
        req, calls[0].result, limit,
        ok_arena_printf(req->arena, "\"unread\":%s", PQgetvalue(calls[1].result, 0, 0)));
}

/* Answers 200 {unread} (and the notification's id, when one was read). */
static void notifications_reply_unread(ok_request *req, long long id, const char *unread)
{
    json_t *body = json_pack("{s:I}", "unread", (json_int_t)strtoll(unread, NULL, 10));
    if (id != 0) {
        json_object_set_new(body, "id", json_integer(id));
        json_object_set_new(body, "read", json_true());
    }
    ok_http_respond_json_new(req, 200, body);
}

/* POST .../{id}/read: idempotent; 404 unless the notification is the caller's. */
static void notifications_read(ok_request *req, const notifications_feed *feed)
{
    if (ok_auth_require_user(req) != 0)
        return;
    const char *params[] = {ok_arena_printf(req->arena, "%lld", req->path_ids[0]),
                            ok_arena_printf(req->arena, "%lld", req->user->id)};
    PGresult *row = ok_db_write(req, feed->read, 2, params);
    if (row == NULL)
        return;
    if (strcmp(PQgetvalue(row, 0, 0), "t") != 0) {
        ok_problem(req, 404, "There is no such notification among yours.");
        return;
    }
    notifications_reply_unread(req, req->path_ids[0], PQgetvalue(row, 0, 1));
}

/* POST .../read-all */
static void notifications_read_all(ok_request *req, const notifications_feed *feed)
{
    if (ok_auth_require_user(req) != 0)
        return;
    const char *user = ok_arena_printf(req->arena, "%lld", req->user->id);
    PGresult *row = ok_db_write(req, feed->read_all, 1, &user);
    if (row != NULL)
        notifications_reply_unread(req, 0, PQgetvalue(row, 0, 0));
}

void my_notifications(ok_request *req)
{
    notifications_list(req, &notifications_citizen);
}

void my_notifications_read(ok_request *req)
{
    notifications_read(req, &notifications_citizen);
}

void my_notifications_read_all(ok_request *req)
{
    notifications_read_all(req, &notifications_citizen);
}

void staff_notifications(ok_request *req)
{
    notifications_list(req, &notifications_staff);
}

void staff_notifications_read(ok_request *req)
{
    notifications_read(req, &notifications_staff);
}

void staff_notifications_read_all(ok_request *req)
{
    notifications_read_all(req, &notifications_staff);
}
