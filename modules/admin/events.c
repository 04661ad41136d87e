/*
 * events.c - GET /api/v1/admin/events: the audit of administrative changes
 * (sql/020_admin.sql's admin_events), newest first, keyset-paged
 * (?limit=&cursor=), filtered by ?object_kind= and ?object_id=. An operator
 * reads the events of its territory's objects; a root operator every one.
 * Each event: {id, at, actor: {id, name, esia_oid} | null (the console),
 * object_kind, object_id, action: create|update|delete, before, after}.
 */
#include "admin.h"
#include "ok_page.h"
#include "ok_problem.h"

void events_list(ok_request *req)
{
    if (admin_operator_or_reply(req) != 0)
        return;
    long limit;
    long long cursor;
    if (ok_page_or_reply(req, ADMIN_PAGE_DEFAULT, ADMIN_PAGE_MAX, &limit, &cursor) != 0)
        return;
    const char *params[] = {admin_user_id(req), ok_arena_printf(req->arena, "%lld", cursor),
                            ok_arena_printf(req->arena, "%ld", limit),
                            ok_http_query(req, "object_kind"), ok_http_query(req, "object_id")};
    admin_page_reply(req, "events_list", 5, params, limit);
}
