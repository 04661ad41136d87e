/*
 * ok_utf8.c - UTF-8 validation by the table of RFC 3629, section 4 (the
 * well-formed byte sequences); see ok_utf8.h.
 */
#include "ok_utf8.h"

size_t ok_utf8_next(const char *s, size_t length)
{
    const unsigned char *b = (const unsigned char *)s;
    if (length == 0)
        return 0;
    if (b[0] < 0x80)
        return 1;
    size_t n;
    unsigned char low = 0x80, high = 0xBF; /* the range of the second byte */
    if (b[0] >= 0xC2 && b[0] <= 0xDF)
        n = 2;
    else if (b[0] >= 0xE0 && b[0] <= 0xEF) {
        n = 3;
        if (b[0] == 0xE0)
            low = 0xA0; /* overlong */
        else if (b[0] == 0xED)
            high = 0x9F; /* surrogates */
    } else if (b[0] >= 0xF0 && b[0] <= 0xF4) {
        n = 4;
        if (b[0] == 0xF0)
            low = 0x90; /* overlong */
        else if (b[0] == 0xF4)
            high = 0x8F; /* above U+10FFFF */
    } else
        return 0; /* a continuation byte, C0, C1 or F5-FF */
    if (length < n || b[1] < low || b[1] > high)
        return 0;
    for (size_t i = 2; i < n; i++)
        if ((b[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

bool ok_utf8_valid_text(const char *s, size_t length)
{
    size_t i = 0;
    while (i < length) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t') || c == 0x7F)
            return false;
        size_t n = ok_utf8_next(s + i, length - i);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

size_t ok_utf8_length(const char *s, size_t bytes)
{
    size_t n = 0;
    for (size_t i = 0; i < bytes; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

size_t ok_utf8_prefix(const char *s, size_t length, size_t max)
{
    if (length <= max)
        return length;
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--; /* s[n] continues the character that starts before it */
    return n;
}
