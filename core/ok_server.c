/*
 * ok_server.c - the worker's threads, signals, request dispatch, CORS and
 * per-request log line; see ok_server.h.
 */
#include "ok_server.h"
#include "ok_config.h"
#include "ok_fcgi.h"
#include "ok_log.h"
#include "ok_metrics.h"
#include "ok_precheck.h"
#include "ok_problem.h"
#include "ok_version.h"

#include <errno.h>
#include <fcgiapp.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define OK_SERVER_CORS_TTL_SECONDS 10
#define OK_SERVER_STOP_WAIT_MS 30000
#define OK_SERVER_DRAIN_MS 5000
#define OK_SERVER_ACCEPT_BATCH 16

static atomic_int ok_server_stopping;
static atomic_int ok_server_running_threads;
static int ok_server_listen_fd;
static const ok_module *ok_server_module;

/* Per-thread cache of the allowed CORS origins: every origin some widget
 * allows, sorted (byte order) for a binary search, however many there are -
 * one organisation in ten thousand embedding its widget must not be refused. */
typedef struct ok_server_cors {
    long long loaded_at;
    size_t count;
    char **origins; /* malloc'd, each origin too */
} ok_server_cors;

static _Thread_local ok_server_cors *ok_server_thread_cors;

static void ok_server_cors_clear(ok_server_cors *cors)
{
    for (size_t i = 0; i < cors->count; i++)
        free(cors->origins[i]);
    free(cors->origins);
    cors->origins = NULL;
    cors->count = 0;
}

static void ok_server_cors_reload(ok_request *req, ok_server_cors *cors)
{
    PGresult *result = ok_db_query(req, "ok_cors_origins", 0, NULL);
    if (result == NULL)
        return; /* keep what we had; the database is away */
    size_t rows = (size_t)PQntuples(result);
    char **origins = calloc(rows > 0 ? rows : 1, sizeof(*origins));
    if (origins == NULL)
        return;
    size_t count = 0;
    for (size_t row = 0; row < rows; row++)
        if ((origins[count] = strdup(PQgetvalue(result, (int)row, 0))) != NULL)
            count++;
    ok_server_cors_clear(cors);
    cors->origins = origins;
    cors->count = count;
    cors->loaded_at = ok_config_now();
}

static int ok_server_cors_compare(const void *key, const void *element)
{
    return strcmp(key, *(char *const *)element);
}

int ok_server_origin_allowed(ok_request *req, const char *origin)
{
    if (strcmp(origin, ok_config_global.public_origin) == 0)
        return 1;
    ok_server_cors *cors = ok_server_thread_cors;
    if (cors == NULL)
        return 0;
    if (ok_config_now() - cors->loaded_at >= OK_SERVER_CORS_TTL_SECONDS)
        ok_server_cors_reload(req, cors);
    return cors->count > 0 && bsearch(origin, cors->origins, cors->count, sizeof(*cors->origins),
                                      ok_server_cors_compare) != NULL;
}

void ok_server_healthz(ok_request *req)
{
    if (ok_db_query(req, "ok_ping", 0, NULL) == NULL) {
        ok_problem(req, 503, "The database does not answer.");
        return;
    }
    ok_http_respond_json_new(req, 200,
                             json_pack("{s:s, s:s, s:s}", "status", "ok", "worker",
                                       ok_server_module->name, "version", ok_version()));
}

/* Adds CORS headers for an allowed Origin; answers preflights. Whether the
 * request has been answered (a predicate, so 1 or 0). */
static int ok_server_cors_answered(ok_request *req)
{
    const char *origin = ok_http_param(req, "HTTP_ORIGIN");
    int preflight = strcmp(req->method, "OPTIONS") == 0;
    if (origin == NULL) {
        if (preflight)
            ok_http_respond(req, 204, NULL, NULL, 0);
        return preflight;
    }
    if (!ok_server_origin_allowed(req, origin)) {
        if (preflight)
            ok_problem(req, 403, "This origin may not call the API.");
        return preflight;
    }
    ok_http_header(req, "Access-Control-Allow-Origin", ok_arena_strdup(req->arena, origin));
    ok_http_header(req, "Vary", "Origin");
    ok_http_header(req, "Access-Control-Expose-Headers", "Retry-After, X-Request-Id, Location");
    req->headers_kept = req->header_count;
    if (!preflight)
        return 0;
    ok_http_header(req, "Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE");
    ok_http_header(req, "Access-Control-Allow-Headers",
                   "Authorization, Content-Type, Idempotency-Key");
    ok_http_header(req, "Access-Control-Max-Age", "600");
    ok_http_respond(req, 204, NULL, NULL, 0);
    return 1;
}

