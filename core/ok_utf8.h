/*
 * ok_utf8.h - UTF-8 as every string the platform takes in must be: valid, so
 * that PostgreSQL (which refuses invalid bytes with an error) and jansson
 * (which refuses to build strings of them) never see anything else.
 *
 * Valid means RFC 3629: shortest form only, no surrogates, nothing above
 * U+10FFFF. The request's query string, path and the headers the platform
 * reads are checked once, before any handler runs (ok_http_check_input).
 */
#ifndef OK_UTF8_H
#define OK_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Whether the bytes s[0..length) are valid UTF-8 without NUL or other C0
 * control characters (tab excepted) and DEL. */
bool ok_utf8_valid_text(const char *s, size_t length);

/* The length in bytes of the next character of valid UTF-8 at s (1-4), or 0
 * if s[0..length) does not start with one. */
size_t ok_utf8_next(const char *s, size_t length);

/* Counts the characters (code points) of a valid UTF-8 string. */
size_t ok_utf8_length(const char *s, size_t bytes);

/* The longest prefix of the valid UTF-8 string s[0..length) that is at most
 * max bytes and does not end inside a character: its length in bytes. */
size_t ok_utf8_prefix(const char *s, size_t length, size_t max);

#endif
