/*
 * ok_curl.c - see ok_curl.h.
 */
#include "ok_curl.h"

#define OK_CURL_CONNECT_MAX_MS 3000L

void ok_curl_setup(CURL *curl, const char *url, long timeout_ms)
{
    curl_easy_reset(curl);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     timeout_ms < OK_CURL_CONNECT_MAX_MS ? timeout_ms : OK_CURL_CONNECT_MAX_MS);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "otklik");
}

void ok_curl_setup_smtp(CURL *curl, const char *url, long timeout_ms)
{
    ok_curl_setup(curl, url, timeout_ms);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
}

CURL *ok_curl_new(const char *url, long timeout_ms)
{
    CURL *curl = curl_easy_init();
    if (curl != NULL)
        ok_curl_setup(curl, url, timeout_ms);
    return curl;
}

const char *ok_curl_form_add(ok_arena *arena, const char *query, const char *name,
                             const char *value)
{
    /* the handle argument is ignored since libcurl 7.82 (Debian 12: 7.88) */
    char *escaped = curl_easy_escape(NULL, value != NULL ? value : "", 0);
    const char *joined = ok_arena_printf(arena, "%s%s%s=%s", query, query[0] != '\0' ? "&" : "",
                                         name, escaped != NULL ? escaped : "");
    curl_free(escaped);
    return joined;
}
