/*
 * messages.c - POST /api/v1/messages: a citizen sends a complaint, question or
 * proposal. It enters in status "moderation" with its pre-check flags and the
 * first event of its audit trail, all in one transaction (or "registered" in
 * an organisation at once, when a routing rule with auto_route covers its
 * rubric and territory and the pre-checks found nothing: statements.c).
 *
 * A client that did not hear the answer retries with the same Idempotency-Key
 * header and gets the same message back (201), however many retries race; the
 * same key with a different body is refused (409).
 */
#include "ok_auth.h"
#include "ok_config.h"
#include "ok_crypto.h"
#include "ok_json.h"
#include "ok_precheck.h"
#include "ok_problem.h"
#include "ok_server.h"
#include "widget.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#define MESSAGE_MAX_ATTACHMENTS 10
#define MESSAGE_IDEMPOTENCY_KEY_MAX 128

static const ok_json_field message_location_fields[] = {
    {"lat", OK_JSON_NUMBER, .required = true, .min = -90, .max = 90},
    {"lon", OK_JSON_NUMBER, .required = true, .min = -180, .max = 180},
    {0},
};

static const ok_json_field message_attachment_id = {"", OK_JSON_INTEGER, .min = 1, .max = 1e15};

static const ok_json_field message_fields[] = {
    {"rubric_id", OK_JSON_INTEGER, .required = true, .min = 1, .max = 1e15},
    {"text", OK_JSON_STRING, .required = true, .min = 1, .max = WIDGET_TEXT_MAX},
    {"address", OK_JSON_STRING, .max = WIDGET_ADDRESS_MAX},
    {"location", OK_JSON_OBJECT, .fields = message_location_fields},
    {"attachment_ids", OK_JSON_ARRAY, .max = MESSAGE_MAX_ATTACHMENTS,
     .item = &message_attachment_id},
    {"widget_key", OK_JSON_STRING, .min = 1, .max = 64},
    {0},
};

typedef struct message_input {
    const char *author;
    const char *rubric_id;
    const char *text;
    const char *address;
    const char *latitude, *longitude;
    const char *attachment_ids; /* a PostgreSQL array literal of integers */
    size_t attachment_count;
    const char *widget_key;
    const char
        *channel;       /* widget, portal (the platform's session cookie) or api (a bearer token) */
    const char *origin; /* a foreign Origin the widget must allow, or NULL */
    const char *idempotency_key;
    char request_sha256[65];
    json_t *flags; /* owned by the request's arena */
    json_t *reply;
} message_input;

/* The header, if any: 1 to 128 visible ASCII characters. Returns -1 after answering 400. */
static int message_idempotency_key(ok_request *req, message_input *in)
{
    const char *key = ok_http_param(req, "HTTP_IDEMPOTENCY_KEY");
    if (key == NULL)
        return 0;
    size_t length = strlen(key);
    int ok = length > 0 && length <= MESSAGE_IDEMPOTENCY_KEY_MAX;
    for (size_t i = 0; ok && i < length; i++)
        ok = key[i] > 0x20 && key[i] < 0x7F;
    if (!ok) {
        ok_problem(req, 400,
                   "The Idempotency-Key header must be 1 to 128 visible ASCII "
                   "characters.");
        return -1;
    }
    in->idempotency_key = ok_arena_strdup(req->arena, key);
    return 0;
}

static int message_text_is_blank(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (!isspace(*p))
            return 0;
    return 1;
}

/* Turns attachment_ids into an array literal; -1 (after 422) on duplicates. */
static int message_attachments(ok_request *req, const json_t *ids, message_input *in)
{
    in->attachment_ids = "{}";
    if (ids == NULL || json_is_null(ids))
        return 0;
    size_t count = json_array_size(ids);
    for (size_t i = 0; i < count; i++) /* at most 10 (message_fields) */
        for (size_t j = 0; j < i; j++)
            if (json_integer_value(json_array_get(ids, j)) ==
                json_integer_value(json_array_get(ids, i))) {
                ok_problem_field(req, "attachment_ids", "duplicate",
                                 "The same attachment is listed twice.");
                return -1;
            }
    in->attachment_ids = ok_json_integer_array(req->arena, ids);
    in->attachment_count = count;
    return 0;
}

