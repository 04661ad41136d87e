/*
 * params.c - the parameters of Open311 requests: the format suffix, dates,
 * lists of ids and statuses. Each is checked completely here, so that SQL
 * sees only values it casts without error (a bad date would otherwise be a
 * 500 instead of a 400).
 */
#include "open311.h"

#include <ctype.h>
#include <string.h>

int open311_split_format(ok_arena *arena, const char *segment, const char **name,
                         open311_format *format)
{
    const char *dot = strrchr(segment, '.');
    if (dot == NULL || dot == segment)
        return -1;
    if (strcmp(dot, ".json") == 0)
        *format = OPEN311_JSON;
    else if (strcmp(dot, ".xml") == 0)
        *format = OPEN311_XML;
    else
        return -1;
    *name = ok_arena_strndup(arena, segment, (size_t)(dot - segment));
    return 0;
}

/* Whether s[0..n) are n digits. */
static bool params_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* The number of the n digits at s. */
static int params_number(const char *s, size_t n)
{
    int value = 0;
    for (size_t i = 0; i < n; i++)
        value = value * 10 + (s[i] - '0');
    return value;
}

bool open311_is_datetime(const char *s)
{
    /* YYYY-MM-DDThh:mm:ss */
    if (strlen(s) < 20 || !params_digits(s, 4) || s[4] != '-' || !params_digits(s + 5, 2) ||
        s[7] != '-' || !params_digits(s + 8, 2) || s[10] != 'T' || !params_digits(s + 11, 2) ||
        s[13] != ':' || !params_digits(s + 14, 2) || s[16] != ':' || !params_digits(s + 17, 2))
        return false;
    int month = params_number(s + 5, 2), day = params_number(s + 8, 2);
    if (params_number(s, 4) < 1 || month < 1 || month > 12 || day < 1 || day > 31 ||
        params_number(s + 11, 2) > 23 || params_number(s + 14, 2) > 59 ||
        params_number(s + 17, 2) > 59)
        return false;
    const char *p = s + 19;
    if (*p == '.') {
        size_t digits = strspn(p + 1, "0123456789");
        if (digits < 1 || digits > 6)
            return false;
        p += 1 + digits;
    }
    if (strcmp(p, "Z") == 0)
        return true;
    return (p[0] == '+' || p[0] == '-') && params_digits(p + 1, 2) && p[3] == ':' &&
           params_digits(p + 4, 2) && p[6] == '\0' && params_number(p + 1, 2) <= 23 &&
           params_number(p + 4, 2) <= 59;
}

const char *open311_id_list(ok_arena *arena, const char *s, size_t max)
{
    size_t length = strlen(s), count = 0;
    char *out = ok_arena_alloc(arena, length + 3), *o = out;
    *o++ = '{';
    for (const char *p = s;; p++) {
        size_t digits = strspn(p, "0123456789");
        /* 1 to 15 digits, no leading zero: a positive bigint */
        if (digits < 1 || digits > 15 || p[0] == '0' || ++count > max)
            return NULL;
        memcpy(o, p, digits);
        o += digits;
        p += digits;
        if (*p == '\0')
            break;
        if (*p != ',')
            return NULL;
        *o++ = ',';
    }
    *o++ = '}';
    *o = '\0';
    return out;
}

const char *open311_status_list(const char *s)
{
    bool open = false, closed = false;
    for (const char *p = s;; p++) {
        size_t word = strcspn(p, ",");
        if (word == 4 && strncmp(p, "open", 4) == 0)
            open = true;
        else if (word == 6 && strncmp(p, "closed", 6) == 0)
            closed = true;
        else
            return NULL;
        p += word;
        if (*p == '\0')
            break;
    }
    return open && closed ? "{open,closed}" : open ? "{open}" : "{closed}";
}
