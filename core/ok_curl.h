/*
 * ok_curl.h - outgoing HTTP with libcurl, set up the one way the platform
 * sends requests: http or https only, no redirects followed, certificates
 * verified, bounded in time, no signals (threads).
 *
 * The caller owns curl_global_init (once in main, before threads).
 */
#ifndef OK_CURL_H
#define OK_CURL_H

#include "ok_arena.h"

#include <curl/curl.h>

/* Resets curl and sets it up for url with a total timeout (and a connect
 * timeout of at most 3 s); the caller adds the method, body and headers. */
void ok_curl_setup(CURL *curl, const char *url, long timeout_ms);

/* ok_curl_setup for a mail server: smtp or smtps only (tools/notifier). */
void ok_curl_setup_smtp(CURL *curl, const char *url, long timeout_ms);

/* A new handle set up as by ok_curl_setup, or NULL; curl_easy_cleanup it. */
CURL *ok_curl_new(const char *url, long timeout_ms);

/* query with "name=value" appended (both form-encoded, '&' between pairs), in
 * arena memory: for a form body or a URL's query. */
const char *ok_curl_form_add(ok_arena *arena, const char *query, const char *name,
                             const char *value);

#endif
