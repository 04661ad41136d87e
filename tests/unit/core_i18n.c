/* Unit tests of core/ok_i18n.c and core/ok_problem.c: the language an
 * Accept-Language value asks for (q values, ties, tags with regions, hostile
 * values), the catalogue lookup, and a problem answered in Russian by default,
 * in English on request, formatted details translated before formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../support/test_request.h"
#include "ok_i18n.h"
#include "ok_problem.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static void test_choose(void **state)
{
    (void)state;
    static const struct {
        const char *header, *lang;
    } cases[] = {
        {NULL, "ru"},
        {"", "ru"},
        {"en", "en"},
        {"EN-gb", "en"},
        {"ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7", "ru"},
        {"en-US,en;q=0.9,ru;q=0.8", "en"},
        {"de-DE,de;q=0.9", "ru"},                /* neither: Russian */
        {"de, en;q=0.5", "en"},                  /* English named, Russian not */
        {"ru;q=0.4, en;q=0.5", "en"},            /* the higher q wins */
        {"en;q=0.5, ru;q=0.5", "en"},            /* a tie: the earlier */
        {"ru , en", "ru"},                       /* a tie at 1 */
        {"en;q=0", "ru"},                        /* q=0: not acceptable */
        {"en;q=1.000", "en"},
        {"en;q=2", "ru"},                        /* malformed q: ignored */
        {"en;q=", "ru"},
        {"en;q=0.5x", "ru"},
        {"english", "ru"},                       /* not the tag en */
        {"en_US", "ru"},
        {"*", "ru"},
        {",,,;;;===", "ru"},
        {"en; charset=x; q=0.3, ru;q=0.2", "en"}, /* q after another parameter */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *got = ok_i18n_choose(cases[i].header);
        if (strcmp(got, cases[i].lang) != 0)
            fail_msg("%s: %s, not %s", cases[i].header ? cases[i].header : "(none)", got,
                     cases[i].lang);
    }
}

/* A header of a megabyte of list separators and parameters costs a linear scan. */
static void test_choose_is_linear(void **state)
{
    (void)state;
    size_t n = 1 << 20;
    char *header = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        header[i] = ";=q,"[i % 4];
    header[n] = '\0';
    clock_t start = clock();
    assert_string_equal(ok_i18n_choose(header), "ru");
    assert_true((double)(clock() - start) / CLOCKS_PER_SEC < 0.5);
    free(header);
}

static void test_text(void **state)
{
    (void)state;
    assert_string_equal(ok_i18n_text("ru", "Not Found"), "Не найдено");
    assert_string_equal(ok_i18n_text("en", "Not Found"), "Not Found");
    assert_string_equal(ok_i18n_text("ru", "No such sentence anywhere."), "No such sentence anywhere.");
    assert_null(ok_i18n_text("ru", NULL));
}

static json_t *answered(ok_request *req)
{
    json_t *body = json_loadb(req->body, req->body_length, 0, NULL);
    assert_non_null(body);
    return body;
}

static const char *header(ok_request *req, const char *name)
{
    for (size_t i = 0; i < req->header_count; i++)
        if (strcmp(req->header_names[i], name) == 0)
            return req->header_values[i];
    return NULL;
}

static void test_problem_languages(void **state)
{
    (void)state;
    ok_arena *arena = ok_arena_new();
    char *russian[] = {NULL};
    test_request t;
    ok_request *req = test_request_init(&t, arena, "/", "", russian, NULL, 0);
    ok_problem(req, 404, "There is no such voting.");
    json_t *body = answered(req);
    assert_string_equal(json_string_value(json_object_get(body, "title")), "Не найдено");
    assert_string_equal(json_string_value(json_object_get(body, "detail")), "Такого голосования нет.");
    assert_string_equal(header(req, "Content-Language"), "ru");
    json_decref(body);

    char *english[] = {"HTTP_ACCEPT_LANGUAGE=en-GB,en;q=0.9", NULL};
    req = test_request_init(&t, arena, "/", "", english, NULL, 0);
    ok_problemf(req, 413, "The body may not exceed %zu bytes.", (size_t)65536);
    body = answered(req);
    assert_string_equal(json_string_value(json_object_get(body, "title")), "Content Too Large");
    assert_string_equal(json_string_value(json_object_get(body, "detail")),
                        "The body may not exceed 65536 bytes.");
    assert_string_equal(header(req, "Content-Language"), "en");
    json_decref(body);

    req = test_request_init(&t, arena, "/", "", russian, NULL, 0);
    ok_problemf(req, 413, "The body may not exceed %zu bytes.", (size_t)65536);
    body = answered(req);
    assert_string_equal(json_string_value(json_object_get(body, "detail")),
                        "Тело запроса не может быть больше 65536 байт.");
    json_decref(body);
    ok_arena_free(arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_choose),
        cmocka_unit_test(test_choose_is_linear),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_problem_languages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