static void message_hash(const json_t *body, char hex[65])
{
    /* the canonical form: a retry that re-serialises the same fields matches */
    char *canonical = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
    if (canonical == NULL)
        abort(); /* out of memory: body is a parsed object */
    ok_crypto_sha256_hex(canonical, strlen(canonical), hex);
    free(canonical);
}

static void message_json_cleanup(void *object)
{
    json_decref(object);
}

/* Parses and validates the body into in; -1 after answering. */
static int message_read(ok_request *req, message_input *in)
{
    if (message_idempotency_key(req, in) != 0)
        return -1;
    json_t *body = ok_json_read_object_or_reply(req, message_fields);
    if (body == NULL)
        return -1;
    in->text = json_string_value(json_object_get(body, "text"));
    if (message_text_is_blank(in->text)) {
        ok_problem_field(req, "text", "too_short", "The text is empty.");
        return -1;
    }
    if (message_attachments(req, json_object_get(body, "attachment_ids"), in) != 0)
        return -1;
    in->rubric_id = ok_arena_printf(
        req->arena, "%lld", (long long)json_integer_value(json_object_get(body, "rubric_id")));
    in->address = json_string_value(json_object_get(body, "address"));
    in->widget_key = json_string_value(json_object_get(body, "widget_key"));
    json_t *location = json_object_get(body, "location");
    if (json_is_object(location)) {
        in->latitude = ok_arena_printf(req->arena, "%.17g",
                                       json_number_value(json_object_get(location, "lat")));
        in->longitude = ok_arena_printf(req->arena, "%.17g",
                                        json_number_value(json_object_get(location, "lon")));
    }
    in->author = ok_arena_printf(req->arena, "%lld", req->user->id);
    in->channel = in->widget_key != NULL ? "widget" : req->user->via_cookie ? "portal" : "api";
    const char *origin = ok_http_param(req, "HTTP_ORIGIN");
    if (origin != NULL && strcmp(origin, ok_config_global.public_origin) != 0)
        in->origin = ok_arena_strdup(req->arena, origin);
    message_hash(body, in->request_sha256);
    in->flags = ok_precheck_text(in->text);
    ok_arena_cleanup_add(req->arena, message_json_cleanup, in->flags);
    return 0;
}

/* Checks the context row; returns the territory id, or NULL after answering. */
static const char *message_check_context(ok_request *req, const message_input *in,
                                         PGresult *context)
{
    if (strcmp(PQgetvalue(context, 0, 0), "t") != 0) {
        ok_problem(req, 401, "The token names a user who does not exist.");
        return NULL;
    }
    json_t *errors = json_array();
    if (strcmp(PQgetvalue(context, 0, 1), "t") != 0)
        json_array_append_new(errors,
                              json_pack("{s:s, s:s}", "field", "rubric_id", "code", "unknown"));
    if (in->widget_key != NULL && strcmp(PQgetvalue(context, 0, 2), "t") != 0)
        json_array_append_new(errors,
                              json_pack("{s:s, s:s}", "field", "widget_key", "code", "unknown"));
    else if (in->widget_key != NULL && strcmp(PQgetvalue(context, 0, 4), "t") != 0 &&
             strcmp(PQgetvalue(context, 0, 1), "t") == 0)
        json_array_append_new(errors,
                              json_pack("{s:s, s:s}", "field", "rubric_id", "code", "not_offered"));
    if (json_array_size(errors) > 0) {
        ok_problem_validation_new(req, errors);
        return NULL;
    }
    json_decref(errors);
    if (in->widget_key != NULL && strcmp(PQgetvalue(context, 0, 3), "t") != 0) {
        ok_problem(req, 403, "This widget may not be used from this site.");
        return NULL;
    }
    return PQgetvalue(context, 0, 5);
}

