/*
 * ok_precheck.c - text rules as POSIX extended regular expressions evaluated in
 * the C.UTF-8 locale, plus a letter count with iswalpha; see ok_precheck.h.
 *
 * Personal-data patterns are matched in a fixed order and each match is blanked
 * out before the next rule runs, so that an e-mail address is not also reported
 * as a link, nor a phone number as a passport number.
 */
#include "ok_precheck.h"

#include <locale.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#define OK_PRECHECK_MIN_LETTERS 15
#define OK_PRECHECK_MIN_LETTER_PCT 60

typedef struct ok_precheck_rule {
    int code;
    const char *rule;
    const char *pattern;
    int blank; /* blank out matches before the next rules */
    regex_t regex;
} ok_precheck_rule;

/* Boundaries are spelled out because POSIX has no \b. */
#define NOT_LETTER "(^|[^[:alpha:]])"
static ok_precheck_rule ok_precheck_rules[] = {
    {4, "email", "[[:alnum:]._%+-]+@[[:alnum:]-]+(\\.[[:alnum:]-]+)*\\.[[:alpha:]]{2,}", 1, {0}},
    {5,
     "link",
     "(https?|ftp)://|www\\.|[[:alnum:]-]+\\.(ru|su|com|net|org|info|biz|io|me|online|site|"
     "xyz|club|pro|рф|рус)([^[:alnum:]]|$)",
     1,
     {0}},
    {4,
     "phone",
     "(\\+7|(^|[^0-9])[78])[ (-]*[0-9]{3}[ )-]*[0-9]{3}[ -]*[0-9]{2}[ -]*[0-9]{2}([^0-9]|$)",
     1,
     {0}},
    {4, "snils", "(^|[^0-9])[0-9]{3}[ -][0-9]{3}[ -][0-9]{3}[ -][0-9]{2}([^0-9]|$)", 1, {0}},
    {4, "passport", "(^|[^0-9])[0-9]{2} ?[0-9]{2} ?[0-9]{6}([^0-9]|$)", 1, {0}},
    {1,
     "obscene",
     NOT_LETTER "((на|по|за|вы|у|от|раз|до|при)?[её]б[аулнт]|ху[йяеёию]|пизд|бля|мудак|мудил|"
                "сук[аи]|гандон|долбо[её]б|шлюх|говн|дерьм|ублюд|fuck|shit)",
     0,
     {0}},
};
#undef NOT_LETTER

#define OK_PRECHECK_RULE_COUNT (sizeof(ok_precheck_rules) / sizeof(ok_precheck_rules[0]))

int ok_precheck_init(void)
{
    if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
        return -1;
    for (size_t i = 0; i < OK_PRECHECK_RULE_COUNT; i++)
        if (regcomp(&ok_precheck_rules[i].regex, ok_precheck_rules[i].pattern,
                    REG_EXTENDED | REG_ICASE) != 0)
            return -1;
    return 0;
}

void ok_precheck_flag(json_t *flags, int code, const char *rule)
{
    size_t i;
    json_t *flag;
    json_array_foreach(flags, i, flag)
    {
        if (strcmp(json_string_value(json_object_get(flag, "rule")), rule) == 0)
            return;
    }
    json_array_append_new(flags, json_pack("{s:i, s:s}", "code", code, "rule", rule));
}

/* Replaces every match of regex in text with spaces (same byte length). */
static int ok_precheck_match_and_blank(const regex_t *regex, char *text, int blank)
{
    int found = 0;
    char *cursor = text;
    regmatch_t match;
    while (*cursor != '\0' &&
           regexec(regex, cursor, 1, &match, cursor == text ? 0 : REG_NOTBOL) == 0) {
        found = 1;
        if (!blank || match.rm_eo <= match.rm_so)
            break;
        memset(cursor + match.rm_so, ' ', (size_t)(match.rm_eo - match.rm_so));
        cursor += match.rm_eo;
    }
    return found;
}

/* Counts letters and non-space characters; invalid bytes count as non-letters. */
static void ok_precheck_count(const char *text, size_t *letters, size_t *visible)
{
    mbstate_t state;
    memset(&state, 0, sizeof(state));
    size_t length = strlen(text);
    *letters = *visible = 0;
    while (length > 0) {
        wchar_t wc;
        size_t n = mbrtowc(&wc, text, length, &state);
        if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
            memset(&state, 0, sizeof(state));
            n = 1;
            wc = L'?';
        }
        if (!iswspace((wint_t)wc)) {
            (*visible)++;
            if (iswalpha((wint_t)wc))
                (*letters)++;
        }
        text += n;
        length -= n;
    }
}

json_t *ok_precheck_text(const char *text)
{
    json_t *flags = json_array();
    char *work = strdup(text != NULL ? text : "");
    if (flags == NULL || work == NULL)
        abort();
    for (size_t i = 0; i < OK_PRECHECK_RULE_COUNT; i++) {
        const ok_precheck_rule *rule = &ok_precheck_rules[i];
        if (ok_precheck_match_and_blank(&rule->regex, work, rule->blank))
            ok_precheck_flag(flags, rule->code, rule->rule);
    }
    free(work);
    size_t letters, visible;
    ok_precheck_count(text != NULL ? text : "", &letters, &visible);
    if (letters < OK_PRECHECK_MIN_LETTERS)
        ok_precheck_flag(flags, 7, "too_short");
    else if (letters * 100 < visible * OK_PRECHECK_MIN_LETTER_PCT)
        ok_precheck_flag(flags, 7, "non_letters");
    return flags;
}
