/*
 * fuzz_router.c - libFuzzer harness of ok_router_match: the input is a method,
 * a newline and a path, matched against the routes of all four workers.
 *
 * Beyond crashes it checks the contract of ok_router.h: a found route has the
 * request's method; each path parameter is a positive id or a plain segment of
 * 1 to 64 characters; a 405's Allow list is not empty and lacks the method.
 */
#include "ok_router.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void handler(ok_request *req)
{
    (void)req;
}

/* the patterns of modules/{widget,esia,cabinet,voting}/main.c */
static const ok_route routes[] = {
    {"GET", "/healthz", handler},
    {"GET", "/api/v1/rubrics", handler},
    {"GET", "/api/v1/widgets/{key}", handler},
    {"POST", "/api/v1/attachments", handler},
    {"POST", "/api/v1/messages", handler},
    {"GET", "/widget/frame/{key}", handler},
    {"GET", "/auth/esia/login", handler},
    {"GET", "/auth/esia/callback", handler},
    {"POST", "/auth/logout", handler},
    {"GET", "/api/v1/me", handler},
    {"GET", "/api/v1/orgs/{code}/staff", handler},
    {"POST", "/api/v1/orgs/{code}/staff", handler},
    {"DELETE", "/api/v1/orgs/{code}/staff", handler},
    {"GET", "/api/v1/my/messages", handler},
    {"GET", "/api/v1/messages/{id}", handler},
    {"POST", "/api/v1/messages/{id}/moderate", handler},
    {"POST", "/api/v1/messages/{id}/rating", handler},
    {"GET", "/api/v1/votings/{id}", handler},
    {"PATCH", "/api/v1/votings/{id}", handler},
    {"PATCH", "/api/v1/votings/{id}/projects/{project_id}", handler},
    {"GET", "/api/v1/votings/{id}/results.csv", handler},
    {"POST", "/api/v1/discussions/{id}/comments/{comment_id}/moderate", handler},
    {"GET", "/api/v1/a/{a}/b/{b_id}/c/{c}/d/{d_id}", handler},
    {"GET", "/api/v1/a/{a}/b/{b_id}/c/{c}/d/{d_id}/e/{e}", handler}, /* one too many */
};

static void fail(const char *what, const char *method, const char *path)
{
    fprintf(stderr, "fuzz_router: %s (%s %s)\n", what, method, path);
    abort();
}

static int is_plain(const char *s)
{
    size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");
    return n >= 1 && n <= 64 && s[n] == '\0';
}

/* Whether list ("GET, POST") has method as one of its elements. */
static int lists(const char *list, const char *method)
{
    size_t n = strlen(method);
    for (const char *p = list; p != NULL; p = strstr(p, ", "), p = p ? p + 2 : NULL)
        if (strncmp(p, method, n) == 0 && strcspn(p, ",") == n)
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *newline = memchr(text, '\n', size);
    size_t method_length = newline != NULL ? (size_t)(newline - text) : 0;
    size_t path_start = newline != NULL ? method_length + 1 : 0;
    ok_arena *arena = ok_arena_new();
    ok_request req = {.arena = arena, .query = "", .request_id = "fuzz"};
    req.method = ok_arena_strndup(arena, text, method_length);
    req.path = ok_arena_strndup(arena, text + path_start, size - path_start);
    const ok_route *found = NULL;
    const char *allow = NULL;
    switch (ok_router_match(routes, sizeof(routes) / sizeof(routes[0]), &req, &found, &allow)) {
    case OK_ROUTER_FOUND:
        if (strcmp(found->method, req.method) != 0 || req.route != found->pattern)
            fail("a route of another method", req.method, req.path);
        if (req.path_param_count > OK_HTTP_MAX_PATH_PARAMS)
            fail("too many parameters", req.method, req.path);
        for (size_t i = 0; i < req.path_param_count; i++)
            if (req.path_strings[i] != NULL ? !is_plain(req.path_strings[i]) : req.path_ids[i] <= 0)
                fail("a parameter outside its syntax", req.method, req.path);
        break;
    case OK_ROUTER_METHOD_NOT_ALLOWED:
        if (allow == NULL || allow[0] == '\0' || lists(allow, req.method))
            fail("a wrong Allow list", req.method, req.path);
        break;
    case OK_ROUTER_NOT_FOUND: break;
    }
    ok_arena_free(arena);
    return 0;
}
