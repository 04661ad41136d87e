/*
 * ok_problem.c - RFC 9457 problem responses; see ok_problem.h.
 */
#include "ok_problem.h"
#include "ok_i18n.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define OK_PROBLEM_TYPE "application/problem+json"

/* The detail as a JSON string (new reference). A detail quoting the input (a
 * parser's message) may hold bytes that are not UTF-8, which JSON cannot carry:
 * those bytes become '?' rather than the problem becoming a 500. */
static json_t *ok_problem_detail(const char *detail)
{
    json_t *text = json_string(detail);
    char *copy = text == NULL ? strdup(detail) : NULL;
    for (char *p = copy; p != NULL && *p != '\0'; p++)
        if ((unsigned char)*p >= 0x80)
            *p = '?';
    if (copy != NULL)
        text = json_string(copy);
    free(copy);
    return text;
}

/* The body in the caller's language; detail is the English sentence (the
 * catalogue's key) or already translated (ok_problemf). */
static json_t *ok_problem_body(ok_request *req, int status, const char *detail)
{
    const char *lang = ok_i18n_language(req);
    const char *title = ok_i18n_text(lang, ok_http_reason(status));
    return json_pack("{s:s, s:s, s:i, s:o}", "type", "about:blank", "title", title, "status",
                     status, "detail",
                     ok_problem_detail(detail != NULL ? ok_i18n_text(lang, detail) : title));
}

static void ok_problem_send_new(ok_request *req, int status, json_t *body)
{
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    if (text == NULL) {
        static const char fallback[] = "{\"title\":\"Internal Server Error\",\"status\":500}";
        ok_http_respond(req, 500, OK_PROBLEM_TYPE, fallback, sizeof(fallback) - 1);
        return;
    }
    ok_http_respond(req, status, OK_PROBLEM_TYPE, text, strlen(text));
    free(text);
    ok_http_header(req, "Content-Language", ok_i18n_language(req));
    if (status == 503 || status == 429)
        ok_http_header(req, "Retry-After", status == 503 ? "2" : "1");
}

void ok_problem(ok_request *req, int status, const char *detail)
{
    ok_problem_send_new(req, status, ok_problem_body(req, status, detail));
}

void ok_problemf(ok_request *req, int status, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    const char *detail = ok_i18n_vprintf(req, format, ap);
    va_end(ap);
    ok_problem(req, status, detail);
}

void ok_problem_validation_new(ok_request *req, json_t *errors)
{
    json_t *body = ok_problem_body(req, 422, "Some fields are missing or invalid.");
    json_object_set_new(body, "errors", errors);
    ok_problem_send_new(req, 422, body);
}

void ok_problem_field(ok_request *req, const char *field, const char *code, const char *detail)
{
    json_t *body = ok_problem_body(req, 422, detail);
    json_object_set_new(body, "errors", json_pack("[{s:s, s:s}]", "field", field, "code", code));
    ok_problem_send_new(req, 422, body);
}
