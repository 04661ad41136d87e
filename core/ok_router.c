/*
 * ok_router.c - segment-by-segment matching of path patterns; see ok_router.h.
 * Tables are small (a dozen routes per module), so a linear scan is the fastest
 * and simplest structure.
 */
#include "ok_router.h"

#include <ctype.h>
#include <string.h>

#define OK_ROUTER_MAX_STRING 64

static int ok_router_is_numeric_name(const char *name, size_t length)
{
    return (length == 2 && memcmp(name, "id", 2) == 0) ||
           (length > 3 && memcmp(name + length - 3, "_id", 3) == 0);
}

/* Parses a positive decimal that fits in 63 bits; -1 if it is not one. */
static long long ok_router_parse_id(const char *s, size_t length)
{
    if (length == 0 || length > 19 || s[0] == '0')
        return -1;
    long long n = 0;
    for (size_t i = 0; i < length; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        if (n > (9223372036854775807LL - (s[i] - '0')) / 10)
            return -1;
        n = n * 10 + (s[i] - '0');
    }
    return n;
}

static int ok_router_is_plain_segment(const char *s, size_t length)
{
    if (length == 0 || length > OK_ROUTER_MAX_STRING)
        return 0;
    for (size_t i = 0; i < length; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '.' && s[i] != '_' && s[i] != '-')
            return 0;
    return 1;
}

/* Matches path against pattern; fills req's parameters only on success. */
static int ok_router_path_matches(const char *pattern, const char *path, ok_request *req)
{
    long long ids[OK_HTTP_MAX_PATH_PARAMS];
    const char *strings[OK_HTTP_MAX_PATH_PARAMS];
    size_t count = 0;
    const char *p = pattern, *s = path;
    while (*p != '\0' && *s != '\0') {
        if (*p != '/' || *s != '/')
            return 0;
        p++, s++;
        size_t plength = strcspn(p, "/"), slength = strcspn(s, "/");
        if (plength > 2 && p[0] == '{' && p[plength - 1] == '}') {
            if (count == OK_HTTP_MAX_PATH_PARAMS)
                return 0;
            strings[count] = NULL;
            ids[count] = 0;
            if (ok_router_is_numeric_name(p + 1, plength - 2)) {
                ids[count] = ok_router_parse_id(s, slength);
                if (ids[count] < 0)
                    return 0;
            } else if (ok_router_is_plain_segment(s, slength)) {
                strings[count] = ok_arena_strndup(req->arena, s, slength);
            } else {
                return 0;
            }
            count++;
        } else if (plength != slength || memcmp(p, s, plength) != 0) {
            return 0;
        }
        p += plength, s += slength;
    }
    if (*p != '\0' || *s != '\0')
        return 0;
    memcpy(req->path_ids, ids, sizeof(ids[0]) * count);
    memcpy(req->path_strings, strings, sizeof(strings[0]) * count);
    req->path_param_count = count;
    return 1;
}

ok_router_result ok_router_match(const ok_route *routes, size_t count, ok_request *req,
                                 const ok_route **found, const char **allow)
{
    const char *methods = NULL;
    for (size_t i = 0; i < count; i++) {
        if (!ok_router_path_matches(routes[i].pattern, req->path, req))
            continue;
        if (strcmp(routes[i].method, req->method) == 0) {
            *found = &routes[i];
            req->route = routes[i].pattern;
            req->route_for_widgets = routes[i].scope == OK_ROUTE_WIDGET;
            return OK_ROUTER_FOUND;
        }
        methods = methods == NULL
                      ? routes[i].method
                      : ok_arena_printf(req->arena, "%s, %s", methods, routes[i].method);
    }
    if (methods == NULL)
        return OK_ROUTER_NOT_FOUND;
    *allow = methods;
    return OK_ROUTER_METHOD_NOT_ALLOWED;
}
