/*
 * ok_org.c - organisations by code, and list pagination; see ok_org.h.
 */
#include "ok_org.h"
#include "ok_authz.h"
#include "ok_db.h"
#include "ok_problem.h"

#include <errno.h>
#include <stdlib.h>

long long ok_org_for_action_or_reply(ok_request *req, const char *code, const char *action)
{
    const char *params[] = {code};
    PGresult *result = ok_db_run(req, "ok_organisation", 1, params);
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
    if (action != NULL && !ok_authz_can(req->user, action, id)) {
        ok_problem(req, 403, "Your role in this organisation does not allow this.");
        return -1;
    }
    return id;
}

/* A decimal in [min, max]; -1 when it is not. */
static long long ok_page_number(const char *text, long long min, long long max)
{
    if (text == NULL || text[0] < '0' || text[0] > '9')
        return -1;
    char *end;
    errno = 0;
    long long n = strtoll(text, &end, 10);
    return errno != 0 || *end != '\0' || n < min || n > max ? -1 : n;
}

int ok_page_or_reply(ok_request *req, long fallback, long max, long *limit, long long *cursor)
{
    const char *limit_text = ok_http_query(req, "limit");
    const char *cursor_text = ok_http_query(req, "cursor");
    *limit = limit_text == NULL ? fallback : (long)ok_page_number(limit_text, 1, max);
    *cursor = cursor_text == NULL ? 0 : ok_page_number(cursor_text, 1, 9223372036854775807LL);
    if (*limit < 0 || *cursor < 0) {
        ok_problem(req, 400,
                   ok_arena_printf(req->arena,
                                   "limit must be 1 to %ld and cursor a value from next_cursor.",
                                   max));
        return -1;
    }
    return 0;
}