static void ok_server_dispatch(ok_request *req)
{
    /* CORS first: a widget on another origin must be able to read the 400 */
    if (ok_server_cors_answered(req) || ok_http_check_input(req) != 0)
        return;
    /* every worker's, outside the route tables; nginx lets only the allowed
     * networks reach it (OTKLIK_METRICS_ALLOW) */
    if (strcmp(req->path, "/metrics") == 0 && strcmp(req->method, "GET") == 0) {
        ok_metrics_serve(req);
        return;
    }
    const ok_route *route = NULL;
    const char *allow = NULL;
    switch (ok_router_match(ok_server_module->routes, ok_server_module->route_count, req, &route,
                            &allow)) {
    case OK_ROUTER_FOUND:
        route->handler(req); /* answering nothing is answered 500 (ok_server_handle) */
        break;
    case OK_ROUTER_METHOD_NOT_ALLOWED:
        ok_problem(req, 405, "This method is not allowed here.");
        ok_http_header(req, "Allow", allow);
        break;
    case OK_ROUTER_NOT_FOUND: ok_problem(req, 404, "There is nothing at this address."); break;
    }
}

static void ok_server_write(ok_request *req, FCGX_Request *fcgx)
{
    if (req->streamed)
        return; /* sent as it was produced (ok_stream.h) */
    size_t size = 256 + req->body_length;
    for (size_t i = 0; i < req->header_count; i++)
        size += strlen(req->header_names[i]) + strlen(req->header_values[i]) + 4;
    char *head = ok_arena_alloc(req->arena, size);
    int n = snprintf(head, size, "Status: %d %s\r\nX-Request-Id: %s\r\n", req->status,
                     ok_http_reason(req->status), req->request_id);
    if (req->content_type != NULL)
        n += snprintf(head + n, size - (size_t)n, "Content-Type: %s\r\n", req->content_type);
    for (size_t i = 0; i < req->header_count; i++)
        n += snprintf(head + n, size - (size_t)n, "%s: %s\r\n", req->header_names[i],
                      req->header_values[i]);
    n += snprintf(head + n, size - (size_t)n, "Content-Length: %zu\r\n\r\n", req->body_length);
    if (FCGX_PutStr(head, n, fcgx->out) != n ||
        (req->body_length > 0 &&
         FCGX_PutStr(req->body, (int)req->body_length, fcgx->out) != (int)req->body_length))
        ok_log(OK_LOG_WARN, "response not delivered", "request %s", req->request_id);
}

/* Logs the request's line; returns its duration in seconds. */
static double ok_server_log(ok_request *req, const struct timespec *start)
{
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    double ms =
        (double)(end.tv_sec - start->tv_sec) * 1e3 + (double)(end.tv_nsec - start->tv_nsec) / 1e6;
    ok_log_new(req->status >= 500 ? OK_LOG_ERROR : OK_LOG_INFO, "request",
               json_pack("{s:s, s:s, s:s, s:s, s:i, s:f, s:s}", "worker", ok_server_module->name,
                         "method", req->method, "path", req->path, "route",
                         req->route != NULL ? req->route : "", "status", req->status, "duration_ms",
                         ms, "request_id", req->request_id));
    return ms / 1e3;
}

static const char *ok_server_param(ok_arena *arena, FCGX_Request *fcgx, const char *name,
                                   const char *fallback)
{
    const char *value = FCGX_GetParam(name, fcgx->envp);
    return ok_arena_strdup(arena, value != NULL ? value : fallback);
}

static void ok_server_handle(FCGX_Request *fcgx, ok_arena *arena, ok_db *db,
                             unsigned long long *counter)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    ok_request *req = ok_arena_calloc(arena, 1, sizeof(*req));
    req->arena = arena;
    req->fcgx = fcgx;
    req->db = db;
    req->method = ok_server_param(arena, fcgx, "REQUEST_METHOD", "GET");
    req->query = ok_server_param(arena, fcgx, "QUERY_STRING", "");
    const char *path = FCGX_GetParam("DOCUMENT_URI", fcgx->envp);
    if (path == NULL)
        path = ok_server_param(arena, fcgx, "REQUEST_URI", "/");
    req->path = ok_arena_strndup(arena, path, strcspn(path, "?"));
    const char *request_id = FCGX_GetParam("REQUEST_ID", fcgx->envp);
    req->request_id = request_id != NULL
                          ? ok_arena_strdup(arena, request_id)
                          : ok_arena_printf(arena, "%ld-%llu", (long)getpid(), ++*counter);
    ok_metrics_request_begin();
    ok_server_dispatch(req);
    if (req->status == 0)
        ok_problem(req, 500, "The request could not be completed.");
    ok_server_write(req, fcgx);
    ok_metrics_request_end(req, ok_server_log(req, &start));
}

