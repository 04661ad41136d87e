/*
 * slice.c - the period and the slice of the statistics: ?from=&to= (days,
 * YYYY-MM-DD, both included, UTC; by default the last 30 days to today, at
 * most 731 days), ?org= (an organisation code), ?territory= (a code: it and
 * what lies below), ?rubric= (an id: it and its descendants), ?channel=
 * (accepted and ignored until messages carry a channel: modules/channels).
 *
 * Who: whoever holds analytics.read (curator, manager, moderator) somewhere.
 * The statements limit the figures to what the caller may see (statements.c:
 * SCOPE); an organisation outside it is 404 like any other's, a territory or
 * rubric outside it simply counts nothing.
 */
#include "analytics.h"
#include "ok_auth.h"
#include "ok_authz.h"
#include "ok_config.h"
#include "ok_filters.h"
#include "ok_problem.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

enum { SLICE_DEFAULT_DAYS = 30, SLICE_MAX_DAYS = 731 };

/* Whether the caller may read statistics of any organisation. */
static int slice_allowed(const ok_user *user)
{
    for (size_t i = 0; i < user->role_count; i++)
        if (ok_authz_can(user, "analytics.read", user->roles[i].organisation_id))
            return 1;
    return 0;
}

/* Days since the epoch of a checked YYYY-MM-DD. */
static long slice_days(const char *text)
{
    struct tm tm = {0};
    sscanf(text, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (long)(timegm(&tm) / 86400);
}

static const char *slice_day_text(ok_request *req, long days)
{
    time_t t = (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    return ok_arena_printf(req->arena, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                           tm.tm_mday);
}

static void slice_error(json_t *errors, const char *field, const char *code)
{
    json_array_append_new(errors, json_pack("{s:s, s:s}", "field", field, "code", code));
}

/* from and to into values[2], values[3]. */
static void slice_period(ok_request *req, slice *out, json_t *errors)
{
    const char *from = ok_http_query(req, "from"), *to = ok_http_query(req, "to");
    long last = (long)(ok_config_now() / 86400), first;
    if (to != NULL && ok_filters_day(to) != 0)
        slice_error(errors, "to", "type");
    else if (to != NULL)
        last = slice_days(to);
    first = last - (SLICE_DEFAULT_DAYS - 1);
    if (from != NULL && ok_filters_day(from) != 0)
        slice_error(errors, "from", "type");
    else if (from != NULL)
        first = slice_days(from);
    if (json_array_size(errors) == 0 && (first > last || last - first >= SLICE_MAX_DAYS))
        slice_error(errors, "from", "out_of_range");
    out->values[2] = slice_day_text(req, first);
    out->values[3] = slice_day_text(req, last);
}

/* The ids, rubric and channel as given (the territory's code is looked up). */
static void slice_read_names(ok_request *req, ok_filters *names, json_t *errors)
{
    const char *rubric = ok_http_query(req, "rubric");
    const char *territory = ok_http_query(req, "territory");
    const char *channel = ok_http_query(req, "channel");
    memset(names, 0, sizeof(*names));
    if (rubric != NULL && (rubric[0] == '\0' || strlen(rubric) > 18 ||
                           strspn(rubric, "0123456789") != strlen(rubric)))
        slice_error(errors, "rubric", "type");
    else
        names->rubric = rubric;
    if (territory != NULL && (territory[0] == '\0' || strlen(territory) > 64))
        slice_error(errors, "territory", "unknown");
    else
        names->territory = territory;
    if (channel != NULL && (channel[0] == '\0' || strlen(channel) > 32 ||
                            strspn(channel, "abcdefghijklmnopqrstuvwxyz_") != strlen(channel)))
        slice_error(errors, "channel", "type");
}

/* ?org= among the organisations the caller may see figures of. */
static int slice_org_or_reply(ok_request *req, slice *out, const char *org)
{
    const char *params[] = {out->values[0], out->values[1], org};
    PGresult *found = ok_db_query(req, "analytics_org", 3, params);
    if (found == NULL) {
        ok_db_reply_failure(req);
        return -1;
    }
    if (PQntuples(found) != 1) {
        ok_problem(req, 404, "There is no such organisation among yours.");
        return -1;
    }
    out->values[4] = ok_db_value(found, 0, 0);
    return 0;
}

int slice_read_or_reply(ok_request *req, slice *out)
{
    memset(out, 0, sizeof(*out));
    if (ok_auth_require_user(req) != 0)
        return -1;
    if (!slice_allowed(req->user)) {
        ok_problem(req, 403, "Statistics are for curators, managers and moderation organisations.");
        return -1;
    }
    out->values[0] = ok_arena_printf(req->arena, "%lld", req->user->id);
    out->values[1] = ok_authz_roles_allowed(req->arena, "analytics.read");
    json_t *errors = json_array();
    ok_filters names;
    slice_period(req, out, errors);
    slice_read_names(req, &names, errors);
    if (json_array_size(errors) > 0) {
        ok_problem_validation_new(req, errors);
        return -1;
    }
    json_decref(errors);
    const char *org = ok_http_query(req, "org");
    if ((org != NULL && slice_org_or_reply(req, out, org) != 0) ||
        (ok_filters_need_lookup(&names) && ok_filters_lookup_or_reply(req, &names) != 0))
        return -1;
    out->values[5] = names.territory_ids;
    out->values[6] = names.rubric_ids;
    return 0;
}
