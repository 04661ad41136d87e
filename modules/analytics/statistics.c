/*
 * statistics.c - GET /api/v1/analytics/summary, /series and /orgs: the
 * figures of a period and a slice (slice.c) as one JSON document each,
 * computed by the statements (statements.c) from sql/040's daily facts. How
 * fresh and how exact each figure is: README.md, "Analytics".
 */
#include "analytics.h"

/* The statement for all rubrics (name), or for some (name_rubrics). */
static void statistics_reply(ok_request *req, const char *statement)
{
    slice s;
    if (slice_read_or_reply(req, &s) != 0)
        return;
    if (s.values[6] != NULL)
        statement = ok_arena_printf(req->arena, "%s_rubrics", statement);
    ok_db_reply_json(req, statement, SLICE_PARAMS, s.values);
}

void analytics_summary(ok_request *req)
{
    statistics_reply(req, "analytics_summary");
}

void analytics_series(ok_request *req)
{
    statistics_reply(req, "analytics_series");
}

void analytics_orgs(ok_request *req)
{
    statistics_reply(req, "analytics_orgs");
}
