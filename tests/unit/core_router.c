/* Unit tests of core/ok_router.c: patterns, typed placeholders, 404 and 405. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ok_router.h"

#include <string.h>

static void handler_a(ok_request *req)
{
    (void)req;
}
static void handler_b(ok_request *req)
{
    (void)req;
}
static void handler_c(ok_request *req)
{
    (void)req;
}

static const ok_route routes[] = {
    {"GET", "/api/v1/messages/{id}", handler_a},
    {"POST", "/api/v1/messages/{id}/rating", handler_b, OK_ROUTE_WIDGET},
    {"GET", "/api/v1/orgs/{code}/staff", handler_c},
    {"POST", "/api/v1/orgs/{code}/staff", handler_b},
    {"GET", "/api/v1/rubrics", handler_c},
};
#define ROUTE_COUNT (sizeof(routes) / sizeof(routes[0]))

static ok_router_result match(ok_arena *arena, ok_request *req, const char *method,
                              const char *path, const ok_route **found, const char **allow)
{
    memset(req, 0, sizeof(*req));
    req->arena = arena;
    req->method = method;
    req->path = path;
    return ok_router_match(routes, ROUTE_COUNT, req, found, allow);
}

static void test_numeric_placeholder(void **state)
{
    ok_arena *arena = *state;
    ok_request req;
    const ok_route *found = NULL;
    const char *allow = NULL;
    assert_int_equal(match(arena, &req, "POST", "/api/v1/messages/42/rating", &found, &allow),
                     OK_ROUTER_FOUND);
    assert_ptr_equal(found->handler, handler_b);
    assert_int_equal(req.path_param_count, 1);
    assert_int_equal(req.path_ids[0], 42);
    assert_string_equal(req.route, "/api/v1/messages/{id}/rating");
    assert_int_equal(
        match(arena, &req, "GET", "/api/v1/messages/9223372036854775807", &found, &allow),
        OK_ROUTER_FOUND);
    assert_int_equal(req.path_ids[0], 9223372036854775807LL);
}

static void test_bad_ids_do_not_match(void **state)
{
    ok_arena *arena = *state;
    ok_request req;
    const ok_route *found = NULL;
    const char *allow = NULL;
    const char *bad[] = {"/api/v1/messages/abc",
                         "/api/v1/messages/0",
                         "/api/v1/messages/-1",
                         "/api/v1/messages/007",
                         "/api/v1/messages/9223372036854775808",
                         "/api/v1/messages/1e3",
                         "/api/v1/messages/",
                         "/api/v1/messages/1/",
                         "/api/v1/messages/12345678901234567890123"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(match(arena, &req, "GET", bad[i], &found, &allow), OK_ROUTER_NOT_FOUND);
}

static void test_string_placeholder(void **state)
{
    ok_arena *arena = *state;
    ok_request req;
    const ok_route *found = NULL;
    const char *allow = NULL;
    assert_int_equal(match(arena, &req, "GET", "/api/v1/orgs/demo-admin/staff", &found, &allow),
                     OK_ROUTER_FOUND);
    assert_string_equal(req.path_strings[0], "demo-admin");
    assert_int_equal(match(arena, &req, "GET", "/api/v1/orgs/a'b/staff", &found, &allow),
                     OK_ROUTER_NOT_FOUND);
    assert_int_equal(match(arena, &req, "GET", "/api/v1/orgs/<script>/staff", &found, &allow),
                     OK_ROUTER_NOT_FOUND);
    char long_code[100];
    memset(long_code, 'a', sizeof(long_code));
    long_code[99] = '\0';
    char *path = ok_arena_printf(arena, "/api/v1/orgs/%s/staff", long_code);
    assert_int_equal(match(arena, &req, "GET", path, &found, &allow), OK_ROUTER_NOT_FOUND);
}

static void test_method_not_allowed_lists_methods(void **state)
{
    ok_arena *arena = *state;
    ok_request req;
    const ok_route *found = NULL;
    const char *allow = NULL;
    assert_int_equal(match(arena, &req, "DELETE", "/api/v1/orgs/demo-admin/staff", &found, &allow),
                     OK_ROUTER_METHOD_NOT_ALLOWED);
    assert_string_equal(allow, "GET, POST");
}

static void test_exact_paths(void **state)
{
    ok_arena *arena = *state;
    ok_request req;
    const ok_route *found = NULL;
    const char *allow = NULL;
    assert_int_equal(match(arena, &req, "GET", "/api/v1/rubrics", &found, &allow), OK_ROUTER_FOUND);
    assert_int_equal(req.path_param_count, 0);
    assert_int_equal(match(arena, &req, "GET", "/api/v1/rubrics/", &found, &allow),
                     OK_ROUTER_NOT_FOUND);
    assert_int_equal(match(arena, &req, "GET", "/api/v1/rubricsX", &found, &allow),
                     OK_ROUTER_NOT_FOUND);
    assert_int_equal(match(arena, &req, "GET", "", &found, &allow), OK_ROUTER_NOT_FOUND);
    assert_int_equal(match(arena, &req, "GET", "/", &found, &allow), OK_ROUTER_NOT_FOUND);
}

/* The matched route says whether a widget's token may call it; unmarked
 * routes are closed to it. */
static void test_route_scope(void **state)
{
    ok_arena *arena = *state;
    ok_request req;
    const ok_route *found = NULL;
    const char *allow = NULL;
    assert_int_equal(match(arena, &req, "POST", "/api/v1/messages/7/rating", &found, &allow),
                     OK_ROUTER_FOUND);
    assert_true(req.route_for_widgets);
    assert_int_equal(match(arena, &req, "GET", "/api/v1/messages/7", &found, &allow),
                     OK_ROUTER_FOUND);
    assert_false(req.route_for_widgets);
    assert_int_equal(match(arena, &req, "POST", "/api/v1/orgs/demo-admin/staff", &found, &allow),
                     OK_ROUTER_FOUND);
    assert_false(req.route_for_widgets);
}

static int setup(void **state)
{
    *state = ok_arena_new();
    return 0;
}

static int teardown(void **state)
{
    ok_arena_free(*state);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numeric_placeholder),
        cmocka_unit_test(test_bad_ids_do_not_match),
        cmocka_unit_test(test_string_placeholder),
        cmocka_unit_test(test_method_not_allowed_lists_methods),
        cmocka_unit_test(test_exact_paths),
        cmocka_unit_test(test_route_scope),
    };
    return cmocka_run_group_tests_name("core_router", tests, setup, teardown);
}
