/*
 * ok_server.h - a worker process: the FastCGI loop over a fixed pool of threads.
 *
 * DESIGN
 * The listening socket is file descriptor 0, as spawn-fcgi hands it over (or
 * OTKLIK_LISTEN names a unix socket to open, for running a worker by hand).
 * Several processes share it under multiwatch, which restarts any that dies;
 * the kernel gives each connection to whichever thread accepts first, so a dead
 * process costs only its in-flight requests.
 *
 * Each thread owns an arena (reset after every request) and a PostgreSQL
 * connection. Every thread waits on one epoll set holding the listening socket
 * and the idle connections nginx keeps open (fastcgi_keep_conn); the thread
 * woken serves one request on that connection through fcgi2 (ok_fcgi.h) and
 * puts it back in the set. SIGTERM, SIGINT or SIGQUIT (which multiwatch
 * forwards) stops accepting; the connections still open are served until
 * nginx closes them, then the threads end and the process exits.
 */
#ifndef OK_SERVER_H
#define OK_SERVER_H

#include "ok_db.h"
#include "ok_router.h"

#include <stddef.h>

typedef struct ok_module {
    const char *name; /* "widget": logs and application_name */
    const ok_route *routes;
    size_t route_count;
    const ok_db_statement *statements;
    size_t statement_count;
    int (*init)(void); /* optional: reads the module's own settings; 0 or -1 */
} ok_module;

/* Runs the worker until SIGTERM; returns the process exit status. */
int ok_server_main(const ok_module *module);

/* GET /healthz: 200 when this worker and its database answer, else 503. */
void ok_server_healthz(ok_request *req);

/* Whether origin may call the API from a browser: the platform's own origin or
 * one a widget allows (cached per thread for a few seconds). */
int ok_server_origin_allowed(ok_request *req, const char *origin);

#endif
