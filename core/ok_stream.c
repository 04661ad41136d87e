/*
 * ok_stream.c - responses sent as they are produced; see ok_stream.h.
 */
#include "ok_stream.h"
#include "ok_log.h"

#include <fcgiapp.h>
#include <stdio.h>
#include <string.h>

/* The unit tests' body, when there is no FastCGI stream. */
static void ok_stream_collect(ok_request *req, const char *data, size_t length)
{
    char *body = ok_arena_alloc(req->arena, req->body_length + length + 1);
    if (req->body_length > 0)
        memcpy(body, req->body, req->body_length);
    memcpy(body + req->body_length, data, length);
    body[req->body_length + length] = '\0';
    req->body = body;
    req->body_length += length;
}

int ok_stream_write(ok_request *req, const char *data, size_t length)
{
    if (req->fcgx == NULL) {
        ok_stream_collect(req, data, length);
        return 0;
    }
    FCGX_Request *fcgx = req->fcgx;
    while (length > 0) {
        int piece = length > (1u << 30) ? 1 << 30 : (int)length;
        if (FCGX_PutStr(data, piece, fcgx->out) != piece) {
            ok_log(OK_LOG_WARN, "stream not delivered", "request %s", req->request_id);
            return -1;
        }
        data += piece;
        length -= (size_t)piece;
    }
    return 0;
}

int ok_stream_begin(ok_request *req, int status, const char *content_type)
{
    ok_http_respond(req, status, content_type, NULL, 0);
    req->streamed = 1;
    if (req->fcgx == NULL)
        return 0;
    char *head =
        ok_arena_printf(req->arena, "Status: %d %s\r\nX-Request-Id: %s\r\nContent-Type: %s\r\n",
                        status, ok_http_reason(status), req->request_id, content_type);
    for (size_t i = 0; i < req->header_count; i++)
        head = ok_arena_printf(req->arena, "%s%s: %s\r\n", head, req->header_names[i],
                               req->header_values[i]);
    head = ok_arena_printf(req->arena, "%s\r\n", head);
    return ok_stream_write(req, head, strlen(head));
}
