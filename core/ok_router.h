/*
 * ok_router.h - method + path pattern -> handler.
 *
 * A module declares its routes as a static table:
 *     {"POST", "/api/v1/messages/{id}/rating", messages_rate}
 * A placeholder named {id} or {..._id} matches a positive decimal integer that
 * fits in 63 bits (into req->path_ids); any other placeholder matches one
 * segment of [A-Za-z0-9._-], 1 to 64 characters (into req->path_strings).
 *
 * A token handed to a widget on an agency's site (ok_token.h) may call only
 * the routes marked OK_ROUTE_WIDGET: sending a message and its attachments,
 * the author's own messages and what the author does with them. Everything
 * else needs a full session; ok_auth_require_user refuses the widget's token
 * there with 403. Unmarked is the default, so a new route is closed to it.
 *     {"POST", "/api/v1/messages", messages_create, OK_ROUTE_WIDGET}
 */
#ifndef OK_ROUTER_H
#define OK_ROUTER_H

#include "ok_http.h"

#include <stddef.h>

typedef void ok_handler(ok_request *req);

/* Which sessions may call a route (see above). */
typedef enum { OK_ROUTE_FULL_SESSION = 0, OK_ROUTE_WIDGET = 1 } ok_route_scope;

typedef struct ok_route {
    const char *method;
    const char *pattern;
    ok_handler *handler;
    ok_route_scope scope;
} ok_route;

typedef enum {
    OK_ROUTER_FOUND,
    OK_ROUTER_NOT_FOUND,
    OK_ROUTER_METHOD_NOT_ALLOWED
} ok_router_result;

/* Finds the route for req->method and req->path and fills req's path parameters,
 * route and route_for_widgets. On OK_ROUTER_METHOD_NOT_ALLOWED, *allow lists the path's methods
 * (arena memory). */
ok_router_result ok_router_match(const ok_route *routes, size_t count, ok_request *req,
                                 const ok_route **found, const char **allow);

#endif
