/*
 * ok_json.h - JSON request bodies: parsing and a small declarative validator.
 *
 * A handler declares its body as a table of fields:
 *     static const ok_json_field message_fields[] = {
 *         {"rubric_id", OK_JSON_INTEGER, .required = true, .min = 1, .max = 1e15},
 *         {"text", OK_JSON_STRING, .required = true, .min = 1, .max = 5000},
 *         {0}};
 * and gets every problem at once as errors [{field, code}]. Codes: required,
 * type, too_short, too_long, out_of_range, unknown_field (keys not declared are
 * refused, so a typo never passes silently).
 */
#ifndef OK_JSON_H
#define OK_JSON_H

#include "ok_http.h"

#include <jansson.h>
#include <stdbool.h>

typedef enum {
    OK_JSON_STRING = 1, /* min/max: length in characters */
    OK_JSON_INTEGER,    /* min/max: value */
    OK_JSON_NUMBER,     /* min/max: value; integers accepted */
    OK_JSON_BOOLEAN,
    OK_JSON_OBJECT, /* fields: its members */
    OK_JSON_ARRAY   /* min/max: item count; item: each item's rule */
} ok_json_type;

typedef struct ok_json_field {
    const char *name;
    ok_json_type type;
    bool required;
    double min, max;                    /* both 0: unbounded */
    const struct ok_json_field *fields; /* OK_JSON_OBJECT: members, ended by {0} */
    const struct ok_json_field *item;   /* OK_JSON_ARRAY: the rule of each item */
} ok_json_field;

/* Appends to errors one {field, code} per problem of value against fields;
 * prefix names the enclosing object ("" at top level). Returns the number added. */
size_t ok_json_validate(const json_t *object, const ok_json_field *fields, const char *prefix,
                        json_t *errors);

/* Reads, parses and validates an application/json body no larger than limit.
 * Returns the object (borrowed: released with the request) or NULL after
 * answering 415, 413, 400 or 422. */
json_t *ok_json_read_object_or_reply(ok_request *req, const ok_json_field *fields);

/* Counts the characters (code points) of a valid UTF-8 string. */
size_t ok_json_utf8_length(const char *s, size_t bytes);

/* The length in bytes of the longest prefix of the UTF-8 string s that has at
 * most max bytes and ends between characters: where to cut s to fit. */
size_t ok_json_utf8_prefix(const char *s, size_t max);

#endif
