/* Unit tests of core/ok_precheck.c: each rule flags what it should and nothing else. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ok_precheck.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* The longest text a citizen may send (SPEC: messages up to 5000 characters). */
#define LONGEST 5000

/* Writes LONGEST characters into buffer: piece repeated (piece is whole characters). */
static void repeat(char *buffer, const char *piece, size_t piece_chars)
{
    size_t piece_bytes = strlen(piece);
    char *out = buffer;
    for (size_t chars = 0; chars + piece_chars <= LONGEST; chars += piece_chars) {
        memcpy(out, piece, piece_bytes);
        out += piece_bytes;
    }
    *out = '\0';
}

/* Writes LONGEST characters drawn from alphabet by a fixed pseudo-random sequence. */
static void mix(char *buffer, const char *alphabet, unsigned seed)
{
    size_t size = strlen(alphabet);
    for (size_t i = 0; i < LONGEST; i++) {
        seed = seed * 1103515245u + 12345u;
        buffer[i] = alphabet[(seed >> 16) % size];
    }
    buffer[LONGEST] = '\0';
}

/* Checks text and fails if that took more than a generous CPU bound: a burst of
 * such texts must not make a worker unresponsive (issue #12). */
static void expect_cheap(const char *name, const char *text)
{
    clock_t start = clock();
    json_t *flags = ok_precheck_text(text);
    double milliseconds = (double)(clock() - start) * 1000.0 / CLOCKS_PER_SEC;
    json_decref(flags);
    if (milliseconds > 100.0)
        print_error("%s took %.0f ms of CPU\n", name, milliseconds);
    assert_true(milliseconds <= 100.0);
}

static void test_longest_hostile_texts_are_cheap(void **state)
{
    (void)state;
    static const struct {
        const char *name, *piece;
        size_t chars;
    } pieces[] = {
        {"one latin letter", "a", 1},
        {"one cyrillic letter", "я", 1},
        {"a@", "a@", 2},
        {"a.", "a.", 2},
        {"a-", "a-", 2},
        {"www.", "www.", 4},
        {"a.ru", "a.ru", 4},
        {"a@b.", "a@b.", 4},
        {"digits and spaces", "1 ", 2},
        {"sevens and dashes", "7-", 2},
        {"eights", "8", 1},
        {"digit groups", "12 34 ", 6},
        {"http", "http", 4},
        {"obscene prefixes", "нае", 3},
    };
    static char text[LONGEST * 4 + 1];
    for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++) {
        repeat(text, pieces[i].piece, pieces[i].chars);
        expect_cheap(pieces[i].name, text);
    }
    /* one long run of separators (or of local-part characters) between the pieces */
    static const char *const edges[][2] = {{"8", "9"}, {"+7", "1"}, {"a", "@b.ru"}, {"a@", ".ru"}};
    for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
        repeat(text, i < 2 ? "-" : "a", 1);
        memcpy(text, edges[i][0], strlen(edges[i][0]));
        memcpy(text + LONGEST - strlen(edges[i][1]), edges[i][1], strlen(edges[i][1]));
        expect_cheap("a long run between two ends", text);
    }
    static const char *const alphabets[] = {"a@.-", "a.-ru ", "78 -()+1", "w.a@-1/:htps"};
    for (unsigned seed = 0; seed < 4; seed++) {
        mix(text, alphabets[seed], seed);
        expect_cheap(alphabets[seed], text);
    }
}

static void test_email_edges(void **state)
{
    (void)state;
    static const char email[] = "[{\"code\":4,\"rule\":\"email\"}]";
    expect_flags("Пишите на IVAN.PETROV@MAIL.RU насчёт ямы во дворе", email);
    /* a Cyrillic domain is an address, not also a link */
    expect_flags("Пишите на почта@пример.рф насчёт ямы во дворе", email);
    expect_flags("Пишите на ivan@mail.ru5 насчёт ямы во дворе", email);
    expect_flags("Пишите на ivan@localhost насчёт ямы во дворе", "[]");
    expect_flags("Пишите на ivan@.ru или a@b..ru насчёт ямы", "[]");
    expect_flags("Пишите на @mail.ru насчёт ямы во дворе", "[{\"code\":5,\"rule\":\"link\"}]");
}

