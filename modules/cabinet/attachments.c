/*
 * attachments.c - GET /api/v1/attachments/{id}: a file as it was uploaded, to
 * its uploader and to whoever may see a message that carries it (the rule of
 * GET /api/v1/messages/{id}, workflow_visible: the message's author - an
 * answer's files once an answer was approved - and the staff who may read
 * it); 404 to anyone else.
 *
 * The bytes are the stored ones under the stored type, never rendered on the
 * platform's origin: they download (Content-Disposition: attachment), and
 * nginx adds nosniff and a sandboxing Content-Security-Policy (nginx/
 * otklik.conf.in), so a PDF or an SVG or HTML that starts like a PNG runs no
 * script here. No thumbnails yet.
 */
#include "cabinet.h"
#include "ok_auth.h"
#include "ok_problem.h"
#include "workflow.h"

#include <stdlib.h>
#include <string.h>

typedef struct attachment_file {
    const char *content_type;
    const char *data;
    size_t length;
} attachment_file;

/* Whether the caller may have the path's attachment: 1, 0, -1 when a
 * statement failed. */
static int attachments_allowed(ok_request *req, const char *id)
{
    PGresult *row = ok_db_exec(req, "attachments_of", 1, &id);
    if (row == NULL)
        return -1;
    if (PQntuples(row) == 0)
        return 0;
    if (strtoll(PQgetvalue(row, 0, 0), NULL, 10) == req->user->id)
        return 1;
    const char *message = ok_db_value(row, 0, 1);
    if (message == NULL)
        return 0; /* not sent yet: its uploader's alone */
    int for_author = strcmp(PQgetvalue(row, 0, 2), "t") == 0;
    switch (workflow_visible(req, strtoll(message, NULL, 10))) {
    case WORKFLOW_VISIBLE_FAILED: return -1;
    case WORKFLOW_VISIBLE_STAFF: return 1;
    case WORKFLOW_VISIBLE_AUTHOR: return for_author;
    default: return 0;
    }
}

static int attachments_show_tx(ok_request *req, void *context)
{
    attachment_file *file = context;
    const char *id = ok_arena_printf(req->arena, "%lld", req->path_ids[0]);
    int allowed = attachments_allowed(req, id);
    if (allowed <= 0) {
        if (allowed == 0)
            ok_problem(req, 404, "There is no such attachment among yours.");
        return OK_DB_ROLLBACK;
    }
    PGresult *row = ok_db_exec_binary_result(req, "attachments_data", 1, &id);
    if (row == NULL || PQntuples(row) != 1)
        return OK_DB_ROLLBACK;
    file->content_type = PQgetvalue(row, 0, 0); /* text: its bytes, NUL-terminated by libpq */
    file->data = PQgetvalue(row, 0, 1);
    file->length = (size_t)PQgetlength(row, 0, 1);
    return OK_DB_COMMIT;
}

/* The file name's extension for a stored type (sql/001: these three only). */
static const char *attachments_extension(const char *content_type)
{
    if (strcmp(content_type, "image/jpeg") == 0)
        return "jpg";
    if (strcmp(content_type, "image/png") == 0)
        return "png";
    return "pdf";
}

void attachments_show(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    attachment_file file = {0};
    if (ok_db_transaction(req, attachments_show_tx, &file) != 0)
        return;
    ok_http_respond(req, 200, file.content_type, file.data, file.length);
    ok_http_header(req, "Content-Disposition",
                   ok_arena_printf(req->arena, "attachment; filename=\"otklik-%lld.%s\"",
                                   req->path_ids[0], attachments_extension(file.content_type)));
    ok_http_header(req, "Cache-Control", "private, no-store");
}
