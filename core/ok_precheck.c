/*
 * ok_precheck.c - the text rules of ok_precheck.h as hand-written scanners, each
 * linear in the length of the text.
 *
 * DESIGN. A text is decoded once (mbrtowc in C.UTF-8) into an array of
 * lower-cased code points; an invalid byte becomes U+FFFD, which is neither a
 * letter nor a digit. Each rule is then one left-to-right scanner over that
 * array. Character classes are those of the locale (iswalpha, iswalnum), digits
 * are ASCII only, so Cyrillic letters count as letters and "рф" as a TLD.
 *
 * Why hand-written: the rules used to be POSIX regular expressions, and glibc's
 * regexec rescans from every start position, so a 5,000-character message of
 * one letter repeated cost about a second of worker CPU; a burst of them froze
 * the intake worker. Here every scanner only tries a match where one can begin
 * (an '@', a digit-run start, a word start, a [[:alnum:]-] run) and each
 * attempt reads a bounded stretch of text (see each scanner's comment), so a
 * text costs O(length) whatever it contains.
 *
 * Personal-data and link rules run in a fixed order and each match is blanked
 * out (replaced by spaces) before the next rule runs, so that an e-mail address
 * is not also reported as a link, nor a phone number as a passport number.
 * Only the match itself is blanked, not the character bounding it, so a word
 * touching a number ("бля89123456789") is still checked by the later rules.
 */
#include "ok_precheck.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#define OK_PRECHECK_MIN_LETTERS 15
#define OK_PRECHECK_MIN_LETTER_PCT 60

/* A decoded text: lower-cased code points, blanked in place by the rules. */
typedef struct ok_precheck_text_chars {
    wchar_t *chars;
    size_t length;
} ok_precheck_text_chars;

/* Returns whether the text has a match of the rule, blanking matches if the
 * rule says so. */
typedef int (*ok_precheck_scanner)(ok_precheck_text_chars *text);

static int ok_precheck_is_digit(wchar_t c)
{
    return c >= L'0' && c <= L'9';
}

/* Whether c is one of the characters of set (never the terminating L'\0'). */
static int ok_precheck_is_one_of(wchar_t c, const wchar_t *set)
{
    return c != L'\0' && wcschr(set, c) != NULL;
}

static int ok_precheck_is_alpha(wchar_t c)
{
    return iswalpha((wint_t)c) != 0;
}

static int ok_precheck_is_alnum(wchar_t c)
{
    return iswalnum((wint_t)c) != 0;
}

/* The character at index, or L'\0' past the end. */
static wchar_t ok_precheck_at(const ok_precheck_text_chars *text, size_t index)
{
    return index < text->length ? text->chars[index] : L'\0';
}

static void ok_precheck_blank(ok_precheck_text_chars *text, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        text->chars[i] = L' ';
}

/* Returns how many characters of text starting at index match pattern, or 0.
 * A pattern is literal lower-case characters and [...] sets of alternatives;
 * the cost is at most the pattern's length. */
static size_t ok_precheck_match_at(const ok_precheck_text_chars *text, size_t index,
                                   const wchar_t *pattern)
{
    size_t matched = 0;
    while (*pattern != L'\0') {
        wchar_t c = ok_precheck_at(text, index + matched);
        if (c == L'\0')
            return 0;
        if (*pattern == L'[') {
            const wchar_t *close = wcschr(pattern, L']');
            int in_set = 0;
            for (const wchar_t *p = pattern + 1; p < close; p++)
                in_set |= *p == c;
            if (!in_set)
                return 0;
            pattern = close + 1;
        } else if (*pattern++ != c) {
            return 0;
        }
        matched++;
    }
    return matched;
}

/* Returns the length of the first of patterns (NULL-terminated) matching at index, or 0. */
static size_t ok_precheck_match_any_at(const ok_precheck_text_chars *text, size_t index,
                                       const wchar_t *const *patterns)
{
    for (; *patterns != NULL; patterns++) {
        size_t matched = ok_precheck_match_at(text, index, *patterns);
        if (matched > 0)
            return matched;
    }
    return 0;
}

/* Returns the end of a match starting at index, or 0; state is the matcher's own. */
typedef size_t (*ok_precheck_matcher)(const ok_precheck_text_chars *text, size_t index,
                                      void *state);

/* Tries match at each index from left to right, blanking each match and going
 * on after it. Returns whether there was a match. */