static void test_link_edges(void **state)
{
    (void)state;
    static const char link[] = "[{\"code\":5,\"rule\":\"link\"}]";
    expect_flags("Смотрите HTTP://EXAMPLE насчёт ямы во дворе", link);
    expect_flags("Смотрите на сайте ГОРОД.РУС насчёт ямы", link);
    expect_flags("Все подробности на сайте мэрии mos.ru", link);
    /* not a known TLD, or the TLD goes on */
    expect_flags("Смотрите файл отчёт.txt и example.comma насчёт ямы", "[]");
    /* the link is removed, the word after it is still checked */
    expect_flags("Спам на сайте x.ru/сука прямо в комментариях",
                 "[{\"code\":5,\"rule\":\"link\"},{\"code\":1,\"rule\":\"obscene\"}]");
}

static void test_number_edges(void **state)
{
    (void)state;
    static const char phone[] = "[{\"code\":4,\"rule\":\"phone\"}]";
    expect_flags("Звоните +7 912 345-67-89 насчёт ямы во дворе", phone);
    /* a digit touching it: not a phone number, nor a passport */
    expect_flags("Звоните 189123456789 насчёт ямы во дворе", "[]");
    /* two phone numbers are two phone numbers, not a phone and a passport */
    expect_flags("Звоните 89123456789 8 9123456789 насчёт ямы во дворе",
                 "[{\"code\":4,\"rule\":\"phone\"},{\"code\":7,\"rule\":\"non_letters\"}]");
    expect_flags("Звоните 89123456789 4510 123456 насчёт ямы во дворе",
                 "[{\"code\":4,\"rule\":\"phone\"},{\"code\":4,\"rule\":\"passport\"},"
                 "{\"code\":7,\"rule\":\"non_letters\"}]");
    /* a word touching a number is still read whole */
    expect_flags("Звоните 89123456789бля насчёт ямы во дворе",
                 "[{\"code\":4,\"rule\":\"phone\"},{\"code\":1,\"rule\":\"obscene\"}]");
    expect_flags("СНИЛС 123 456 789 01 указан неверно в кабинете",
                 "[{\"code\":4,\"rule\":\"snils\"}]");
    expect_flags("Паспорт 4510123456 указан неверно в кабинете",
                 "[{\"code\":4,\"rule\":\"passport\"}]");
}

static void test_obscene_edges(void **state)
{
    (void)state;
    static const char obscene[] = "[{\"code\":1,\"rule\":\"obscene\"}]";
    expect_flags("ЁБАНЫЙ двор опять не убран, сколько можно", obscene);
    expect_flags("НАЕБАЛИ с ремонтом дороги опять, сколько можно", obscene);
    /* the stems inside a word */
    expect_flags("Застрахуйте имущество и употребляйте воду из колодца", "[]");
}

static void test_invalid_utf8_is_not_a_letter(void **state)
{
    (void)state;
    expect_flags("Звоните\xff"
                 "89123456789 насчёт ямы во дворе",
                 "[{\"code\":4,\"rule\":\"phone\"}]");
    expect_flags("Опять \xff"
                 "бля\xff дорога разбита, сколько можно",
                 "[{\"code\":1,\"rule\":\"obscene\"}]");
    expect_flags("\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5\xf4\xf3\xf2\xf1\xf0",
                 "[{\"code\":7,\"rule\":\"too_short\"}]");
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
        cmocka_unit_test(test_email_edges),
        cmocka_unit_test(test_link_edges),
        cmocka_unit_test(test_number_edges),
        cmocka_unit_test(test_obscene_edges),
        cmocka_unit_test(test_invalid_utf8_is_not_a_letter),
        cmocka_unit_test(test_flag_adds_each_rule_once),
        cmocka_unit_test(test_longest_hostile_texts_are_cheap),
    };
    return cmocka_run_group_tests_name("core_precheck", tests, setup, NULL);
}
