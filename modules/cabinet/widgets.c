/*
 * widgets.c - GET /api/v1/orgs/{code}/widgets: the widgets of an organisation,
 * for its admin's widget page in the cabinet (each one's settings are then
 * read and changed through /api/v1/widgets/{key}, in the intake worker).
 */
#include "cabinet.h"
#include "ok_auth.h"
#include "ok_org.h"
#include "ok_problem.h"

void org_widgets_list(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    long long organisation = ok_org_for_action_or_reply(req, req->path_strings[0], "widget.manage");
    if (organisation < 0)
        return;
    const char *id = ok_arena_printf(req->arena, "%lld", organisation);
    if (ok_db_reply_json(req, "org_widgets", 1, &id) == 0)
        ok_http_header(req, "Cache-Control", "no-store");
}
