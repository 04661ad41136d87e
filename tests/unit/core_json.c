/* Unit tests of core/ok_json.c: the declarative validator reports every bad field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../support/test_request.h"
#include "ok_config.h"
#include "ok_json.h"
#include "ok_utf8.h"

#include <stdlib.h>
#include <string.h>

static const ok_json_field location_fields[] = {
    {"lat", OK_JSON_NUMBER, .required = true, .min = -90, .max = 90},
    {"lon", OK_JSON_NUMBER, .required = true, .min = -180, .max = 180},
    {0},
};
static const ok_json_field id_item = {"", OK_JSON_INTEGER, .min = 1, .max = 1000};
static const ok_json_field fields[] = {
    {"rubric_id", OK_JSON_INTEGER, .required = true, .min = 1, .max = 1e15},
    {"text", OK_JSON_STRING, .required = true, .min = 1, .max = 10},
    {"location", OK_JSON_OBJECT, .fields = location_fields},
    {"ids", OK_JSON_ARRAY, .max = 3, .item = &id_item},
    {"flag", OK_JSON_BOOLEAN},
    {0},
};

/* Validates text and returns the errors as compact JSON. */
static char *errors_of(const char *text)
{
    json_error_t error;
    json_t *object = json_loads(text, 0, &error);
    assert_non_null(object);
    json_t *errors = json_array();
    ok_json_validate(object, fields, "", errors);
    char *dump = json_dumps(errors, JSON_COMPACT);
    json_decref(errors);
    json_decref(object);
    return dump;
}

static void expect_errors(const char *body, const char *expected)
{
    char *got = errors_of(body);
    assert_string_equal(got, expected);
    free(got);
}

static void test_valid_body_has_no_errors(void **state)
{
    (void)state;
    expect_errors(
        "{\"rubric_id\": 3, \"text\": \"яма\", \"location\": {\"lat\": 55.7, \"lon\": 37},"
        " \"ids\": [1, 2], \"flag\": true}",
        "[]");
    expect_errors("{\"rubric_id\": 3, \"text\": \"x\", \"location\": null}", "[]");
}

static void test_every_problem_is_reported(void **state)
{
    (void)state;
    expect_errors("{\"rubric_id\": \"3\", \"text\": 5, \"extra\": 1}",
                  "[{\"field\":\"rubric_id\",\"code\":\"type\"},"
                  "{\"field\":\"text\",\"code\":\"type\"},"
                  "{\"field\":\"extra\",\"code\":\"unknown_field\"}]");
    expect_errors("{}", "[{\"field\":\"rubric_id\",\"code\":\"required\"},"
                        "{\"field\":\"text\",\"code\":\"required\"}]");
}

static void test_lengths_count_characters_not_bytes(void **state)
{
    (void)state;
    /* ten Cyrillic letters are twenty bytes but within max = 10 characters */
    expect_errors("{\"rubric_id\": 1, \"text\": \"ДДДДДДДДДД\"}", "[]");
    expect_errors("{\"rubric_id\": 1, \"text\": \"ДДДДДДДДДДД\"}",
                  "[{\"field\":\"text\",\"code\":\"too_long\"}]");
    expect_errors("{\"rubric_id\": 1, \"text\": \"\"}",
                  "[{\"field\":\"text\",\"code\":\"too_short\"}]");
}

static void test_ranges_and_integer_types(void **state)
{
    (void)state;
    expect_errors("{\"rubric_id\": 0, \"text\": \"a\"}",
                  "[{\"field\":\"rubric_id\",\"code\":\"out_of_range\"}]");
    expect_errors("{\"rubric_id\": 1.5, \"text\": \"a\"}",
                  "[{\"field\":\"rubric_id\",\"code\":\"type\"}]");
    expect_errors("{\"rubric_id\": true, \"text\": \"a\"}",
                  "[{\"field\":\"rubric_id\",\"code\":\"type\"}]");
}

