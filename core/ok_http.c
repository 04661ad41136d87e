/*
 * ok_http.c - request accessors over FastCGI parameters and an in-memory
 * response; see ok_http.h.
 */
#include "ok_http.h"
#include "ok_problem.h"
#include "ok_utf8.h"

#include <ctype.h>
#include <errno.h>
#include <fcgiapp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Every request header the platform reads, with its name for messages. Only
 * these can be read (ok_http_param), and each is checked by
 * ok_http_check_input before a handler runs: a header added here is checked. */
static const struct {
    const char *param;
    const char *header;
} ok_http_headers[] = {
    {"CONTENT_LENGTH", "Content-Length"},
    {"CONTENT_TYPE", "Content-Type"},
    {"HTTP_ACCEPT", "Accept"},
    {"HTTP_ACCEPT_LANGUAGE", "Accept-Language"},
    {"HTTP_AUTHORIZATION", "Authorization"},
    {"HTTP_COOKIE", NULL}, /* other sites' cookies too: ok_http_cookie checks its value */
    {"HTTP_IDEMPOTENCY_KEY", "Idempotency-Key"},
    {"HTTP_ORIGIN", "Origin"},
    /* modules/channels: the webhooks' credentials */
    {"HTTP_X_OTKLIK_SIGNATURE", "X-Otklik-Signature"},
    {"HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN", "X-Telegram-Bot-Api-Secret-Token"},
};
#define OK_HTTP_HEADER_COUNT (sizeof(ok_http_headers) / sizeof(ok_http_headers[0]))

const char *ok_http_param(ok_request *req, const char *name)
{
    if (req->fcgx == NULL)
        return NULL;
    size_t i = 0;
    while (i < OK_HTTP_HEADER_COUNT && strcmp(ok_http_headers[i].param, name) != 0)
        i++;
    if (i == OK_HTTP_HEADER_COUNT)
        return NULL; /* not in the table, so not checked: never read */
    FCGX_Request *fcgx = req->fcgx;
    return FCGX_GetParam(name, fcgx->envp);
}