static int ok_precheck_blank_matches(ok_precheck_text_chars *text, ok_precheck_matcher match,
                                     void *state)
{
    int found = 0;
    for (size_t i = 0; i < text->length; i++) {
        size_t end = match(text, i, state);
        if (end == 0)
            continue;
        found = 1;
        ok_precheck_blank(text, i, end);
        i = end - 1;
    }
    return found;
}

/* ---------------------------------------------------------------- e-mail */

static int ok_precheck_is_local_part(wchar_t c)
{
    return ok_precheck_is_alnum(c) || ok_precheck_is_one_of(c, L"._%+-");
}

static int ok_precheck_is_domain(wchar_t c)
{
    return ok_precheck_is_alnum(c) || c == L'-' || c == L'.';
}

/* Returns the end of the longest domain "label(.label)*.tld" starting at start
 * (labels [[:alnum:]-]+, the tld two letters or more, possibly followed by more
 * domain characters), or start if there is none. Reads the domain characters
 * from start once, plus each letter run after a dot once more. */
static size_t ok_precheck_domain_end(const ok_precheck_text_chars *text, size_t start)
{
    size_t end = start;
    for (size_t i = start; i < text->length && ok_precheck_is_domain(text->chars[i]); i++) {
        if (text->chars[i] != L'.')
            continue;
        if (i == start || text->chars[i - 1] == L'.')
            break; /* an empty label: no longer domain can follow */
        size_t tld_end = i + 1;
        while (tld_end < text->length && ok_precheck_is_alpha(text->chars[tld_end]))
            tld_end++;
        if (tld_end - (i + 1) >= 2)
            end = tld_end;
    }
    return end;
}

/* local@domain. Tried at each '@'; the local part is read leftwards and the
 * domain rightwards, and neither can cross another '@', so each character is
 * read a bounded number of times. */
static int ok_precheck_scan_email(ok_precheck_text_chars *text)
{
    int found = 0;
    size_t cursor = 0; /* end of the last match */
    for (size_t at = 0; at < text->length; at++) {
        if (text->chars[at] != L'@')
            continue;
        size_t start = at;
        while (start > cursor && ok_precheck_is_local_part(text->chars[start - 1]))
            start--;
        size_t end = ok_precheck_domain_end(text, at + 1);
        if (start == at || end == at + 1)
            continue;
        found = 1;
        ok_precheck_blank(text, start, end);
        cursor = end;
        at = end - 1;
    }
    return found;
}

/* ------------------------------------------------------------------ link */

static const wchar_t *const ok_precheck_link_starts[] = {
    L"http://", L"https://", L"ftp://", L"www.", NULL,
};

static const wchar_t *const ok_precheck_link_tlds[] = {
    L"ru",     L"su",   L"com", L"net",  L"org", L"info", L"biz", L"io", L"me",
    L"online", L"site", L"xyz", L"club", L"pro", L"рф",   L"рус", NULL,
};

static int ok_precheck_is_label(wchar_t c)
{
    return ok_precheck_is_alnum(c) || c == L'-';
}

/* Returns the end of "label.tld" when the label ends at label_end and a
 * non-alphanumeric character (or the end of the text) follows, or 0. */
static size_t ok_precheck_tld_end(const ok_precheck_text_chars *text, size_t label_end)
{
    if (ok_precheck_at(text, label_end) != L'.')
        return 0;
    size_t tld = ok_precheck_match_any_at(text, label_end + 1, ok_precheck_link_tlds);
    if (tld == 0)
        return 0;
    size_t end = label_end + 1 + tld;
    return ok_precheck_is_alnum(ok_precheck_at(text, end)) ? 0 : end;
}

/* The label run containing the index being tried, if index < run_end. */
typedef struct ok_precheck_link_state {
    size_t run_end, domain_end;
} ok_precheck_link_state;

/* A scheme ("http://", "https://", "ftp://"), "www." or a domain "label.tld"
 * with a known tld followed by a non-alphanumeric character. A domain starts
 * anywhere in a run of label characters and ends where the run does, so each
 * run's end is found once and reused for every index in it. */
static size_t ok_precheck_match_link(const ok_precheck_text_chars *text, size_t index, void *state)
{
    ok_precheck_link_state *run = state;
    if (index >= run->run_end && ok_precheck_is_label(text->chars[index])) {
        run->run_end = index;
        while (run->run_end < text->length && ok_precheck_is_label(text->chars[run->run_end]))
            run->run_end++;
        run->domain_end = ok_precheck_tld_end(text, run->run_end);
    }
    if (index < run->run_end && run->domain_end > 0)
        return run->domain_end;
    size_t start = ok_precheck_match_any_at(text, index, ok_precheck_link_starts);
    return start > 0 ? index + start : 0;
}

