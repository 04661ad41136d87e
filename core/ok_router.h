/*
 * ok_router.h - method + path pattern -> handler.
 *
 * A module declares its routes as a static table:
 *     {"POST", "/api/v1/messages/{id}/rating", messages_rate}
 * A placeholder named {id} or {..._id} matches a positive decimal integer that
 * fits in 63 bits (into req->path_ids); any other placeholder matches one
 * segment of [A-Za-z0-9._-], 1 to 64 characters (into req->path_strings).
 */
#ifndef OK_ROUTER_H
#define OK_ROUTER_H

#include "ok_http.h"

#include <stddef.h>

typedef void ok_handler(ok_request *req);

typedef struct ok_route {
    const char *method;
    const char *pattern;
    ok_handler *handler;
} ok_route;

typedef enum {
    OK_ROUTER_FOUND,
    OK_ROUTER_NOT_FOUND,
    OK_ROUTER_METHOD_NOT_ALLOWED
} ok_router_result;

/* Finds the route for req->method and req->path and fills req's path parameters
 * and route. On OK_ROUTER_METHOD_NOT_ALLOWED, *allow lists the path's methods
 * (arena memory). */
ok_router_result ok_router_match(const ok_route *routes, size_t count, ok_request *req,
                                 const ok_route **found, const char **allow);

#endif