/*
 * Connections. nginx keeps FastCGI connections open between requests
 * (fastcgi_keep_conn), and a fcgi2 thread reading the next request from a kept
 * connection would block on it while it idles. So idle connections wait in one
 * epoll set (one-shot: an event goes to one thread) with the listening socket,
 * and every thread waits on that set: the thread woken serves one request on
 * that connection, then puts it back (or accepts new connections into it).
 */
static int ok_server_epoll = -1;
static int ok_server_stop_event = -1;    /* an eventfd, written once to stop every thread */
static atomic_int ok_server_connections; /* open connections from nginx */

/* Stopping, nginx keeps using its kept connections until it closes them itself
 * (upstream keepalive_time and keepalive_timeout, a second each): closing one
 * here could meet a request nginx is sending and fail it. So the threads serve
 * on until the last connection is gone, then stop. */
static void ok_server_closed(void)
{
    if (atomic_fetch_sub(&ok_server_connections, 1) == 1 && atomic_load(&ok_server_stopping))
        eventfd_write(ok_server_stop_event, 1);
}

/* Watches fd (op EPOLL_CTL_ADD or _MOD) for its next request or its close. */
static void ok_server_watch(int fd, int op)
{
    struct epoll_event event = {.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT, .data.fd = fd};
    if (epoll_ctl(ok_server_epoll, op, fd, &event) != 0) {
        close(fd);
        ok_server_closed();
    }
}

/* Accepts the connections waiting (up to OK_SERVER_ACCEPT_BATCH) into the
 * epoll set, then lets the next be taken. Into the set, not served at once:
 * the listening socket rejoins the set's queue behind every connection with a
 * request waiting, so taking one connection a turn left the others in the
 * backlog for as many turns - under load a new connection waited a second.
 * Not all of them: the socket is shared with the module's other processes,
 * which should get their share (EAGAIN when they took the last). */
static void ok_server_accept(void)
{
    for (int i = 0; i < OK_SERVER_ACCEPT_BATCH; i++) {
        int fd = accept4(ok_server_listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0) {
            int error = errno;
            if (error != EAGAIN && error != EWOULDBLOCK && error != EINTR &&
                error != ECONNABORTED) {
                ok_log(OK_LOG_WARN, "accept failed", "%s", strerror(error));
                usleep(100000); /* out of descriptors: let the other threads close some */
            }
            break;
        }
        atomic_fetch_add(&ok_server_connections, 1);
        ok_server_watch(fd, EPOLL_CTL_ADD);
    }
    struct epoll_event event = {.events = EPOLLIN | EPOLLONESHOT, .data.fd = ok_server_listen_fd};
    epoll_ctl(ok_server_epoll, EPOLL_CTL_MOD, ok_server_listen_fd, &event);
}

static void *ok_server_thread(void *unused)
{
    (void)unused;
    ok_arena *arena = ok_arena_new();
    ok_db *db = ok_db_new(ok_server_module->name, ok_server_module->statements,
                          ok_server_module->statement_count);
    ok_server_cors cors = {0};
    ok_server_thread_cors = &cors;
    unsigned long long counter = 0;
    FCGX_Request fcgx;
    /* no listening socket: fcgi2 never accepts, it reads the connection given */
    FCGX_InitRequest(&fcgx, -1, 0);
    ok_log_buffer_thread();
    for (;;) {
        struct epoll_event event;
        int n = epoll_wait(ok_server_epoll, &event, 1, ok_log_flush_due_ms());
        if (n < 0 && errno != EINTR) {
            ok_log(OK_LOG_ERROR, "epoll failed", "%s", strerror(errno));
            break;
        }
        if (n == 0)
            ok_log_flush(); /* idle: the request lines kept so far */
        if (n <= 0)
            continue;
        int fd = event.data.fd;
        if (fd == ok_server_stop_event)
            break;
        if (fd == ok_server_listen_fd) {
            ok_server_accept();
            continue;
        }
        if (!(event.events & EPOLLIN)) {
            close(fd); /* nginx closed it */
            ok_server_closed();
            continue;
        }
        if (ok_fcgi_accept(&fcgx, fd) != 0) { /* closed by nginx, or not FastCGI */
            ok_server_closed();
            continue;
        }
        ok_server_handle(&fcgx, arena, db, &counter);
        int kept = ok_fcgi_finish(&fcgx);
        ok_arena_reset(arena);
        if (kept >= 0)
            ok_server_watch(kept, EPOLL_CTL_MOD);
        else
            ok_server_closed();
    }
    ok_log_flush();
    FCGX_Free(&fcgx, 1);
    ok_server_cors_clear(&cors);
    ok_db_free(db);
    ok_arena_free(arena);
    atomic_fetch_sub(&ok_server_running_threads, 1);
    return NULL;
}

