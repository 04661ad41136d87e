/* Unit tests of core/ok_log.c: whole JSON lines, the per-thread batching of
 * request lines (kept until 4 KB, a warning, or a flush; never out of order),
 * and ok_authz_roles_allowed, which the staff lists pass to SQL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ok_authz.h"
#include "ok_log.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int saved_stderr = -1;
static int pipe_out = -1;

/* stderr into a non-blocking pipe, so a test can see what has been written */
static int capture(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    saved_stderr = dup(STDERR_FILENO);
    dup2(fds[1], STDERR_FILENO);
    close(fds[1]);
    pipe_out = fds[0];
    return 0;
}

static char *written(void);

static int restore(void **state)
{
    (void)state;
    ok_log_flush();
    const char *left = written(); /* cmocka's own messages of a failure too */
    dup2(saved_stderr, STDERR_FILENO);
    if (*left != '\0' && write(STDERR_FILENO, left, strlen(left)) < 0)
        return -1;
    close(saved_stderr);
    close(pipe_out);
    return 0;
}

/* What has been written since the last call. */
static char *written(void)
{
    static char text[65536];
    size_t used = 0;
    ssize_t n;
    while (used < sizeof(text) - 1 &&
           (n = read(pipe_out, text + used, sizeof(text) - 1 - used)) > 0)
        used += (size_t)n;
    text[used] = '\0';
    return text;
}

static size_t lines(const char *text)
{
    size_t count = 0;
    for (; *text; text++)
        count += *text == '\n';
    return count;
}

static void unbuffered_lines_go_out_at_once(void **state)
{
    (void)state;
    ok_log(OK_LOG_INFO, "request", "one");
    const char *out = written();
    assert_int_equal(lines(out), 1);
    json_error_t error;
    json_t *line = json_loads(out, JSON_DISABLE_EOF_CHECK, &error);
    assert_non_null(line);
    assert_string_equal(json_string_value(json_object_get(line, "msg")), "request");
    assert_string_equal(json_string_value(json_object_get(line, "level")), "info");
    assert_string_equal(json_string_value(json_object_get(line, "detail")), "one");
    assert_non_null(json_object_get(line, "ts"));
    json_decref(line);
}

static void buffered_lines_wait_for_a_warning_and_keep_their_order(void **state)
{
    (void)state;
    ok_log_buffer_thread();
    assert_int_equal(ok_log_flush_due_ms(), -1);
    ok_log(OK_LOG_INFO, "request", "first");
    ok_log(OK_LOG_INFO, "request", "second");
    assert_string_equal(written(), "");
    int due = ok_log_flush_due_ms();
    assert_true(due >= 0 && due <= 1000);
    ok_log(OK_LOG_WARN, "statement failed", "third");
    const char *out = written();
    assert_int_equal(lines(out), 3);
    const char *first = strstr(out, "\"first\""), *second = strstr(out, "\"second\""),
               *third = strstr(out, "\"third\"");
    assert_non_null(first);
    assert_non_null(second);
    assert_non_null(third);
    assert_true(first < second && second < third);
    assert_int_equal(ok_log_flush_due_ms(), -1);
}

static void buffered_lines_go_out_whole_when_4_kb_gather(void **state)
{
    (void)state;
    ok_log_buffer_thread();
    char detail[200];
    memset(detail, 'x', sizeof(detail) - 1);
    detail[sizeof(detail) - 1] = '\0';
    size_t seen = 0;
    for (int i = 0; i < 100; i++) {
        ok_log(OK_LOG_INFO, "request", "%s", detail);
        const char *out = written();
        assert_true(strlen(out) <= 4096);
        if (*out != '\0')
            assert_int_equal(out[strlen(out) - 1], '\n'); /* only whole lines */
        seen += lines(out);
    }
    assert_true(seen > 50 && seen < 100); /* batches went out; the last is still kept */
    ok_log_flush();
    assert_int_equal(seen + lines(written()), 100);
}

static void roles_allowed_are_an_array_literal_of_the_rule(void **state)
{
    (void)state;
    ok_arena *arena = ok_arena_new();
    assert_string_equal(ok_authz_roles_allowed(arena, "message.read"),
                        "{moderator,coordinator,executor,manager,curator,admin}");
    assert_string_equal(ok_authz_roles_allowed(arena, "message.approve"), "{manager}");
    /* operators manage votings, polls and discussions of their territory too */
    assert_string_equal(ok_authz_roles_allowed(arena, "voting.manage"), "{manager,admin,operator}");
    assert_string_equal(ok_authz_roles_allowed(arena, "no.such.action"), "{}");
    ok_arena_free(arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(unbuffered_lines_go_out_at_once, capture, restore),
        cmocka_unit_test_setup_teardown(buffered_lines_wait_for_a_warning_and_keep_their_order,
                                        capture, restore),
        cmocka_unit_test_setup_teardown(buffered_lines_go_out_whole_when_4_kb_gather, capture,
                                        restore),
        cmocka_unit_test(roles_allowed_are_an_array_literal_of_the_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
