/*
 * fuzz_json.c - libFuzzer harness of the JSON body reader and validator: the
 * input is a request body, read by ok_json_read_object_or_reply against field
 * tables like the modules' (flat, nested objects, arrays of objects).
 *
 * Beyond crashes it checks what a client relies on: a refused body gets a
 * problem+json 400, 413, 415 or 422 (never 500) whose 422 lists at least one
 * error, and an accepted body has no field the table does not declare.
 */
#include "../support/test_request.h"
#include "ok_config.h"
#include "ok_json.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* like modules/widget/messages.c */
static const ok_json_field location_fields[] = {
    {"lat", OK_JSON_NUMBER, .required = true, .min = -90, .max = 90},
    {"lon", OK_JSON_NUMBER, .required = true, .min = -180, .max = 180},
    {0},
};
static const ok_json_field attachment_id = {"", OK_JSON_INTEGER, .min = 1, .max = 1e15};
static const ok_json_field message_fields[] = {
    {"rubric_id", OK_JSON_INTEGER, .required = true, .min = 1, .max = 1e15},
    {"text", OK_JSON_STRING, .required = true, .min = 1, .max = 5000},
    {"address", OK_JSON_STRING, .max = 500},
    {"location", OK_JSON_OBJECT, .fields = location_fields},
    {"attachment_ids", OK_JSON_ARRAY, .max = 10, .item = &attachment_id},
    {"widget_key", OK_JSON_STRING, .min = 1, .max = 64},
    {0},
};

/* like modules/voting/polls.c: an array of objects holding arrays */
static const ok_json_field option_id = {"", OK_JSON_INTEGER, .min = 1, .max = 1e15};
static const ok_json_field answer_fields[] = {
    {"question_id", OK_JSON_INTEGER, .required = true, .min = 1, .max = 1e15},
    {"option_ids", OK_JSON_ARRAY, .max = 50, .item = &option_id},
    {"text", OK_JSON_STRING, .min = 1, .max = 2000},
    {0},
};
static const ok_json_field answer_item = {"", OK_JSON_OBJECT, .fields = answer_fields};
static const ok_json_field response_fields[] = {
    {"answers", OK_JSON_ARRAY, .required = true, .max = 100, .item = &answer_item},
    {0},
};

/* like modules/cabinet/transitions.c, with a boolean and an unbounded number */
static const ok_json_field approve_fields[] = {
    {"approve", OK_JSON_BOOLEAN, .required = true},
    {"comment", OK_JSON_STRING, .min = 1, .max = 2000},
    {"weight", OK_JSON_NUMBER},
    {"meta", OK_JSON_OBJECT},
    {0},
};

static const ok_json_field *const tables[] = {message_fields, response_fields, approve_fields};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    ok_config_global.max_json_bytes = 3000; /* below libFuzzer's 4096: 413 is reached */
    return 0;
}

static void fail(const char *what, const ok_request *req)
{
    fprintf(stderr, "fuzz_json: %s (status %d, body %.*s)\n", what, req->status,
            (int)req->body_length, req->body ? req->body : "");
    abort();
}

static const ok_json_field *rule_of(const ok_json_field *fields, const char *key)
{
    for (; fields->name != NULL; fields++)
        if (strcmp(fields->name, key) == 0)
            return fields;
    return NULL;
}

/* Whether every key of object, and of the objects inside it, is declared. */
static int all_declared(const json_t *object, const ok_json_field *fields)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)(uintptr_t)object, key, value)
    {
        const ok_json_field *rule = rule_of(fields, key);
        if (rule == NULL)
            return 0;
        if (rule->type == OK_JSON_OBJECT && rule->fields != NULL && json_is_object(value) &&
            !all_declared(value, rule->fields))
            return 0;
        if (rule->type == OK_JSON_ARRAY && rule->item != NULL &&
            rule->item->type == OK_JSON_OBJECT && json_is_array(value)) {
            size_t i;
            json_t *item;
            json_array_foreach(value, i, item)
            {
                if (json_is_object(item) && !all_declared(item, rule->item->fields))
                    return 0;
            }
        }
    }
    return 1;
}

/* The problem answered for a refused body: a known status, and errors on 422. */
static void check_problem(const ok_request *req)
{
    if (req->status != 400 && req->status != 413 && req->status != 415 && req->status != 422)
        fail("a refused body got an unexpected status", req);
    json_t *problem = json_loadb(req->body, req->body_length, 0, NULL);
    if (json_integer_value(json_object_get(problem, "status")) != req->status)
        fail("the problem body does not state its status", req);
    if (req->status == 422 && json_array_size(json_object_get(problem, "errors")) == 0)
        fail("a 422 lists no error", req);
    json_decref(problem);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char length[32];
    snprintf(length, sizeof(length), "CONTENT_LENGTH=%zu", size);
    char *params[] = {"CONTENT_TYPE=application/json; charset=utf-8", length, NULL};
    ok_arena *arena = ok_arena_new();
    for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
        test_request request;
        ok_request *req =
            test_request_init(&request, arena, "/", "", params, (const char *)data, size);
        const json_t *object = ok_json_read_object_or_reply(req, tables[t]);
        if (object == NULL)
            check_problem(req);
        else if (req->status != 0 || !json_is_object(object))
            fail("an accepted body got a response", req);
        else if (!all_declared(object, tables[t]))
            fail("an undeclared field was accepted", req);
        ok_arena_reset(arena);
    }
    ok_arena_free(arena);
    return 0;
}
