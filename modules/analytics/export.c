/*
 * export.c - GET /api/v1/staff/messages.csv: the staff list's messages (the
 * same ?org=, ?status=, ?overdue=, ?assignee= and search filters, core's
 * ok_filters) as CSV, every row of them, newest first. PostgreSQL writes the
 * CSV (COPY ... TO STDOUT, statements.c: export_messages_csv) and each row
 * goes on to nginx as it arrives (ok_db_copy_out, ok_stream): a million rows
 * take no more memory than one. UTF-8 with a byte order mark, so that Excel
 * reads Cyrillic; text cells that a spreadsheet would take for a formula are
 * neutralised (sql/041: otklik_csv_cell).
 */
#include "analytics.h"
#include "ok_auth.h"
#include "ok_authz.h"
#include "ok_filters.h"
#include "ok_org.h"
#include "ok_problem.h"
#include "ok_stream.h"

#include <stdlib.h>
#include <string.h>

/* ?status=, ?overdue=, ?assignee=me as the staff list reads them (400). */
static int export_list_query_or_reply(ok_request *req, json_t *settings)
{
    const char *status;
    int overdue, mine;
    if (ok_filters_staff_or_reply(req, &status, &overdue, &mine) != 0)
        return -1;
    json_object_set_new(settings, "status", status != NULL ? json_string(status) : json_null());
    json_object_set_new(settings, "overdue", json_boolean(overdue));
    json_object_set_new(settings, "mine", json_boolean(mine));
    return 0;
}

static void export_set(json_t *settings, const char *name, const char *value)
{
    json_object_set_new(settings, name, value != NULL ? json_string(value) : json_null());
}

/* The caller, ?org= and the search filters into settings. */
static int export_filters_or_reply(ok_request *req, json_t *settings)
{
    ok_filters f;
    const char *org = ok_http_query(req, "org");
    long long only = 0;
    if (ok_filters_read_or_reply(req, &f) != 0 ||
        (org != NULL && (only = ok_org_for_action_or_reply(req, org, "message.read")) < 0) ||
        (ok_filters_need_lookup(&f) && ok_filters_lookup_or_reply(req, &f) != 0))
        return -1;
    json_object_set_new(settings, "user", json_sprintf("%lld", req->user->id));
    export_set(settings, "roles", ok_authz_roles_allowed(req->arena, "message.read"));
    json_object_set_new(settings, "org", only > 0 ? json_sprintf("%lld", only) : json_null());
    export_set(settings, "q", f.q);
    export_set(settings, "rubric_ids", f.rubric_ids);
    export_set(settings, "territory_ids", f.territory_ids);
    export_set(settings, "due_within_days", f.due_within_days);
    export_set(settings, "from", f.from);
    export_set(settings, "to", f.to);
    export_set(settings, "assignee", f.assignee);
    return 0;
}

/* The first piece begins the response: the head and the byte order mark. */
static int export_sink(ok_request *req, const char *data, size_t length, void *context)
{
    (void)context;
    if (!req->streamed) {
        ok_http_header(req, "Content-Disposition", "attachment; filename=\"messages.csv\"");
        ok_http_header(req, "Cache-Control", "no-store");
        if (ok_stream_begin(req, 200, "text/csv; charset=utf-8") != 0 ||
            ok_stream_write(req, "\xEF\xBB\xBF", 3) != 0)
            return -1;
    }
    return ok_stream_write(req, data, length);
}

void export_messages_csv(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    if (req->user->role_count == 0) {
        ok_problem(req, 403, "This list is for the staff of organisations.");
        return;
    }
    json_t *settings = json_object();
    if (export_list_query_or_reply(req, settings) != 0 ||
        export_filters_or_reply(req, settings) != 0) {
        json_decref(settings);
        return;
    }
    char *text = json_dumps(settings, JSON_COMPACT);
    json_decref(settings);
    const char *params[] = {ok_arena_strdup(req->arena, text)};
    free(text);
    if (ok_db_copy_out(req, "export_settings", 1, params, "export_messages_csv", export_sink,
                       NULL) < 0)
        ok_db_reply_failure(req);
}
