/*
 * rating.c - GET /api/v1/rating?period=&kind=&region= (the ranking) and GET
 * /api/v1/rating/{territory}?period= (one territory's indicators), for
 * anyone: the region rating the scheduler computes (sql/045: rating_refresh
 * in `otklikctl tick`), read as stored. period is a month, YYYY-MM (UTC; by
 * default the current one); kind region or municipality; region a region's
 * code (it and its municipalities). Formulas: README.md, "The region rating".
 */
#include "analytics.h"
#include "ok_config.h"
#include "ok_problem.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* ?period= as the month's first day (arena), or NULL having answered 422. */
static const char *rating_period_or_reply(ok_request *req)
{
    const char *text = ok_http_query(req, "period");
    int year, month, used = 0;
    if (text == NULL) {
        time_t now = (time_t)ok_config_now();
        struct tm tm;
        gmtime_r(&now, &tm);
        return ok_arena_printf(req->arena, "%04d-%02d-01", tm.tm_year + 1900, tm.tm_mon + 1);
    }
    if (strlen(text) != 7 || sscanf(text, "%4d-%2d%n", &year, &month, &used) != 2 || used != 7 ||
        strspn(text, "0123456789-") != 7 || year < 2000 || year > 2100 || month < 1 || month > 12) {
        ok_problem_field(req, "period", "type", "The period is a month: YYYY-MM.");
        return NULL;
    }
    return ok_arena_printf(req->arena, "%04d-%02d-01", year, month);
}

/* A short name among few (kind), or a code (region): as given, or "" when
 * absent; NULL having answered 422. */
static const char *rating_word_or_reply(ok_request *req, const char *name)
{
    const char *text = ok_http_query(req, name);
    if (text == NULL)
        return "";
    if (strcmp(name, "kind") == 0 && strcmp(text, "region") != 0 &&
        strcmp(text, "municipality") != 0) {
        ok_problem_field(req, "kind", "type", "The kind is region or municipality.");
        return NULL;
    }
    if (text[0] == '\0' || strlen(text) > 63) {
        ok_problem_field(req, name, "unknown", "There is no such territory.");
        return NULL;
    }
    return text;
}

void rating_list(ok_request *req)
{
    const char *period = rating_period_or_reply(req);
    if (period == NULL)
        return;
    const char *kind = rating_word_or_reply(req, "kind");
    const char *region = kind != NULL ? rating_word_or_reply(req, "region") : NULL;
    if (region == NULL)
        return;
    const char *params[] = {period, kind[0] ? kind : NULL, region[0] ? region : NULL};
    ok_db_reply_json(req, "rating_list", 3, params);
}

void rating_territory(ok_request *req)
{
    const char *period = rating_period_or_reply(req);
    if (period == NULL)
        return;
    const char *params[] = {period, req->path_strings[0]};
    PGresult *found = ok_db_query(req, "rating_territory", 2, params);
    if (found == NULL)
        ok_db_reply_failure(req);
    else if (PQntuples(found) == 0)
        ok_problem(req, 404, "There is no such region or municipality.");
    else
        ok_http_respond(req, 200, "application/json; charset=utf-8", PQgetvalue(found, 0, 0),
                        strlen(PQgetvalue(found, 0, 0)));
}
