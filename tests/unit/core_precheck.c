/* Unit tests of core/ok_precheck.c: each rule flags what it should and nothing else. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ok_precheck.h"

#include <stdlib.h>
#include <string.h>

static char *flags_of(const char *text)
{
    json_t *flags = ok_precheck_text(text);
    char *dump = json_dumps(flags, JSON_COMPACT);
    json_decref(flags);
    return dump;
}

static void expect_flags(const char *text, const char *expected)
{
    char *got = flags_of(text);
    if (strcmp(got, expected) != 0)
        print_error("text: %s\n", text);
    assert_string_equal(got, expected);
    free(got);
}

static void test_clean_text_has_no_flags(void **state)
{
    (void)state;
    expect_flags("На улице Ленина у дома 5 третью неделю не горят фонари, детям страшно идти "
                 "в школу. Просим заменить лампы.",
                 "[]");
    /* words that only look like the obscene roots, numbers that are not documents */
    expect_flags("Небо над двором закрыто, убрать ветки у дома 12 корпус 3, квартира 45, "
                 "застройщик обещал к 2025 году. Учебник потерян, заберите.",
                 "[]");
}

static void test_personal_data(void **state)
{
    (void)state;
    expect_flags("Перезвоните мне пожалуйста по номеру +7 (912) 345-67-89 насчёт ямы",
                 "[{\"code\":4,\"rule\":\"phone\"}]");
    expect_flags("Перезвоните мне пожалуйста по номеру 89123456789 насчёт ямы",
                 "[{\"code\":4,\"rule\":\"phone\"}]");
    expect_flags("Пишите на адрес ivan.petrov@mail.ru насчёт ямы во дворе",
                 "[{\"code\":4,\"rule\":\"email\"}]");
    expect_flags("Мой паспорт 4510 123456 выдан отделом, прошу проверить данные",
                 "[{\"code\":4,\"rule\":\"passport\"}]");
    expect_flags("Мой СНИЛС 123-456-789 01 указан неверно в личном кабинете соседки",
                 "[{\"code\":4,\"rule\":\"snils\"}]");
}

static void test_links(void **state)
{
    (void)state;
    expect_flags("Подробности на сайте https://example.com/page смотрите обязательно",
                 "[{\"code\":5,\"rule\":\"link\"}]");
    expect_flags("Покупайте окна в компании окна-дешево.рф лучшие цены в городе",
                 "[{\"code\":5,\"rule\":\"link\"}]");
    expect_flags("Заходите на www.shop-online.example прямо сейчас, скидки каждый день",
                 "[{\"code\":5,\"rule\":\"link\"}]");
}

static void test_obscene_words(void **state)
{
    (void)state;
    expect_flags("Эта БЛЯ дорога опять разбита, сколько можно терпеть такое отношение",
                 "[{\"code\":1,\"rule\":\"obscene\"}]");
    expect_flags("Какой мудак поставил машину на газон возле детской площадки опять",
                 "[{\"code\":1,\"rule\":\"obscene\"}]");
}

static void test_unclear_text(void **state)
{
    (void)state;
    expect_flags("яма", "[{\"code\":7,\"rule\":\"too_short\"}]");
    expect_flags("", "[{\"code\":7,\"rule\":\"too_short\"}]");
    expect_flags("!!!!!!!!!!!!!!!!!!!!!!!!!!!!! ??????????????????? яма яма яма яма яма яма",
                 "[{\"code\":7,\"rule\":\"non_letters\"}]");
}

static void test_several_rules_at_once(void **state)
{
    (void)state;
    expect_flags("Сука, звоните 8 912 345 67 89 или на почту a@b.ru, сайт www.x.ru",
                 "[{\"code\":4,\"rule\":\"email\"},{\"code\":5,\"rule\":\"link\"},"
                 "{\"code\":4,\"rule\":\"phone\"},{\"code\":1,\"rule\":\"obscene\"}]");
}

static void test_flag_adds_each_rule_once(void **state)
{
    (void)state;
    json_t *flags = json_array();
    ok_precheck_flag(flags, 9, "duplicate");
    ok_precheck_flag(flags, 9, "duplicate");
    assert_int_equal(json_array_size(flags), 1);
    json_decref(flags);
}

static int setup(void **state)
{
    (void)state;
    return ok_precheck_init();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_text_has_no_flags),
        cmocka_unit_test(test_personal_data),
        cmocka_unit_test(test_links),
        cmocka_unit_test(test_obscene_words),
        cmocka_unit_test(test_unclear_text),
        cmocka_unit_test(test_several_rules_at_once),
        cmocka_unit_test(test_flag_adds_each_rule_once),
    };
    return cmocka_run_group_tests_name("core_precheck", tests, setup, NULL);
}