static void test_nested_objects_and_arrays(void **state)
{
    (void)state;
    expect_errors("{\"rubric_id\": 1, \"text\": \"a\", \"location\": {\"lat\": 91, \"x\": 1}}",
                  "[{\"field\":\"location.lat\",\"code\":\"out_of_range\"},"
                  "{\"field\":\"location.lon\",\"code\":\"required\"},"
                  "{\"field\":\"location.x\",\"code\":\"unknown_field\"}]");
    expect_errors("{\"rubric_id\": 1, \"text\": \"a\", \"location\": [1, 2]}",
                  "[{\"field\":\"location\",\"code\":\"type\"}]");
    expect_errors("{\"rubric_id\": 1, \"text\": \"a\", \"ids\": [1, \"2\", 0]}",
                  "[{\"field\":\"ids[1]\",\"code\":\"type\"},"
                  "{\"field\":\"ids[2]\",\"code\":\"out_of_range\"}]");
    expect_errors("{\"rubric_id\": 1, \"text\": \"a\", \"ids\": [1, 2, 3, 4]}",
                  "[{\"field\":\"ids\",\"code\":\"too_long\"}]");
}

static void test_utf8_length(void **state)
{
    (void)state;
    assert_int_equal(ok_utf8_length("", 0), 0);
    assert_int_equal(ok_utf8_length("abc", 3), 3);
    assert_int_equal(ok_utf8_length("ёж", strlen("ёж")), 2);
    assert_int_equal(ok_utf8_length("😀", strlen("😀")), 1);
}

/* An unknown key long enough to be cut inside a character: the error was
 * dropped (json_pack refused the cut string) and the body went through. */
static void test_long_unknown_key_is_reported_and_cut_on_a_character(void **state)
{
    (void)state;
    for (size_t pad = 0; pad < 4; pad++) {
        char key[1200];
        size_t n = 0;
        for (; n < pad; n++)
            key[n] = 'k';
        while (n + 2 < 1100) {
            memcpy(key + n, "ж", 2);
            n += 2;
        }
        key[n] = '\0';
        json_t *object = json_pack("{s:i, s:s, s:i}", "rubric_id", 1, "text", "a", key, 1);
        assert_non_null(object);
        json_t *errors = json_array();
        assert_int_equal(ok_json_validate(object, fields, "", errors), 1);
        const char *field = json_string_value(json_object_get(json_array_get(errors, 0), "field"));
        assert_non_null(field);
        assert_true(strlen(field) > 200 && strlen(field) < 256);
        assert_true(ok_utf8_valid_text(field, strlen(field)));
        assert_string_equal(json_string_value(json_object_get(json_array_get(errors, 0), "code")),
                            "unknown_field");
        /* nested too: the prefix is cut, the item index kept valid */
        json_t *nested = json_pack("{s:i, s:s, s:{s:i, s:i, s:i}}", "rubric_id", 1, "text", "a",
                                   "location", "lat", 1, "lon", 1, key, 1);
        json_array_clear(errors);
        assert_int_equal(ok_json_validate(nested, fields, "", errors), 1);
        field = json_string_value(json_object_get(json_array_get(errors, 0), "field"));
        assert_non_null(field);
        assert_true(ok_utf8_valid_text(field, strlen(field)));
        json_decref(nested);
        json_decref(errors);
        json_decref(object);
    }
}

