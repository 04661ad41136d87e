/*
 * fuzz_http.c - libFuzzer harness of the request accessors of ok_http.c: the
 * input is a query string, a newline and a header value, used as the Cookie,
 * Content-Type, Content-Length and Accept-Language of a fake FastCGI request
 * (tests/support/test_request.h).
 *
 * Beyond crashes it checks: input ok_http_check_input accepts decodes to
 * valid UTF-8 text, and it refuses with 400 only; a decoded query value is never longer than the
 * query; a cookie value holds no ';'; a media type is lower case without
 * parameters; a body is read whole or refused with 400, 411 or 413; the
 * language chosen (ok_i18n.c) is "ru" or "en", and a problem answered in it
 * is a JSON object.
 */
#include "../support/test_request.h"

#include "ok_i18n.h"
#include "ok_problem.h"
#include "ok_utf8.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the names the modules ask for, and names that are prefixes of others */
static const char *const query_names[] = {"limit",     "cursor",    "status", "assignee", "org",
                                          "code",      "state",     "error",  "mode",     "overdue",
                                          "return_to", "territory", "",       "l",        "limit2"};
static const char *const cookie_names[] = {"otklik_session", "otklik_login", "otklik", ""};

static void fail(const char *what, const char *name, const char *value)
{
    fprintf(stderr, "fuzz_http: %s (%s: %s)\n", what, name, value ? value : "(null)");
    abort();
}

static void check_query(ok_request *req)
{
    /* what ok_http_check_input lets through, every handler may trust */
    int checked = ok_http_check_input(req) == 0;
    if (!checked && req->status != 400)
        fail("input refused with an unexpected status", "query", req->query);
    for (size_t i = 0; i < sizeof(query_names) / sizeof(query_names[0]); i++) {
        const char *value = ok_http_query(req, query_names[i]);
        if (value != NULL && strlen(value) > strlen(req->query))
            fail("a query value longer than the query", query_names[i], value);
        if (checked && value != NULL && !ok_utf8_valid_text(value, strlen(value)))
            fail("a checked query value that is not UTF-8 text", query_names[i], value);
    }
    ok_http_response_clear(req);
}

static void check_headers(ok_request *req)
{
    for (size_t i = 0; i < sizeof(cookie_names) / sizeof(cookie_names[0]); i++) {
        const char *value = ok_http_cookie(req, cookie_names[i]);
        if (value != NULL && strchr(value, ';') != NULL)
            fail("a cookie value across a ';'", cookie_names[i], value);
    }
    const char *type = ok_http_media_type(req);
    for (const char *p = type; *p; p++)
        if (*p == ';' || tolower((unsigned char)*p) != (unsigned char)*p)
            fail("a media type with parameters or capitals", "type", type);
    size_t length = 0;
    const char *body = NULL;
    if (ok_http_read_body(req, 64, &body, &length) == 0) {
        if (length > 64 || body == NULL || body[length] != '\0')
            fail("a body not read whole", "body", body);
    } else if (req->status != 400 && req->status != 411 && req->status != 413) {
        fail("a body refused with an unexpected status", "body", req->body);
    }
}

static void check_language(ok_request *req)
{
    const char *lang = ok_i18n_language(req);
    if (strcmp(lang, "ru") != 0 && strcmp(lang, "en") != 0)
        fail("a language that is neither ru nor en", "Accept-Language", lang);
    ok_problem(req, 404, "There is no such voting.");
    json_t *body = json_loadb(req->body, req->body_length, 0, NULL);
    if (!json_is_object(body))
        fail("a problem that is not a JSON object", "Accept-Language", lang);
    json_decref(body);
    ok_http_response_clear(req);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *newline = memchr(text, '\n', size);
    size_t query_length = newline != NULL ? (size_t)(newline - text) : size;
    size_t header_start = newline != NULL ? query_length + 1 : size;
    ok_arena *arena = ok_arena_new();
    char *query = ok_arena_strndup(arena, text, query_length);
    char *header = ok_arena_strndup(arena, text + header_start, size - header_start);
    char *params[] = {ok_arena_printf(arena, "HTTP_COOKIE=%s", header),
                      ok_arena_printf(arena, "CONTENT_TYPE=%s", header),
                      ok_arena_printf(arena, "CONTENT_LENGTH=%s", header),
                      ok_arena_printf(arena, "HTTP_ORIGIN=%s", header),
                      ok_arena_printf(arena, "HTTP_ACCEPT_LANGUAGE=%s", header), NULL};
    test_request request;
    ok_request *req = test_request_init(&request, arena, "/", query, params, text, size);
    check_query(req);
    check_headers(req);
    check_language(req);
    ok_arena_free(arena);
    return 0;
}
