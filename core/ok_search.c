/*
 * ok_search.c - searches by name; see ok_search.h. The query text is never
 * logged.
 */
#include "ok_search.h"
#include "ok_db.h"
#include "ok_problem.h"
#include "ok_utf8.h"

#include <string.h>

/* Characters of ?q=: enough to tell people or organisations apart, short of a name's length. */
enum { OK_SEARCH_QUERY_MIN = 2, OK_SEARCH_QUERY_MAX = 100 };

/* q for LIKE (arena memory): its wildcards % and _ and the escape character
 * (a backslash) taken literally. */
static const char *ok_search_like_literal(ok_arena *arena, const char *q)
{
    char *literal = ok_arena_alloc(arena, 2 * strlen(q) + 1), *out = literal;
    for (; *q != '\0'; q++) {
        if (*q == '%' || *q == '_' || *q == '\\')
            *out++ = '\\';
        *out++ = *q;
    }
    *out = '\0';
    return literal;
}

void ok_search_reply(ok_request *req, const char *statement)
{
    const char *q = ok_http_query(req, "q");
    size_t length = q != NULL ? ok_utf8_length(q, strlen(q)) : 0;
    if (length < OK_SEARCH_QUERY_MIN || length > OK_SEARCH_QUERY_MAX) {
        ok_problem_field(req, "q", length < OK_SEARCH_QUERY_MIN ? "too_short" : "too_long",
                         "q must be 2 to 100 characters.");
        return;
    }
    const char *pattern = ok_search_like_literal(req->arena, q);
    ok_db_reply_json(req, statement, 1, &pattern);
}