static int ok_precheck_scan_link(ok_precheck_text_chars *text)
{
    ok_precheck_link_state state = {0, 0};
    return ok_precheck_blank_matches(text, ok_precheck_match_link, &state);
}

/* --------------------------------------------------------------- numbers */

/* A group of digits of a number, then the separators allowed before the next. */
typedef struct ok_precheck_group {
    size_t digits;
    const wchar_t *separators;
    size_t min_separators, max_separators;
} ok_precheck_group;

#define OK_PRECHECK_ANY ((size_t)-1)
#define OK_PRECHECK_MAX_GROUPS 5

/* A number written as groups of digits, standing alone (no digit touching it). */
typedef struct ok_precheck_number {
    const wchar_t *first_digits; /* the digits it may begin with, or NULL for any */
    ok_precheck_group groups[OK_PRECHECK_MAX_GROUPS]; /* up to one with 0 digits */
} ok_precheck_number;

/* A Russian mobile or landline number: 7 or 8 (or +7), then 3-3-2-2 digits. */
static const ok_precheck_number ok_precheck_phone = {
    L"78",
    {{1, L" (-", 0, OK_PRECHECK_ANY},
     {3, L" )-", 0, OK_PRECHECK_ANY},
     {3, L" -", 0, OK_PRECHECK_ANY},
     {2, L" -", 0, OK_PRECHECK_ANY},
     {2, L"", 0, 0}},
};

/* An insurance number (СНИЛС): 3-3-3 2, separated by one space or dash each. */
static const ok_precheck_number ok_precheck_snils = {
    NULL,
    {{3, L" -", 1, 1}, {3, L" -", 1, 1}, {3, L" -", 1, 1}, {2, L"", 0, 0}},
};

/* A passport series and number: 2 2 6 digits, optionally spaced. */
static const ok_precheck_number ok_precheck_passport = {
    NULL,
    {{2, L" ", 0, 1}, {2, L" ", 0, 1}, {6, L"", 0, 0}},
};

/* Returns the end of number read from start, or 0. Tried only where a run of
 * digits starts; digits and separators are disjoint, so the reading is greedy
 * without backtracking. It stops after at most 11 digits (and the separators
 * between them), so a character is read by at most 12 attempts. */
static size_t ok_precheck_match_number(const ok_precheck_text_chars *text, size_t start,
                                       const ok_precheck_number *number)
{
    if (!ok_precheck_is_digit(text->chars[start]) ||
        (start > 0 && ok_precheck_is_digit(text->chars[start - 1])))
        return 0;
    if (number->first_digits != NULL &&
        !ok_precheck_is_one_of(text->chars[start], number->first_digits))
        return 0;
    size_t i = start;
    for (size_t g = 0; g < OK_PRECHECK_MAX_GROUPS && number->groups[g].digits > 0; g++) {
        const ok_precheck_group *group = &number->groups[g];
        for (size_t d = 0; d < group->digits; d++, i++)
            if (!ok_precheck_is_digit(ok_precheck_at(text, i)))
                return 0;
        size_t separators = 0;
        while (separators < group->max_separators &&
               ok_precheck_is_one_of(ok_precheck_at(text, i), group->separators)) {
            separators++;
            i++;
        }
        if (separators < group->min_separators)
            return 0;
    }
    return ok_precheck_is_digit(ok_precheck_at(text, i)) ? 0 : i;
}

static size_t ok_precheck_match_phone(const ok_precheck_text_chars *text, size_t index, void *state)
{
    (void)state;
    return ok_precheck_match_number(text, index, &ok_precheck_phone);
}

static size_t ok_precheck_match_snils(const ok_precheck_text_chars *text, size_t index, void *state)
{
    (void)state;
    return ok_precheck_match_number(text, index, &ok_precheck_snils);
}

static size_t ok_precheck_match_passport(const ok_precheck_text_chars *text, size_t index,
                                         void *state)
{
    (void)state;
    return ok_precheck_match_number(text, index, &ok_precheck_passport);
}

static int ok_precheck_scan_phone(ok_precheck_text_chars *text)
{
    return ok_precheck_blank_matches(text, ok_precheck_match_phone, NULL);
}

static int ok_precheck_scan_snils(ok_precheck_text_chars *text)
{
    return ok_precheck_blank_matches(text, ok_precheck_match_snils, NULL);
}

static int ok_precheck_scan_passport(ok_precheck_text_chars *text)
{
    return ok_precheck_blank_matches(text, ok_precheck_match_passport, NULL);
}

