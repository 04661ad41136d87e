/* Unit tests of core/ok_metrics.c: label escaping, and counters shared by the
 * processes of one program through OTKLIK_METRICS_DIR. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../core/ok_metrics.c"

#include <sys/wait.h>

static void test_label_values_are_escaped(void **state)
{
    (void)state;
    char out[64];
    ok_metrics_escape_label("a\\b\"c\nd", out, sizeof(out));
    assert_string_equal(out, "a\\\\b\\\"c\\nd");
    ok_metrics_escape_label("/api/v1/widgets/{key}", out, sizeof(out));
    assert_string_equal(out, "/api/v1/widgets/{key}");
    ok_metrics_escape_label("\"\"\"\"\"\"", out, 8); /* truncated, never an escape cut in two */
    assert_string_equal(out, "\\\"\\\"\\\"");
}

static void noop(ok_request *req)
{
    (void)req;
}

static const ok_route routes[] = {{"GET", "/a/{id}", noop}, {"POST", "/a", noop}};

static void test_processes_of_a_program_share_their_counters(void **state)
{
    (void)state;
    char dir[] = "/tmp/ok-metrics-XXXXXX";
    assert_non_null(mkdtemp(dir));
    setenv("OTKLIK_METRICS_DIR", dir, 1);
    assert_int_equal(ok_metrics_attach("unit", routes, 2), 0);
    ok_request req = {.method = "POST", .path = "/a", .route = routes[1].pattern, .status = 201};
    pid_t child = fork();
    if (child == 0) { /* another process of the program: maps the same file */
        ok_metrics_own = NULL;
        if (ok_metrics_attach("unit", routes, 2) != 0)
            _exit(1);
        for (int i = 0; i < 1000; i++) {
            ok_metrics_request_begin();
            ok_metrics_request_end(&req, 0.003);
        }
        ok_metrics_count(OK_METRICS_DB_RETRIES);
        _exit(0);
    }
    for (int i = 0; i < 1000; i++) {
        ok_metrics_request_begin();
        ok_metrics_request_end(&req, 0.2);
    }
    int status = -1;
    waitpid(child, &status, 0);
    assert_int_equal(status, 0);
    ok_metrics_route *route = &ok_metrics_own->routes[1];
    assert_int_equal(atomic_load(&route->count), 2000);
    assert_int_equal(atomic_load(&route->statuses[0].code), 201);
    assert_int_equal(atomic_load(&route->statuses[0].count), 2000);
    assert_int_equal(atomic_load(&route->buckets[0]), 1000); /* <= 5 ms */
    assert_int_equal(atomic_load(&route->buckets[5]), 1000); /* <= 250 ms */
    assert_int_equal(atomic_load(&ok_metrics_own->in_flight), 0);
    assert_int_equal(atomic_load(&ok_metrics_own->counters[OK_METRICS_DB_RETRIES]), 1);
    /* a build with other routes starts a file of its own */
    ok_metrics_file *old = ok_metrics_own;
    assert_int_equal(ok_metrics_attach("unit", routes, 1), 0);
    assert_ptr_not_equal(ok_metrics_own, old);
    assert_int_equal(atomic_load(&ok_metrics_own->routes[0].count), 0);
    char path[128];
    snprintf(path, sizeof(path), "%s/unit.metrics", dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/unit.lock", dir);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_label_values_are_escaped),
        cmocka_unit_test(test_processes_of_a_program_share_their_counters),
    };
    return cmocka_run_group_tests_name("core_metrics", tests, NULL, NULL);
}
