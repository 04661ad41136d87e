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
 * script here.
 *
 * GET /api/v1/attachments/{id}/thumbnail: a JPEG photo's or PNG's small JPEG
 * (core/ok_thumbnail.c), to the same people; 404 for a PDF, and for an image
 * none could be made of. It is made on the first request, not at upload:
 * uploading stays the citizen's quick, rate-limited path with no decoder in
 * the widget worker; files never sent (removed by the scheduler) and PDFs
 * cost nothing; files stored before thumbnails existed get theirs too. The
 * first request decodes outside any transaction and stores the result, or
 * that there is none (a hostile file is decoded once, not per request), in
 * attachment_thumbnails (sql/015); two first requests at once both decode and
 * ON CONFLICT keeps one row - the same bytes, since making is deterministic.
 * Later requests read the stored JPEG. ETag is its SHA-256; Cache-Control lets
 * the browser keep it only while it asks again (access may change).
 */
#include "cabinet.h"
#include "ok_auth.h"
#include "ok_crypto.h"
#include "ok_log.h"
#include "ok_problem.h"
#include "ok_thumbnail.h"
#include "workflow.h"

#include <stdlib.h>
#include <string.h>

typedef struct attachment_file {
    const char *content_type;
    const char *data;
    size_t length;
} attachment_file;

/* Whether the caller may have the path's attachment: 1 (a public file - a
 * voting project's photo, a discussion's document, sql/031 - to anyone), 0,
 * -1 when a statement failed or having answered 401 to a caller not logged in. */
static int attachments_allowed(ok_request *req, const char *id)
{
    PGresult *row = ok_db_exec(req, "attachments_of", 1, &id);
    if (row == NULL)
        return -1;
    if (PQntuples(row) == 0)
        return 0;
    if (strcmp(PQgetvalue(row, 0, 3), "t") == 0)
        return 1; /* a voting project's photo, a discussion's document */
    if (req->user == NULL) {
        ok_auth_reply_login(req);
        return -1;
    }
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

/* Who asks: a bearer token must be a full session (a widget's token is
 * refused, 403, as on every route not for widgets); a session cookie makes a
 * person when live and is ignored when not, so that a page whose session
 * ended still shows public photos; without either, public files only. 0, or
 * -1 having answered. */
static int attachments_caller_or_reply(ok_request *req)
{
    if (ok_http_param(req, "HTTP_AUTHORIZATION") != NULL)
        return ok_auth_require_user(req);
    return ok_auth_optional_user(req);
}

void attachments_show(ok_request *req)
{
    if (attachments_caller_or_reply(req) != 0)
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

typedef struct attachment_thumbnail {
    const char *id;
    int stored;       /* a row of attachment_thumbnails exists */
    const char *jpeg; /* the thumbnail, NULL when none */
    size_t length;
    char sha256[65];
    const unsigned char *image; /* the original, when there is no row yet */
    size_t image_length;
    ok_thumbnail made;
} attachment_thumbnail;

static int attachments_thumbnail_read_tx(ok_request *req, void *context)
{
    attachment_thumbnail *thumbnail = context;
    int allowed = attachments_allowed(req, thumbnail->id);
    if (allowed <= 0) {
        if (allowed == 0)
            ok_problem(req, 404, "There is no such attachment among yours.");
        return OK_DB_ROLLBACK;
    }
    PGresult *row = ok_db_exec_binary_result(req, "attachments_thumbnail", 1, &thumbnail->id);
    if (row == NULL || PQntuples(row) != 1)
        return OK_DB_ROLLBACK;
    thumbnail->stored = !PQgetisnull(row, 0, 1);
    if (!PQgetisnull(row, 0, 2)) {
        thumbnail->jpeg = PQgetvalue(row, 0, 2);
        thumbnail->length = (size_t)PQgetlength(row, 0, 2);
        snprintf(thumbnail->sha256, sizeof(thumbnail->sha256), "%s", PQgetvalue(row, 0, 3));
    }
    if (!thumbnail->stored && strcmp(PQgetvalue(row, 0, 0), "application/pdf") != 0) {
        thumbnail->image = (const unsigned char *)PQgetvalue(row, 0, 4);
        thumbnail->image_length = (size_t)PQgetlength(row, 0, 4);
    }
    return OK_DB_COMMIT;
}

/* Stores the thumbnail made, or that none could be (NULL data). */
static int attachments_thumbnail_store_tx(ok_request *req, void *context)
{
    const attachment_thumbnail *thumbnail = context;
    const int made = thumbnail->jpeg != NULL;
    const char *params[] = {
        thumbnail->id,
        made ? ok_arena_printf(req->arena, "%d", thumbnail->made.width) : NULL,
        made ? ok_arena_printf(req->arena, "%d", thumbnail->made.height) : NULL,
        made ? thumbnail->sha256 : NULL,
        thumbnail->jpeg,
    };
    const int lengths[] = {0, 0, 0, 0, (int)thumbnail->length};
    const int formats[] = {0, 0, 0, 0, 1};
    return ok_db_exec_binary(req, "attachment_thumbnails_insert", 5, params, lengths, formats) ==
                   NULL
               ? OK_DB_ROLLBACK
               : OK_DB_COMMIT;
}

/* Makes the thumbnail of thumbnail->image and stores it. Returns 0, or -1
 * having answered the store's failure. */
static int attachments_thumbnail_make(ok_request *req, attachment_thumbnail *thumbnail)
{
    ok_thumbnail_result result =
        ok_thumbnail_make(req->arena, thumbnail->image, thumbnail->image_length, &thumbnail->made);
    if (result == OK_THUMBNAIL_MADE) {
        thumbnail->jpeg = (const char *)thumbnail->made.jpeg;
        thumbnail->length = thumbnail->made.length;
        ok_crypto_sha256_hex(thumbnail->jpeg, thumbnail->length, thumbnail->sha256);
    } else {
        ok_log(OK_LOG_INFO, "thumbnail refused", "attachment %s: %s", thumbnail->id,
               result == OK_THUMBNAIL_TOO_LARGE ? "too large" : "not a decodable image");
    }
    return ok_db_transaction(req, attachments_thumbnail_store_tx, thumbnail);
}

void attachments_thumbnail(ok_request *req)
{
    if (attachments_caller_or_reply(req) != 0)
        return;
    attachment_thumbnail thumbnail = {.id = ok_arena_printf(req->arena, "%lld", req->path_ids[0])};
    if (ok_db_transaction(req, attachments_thumbnail_read_tx, &thumbnail) != 0)
        return;
    if (thumbnail.image != NULL && attachments_thumbnail_make(req, &thumbnail) != 0)
        return;
    if (thumbnail.jpeg == NULL) {
        ok_problem(req, 404,
                   "This attachment has no thumbnail: it is a document, or not an "
                   "image that could be read.");
        return;
    }
    ok_http_respond(req, 200, "image/jpeg", thumbnail.jpeg, thumbnail.length);
    ok_http_header(req, "Content-Disposition",
                   ok_arena_printf(req->arena, "inline; filename=\"otklik-%lld-thumbnail.jpg\"",
                                   req->path_ids[0]));
    ok_http_header(req, "ETag", ok_arena_printf(req->arena, "\"%s\"", thumbnail.sha256));
    ok_http_header(req, "Cache-Control", "private, no-cache");
}