/* -------------------------------------------------------------- obscene */

#define OK_PRECHECK_EB L"[её]б[аулнт]"
static const wchar_t *const ok_precheck_obscene_stems[] = {
    OK_PRECHECK_EB,
    L"на" OK_PRECHECK_EB,
    L"по" OK_PRECHECK_EB,
    L"за" OK_PRECHECK_EB,
    L"вы" OK_PRECHECK_EB,
    L"у" OK_PRECHECK_EB,
    L"от" OK_PRECHECK_EB,
    L"раз" OK_PRECHECK_EB,
    L"до" OK_PRECHECK_EB,
    L"при" OK_PRECHECK_EB,
    L"ху[йяеёию]",
    L"пизд",
    L"бля",
    L"мудак",
    L"мудил",
    L"сук[аи]",
    L"гандон",
    L"долбо[её]б",
    L"шлюх",
    L"говн",
    L"дерьм",
    L"ублюд",
    L"fuck",
    L"shit",
    NULL,
};
#undef OK_PRECHECK_EB

/* An obscene stem at the start of a word; each word start tries the fixed list
 * of short stems once. */
static int ok_precheck_scan_obscene(ok_precheck_text_chars *text)
{
    for (size_t i = 0; i < text->length; i++)
        if ((i == 0 || !ok_precheck_is_alpha(text->chars[i - 1])) &&
            ok_precheck_match_any_at(text, i, ok_precheck_obscene_stems) > 0)
            return 1;
    return 0;
}

/* ----------------------------------------------------------------- rules */

static const struct {
    int code;
    const char *rule;
    ok_precheck_scanner scan;
} ok_precheck_rules[] = {
    {4, "email", ok_precheck_scan_email},       {5, "link", ok_precheck_scan_link},
    {4, "phone", ok_precheck_scan_phone},       {4, "snils", ok_precheck_scan_snils},
    {4, "passport", ok_precheck_scan_passport}, {1, "obscene", ok_precheck_scan_obscene},
};

#define OK_PRECHECK_RULE_COUNT (sizeof(ok_precheck_rules) / sizeof(ok_precheck_rules[0]))

int ok_precheck_init(void)
{
    return setlocale(LC_CTYPE, "C.UTF-8") == NULL ? -1 : 0;
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

/* Decodes UTF-8 into lower-cased code points; an invalid byte becomes U+FFFD.
 * chars must hold strlen(utf8) code points. Returns how many were written. */
static size_t ok_precheck_decode(const char *utf8, wchar_t *chars)
{
    mbstate_t state;
    memset(&state, 0, sizeof(state));
    size_t remaining = strlen(utf8), length = 0;
    while (remaining > 0) {
        wchar_t c;
        size_t n = mbrtowc(&c, utf8, remaining, &state);
        if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
            memset(&state, 0, sizeof(state));
            n = 1;
            c = L'\xFFFD';
        }
        chars[length++] = (wchar_t)towlower((wint_t)c);
        utf8 += n;
        remaining -= n;
    }
    return length;
}

/* Counts letters and other visible characters (U+FFFD, an invalid byte, is one). */
static void ok_precheck_count(const ok_precheck_text_chars *text, size_t *letters, size_t *visible)
{
    *letters = *visible = 0;
    for (size_t i = 0; i < text->length; i++) {
        if (iswspace((wint_t)text->chars[i]))
            continue;
        (*visible)++;
        *letters += ok_precheck_is_alpha(text->chars[i]) ? 1 : 0;
    }
}

json_t *ok_precheck_text(const char *text)
{
    const char *utf8 = text != NULL ? text : "";
    json_t *flags = json_array();
    ok_precheck_text_chars chars = {malloc((strlen(utf8) + 1) * sizeof(wchar_t)), 0};
    if (flags == NULL || chars.chars == NULL)
        abort();
    chars.length = ok_precheck_decode(utf8, chars.chars);
    size_t letters, visible;
    ok_precheck_count(&chars, &letters, &visible); /* before the rules blank anything */
    for (size_t i = 0; i < OK_PRECHECK_RULE_COUNT; i++)
        if (ok_precheck_rules[i].scan(&chars))
            ok_precheck_flag(flags, ok_precheck_rules[i].code, ok_precheck_rules[i].rule);
    free(chars.chars);
    if (letters < OK_PRECHECK_MIN_LETTERS)
        ok_precheck_flag(flags, 7, "too_short");
    else if (letters * 100 < visible * OK_PRECHECK_MIN_LETTER_PCT)
        ok_precheck_flag(flags, 7, "non_letters");
    return flags;
}
