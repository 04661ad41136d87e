/*
 * ok_stream.h - a response written to nginx as it is produced, for exports
 * too large to hold (a CSV of a million rows): the head first, then the body
 * in pieces, with no Content-Length (nginx passes it on chunked).
 *
 * Once begun, the status is sent: a failure later can only cut the body short
 * (logged; the client sees a truncated transfer). So a handler checks all it
 * can - the caller, the filters, the first result - before beginning.
 */
#ifndef OK_STREAM_H
#define OK_STREAM_H

#include "ok_http.h"

#include <stddef.h>

/* Sends the status line, Content-Type and the headers set so far (ok_http_header).
 * Returns 0, or -1 when nginx is gone. Sets req->status and req->streamed:
 * the server then writes nothing more. Without a FastCGI stream (unit tests)
 * the body collects in the response. */
int ok_stream_begin(ok_request *req, int status, const char *content_type);

/* Writes length bytes of the body; 0, or -1 when nginx is gone. */
int ok_stream_write(ok_request *req, const char *data, size_t length);

#endif
