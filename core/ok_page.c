/*
 * ok_page.c - keyset pagination: the parameters in, {items, next_cursor} out;
 * see ok_page.h.
 */
#include "ok_page.h"
#include "ok_problem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
        ok_problemf(req, 400, "limit must be 1 to %ld and cursor a value from next_cursor.", max);
        return -1;
    }
    return 0;
}

void ok_page_reply(ok_request *req, PGresult *rows, long limit)
{
    ok_page_reply_with(req, rows, limit, NULL);
}

void ok_page_reply_with(ok_request *req, PGresult *rows, long limit, const char *members)
{
    int count = PQntuples(rows);
    /* {"items":[ item,item ],"next_cursor":"123"} - copied, not printed: a
     * page is tens of kilobytes, and printf-ing it cost the worker more than
     * everything else in the request */
    const char *next = count == limit && count > 0 ? PQgetvalue(rows, count - 1, 1) : NULL;
    static const char head[] = "{\"items\":[";
    const char *cursor = next != NULL ? ok_arena_printf(req->arena, "\"%s\"", next) : "null";
    const char *tail = ok_arena_printf(req->arena, "],\"next_cursor\":%s%s%s}", cursor,
                                       members != NULL ? "," : "", members != NULL ? members : "");
    size_t tail_length = strlen(tail), size = sizeof(head) + tail_length;
    for (int i = 0; i < count; i++)
        size += (size_t)PQgetlength(rows, i, 0) + 1;
    char *body = ok_arena_alloc(req->arena, size);
    size_t n = sizeof(head) - 1;
    memcpy(body, head, n);
    for (int i = 0; i < count; i++) {
        if (i > 0)
            body[n++] = ',';
        memcpy(body + n, PQgetvalue(rows, i, 0), (size_t)PQgetlength(rows, i, 0));
        n += (size_t)PQgetlength(rows, i, 0);
    }
    memcpy(body + n, tail, tail_length + 1);
    n += tail_length;
    ok_http_respond(req, 200, "application/json; charset=utf-8", body, n);
    ok_http_header(req, "Cache-Control", "no-store");
}
