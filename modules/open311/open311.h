/*
 * open311.h - the Open311 GeoReport v2 worker (/open311/v2/): the rubricator
 * as services, messages as service requests, in JSON or XML by the path's
 * suffix (.json, .xml) as the specification has it.
 *
 * DESIGN
 * A thin adapter over the same tables the widget and the cabinet use: a
 * request sent here is a message like any other (status "moderation", or
 * registered at once by an auto-routing rule), its author the integrator
 * organisation's own user (sql/090_open311.sql). Reads show only what the
 * moderation published: the description, address and place of a message
 * appear once it is past moderation and not rejected; its author never.
 * Every answer is built as a jansson value and rendered once, as JSON or as
 * XML (libxml2's xmlwriter, reply.c), so both formats say the same.
 */
#ifndef OPEN311_H
#define OPEN311_H

#include "ok_db.h"
#include "ok_http.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum { OPEN311_JSON, OPEN311_XML } open311_format;

/* The most requests one GET requests answers (the specification's default). */
#define OPEN311_REQUESTS_MAX 1000

extern const ok_db_statement open311_statements[];
extern const size_t open311_statement_count;

/* params.c: what the requests' parameters may be (pure functions, fuzzed by
 * tests/fuzz/fuzz_open311.c). */

/* Splits a path's last segment "name.json" or "name.xml": 0 with *name (arena
 * memory, at least one character) and *format, or -1 for anything else. */
int open311_split_format(ok_arena *arena, const char *segment, const char **name,
                         open311_format *format);

/* Whether s is a date-time as the specification writes them (W3C's subset
 * of ISO 8601): YYYY-MM-DDThh:mm:ss, optional fraction, then Z or +hh:mm/-hh:mm. */
bool open311_is_datetime(const char *s);

/* A comma-separated list of 1 to max positive ids ("12,15") as a PostgreSQL
 * array literal ("{12,15}", arena memory), or NULL when malformed. */
const char *open311_id_list(ok_arena *arena, const char *s, size_t max);

/* A comma-separated list of the statuses "open" and "closed" as an array
 * literal ("{open}", a static string), or NULL when malformed; SQL maps the
 * platform's statuses to these (open311_status, sql/090_open311.sql). */
const char *open311_status_list(const char *s);

/* reply.c */

/* The format of the request's path (its last segment's suffix); JSON when the
 * suffix is neither. */
open311_format open311_format_of(const ok_request *req);

/* Answers status with body (stolen) in format: JSON as it is; XML with root
 * as the root element, each item of a top-level array as an element named
 * item, and the items of a nested array "xs" as elements "x". */
void open311_reply(ok_request *req, open311_format format, int status, json_t *body,
                   const char *root, const char *item);

/* Answers status in the specification's error format ([{code, description}]
 * or <errors><error>...), the description an English sentence of the
 * catalogue in the caller's language. */
void open311_error(ok_request *req, open311_format format, int status, const char *english);

/* services.c */
void services_discovery(ok_request *req);
void services_list(ok_request *req);
void services_show(ok_request *req);

/* requests.c */
void requests_list(ok_request *req);
void requests_show(ok_request *req);
void tokens_show(ok_request *req);

/* create.c */
void requests_create(ok_request *req);

#endif
