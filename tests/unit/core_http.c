/* Unit tests of core/ok_http.c: query parameters, cookies, the media type and
 * the body, read from a fake FastCGI request (tests/support/test_request.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../support/test_request.h"

static ok_arena *arena;
static test_request request;

static int setup(void **state)
{
    (void)state;
    arena = ok_arena_new();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ok_arena_free(arena);
    return 0;
}

static ok_request *with_query(const char *query)
{
    return test_request_init(&request, arena, "/", query, NULL, NULL, 0);
}

/* A request whose only parameter is name=value (no parameter when value is NULL). */
static ok_request *with_param(const char *name, const char *value)
{
    static char *params[2];
    params[0] = value != NULL ? ok_arena_printf(arena, "%s=%s", name, value) : NULL;
    params[1] = NULL;
    return test_request_init(&request, arena, "/", "", params, NULL, 0);
}

static void test_query_decodes_escapes_and_plus(void **state)
{
    (void)state;
    ok_request *req = with_query("a=1&b=%D0%B6+x%2B%25&c=%d0%b6&d=%2f%2F");
    assert_string_equal(ok_http_query(req, "a"), "1");
    assert_string_equal(ok_http_query(req, "b"), "ж x+%");
    assert_string_equal(ok_http_query(req, "c"), "ж"); /* lower-case hex too */
    assert_string_equal(ok_http_query(req, "d"), "//");
    assert_null(ok_http_query(req, "e"));
}

static void test_query_refuses_broken_escapes(void **state)
{
    (void)state;
    static const char *const broken[] = {"a=%zz", "a=%4", "a=%", "a=x%", "a=%g1", "a=%1g"};
    for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++)
        assert_null(ok_http_query(with_query(broken[i]), "a"));
    /* a broken escape elsewhere does not spoil other parameters */
    assert_string_equal(ok_http_query(with_query("a=%zz&b=2"), "b"), "2");
}

static void test_query_repeated_empty_and_prefixed_keys(void **state)
{
    (void)state;
    ok_request *req = with_query("limit2=5&lim=1&limit=3&limit=4&empty=&bare&&");
    assert_string_equal(ok_http_query(req, "limit"), "3"); /* the first one counts */
    assert_string_equal(ok_http_query(req, "limit2"), "5");
    assert_string_equal(ok_http_query(req, "lim"), "1");
    assert_null(ok_http_query(req, "li"));
    assert_null(ok_http_query(req, "limit22"));
    assert_string_equal(ok_http_query(req, "empty"), "");
    assert_string_equal(ok_http_query(req, "bare"), "");
    assert_null(ok_http_query(with_query(""), "limit"));
    assert_string_equal(ok_http_query(with_query("&&a=1&&"), "a"), "1");
    assert_string_equal(ok_http_query(with_query("a=b=c"), "a"), "b=c");
}

static void test_cookie_by_exact_name(void **state)
{
    (void)state;
    assert_string_equal(
        ok_http_cookie(with_param("HTTP_COOKIE", "otklik_session=abc"), "otklik_session"), "abc");
    ok_request *req = with_param("HTTP_COOKIE", "a=1; otklik_sessionX=no; otklik_session=abc; b=2");
    assert_string_equal(ok_http_cookie(req, "otklik_session"), "abc");
    assert_string_equal(ok_http_cookie(req, "a"), "1");
    assert_string_equal(ok_http_cookie(req, "b"), "2");
    assert_null(ok_http_cookie(req, "otklik")); /* a prefix of other names */
    assert_null(ok_http_cookie(req, "session"));
    req = with_param("HTTP_COOKIE", "xotklik_session=1; a=otklik_session=2");
    assert_null(ok_http_cookie(req, "otklik_session"));
}

static void test_cookie_spaces_quotes_and_empty(void **state)
{
    (void)state;
    ok_request *req = with_param("HTTP_COOKIE", "   a=1;;b=2 ;  ;c=");
    assert_string_equal(ok_http_cookie(req, "a"), "1");
    assert_string_equal(ok_http_cookie(req, "c"), "");
    /* quotes are kept: a quoted session token does not verify */
    req = with_param("HTTP_COOKIE", "otklik_session=\"abc\"");
    assert_string_equal(ok_http_cookie(req, "otklik_session"), "\"abc\"");
    assert_null(ok_http_cookie(with_param("HTTP_COOKIE", ""), "a"));
    assert_null(ok_http_cookie(with_param("HTTP_COOKIE", NULL), "a"));
    assert_null(ok_http_cookie(with_param("HTTP_COOKIE", "a"), "a"));
}

static void test_media_type(void **state)
{
    (void)state;
    assert_string_equal(
        ok_http_media_type(with_param("CONTENT_TYPE", "Application/JSON ; charset=utf-8")),
        "application/json");
    assert_string_equal(ok_http_media_type(with_param("CONTENT_TYPE", NULL)), "");
}

/* The status after reading a body of length bytes declared as content_length. */
static int read_status(const char *content_length, const char *body, size_t length)
{
    char *params[] = {
        content_length ? ok_arena_printf(arena, "CONTENT_LENGTH=%s", content_length) : NULL, NULL};
    ok_request *req = test_request_init(&request, arena, "/", "", params, body, length);
    const char *read = NULL;
    size_t read_length = 0;
    if (ok_http_read_body(req, 8, &read, &read_length) != 0)
        return req->status;
    assert_int_equal(read_length, length);
    assert_memory_equal(read, body, length);
    return 0;
}

static void test_body_length(void **state)
{
    (void)state;
    assert_int_equal(read_status("5", "hello", 5), 0);
    assert_int_equal(read_status("0", "", 0), 0);
    assert_int_equal(read_status(NULL, "hello", 5), 411);
    assert_int_equal(read_status("", "hello", 5), 411);
    assert_int_equal(read_status("-5", "hello", 5), 400);
    assert_int_equal(read_status("5x", "hello", 5), 400);
    assert_int_equal(read_status("99999999999999999999999", "hello", 5), 400);
    assert_int_equal(read_status("9", "123456789", 9), 413);
    assert_int_equal(read_status("6", "hello", 5), 400); /* shorter than declared */
}

/* A file's bytes go out whole: NUL bytes in the body are data, not its end. */
static void test_respond_binary_body(void **state)
{
    (void)state;
    static const char bytes[] = {'\x89', 'P', 'N', 'G', '\0', '\0', 'x', '\0', '\xff'};
    ok_request *req = with_query("");
    ok_http_respond(req, 200, "image/png", bytes, sizeof(bytes));
    assert_int_equal(req->status, 200);
    assert_int_equal(req->body_length, sizeof(bytes));
    assert_ptr_not_equal(req->body, bytes); /* copied: the caller's buffer may go */
    assert_memory_equal(req->body, bytes, sizeof(bytes));
    ok_http_respond(req, 204, NULL, NULL, 0);
    assert_null(req->body);
    assert_int_equal(req->body_length, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_query_decodes_escapes_and_plus),
        cmocka_unit_test(test_query_refuses_broken_escapes),
        cmocka_unit_test(test_query_repeated_empty_and_prefixed_keys),
        cmocka_unit_test(test_cookie_by_exact_name),
        cmocka_unit_test(test_cookie_spaces_quotes_and_empty),
        cmocka_unit_test(test_media_type),
        cmocka_unit_test(test_body_length),
        cmocka_unit_test(test_respond_binary_body),
    };
    return cmocka_run_group_tests_name("core_http", tests, setup, teardown);
}
