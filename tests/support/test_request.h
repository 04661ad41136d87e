/*
 * test_request.h - an ok_request as a worker sees it, without a FastCGI
 * connection, for unit tests and fuzzers: its parameters ("NAME=value") and
 * body live in a fake FCGX_Request, whose layout fcgiapp.h makes public, so
 * ok_http_param, ok_http_cookie and ok_http_read_body run unchanged.
 */
#ifndef TEST_REQUEST_H
#define TEST_REQUEST_H

#include "ok_http.h"

#include <fcgiapp.h>
#include <string.h>

typedef struct test_request {
    ok_request req;
    FCGX_Request fcgx;
    FCGX_Stream in;
} test_request;

/* The body is all in the buffer: asking for more ends the stream. */
static inline void test_request_fill(FCGX_Stream *stream)
{
    stream->isClosed = 1;
}

/* Makes t a GET of path?query with the given parameters (NULL-ended, kept by
 * reference) and body (copied into arena; NULL for none). Returns &t->req. */
static inline ok_request *test_request_init(test_request *t, ok_arena *arena, const char *path,
                                            const char *query, char **params, const char *body,
                                            size_t length)
{
    memset(t, 0, sizeof(*t));
    if (body == NULL)
        length = 0;
    unsigned char *copy = (unsigned char *)ok_arena_strndup(arena, body ? body : "", length);
    t->in.rdNext = t->in.stopUnget = copy;
    t->in.stop = t->in.wrNext = copy + length;
    t->in.isReader = 1;
    t->in.fillBuffProc = test_request_fill;
    t->fcgx.in = &t->in;
    t->fcgx.envp = params;
    t->fcgx.ipcFd = -1;
    t->req.arena = arena;
    t->req.fcgx = &t->fcgx;
    t->req.method = "GET";
    t->req.path = path;
    t->req.query = query;
    t->req.request_id = "test";
    return &t->req;
}

#endif
