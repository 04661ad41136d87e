/*
 * ok_http.h - one HTTP request as a FastCGI worker sees it, and its response.
 *
 * The request's strings are copied into its arena when it is accepted, so they
 * stay valid for the whole request. The response is built in memory and written
 * once the handler returns: a transaction retried by ok_db starts again from a
 * clean response, and the log line knows the final status.
 */
#ifndef OK_HTTP_H
#define OK_HTTP_H

#include "ok_arena.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define OK_HTTP_MAX_PATH_PARAMS 4
#define OK_HTTP_MAX_HEADERS 12

typedef struct ok_db ok_db;

/* One staff role of a user: the organisation (id and code) and the role name. */
typedef struct ok_role {
    long long organisation_id;
    const char *organisation;
    const char *role;
} ok_role;

/* The caller, as ok_auth_require_user found it (arena memory). */
typedef struct ok_user {
    long long id;
    const char *esia_oid;
    const char *name;
    const char *session_id;
    const ok_role *roles;
    size_t role_count;
    int via_cookie; /* authenticated by the session cookie, not a bearer token */
} ok_user;

typedef struct ok_request {
    ok_arena *arena;
    void *fcgx; /* FCGX_Request *, NULL in unit tests */
    ok_db *db;  /* this thread's connection */
    const char *method;
    const char *path;  /* decoded and normalised by nginx, no query */
    const char *query; /* raw query string, "" when none */
    const char *request_id;
    const char *route; /* the matched pattern, for logs */
    /* a widget's token may call the matched route (ok_router.h) */
    int route_for_widgets;
    const char *language; /* "ru" or "en" once ok_i18n_language has read it */
    long long path_ids[OK_HTTP_MAX_PATH_PARAMS];
    const char *path_strings[OK_HTTP_MAX_PATH_PARAMS];
    size_t path_param_count;
    ok_user *user; /* set by ok_auth_require_user */

    /* the response */
    int status;
    const char *content_type;
    const char *body;
    size_t body_length;
    const char *header_names[OK_HTTP_MAX_HEADERS];
    const char *header_values[OK_HTTP_MAX_HEADERS];
    size_t header_count;
    size_t headers_kept; /* headers that survive ok_http_response_clear (CORS...) */
    int streamed;        /* sent already by ok_stream_begin (ok_stream.h) */
} ok_request;

/* A request header by its CGI name ("HTTP_AUTHORIZATION", "CONTENT_TYPE"); NULL if
 * absent. Only the headers listed in ok_http.c can be read, since only those
 * are checked by ok_http_check_input. */
const char *ok_http_param(ok_request *req, const char *name);

/* Checks what handlers may read of the request: the path, every query
 * parameter (escapes, then UTF-8) and the headers ok_http_param reads must be
 * valid UTF-8 text (ok_utf8_valid_text). Returns 0, or -1 having answered 400.
 * Run once before the handler, so no handler sees anything else. */
int ok_http_check_input(ok_request *req);

/* The media type of the request without parameters, lower-cased; "" if absent. */
const char *ok_http_media_type(ok_request *req);

/* Reads the body into arena memory. Returns 0; or answers 413 (more than limit
 * bytes), 411/400 (no or bad Content-Length) and returns -1. */
int ok_http_read_body(ok_request *req, size_t limit, const char **body, size_t *length);

/* A query parameter, percent-decoded; NULL if absent. */
const char *ok_http_query(ok_request *req, const char *name);

/* The value of name in application/x-www-form-urlencoded text (a query
 * string, a POST body), percent-decoded into arena: 0 with *value (NULL when
 * absent), or -1 when its escapes are broken or it is not valid UTF-8 text
 * (ok_utf8_valid_text). The first of repeated names wins. */
int ok_http_form_value(ok_arena *arena, const char *form, const char *name, const char **value);

/* Appends a response header even if one of that name exists (Set-Cookie). */
void ok_http_header_add(ok_request *req, const char *name, const char *value);

/* The value of a request cookie (arena memory), or NULL (also when it is not
 * UTF-8 text: the Cookie header carries other sites' cookies, so it is not
 * refused as a whole). */
const char *ok_http_cookie(ok_request *req, const char *name);

/* Adds or replaces a response header; the strings must live as long as the request. */
void ok_http_header(ok_request *req, const char *name, const char *value);

/* Sets the response; the body is copied into the arena. */
void ok_http_respond(ok_request *req, int status, const char *content_type, const char *body,
                     size_t length);

/* Sets a JSON response; steals the reference to body. */
void ok_http_respond_json_new(ok_request *req, int status, json_t *body);

/* Forgets the response and every header added after the kept ones. */
void ok_http_response_clear(ok_request *req);

/* The reason phrase of a status ("Not Found"). */
const char *ok_http_reason(int status);

#endif