const char *ok_http_media_type(ok_request *req)
{
    const char *type = ok_http_param(req, "CONTENT_TYPE");
    if (type == NULL)
        return "";
    size_t n = strcspn(type, ";");
    while (n > 0 && isspace((unsigned char)type[n - 1]))
        n--;
    char *lower = ok_arena_strndup(req->arena, type, n);
    for (char *p = lower; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return lower;
}

int ok_http_read_body(ok_request *req, size_t limit, const char **body, size_t *length)
{
    const char *header = ok_http_param(req, "CONTENT_LENGTH");
    if (header == NULL || header[0] == '\0') {
        ok_problem(req, 411, "The request needs a Content-Length header.");
        return -1;
    }
    char *end;
    errno = 0;
    unsigned long long declared = strtoull(header, &end, 10);
    if (errno != 0 || *end != '\0' || header[0] == '-') {
        ok_problem(req, 400, "The Content-Length header is not a number.");
        return -1;
    }
    if (declared > limit) {
        ok_problemf(req, 413, "The body may not exceed %zu bytes.", limit);
        return -1;
    }
    char *buffer = ok_arena_alloc(req->arena, (size_t)declared + 1);
    size_t got = 0;
    if (req->fcgx != NULL && declared > 0) {
        FCGX_Request *fcgx = req->fcgx;
        int n = FCGX_GetStr(buffer, (int)declared, fcgx->in);
        got = n > 0 ? (size_t)n : 0;
    }
    if (got != declared) {
        ok_problem(req, 400, "The body is shorter than its Content-Length.");
        return -1;
    }
    buffer[got] = '\0';
    *body = buffer;
    *length = got;
    return 0;
}

static int ok_http_hex(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decodes %XX and '+' of one query component; NULL when an escape is broken.
 * *decoded_length (if not NULL) gets its length, NUL bytes included. */
static char *ok_http_query_decode(ok_arena *arena, const char *s, size_t length,
                                  size_t *decoded_length)
{
    char *out = ok_arena_alloc(arena, length + 1);
    size_t o = 0;
    for (size_t i = 0; i < length; i++) {
        if (s[i] == '+') {
            out[o++] = ' ';
        } else if (s[i] != '%') {
            out[o++] = s[i];
        } else {
            if (length - i < 3)
                return NULL;
            int hi = ok_http_hex((unsigned char)s[i + 1]);
            int lo = ok_http_hex((unsigned char)s[i + 2]);
            if (hi < 0 || lo < 0)
                return NULL;
            out[o++] = (char)(hi * 16 + lo);
            i += 2;
        }
    }
    out[o] = '\0';
    if (decoded_length != NULL)
        *decoded_length = o;
    return out;
}

int ok_http_form_value(ok_arena *arena, const char *form, const char *name, const char **value)
{
    size_t name_length = strlen(name), length;
    *value = NULL;
    for (const char *p = form; p != NULL && *p != '\0';) {
        size_t pair = strcspn(p, "&");
        size_t key = strcspn(p, "=&");
        if (key == name_length && strncmp(p, name, name_length) == 0) {
            const char *found =
                key == pair ? ""
                            : ok_http_query_decode(arena, p + key + 1, pair - key - 1, &length);
            if (found == NULL || (key < pair && !ok_utf8_valid_text(found, length)))
                return -1;
            *value = found;
            return 0;
        }
        p += pair;
        if (*p == '&')
            p++;
    }
    return 0;
}

const char *ok_http_query(ok_request *req, const char *name)
{
    /* the query string is checked before any handler runs (ok_http_check_input) */
    const char *value;
    return ok_http_form_value(req->arena, req->query, name, &value) == 0 ? value : NULL;
}

/* Checks one query component (key or value): 0, or -1 having answered 400. */
static int ok_http_check_component(ok_request *req, const char *s, size_t length, const char *key)
{
    size_t n;
    const char *decoded = ok_http_query_decode(req->arena, s, length, &n);
    if (decoded == NULL) {
        ok_problem(req, 400, "The query string has a broken %-escape.");
        return -1;
    }
    if (!ok_utf8_valid_text(decoded, n)) {
        if (key != NULL)
            ok_problemf(req, 400, "The query parameter %s is not valid UTF-8 text.", key);
        else
            ok_problem(req, 400, "A query parameter's name is not valid UTF-8 text.");
        return -1;
    }
    return 0;
}

int ok_http_check_input(ok_request *req)
{
    if (!ok_utf8_valid_text(req->path, strlen(req->path))) {
        ok_problem(req, 400, "The address is not valid UTF-8 text.");
        return -1;
    }
    for (const char *p = req->query; *p != '\0';) {
        size_t pair = strcspn(p, "&");
        size_t key = strcspn(p, "=&");
        if (ok_http_check_component(req, p, key, NULL) != 0)
            return -1;
        const char *name = ok_http_query_decode(req->arena, p, key, NULL);
        if (key < pair && ok_http_check_component(req, p + key + 1, pair - key - 1, name) != 0)
            return -1;
        p += pair;
        if (*p == '&')
            p++;
    }
    for (size_t i = 0; i < OK_HTTP_HEADER_COUNT; i++) {
        if (ok_http_headers[i].header == NULL)
            continue;
        const char *value = ok_http_param(req, ok_http_headers[i].param);
        if (value != NULL && !ok_utf8_valid_text(value, strlen(value))) {
            ok_problemf(req, 400, "The %s header is not valid UTF-8 text.",
                        ok_http_headers[i].header);
            return -1;
        }
    }
    return 0;
}

void ok_http_header_add(ok_request *req, const char *name, const char *value)
{
    if (req->header_count < OK_HTTP_MAX_HEADERS) {
        req->header_names[req->header_count] = name;
        req->header_values[req->header_count] = value;
        req->header_count++;
    }
}

const char *ok_http_cookie(ok_request *req, const char *name)
{
    const char *p = ok_http_param(req, "HTTP_COOKIE");
    size_t name_length = strlen(name);
    while (p != NULL && *p != '\0') {
        while (*p == ' ' || *p == ';')
            p++;
        size_t pair = strcspn(p, ";");
        if (pair > name_length && strncmp(p, name, name_length) == 0 && p[name_length] == '=') {
            const char *value = p + name_length + 1;
            size_t length = pair - name_length - 1;
            /* the platform's cookies are ASCII: anything else was never set by it */
            return ok_utf8_valid_text(value, length) ? ok_arena_strndup(req->arena, value, length)
                                                     : NULL;
        }
        p += pair;
    }
    return NULL;
}

void ok_http_header(ok_request *req, const char *name, const char *value)
{
    for (size_t i = 0; i < req->header_count; i++)
        if (strcasecmp(req->header_names[i], name) == 0) {
            req->header_values[i] = value;
            return;
        }
    ok_http_header_add(req, name, value);
}

void ok_http_respond(ok_request *req, int status, const char *content_type, const char *body,
                     size_t length)
{
    req->status = status;
    req->content_type = content_type;
    req->body = body == NULL ? NULL : ok_arena_strndup(req->arena, body, length);
    req->body_length = body == NULL ? 0 : length;
}

void ok_http_respond_json_new(ok_request *req, int status, json_t *body)
{
    char *text = body == NULL ? NULL : json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(body);
    if (text == NULL) {
        ok_problem(req, 500, "The response could not be encoded.");
        return;
    }
    ok_http_respond(req, status, "application/json; charset=utf-8", text, strlen(text));
    free(text);
}

void ok_http_response_clear(ok_request *req)
{
    req->status = 0;
    req->content_type = NULL;
    req->body = NULL;
    req->body_length = 0;
    req->header_count = req->headers_kept;
}

const char *ok_http_reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 302: return "Found";
    case 303: return "See Other";
    case 502: return "Bad Gateway";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
    }
}