/* Opens OTKLIK_LISTEN when set; otherwise the socket is fd 0 (spawn-fcgi). */
static int ok_server_listen(void)
{
    const char *path = ok_config_string("OTKLIK_LISTEN", NULL);
    if (path == NULL)
        return 0;
    unlink(path);
    return FCGX_OpenSocket(path, 1024);
}

/* Waits for SIGTERM/SIGINT/SIGQUIT; then takes no new connections (the
 * module's other processes, or the restarted ones, take them), serves the open
 * ones until nginx closes them (ok_server_closed) or OK_SERVER_DRAIN_MS have
 * passed, and lets the threads finish. Returns 0, or -1 if they did not finish
 * in time. */
static int ok_server_wait_for_stop(const sigset_t *stop)
{
    int signal_number = 0;
    sigwait(stop, &signal_number);
    ok_log(OK_LOG_INFO, "stopping", "signal %d; finishing requests in flight", signal_number);
    epoll_ctl(ok_server_epoll, EPOLL_CTL_DEL, ok_server_listen_fd, NULL);
    atomic_store(&ok_server_stopping, 1);
    if (atomic_load(&ok_server_connections) == 0)
        eventfd_write(ok_server_stop_event, 1);
    int waited = 0;
    for (; atomic_load(&ok_server_running_threads) > 0 && waited < OK_SERVER_STOP_WAIT_MS;
         waited += 20) {
        if (waited == OK_SERVER_DRAIN_MS)
            eventfd_write(ok_server_stop_event, 1); /* the rest close with the process */
        usleep(20000);
    }
    return atomic_load(&ok_server_running_threads) > 0 ? -1 : 0;
}

int ok_server_main(const ok_module *module)
{
    ok_server_module = module;
    if (ok_version_printed())
        return 0;
    if (ok_config_load(1) != 0 || ok_precheck_init() != 0 ||
        (module->init != NULL && module->init() != 0))
        return 1;
    json_object_seed(0);
    ok_metrics_attach(module->name, module->routes, module->route_count);
    if (FCGX_Init() != 0)
        return 1;
    ok_server_listen_fd = ok_server_listen();
    if (ok_server_listen_fd < 0) {
        ok_log(OK_LOG_ERROR, "cannot listen", "OTKLIK_LISTEN: %s", strerror(errno));
        return 1;
    }

    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGQUIT);               /* what multiwatch forwards when it is told to stop */
    pthread_sigmask(SIG_BLOCK, &stop, NULL); /* inherited: only sigwait sees them */
    ok_server_epoll = epoll_create1(EPOLL_CLOEXEC);
    ok_server_stop_event = eventfd(0, EFD_CLOEXEC);
    /* shared with the module's other processes: non-blocking, since another
     * may take the connection first */
    int flags = fcntl(ok_server_listen_fd, F_GETFL);
    struct epoll_event on_listen = {.events = EPOLLIN | EPOLLONESHOT,
                                    .data.fd = ok_server_listen_fd};
    struct epoll_event on_stop = {.events = EPOLLIN, .data.fd = ok_server_stop_event};
    if (ok_server_epoll < 0 || ok_server_stop_event < 0 || flags < 0 ||
        fcntl(ok_server_listen_fd, F_SETFL, flags | O_NONBLOCK) != 0 ||
        epoll_ctl(ok_server_epoll, EPOLL_CTL_ADD, ok_server_listen_fd, &on_listen) != 0 ||
        epoll_ctl(ok_server_epoll, EPOLL_CTL_ADD, ok_server_stop_event, &on_stop) != 0) {
        ok_log(OK_LOG_ERROR, "cannot set up", "%s", strerror(errno));
        return 1;
    }

    int count = ok_config_global.threads;
    pthread_t *threads = calloc((size_t)count, sizeof(*threads));
    if (threads == NULL)
        return 1;
    atomic_store(&ok_server_running_threads, count);
    for (int i = 0; i < count; i++)
        if (pthread_create(&threads[i], NULL, ok_server_thread, NULL) != 0) {
            ok_log(OK_LOG_ERROR, "cannot start thread", "%s", strerror(errno));
            return 1;
        }
    ok_log(OK_LOG_INFO, "started", "worker %s, %d threads", module->name, count);
    int exit_status = 0;
    if (ok_server_wait_for_stop(&stop) != 0) {
        ok_log(OK_LOG_WARN, "stop timed out", "threads still busy after %d ms",
               OK_SERVER_STOP_WAIT_MS);
        exit_status = 1;
    } else {
        for (int i = 0; i < count; i++)
            pthread_join(threads[i], NULL);
    }
    free(threads);
    close(ok_server_epoll);
    close(ok_server_stop_event);
    ok_log(OK_LOG_INFO, "stopped", "worker %s", module->name);
    return exit_status;
}
