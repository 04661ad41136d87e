/* Unit tests of core/ok_stream.c (a response sent as it is produced: the
 * head once, then the body in pieces, nothing left for the server to write)
 * and of ok_filters_day (the analytics' period days). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ok_filters.h"
#include "ok_stream.h"

#include <string.h>

static void test_stream_collects_pieces_and_marks_the_response_sent(void **state)
{
    (void)state;
    ok_arena *arena = ok_arena_new();
    ok_request req = {.arena = arena, .request_id = "t"};
    ok_http_header(&req, "Content-Disposition", "attachment");
    assert_int_equal(ok_stream_begin(&req, 200, "text/csv; charset=utf-8"), 0);
    assert_int_equal(req.status, 200);
    assert_true(req.streamed);
    assert_string_equal(req.content_type, "text/csv; charset=utf-8");
    assert_int_equal(ok_stream_write(&req, "\xEF\xBB\xBF", 3), 0);
    assert_int_equal(ok_stream_write(&req, "id\n1\n", 5), 0);
    assert_int_equal(ok_stream_write(&req, "2\n", 2), 0);
    assert_int_equal(req.body_length, 10);
    assert_memory_equal(req.body, "\xEF\xBB\xBFid\n1\n2\n", 10);
    ok_arena_free(arena);
}

static void test_filters_day_takes_only_days_that_exist(void **state)
{
    (void)state;
    assert_int_equal(ok_filters_day("2024-02-29"), 0);
    assert_int_equal(ok_filters_day("2025-12-31"), 0);
    assert_int_equal(ok_filters_day("2025-02-29"), -1);
    assert_int_equal(ok_filters_day("2025-13-01"), -1);
    assert_int_equal(ok_filters_day("2025-1-01"), -1);
    assert_int_equal(ok_filters_day("2025-01-01T00:00:00Z"), -1);
    assert_int_equal(ok_filters_day(""), -1);
    assert_int_equal(ok_filters_day("yesterday!"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stream_collects_pieces_and_marks_the_response_sent),
        cmocka_unit_test(test_filters_day_takes_only_days_that_exist),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