static json_t *message_reply(const char *id, const char *status, const char *created_at,
                             const char *flags)
{
    return json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)strtoll(id, NULL, 10), "status",
                     status, "created_at", created_at, "flags",
                     json_loads(flags, 0, NULL) ?: json_array());
}

/* The message stored earlier under the same Idempotency-Key. */
static int message_replay(ok_request *req, message_input *in)
{
    const char *params[] = {in->author, in->idempotency_key};
    PGresult *result = ok_db_exec(req, "messages_by_idempotency_key", 2, params);
    if (result == NULL)
        return OK_DB_ROLLBACK;
    if (PQntuples(result) == 0) /* cannot happen: the conflict was on this key */
        return OK_DB_ROLLBACK;
    if (strcmp(PQgetvalue(result, 0, 4), in->request_sha256) != 0) {
        ok_problem(req, 409, "This Idempotency-Key was already used for a different message.");
        return OK_DB_ROLLBACK;
    }
    in->reply = message_reply(PQgetvalue(result, 0, 0), PQgetvalue(result, 0, 1),
                              PQgetvalue(result, 0, 2), PQgetvalue(result, 0, 3));
    ok_http_header(req, "Idempotent-Replayed", "true");
    return OK_DB_COMMIT;
}

static int message_insert(ok_request *req, void *context)
{
    message_input *in = context;
    json_decref(in->reply); /* from an attempt that was retried */
    in->reply = NULL;
    const char *context_params[] = {in->author, in->rubric_id, in->widget_key, in->text,
                                    in->origin, in->latitude,  in->longitude};
    PGresult *row = ok_db_exec(req, "messages_context", 7, context_params);
    if (row == NULL)
        return OK_DB_ROLLBACK;
    const char *territory = message_check_context(req, in, row);
    if (territory == NULL)
        return OK_DB_ROLLBACK;
    json_t *flags = json_deep_copy(in->flags);
    if (strcmp(PQgetvalue(row, 0, 6), "t") == 0)
        ok_precheck_flag(flags, 9, "duplicate");
    char *flags_text = json_dumps(flags, JSON_COMPACT);
    json_decref(flags);
    const char *params[] = {in->author,
                            in->rubric_id,
                            in->text,
                            in->address,
                            in->latitude,
                            in->longitude,
                            ok_arena_strdup(req->arena, flags_text),
                            territory,
                            in->widget_key,
                            in->idempotency_key,
                            in->request_sha256,
                            in->attachment_ids,
                            in->channel};
    free(flags_text);
    PGresult *result = ok_db_exec(req, "messages_insert", 13, params);
    if (result == NULL)
        return OK_DB_ROLLBACK;
    if (PQntuples(result) == 0)
        return message_replay(req, in);
    if (strtoull(PQgetvalue(result, 0, 4), NULL, 10) != in->attachment_count) {
        ok_problem_field(req, "attachment_ids", "unknown",
                         "An attachment does not exist, is not yours or is already sent.");
        return OK_DB_ROLLBACK;
    }
    in->reply = message_reply(PQgetvalue(result, 0, 0), PQgetvalue(result, 0, 1),
                              PQgetvalue(result, 0, 2), PQgetvalue(result, 0, 3));
    return OK_DB_COMMIT;
}

void messages_create(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    message_input in = {0};
    if (message_read(req, &in) != 0)
        return;
    if (ok_db_transaction(req, message_insert, &in) != 0) {
        json_decref(in.reply);
        return;
    }
    json_int_t id = json_integer_value(json_object_get(in.reply, "id"));
    ok_http_header(req, "Location",
                   ok_arena_printf(req->arena, "/api/v1/messages/%lld", (long long)id));
    ok_http_respond_json_new(req, 201, in.reply);
}
