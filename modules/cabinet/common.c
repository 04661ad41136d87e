/*
 * common.c - what several cabinet resources share: organisations by code and
 * keyset pagination parameters.
 */
#include "cabinet.h"
#include "ok_authz.h"
#include "ok_problem.h"

#include <errno.h>
#include <stdlib.h>

long long cabinet_organisation_or_reply(ok_request *req, const char *code)
{
    const char *params[] = {code};
    PGresult *result = ok_db_query(req, "organisations_by_code", 1, params);
    if (result == NULL) {
        ok_db_reply_failure(req);
        return -1;
    }
    long long id = PQntuples(result) == 1 ? strtoll(PQgetvalue(result, 0, 0), NULL, 10) : 0;
    /* another organisation's objects do not exist for the caller */
    if (id == 0 || !ok_authz_is_staff(req->user, id)) {
        ok_problem(req, 404, "There is no such organisation among yours.");
        return -1;
    }
    return id;
}

/* A decimal in [min, max]; -1 when it is not. */
static long long cabinet_number(const char *text, long long min, long long max)
{
    if (text == NULL || text[0] < '0' || text[0] > '9')
        return -1;
    char *end;
    errno = 0;
    long long n = strtoll(text, &end, 10);
    return errno != 0 || *end != '\0' || n < min || n > max ? -1 : n;
}

int cabinet_page_or_reply(ok_request *req, long fallback, long max, long *limit, long long *cursor)
{
    const char *limit_text = ok_http_query(req, "limit");
    const char *cursor_text = ok_http_query(req, "cursor");
    *limit = limit_text == NULL ? fallback : (long)cabinet_number(limit_text, 1, max);
    *cursor = cursor_text == NULL ? 0 : cabinet_number(cursor_text, 1, 9223372036854775807LL);
    if (*limit < 0 || *cursor < 0) {
        ok_problem(req, 400,
                   ok_arena_printf(req->arena,
                                   "limit must be 1 to %ld and cursor a value from next_cursor.",
                                   max));
        return -1;
    }
    return 0;
}
