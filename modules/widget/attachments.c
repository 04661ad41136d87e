/*
 * attachments.c - POST /api/v1/attachments: a citizen uploads a photo or a PDF
 * (the raw body) before sending the message that will carry it.
 *
 * The declared type must be one the platform accepts and the bytes must start
 * like that type: a script renamed to .png is refused, not stored. Files wait
 * for their message within a per-citizen quota and rate (OTKLIK_UPLOAD_*);
 * those never attached are removed by the scheduler (otklikctl tick).
 */
#include "ok_auth.h"
#include "ok_config.h"
#include "ok_crypto.h"
#include "ok_problem.h"
#include "widget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct attachment_type {
    const char *content_type;
    const char *magic;
    size_t magic_length;
} attachment_type;

static const attachment_type attachment_types[] = {
    {"image/jpeg", "\xFF\xD8\xFF", 3},
    {"image/png", "\x89PNG\r\n\x1A\n", 8},
    {"application/pdf", "%PDF-", 5},
};

static const attachment_type *attachment_type_find(const char *content_type)
{
    for (size_t i = 0; i < sizeof(attachment_types) / sizeof(attachment_types[0]); i++)
        if (strcmp(attachment_types[i].content_type, content_type) == 0)
            return &attachment_types[i];
    return NULL;
}

typedef struct attachment_upload {
    const attachment_type *type;
    const char *data;
    size_t length;
    char sha256[65];
    long long id;
} attachment_upload;

/* Says when to retry a refused upload (seconds, as SQL computed them). */
static int attachment_retry_after(ok_request *req, const char *retry_after)
{
    ok_http_header(req, "Retry-After", ok_arena_strdup(req->arena, retry_after));
    return OK_DB_ROLLBACK;
}

/* Takes the owner's turn (so that concurrent uploads cannot all squeeze under
 * the quota) and refuses an upload over the rate or the owner's quota of files
 * not yet attached to a message. Both answer 429, like every limit that frees
 * with time: the rate in a minute, the quota when the files are sent with a
 * message or, unsent, removed by the scheduler (Retry-After: the oldest's
 * removal). 413 stays for a body too large in itself, 409 for a resource's
 * state. */
static int attachment_within_limits(ok_request *req, const char *owner, size_t length)
{
    const ok_config *config = &ok_config_global;
    const char *lock_params[] = {owner};
    PGresult *locked = ok_db_exec(req, "attachments_lock_owner", 1, lock_params);
    if (locked == NULL)
        return OK_DB_ROLLBACK;
    if (PQntuples(locked) == 0) {
        ok_problem(req, 401, "The token names a user who does not exist.");
        return OK_DB_ROLLBACK;
    }
    const char *usage_params[] = {owner,
                                  ok_arena_printf(req->arena, "%ld", config->upload_ttl_seconds)};
    PGresult *usage = ok_db_exec(req, "attachments_usage", 2, usage_params);
    if (usage == NULL)
        return OK_DB_ROLLBACK;
    long long files = strtoll(PQgetvalue(usage, 0, 0), NULL, 10);
    long long bytes = strtoll(PQgetvalue(usage, 0, 1), NULL, 10);
    long long recent = strtoll(PQgetvalue(usage, 0, 3), NULL, 10);
    if (recent >= config->upload_rate_per_minute) {
        ok_problemf(req, 429, "At most %ld files a minute; please wait a little.",
                    config->upload_rate_per_minute);
        return attachment_retry_after(req, PQgetvalue(usage, 0, 4));
    }
    if (files >= config->upload_quota_files ||
        bytes + (long long)length > config->upload_quota_bytes) {
        ok_problemf(req, 429,
                    "At most %ld files (%ld bytes) may wait to be sent with a message; "
                    "send yours first, or try again later.",
                    config->upload_quota_files, config->upload_quota_bytes);
        return attachment_retry_after(req, PQgetvalue(usage, 0, 2));
    }
    return OK_DB_COMMIT;
}

static int attachment_insert(ok_request *req, void *context)
{
    attachment_upload *upload = context;
    const char *owner = ok_arena_printf(req->arena, "%lld", req->user->id);
    if (attachment_within_limits(req, owner, upload->length) != OK_DB_COMMIT)
        return OK_DB_ROLLBACK;
    const char *params[] = {
        owner,
        upload->type->content_type,
        ok_arena_printf(req->arena, "%zu", upload->length),
        upload->sha256,
        upload->data,
    };
    const int lengths[] = {0, 0, 0, 0, (int)upload->length};
    const int formats[] = {0, 0, 0, 0, 1};
    PGresult *result = ok_db_exec_binary(req, "attachments_insert", 5, params, lengths, formats);
    if (result == NULL)
        return OK_DB_ROLLBACK;
    upload->id = strtoll(PQgetvalue(result, 0, 0), NULL, 10);
    return OK_DB_COMMIT;
}

void attachments_create(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    attachment_upload upload = {0};
    upload.type = attachment_type_find(ok_http_media_type(req));
    if (upload.type == NULL) {
        ok_problem(req, 415, "Attach a JPEG or PNG photo or a PDF document.");
        return;
    }
    if (ok_http_read_body(req, ok_config_global.max_attachment_bytes, &upload.data,
                          &upload.length) != 0)
        return;
    if (upload.length == 0) {
        ok_problem_field(req, "body", "required", "The file is empty.");
        return;
    }
    if (upload.length < upload.type->magic_length ||
        memcmp(upload.data, upload.type->magic, upload.type->magic_length) != 0) {
        ok_problem_field(req, "body", "content_mismatch",
                         "The file's content does not match its declared type.");
        return;
    }
    ok_crypto_sha256_hex(upload.data, upload.length, upload.sha256);
    if (ok_db_transaction(req, attachment_insert, &upload) != 0)
        return;
    ok_http_respond_json_new(req, 201,
                             json_pack("{s:I, s:s, s:I, s:s}", "id", (json_int_t)upload.id,
                                       "content_type", upload.type->content_type, "size",
                                       (json_int_t)upload.length, "sha256", upload.sha256));
}
