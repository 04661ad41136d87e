/*
 * widgets.c - GET /api/v1/widgets/{key}: what an embedded widget shows: its
 * organisation, the rubrics it offers, its texts and the intake limits.
 */
#include "ok_config.h"
#include "ok_problem.h"
#include "widget.h"

#include <string.h>

void widgets_show(ok_request *req)
{
    const char *key = req->path_strings[0];
    const char *params[] = {
        ok_arena_printf(req->arena, "%d", WIDGET_TEXT_MAX),
        ok_arena_printf(req->arena, "%d", WIDGET_ADDRESS_MAX),
        ok_arena_printf(req->arena, "%zu", ok_config_global.max_attachment_bytes),
        key,
    };
    PGresult *result = ok_db_query(req, "widgets_show", 4, params);
    if (result == NULL) {
        ok_db_reply_failure(req);
        return;
    }
    if (PQntuples(result) == 0) {
        ok_problem(req, 404, "There is no widget with this key.");
        return;
    }
    const char *body = PQgetvalue(result, 0, 0);
    ok_http_respond(req, 200, "application/json; charset=utf-8", body, strlen(body));
    ok_http_header(req, "Cache-Control", "public, max-age=60");
}
