/*
 * http.c - one POST of the notifier's senders with libcurl, its answer kept.
 */
#include "notifier.h"
#include "ok_curl.h"

#include <string.h>

#define NOTIFIER_ANSWER_MAX (1 << 20)

typedef struct notifier_buffer {
    ok_arena *arena;
    char *data;
    size_t length;
} notifier_buffer;

static size_t notifier_http_collect(char *data, size_t size, size_t count, void *context)
{
    notifier_buffer *buffer = context;
    size_t more = size * count;
    if (buffer->length + more > NOTIFIER_ANSWER_MAX)
        return more; /* the rest is dropped: nothing needs more */
    char *grown = ok_arena_alloc(buffer->arena, buffer->length + more + 1);
    if (buffer->length > 0)
        memcpy(grown, buffer->data, buffer->length);
    memcpy(grown + buffer->length, data, more);
    buffer->length += more;
    grown[buffer->length] = '\0';
    buffer->data = grown;
    return more;
}

const char *notifier_http_post(notifier *n, const char *url, const char *const *headers,
                               const char *body, long *status, const char **answer)
{
    struct curl_slist *list = NULL;
    for (size_t i = 0; headers[i] != NULL; i++)
        list = curl_slist_append(list, headers[i]);
    notifier_buffer buffer = {.arena = n->arena, .data = "", .length = 0};
    CURL *curl = n->curl;
    ok_curl_setup(curl, url, n->timeout_ms);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, notifier_http_collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &buffer);
    CURLcode rc = curl_easy_perform(curl);
    *status = 0;
    if (rc == CURLE_OK)
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
    curl_slist_free_all(list);
    *answer = buffer.data;
    return rc == CURLE_OK ? NULL : curl_easy_strerror(rc);
}