static void test_utf8_validation(void **state)
{
    (void)state;
    static const struct {
        const char *bytes;
        bool valid;
    } cases[] = {
        {"", true},
        {"abc", true},
        {"Демоград, ул. Ленина 1", true},
        {"tab\there", true},
        {"😀", true},
        {"\xef\xbf\xbf", true},      /* U+FFFF */
        {"\xf4\x8f\xbf\xbf", true},  /* U+10FFFF */
        {"\xff", false},             /* never in UTF-8 */
        {"\xd0", false},             /* cut */
        {"\xc0\xaf", false},         /* overlong / */
        {"\xe0\x80\xaf", false},     /* overlong / */
        {"\xed\xa0\x80", false},     /* surrogate */
        {"\xf4\x90\x80\x80", false}, /* above U+10FFFF */
        {"\x80", false},             /* lone continuation */
        {"a\nb", false},             /* control */
        {"a\x7f", false},            /* DEL */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_int_equal(ok_utf8_valid_text(cases[i].bytes, strlen(cases[i].bytes)),
                         cases[i].valid);
    assert_false(ok_utf8_valid_text("a\0b", 3)); /* NUL */
    assert_int_equal(ok_utf8_prefix("жж", 4, 3), 2);
    assert_int_equal(ok_utf8_prefix("жж", 4, 4), 4);
    assert_int_equal(ok_utf8_prefix("a😀", 5, 4), 1);
}

static void test_integer_array_literal(void **state)
{
    (void)state;
    ok_arena *arena = ok_arena_new();
    json_t *ids = json_pack("[I, I, I]", (json_int_t)1, (json_int_t)-2, (json_int_t)INT64_MAX);
    assert_string_equal(ok_json_integer_array(arena, ids), "{1,-2,9223372036854775807}");
    json_t *empty = json_array();
    assert_string_equal(ok_json_integer_array(arena, empty), "{}");
    assert_null(ok_json_integer_array(arena, NULL));
    json_t *many = json_array();
    for (int i = 0; i < 1000; i++)
        json_array_append_new(many, json_integer(INT64_MIN));
    assert_int_equal(strlen(ok_json_integer_array(arena, many)), 2 + 1000 * 20 + 999);
    json_decref(ids);
    json_decref(empty);
    json_decref(many);
    ok_arena_free(arena);
}

static void test_long_unknown_field_is_cut_on_a_character(void **state)
{
    (void)state;
    /* 200 two-byte letters: cut at 255 bytes, the last letter would be half
     * there, the error could not be built and the body passed (the review's 201) */
    char key[401] = "", body[512], expected[512];
    for (int i = 0; i < 200; i++)
        strcat(key, "ж");
    snprintf(body, sizeof(body), "{\"rubric_id\": 1, \"text\": \"a\", \"%s\": 1}", key);
    key[254] = '\0'; /* 127 letters */
    snprintf(expected, sizeof(expected), "[{\"field\":\"%s\",\"code\":\"unknown_field\"}]", key);
    expect_errors(body, expected);
}

/* Reads body as a worker would; returns the status answered (0: accepted). */
static int status_of_body(const char *body, size_t length)
{
    char content_length[32];
    snprintf(content_length, sizeof(content_length), "CONTENT_LENGTH=%zu", length);
    char *params[] = {"CONTENT_TYPE=application/json", content_length, NULL};
    ok_config_global.max_json_bytes = 4096;
    ok_arena *arena = ok_arena_new();
    test_request request;
    ok_request *req = test_request_init(&request, arena, "/", "", params, body, length);
    const json_t *object = ok_json_read_object_or_reply(req, fields);
    int status = req->status;
    if (object == NULL) {
        /* every refusal is a problem+json that states its status */
        json_t *problem = json_loadb(req->body, req->body_length, 0, NULL);
        assert_int_equal(json_integer_value(json_object_get(problem, "status")), status);
        json_decref(problem);
    }
    ok_arena_free(arena);
    return status;
}

static void test_malformed_bodies_get_400(void **state)
{
    (void)state;
    static const char good[] = "{\"rubric_id\": 1, \"text\": \"a\"}";
    assert_int_equal(status_of_body(good, strlen(good)), 0);
    assert_int_equal(status_of_body("{\"rubric_id\": 1,", 16), 400);
    assert_int_equal(status_of_body("[1]", 3), 400);
    /* found by fuzz_json: jansson's message quotes the broken bytes, which
     * are not UTF-8; the problem must still be built (was 500) */
    static const char broken[] = "{\"text\": \"\\ud8\xcd\x9b\xa3nde00\"}";
    assert_int_equal(status_of_body(broken, strlen(broken)), 400);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_body_has_no_errors),
        cmocka_unit_test(test_every_problem_is_reported),
        cmocka_unit_test(test_lengths_count_characters_not_bytes),
        cmocka_unit_test(test_ranges_and_integer_types),
        cmocka_unit_test(test_nested_objects_and_arrays),
        cmocka_unit_test(test_utf8_length),
        cmocka_unit_test(test_long_unknown_key_is_reported_and_cut_on_a_character),
        cmocka_unit_test(test_utf8_validation),
        cmocka_unit_test(test_integer_array_literal),
        cmocka_unit_test(test_malformed_bodies_get_400),
        cmocka_unit_test(test_long_unknown_field_is_cut_on_a_character),
    };
    return cmocka_run_group_tests_name("core_json", tests, NULL, NULL);
}
