/*
 * create.c - POST requests: an integrator's system sends a service request.
 * The body is application/x-www-form-urlencoded, as the specification has
 * it; api_key names the integrator organisation (only keys issued by
 * `otklikctl open311 key create` and not revoked; a missing or unknown key is
 * 403). The request becomes a message like any other: pre-checked, in
 * moderation (or registered by an auto-routing rule), with its first audit
 * event, all in one transaction; its author is the organisation's own user.
 *
 * Fields the platform has no place for (e-mail, names, phone, device and
 * account ids, media_url, attribute[...], jurisdiction_id) are accepted and
 * not stored: a client sending them is not refused.
 */
#include "ok_config.h"
#include "ok_crypto.h"
#include "ok_precheck.h"
#include "ok_problem.h"
#include "ok_utf8.h"
#include "open311.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The limits of a message's text and address, as the widget's. */
#define CREATE_TEXT_MAX 5000
#define CREATE_ADDRESS_MAX 500

typedef struct create_input {
    open311_format format;
    char key_sha256[65];
    const char *service_code;
    const char *description;
    const char *address;
    const char *latitude, *longitude;
    char *flags; /* JSON text, malloc'd (freed by requests_create) */
    char token[33];
    long long id;
} create_input;

/* A field of the body (or, for api_key, of the query string too). */
static const char *create_field(ok_request *req, const char *body, const char *name, int *broken)
{
    const char *value;
    if (ok_http_form_value(req->arena, body, name, &value) != 0)
        *broken = 1;
    return value;
}

/* Whether text is a number within [min, max], written as one. */
static int create_is_coordinate(const char *text, double min, double max)
{
    char *end;
    double value = strtod(text, &end);
    return text[0] != '\0' && !isspace((unsigned char)text[0]) && *end == '\0' && isfinite(value) &&
           value >= min && value <= max;
}

static int create_is_blank(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (!isspace(*p))
            return 0;
    return 1;
}

/* Checks the fields other than the key; -1 after answering 400. */
static int create_check(ok_request *req, const create_input *in)
{
    const char *problem = NULL;
    if (in->service_code == NULL)
        problem = "service_code is required.";
    else if ((in->latitude == NULL) != (in->longitude == NULL))
        problem = "lat and long go together.";
    else if (in->latitude == NULL && in->address == NULL)
        problem = "Give the place: lat and long, or address_string.";
    else if (in->latitude != NULL && (!create_is_coordinate(in->latitude, -90, 90) ||
                                      !create_is_coordinate(in->longitude, -180, 180)))
        problem = "lat must be a number from -90 to 90 and long one from -180 to 180.";
    else if (in->description == NULL || create_is_blank(in->description))
        problem = "description is required: the message's text.";
    else if (ok_utf8_length(in->description, strlen(in->description)) > CREATE_TEXT_MAX)
        problem = "description is longer than 5000 characters.";
    else if (in->address != NULL &&
             ok_utf8_length(in->address, strlen(in->address)) > CREATE_ADDRESS_MAX)
        problem = "address_string is longer than 500 characters.";
    if (problem == NULL)
        return 0;
    open311_error(req, in->format, 400, problem);
    return -1;
}

/* Reads the body into in; -1 after answering. */
static int create_read(ok_request *req, create_input *in)
{
    if (strcmp(ok_http_media_type(req), "application/x-www-form-urlencoded") != 0) {
        open311_error(req, in->format, 415,
                      "Send the request as application/x-www-form-urlencoded.");
        return -1;
    }
    const char *body;
    size_t length;
    if (ok_http_read_body(req, ok_config_global.max_json_bytes, &body, &length) != 0)
        return -1;
    int broken = 0;
    const char *key = create_field(req, body, "api_key", &broken);
    if (key == NULL)
        key = ok_http_query(req, "api_key");
    in->service_code = create_field(req, body, "service_code", &broken);
    in->description = create_field(req, body, "description", &broken);
    in->address = create_field(req, body, "address_string", &broken);
    in->latitude = create_field(req, body, "lat", &broken);
    in->longitude = create_field(req, body, "long", &broken);
    if (broken || strlen(body) != length) {
        open311_error(req, in->format, 400,
                      "The body has a broken %-escape, or a value that is not UTF-8 text.");
        return -1;
    }
    if (key == NULL || key[0] == '\0') {
        open311_error(req, in->format, 403, "An api_key is required to send a service request.");
        return -1;
    }
    ok_crypto_sha256_hex(key, strlen(key), in->key_sha256);
    return create_check(req, in);
}

static int create_insert(ok_request *req, void *context)
{
    create_input *in = context;
    const char *context_params[] = {in->key_sha256, in->service_code};
    PGresult *row = ok_db_exec(req, "open311_context", 2, context_params);
    if (row == NULL)
        return OK_DB_ROLLBACK;
    if (PQgetisnull(row, 0, 0)) {
        open311_error(req, in->format, 403, "This api_key is unknown or revoked.");
        return OK_DB_ROLLBACK;
    }
    if (PQgetisnull(row, 0, 3)) {
        open311_error(req, in->format, 400, "There is no service with this code.");
        return OK_DB_ROLLBACK;
    }
    const char *params[] = {PQgetvalue(row, 0, 1),
                            PQgetvalue(row, 0, 3),
                            in->description,
                            in->address,
                            in->latitude,
                            in->longitude,
                            in->flags,
                            PQgetvalue(row, 0, 2),
                            PQgetvalue(row, 0, 0),
                            in->token};
    PGresult *result = ok_db_exec(req, "open311_insert", 10, params);
    if (result == NULL)
        return OK_DB_ROLLBACK;
    in->id = strtoll(PQgetvalue(result, 0, 0), NULL, 10);
    return OK_DB_COMMIT;
}

void requests_create(ok_request *req)
{
    create_input in = {.format = open311_format_of(req)};
    if (create_read(req, &in) != 0)
        return;
    if (ok_crypto_random_hex(in.token, 16) != 0) {
        ok_problem(req, 503, "The request could not be completed.");
        return;
    }
    json_t *flags = ok_precheck_text(in.description);
    in.flags = json_dumps(flags, JSON_COMPACT);
    json_decref(flags);
    if (in.flags == NULL) {
        ok_problem(req, 500, "The request could not be completed.");
        return;
    }
    int rc = ok_db_transaction(req, create_insert, &in);
    free(in.flags);
    if (rc != 0)
        return;
    json_t *body = json_pack("[{s:I, s:s, s:n, s:n}]", "service_request_id", (json_int_t)in.id,
                             "token", in.token, "service_notice", "account_id");
    open311_reply(req, in.format, 201, body, "service_requests", "request");
}
