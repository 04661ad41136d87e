/*
 * ok_json.c - body parsing and the declarative validator; see ok_json.h.
 */
#include "ok_json.h"
#include "ok_config.h"
#include "ok_problem.h"
#include "ok_utf8.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Field paths in errors ("location.lat", "attachment_ids[2]") are cut to this
 * many bytes, on a character boundary: a name is the client's own key. */
#define OK_JSON_PATH_MAX 256

/* Writes prefix, name and suffix into path (OK_JSON_PATH_MAX bytes), cutting
 * on a character boundary so that the path stays valid UTF-8. */
static void ok_json_path(char *path, const char *prefix, const char *name, const char *suffix)
{
    const char *parts[] = {prefix, name, suffix};
    size_t used = 0;
    for (size_t i = 0; i < 3; i++) {
        size_t n = ok_utf8_prefix(parts[i], strlen(parts[i]), OK_JSON_PATH_MAX - 1 - used);
        memcpy(path + used, parts[i], n);
        used += n;
    }
    path[used] = '\0';
}

/* Appends {field, code}. Never drops one: an error lost would let the body
 * through. A field that cannot be a JSON string (it is cut on a character
 * boundary, so it always can) is reported as "" rather than not at all. */
static void ok_json_error(json_t *errors, const char *prefix, const char *name, const char *code)
{
    char field[OK_JSON_PATH_MAX];
    ok_json_path(field, prefix, name, "");
    json_t *error = json_pack("{s:s, s:s}", "field", field, "code", code);
    if (error == NULL)
        error = json_pack("{s:s, s:s}", "field", "", "code", code);
    if (json_array_append_new(errors, error) != 0)
        abort(); /* out of memory */
}

static int ok_json_bounded(const ok_json_field *rule)
{
    return rule->min != 0 || rule->max != 0;
}

/* Checks one present value against its rule; name is its full path. */
static size_t ok_json_check_value(const json_t *value, const ok_json_field *rule, const char *path,
                                  json_t *errors)
{
    size_t before = json_array_size(errors);
    double measure = 0;
    switch (rule->type) {
    case OK_JSON_STRING:
        if (!json_is_string(value))
            goto wrong_type;
        measure = (double)ok_utf8_length(json_string_value(value), json_string_length(value));
        if (ok_json_bounded(rule) && measure < rule->min)
            ok_json_error(errors, "", path, "too_short");
        else if (ok_json_bounded(rule) && measure > rule->max)
            ok_json_error(errors, "", path, "too_long");
        break;
    case OK_JSON_INTEGER:
    case OK_JSON_NUMBER:
        if (rule->type == OK_JSON_INTEGER ? !json_is_integer(value) : !json_is_number(value))
            goto wrong_type;
        measure = json_number_value(value);
        if (ok_json_bounded(rule) && (measure < rule->min || measure > rule->max || isnan(measure)))
            ok_json_error(errors, "", path, "out_of_range");
        break;
    case OK_JSON_BOOLEAN:
        if (!json_is_boolean(value))
            goto wrong_type;
        break;
    case OK_JSON_OBJECT: {
        if (!json_is_object(value))
            goto wrong_type;
        char prefix[OK_JSON_PATH_MAX];
        ok_json_path(prefix, path, ".", "");
        if (rule->fields != NULL)
            ok_json_validate(value, rule->fields, prefix, errors);
        break;
    }
    case OK_JSON_ARRAY: {
        if (!json_is_array(value))
            goto wrong_type;
        measure = (double)json_array_size(value);
        if (ok_json_bounded(rule) && measure < rule->min)
            ok_json_error(errors, "", path, "too_short");
        else if (ok_json_bounded(rule) && measure > rule->max)
            ok_json_error(errors, "", path, "too_long");
        else if (rule->item != NULL) {
            size_t i;
            const json_t *item;
            json_array_foreach(value, i, item)
            {
                char index[32], item_path[OK_JSON_PATH_MAX];
                snprintf(index, sizeof(index), "[%zu]", i);
                ok_json_path(item_path, path, index, "");
                ok_json_check_value(item, rule->item, item_path, errors);
            }
        }
        break;
    }
    }
    return json_array_size(errors) - before;
wrong_type:
    ok_json_error(errors, "", path, "type");
    return 1;
}

size_t ok_json_validate(const json_t *object, const ok_json_field *fields, const char *prefix,
                        json_t *errors)
{
    size_t before = json_array_size(errors);
    for (const ok_json_field *rule = fields; rule->name != NULL; rule++) {
        const json_t *value = json_object_get(object, rule->name);
        if (value == NULL || json_is_null(value)) {
            if (rule->required)
                ok_json_error(errors, prefix, rule->name, "required");
            continue;
        }
        char path[OK_JSON_PATH_MAX];
        ok_json_path(path, prefix, rule->name, "");
        ok_json_check_value(value, rule, path, errors);
    }
    const char *key;
    const json_t *value;
    json_object_foreach((json_t *)(uintptr_t)object, key, value)
    {
        const ok_json_field *rule = fields;
        while (rule->name != NULL && strcmp(rule->name, key) != 0)
            rule++;
        if (rule->name == NULL)
            ok_json_error(errors, prefix, key, "unknown_field");
    }
    return json_array_size(errors) - before;
}

static void ok_json_decref_cleanup(void *object)
{
    json_decref(object);
}

json_t *ok_json_read_object_or_reply(ok_request *req, const ok_json_field *fields)
{
    const char *type = ok_http_media_type(req);
    if (strcmp(type, "application/json") != 0) {
        ok_problem(req, 415, "The body must be JSON (Content-Type: application/json).");
        return NULL;
    }
    const char *body;
    size_t length;
    if (ok_http_read_body(req, ok_config_global.max_json_bytes, &body, &length) != 0)
        return NULL;
    json_error_t error;
    json_t *object = json_loadb(body, length, JSON_REJECT_DUPLICATES, &error);
    if (object == NULL) {
        ok_problemf(req, 400, "The body is not valid JSON: %s.", error.text);
        return NULL;
    }
    ok_arena_cleanup_add(req->arena, ok_json_decref_cleanup, object);
    if (!json_is_object(object)) {
        ok_problem(req, 400, "The body must be a JSON object.");
        return NULL;
    }
    json_t *errors = json_array();
    if (ok_json_validate(object, fields, "", errors) > 0) {
        ok_problem_validation_new(req, errors);
        return NULL;
    }
    json_decref(errors);
    return object;
}

const char *ok_json_integer_array(ok_arena *arena, const json_t *array)
{
    if (!json_is_array(array))
        return NULL;
    size_t count = json_array_size(array);
    char *literal = ok_arena_alloc(arena, 2 + count * 21 + 1); /* 20 digits and a comma each */
    size_t used = 0;
    literal[used++] = '{';
    for (size_t i = 0; i < count; i++)
        used += (size_t)sprintf(literal + used, "%s%lld", i > 0 ? "," : "",
                                (long long)json_integer_value(json_array_get(array, i)));
    literal[used++] = '}';
    literal[used] = '\0';
    return literal;
}
