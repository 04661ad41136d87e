/*
 * ok_i18n.c - the caller's language and the catalogue lookup; see ok_i18n.h.
 */
#include "ok_i18n.h"

#include <stdarg.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

static bool ok_i18n_space(char c)
{
    return c == ' ' || c == '\t';
}

/* A q value ("0", "0.5", "1", "1.000") as thousandths; -1 when malformed. */
static int ok_i18n_weight(const char *p, const char *end)
{
    if (p == end || (*p != '0' && *p != '1'))
        return -1;
    int weight = (*p++ - '0') * 1000;
    if (p < end && *p == '.') {
        p++;
        for (int scale = 100; p < end && scale > 0 && *p >= '0' && *p <= '9'; scale /= 10)
            weight += (*p++ - '0') * scale;
    }
    return p == end && weight <= 1000 ? weight : -1;
}

/* One element of the list, "tag[;param]*": its q (1000 when absent), or -1. */
static int ok_i18n_element_weight(const char *p, const char *end)
{
    const char *param = memchr(p, ';', (size_t)(end - p));
    while (param != NULL) {
        const char *next = memchr(param + 1, ';', (size_t)(end - param - 1));
        const char *stop = next != NULL ? next : end;
        const char *name = param + 1;
        while (name < stop && ok_i18n_space(*name))
            name++;
        if (stop - name >= 2 && (name[0] == 'q' || name[0] == 'Q') && name[1] == '=') {
            const char *value_end = stop;
            while (value_end > name + 2 && ok_i18n_space(value_end[-1]))
                value_end--;
            return ok_i18n_weight(name + 2, value_end);
        }
        param = next;
    }
    return 1000;
}

/* The element's primary subtag is lang ("en" in "en-GB"). */
static bool ok_i18n_is(const char *p, const char *end, const char *lang)
{
    size_t n = strlen(lang);
    return (size_t)(end - p) >= n && strncasecmp(p, lang, n) == 0 &&
           (p + n == end || p[n] == '-' || p[n] == ';' || ok_i18n_space(p[n]));
}

const char *ok_i18n_choose(const char *accept_language)
{
    int ru = -1, en = -1;
    const char *first = NULL; /* of the two, the one named first */
    for (const char *p = accept_language; p != NULL && *p != '\0';) {
        const char *end = p + strcspn(p, ",");
        while (p < end && ok_i18n_space(*p))
            p++;
        int weight = ok_i18n_element_weight(p, end);
        if (weight > 0 && ok_i18n_is(p, end, "ru") && weight > ru) {
            ru = weight;
            first = first != NULL ? first : "ru";
        } else if (weight > 0 && ok_i18n_is(p, end, "en") && weight > en) {
            en = weight;
            first = first != NULL ? first : "en";
        }
        p = *end == ',' ? end + 1 : end;
    }
    if (en == ru)
        return first != NULL ? first : "ru";
    return en > ru ? "en" : "ru";
}

const char *ok_i18n_language(ok_request *req)
{
    if (req->language == NULL)
        req->language = ok_i18n_choose(ok_http_param(req, "HTTP_ACCEPT_LANGUAGE"));
    return req->language;
}

const char *ok_i18n_text(const char *lang, const char *english)
{
    if (english == NULL || strcmp(lang, "ru") != 0)
        return english;
    for (size_t i = 0; i < ok_messages_count; i++)
        if (strcmp(ok_messages[i].en, english) == 0)
            return ok_messages[i].ru;
    return english;
}

const char *ok_i18n_vprintf(ok_request *req, const char *format, va_list ap)
{
    /* The translation has the English format's conversions, in order: the
     * source rule tests/static/messages.test.mjs checks every entry. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    return ok_arena_vprintf(req->arena, ok_i18n_text(ok_i18n_language(req), format), ap);
#pragma GCC diagnostic pop
}

const char *ok_i18n_printf(ok_request *req, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    const char *text = ok_i18n_vprintf(req, format, ap);
    va_end(ap);
    return text;
}
