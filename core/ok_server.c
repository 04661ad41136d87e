/*
 * ok_server.c - the worker's threads, signals, request dispatch, CORS and
 * per-request log line; see ok_server.h.
 */
#include "ok_server.h"
#include "ok_config.h"
#include "ok_log.h"
#include "ok_precheck.h"
#include "ok_problem.h"

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
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define OK_SERVER_CORS_TTL_SECONDS 10
#define OK_SERVER_CORS_MAX 256
#define OK_SERVER_STOP_WAIT_MS 30000

static atomic_int ok_server_stopping;
static atomic_int ok_server_running_threads;
static int ok_server_listen_fd;
static const ok_module *ok_server_module;

/* Per-thread cache of the allowed CORS origins. */
typedef struct ok_server_cors {
    long long loaded_at;
    size_t count;
    char *origins[OK_SERVER_CORS_MAX];
} ok_server_cors;

static _Thread_local ok_server_cors *ok_server_thread_cors;

static void ok_server_cors_reload(ok_request *req, ok_server_cors *cors)
{
    PGresult *result = ok_db_query(req, "ok_cors_origins", 0, NULL);
    if (result == NULL)
        return; /* keep what we had; the database is away */
    for (size_t i = 0; i < cors->count; i++)
        free(cors->origins[i]);
    cors->count = 0;
    for (int row = 0; row < PQntuples(result) && cors->count < OK_SERVER_CORS_MAX; row++) {
        char *origin = strdup(PQgetvalue(result, row, 0));
        if (origin != NULL)
            cors->origins[cors->count++] = origin;
    }
    cors->loaded_at = ok_config_now();
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
    for (size_t i = 0; i < cors->count; i++)
        if (strcmp(cors->origins[i], origin) == 0)
            return 1;
    return 0;
}

void ok_server_healthz(ok_request *req)
{
    if (ok_db_query(req, "ok_ping", 0, NULL) == NULL) {
        ok_problem(req, 503, "The database does not answer.");
        return;
    }
    ok_http_respond_json_new(
        req, 200, json_pack("{s:s, s:s}", "status", "ok", "worker", ok_server_module->name));
}

/* Adds CORS headers for an allowed Origin; answers preflights. Returns 1 when
 * the request has been answered. */
static int ok_server_cors_headers(ok_request *req)
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
    if (ok_server_cors_headers(req))
        return;
    const ok_route *route = NULL;
    const char *allow = NULL;
    switch (ok_router_match(ok_server_module->routes, ok_server_module->route_count, req, &route,
                            &allow)) {
    case OK_ROUTER_FOUND:
        route->handler(req);
        if (req->status == 0)
            ok_problem(req, 500, "The request could not be completed.");
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

static void ok_server_log(ok_request *req, const struct timespec *start)
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
    ok_server_dispatch(req);
    ok_server_write(req, fcgx);
    ok_server_log(req, &start);
}

/*
 * Connections. nginx keeps FastCGI connections open between requests
 * (fastcgi_keep_conn), and a fcgi2 thread reading the next request from a kept
 * connection would block on it while it idles. So the main thread owns every
 * idle connection: it accepts new ones and watches kept ones with epoll, and
 * hands each that has a request to the next free thread through this queue. A
 * thread serves one request and gives a kept connection back.
 */
#define OK_SERVER_QUEUE 256

static struct {
    pthread_mutex_t lock;
    pthread_cond_t ready; /* a connection is queued, or stopping */
    pthread_cond_t space; /* the queue has room */
    int fds[OK_SERVER_QUEUE];
    size_t head, count;
} ok_server_queue = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
                     PTHREAD_COND_INITIALIZER};

static int ok_server_epoll = -1;
/* which descriptors are idle kept connections in ok_server_epoll (under the
 * queue's lock), so that stopping can close them */
static unsigned char *ok_server_parked;
static size_t ok_server_parked_size;

/* Queues a connection for the threads; waits while the queue is full. */
static void ok_server_enqueue(int fd)
{
    pthread_mutex_lock(&ok_server_queue.lock);
    while (ok_server_queue.count == OK_SERVER_QUEUE)
        pthread_cond_wait(&ok_server_queue.space, &ok_server_queue.lock);
    ok_server_queue.fds[(ok_server_queue.head + ok_server_queue.count++) % OK_SERVER_QUEUE] = fd;
    pthread_cond_signal(&ok_server_queue.ready);
    pthread_mutex_unlock(&ok_server_queue.lock);
}

/* The next connection with a request; -1 once stopping and nothing is queued. */
static int ok_server_dequeue(void)
{
    pthread_mutex_lock(&ok_server_queue.lock);
    while (ok_server_queue.count == 0 && !atomic_load(&ok_server_stopping))
        pthread_cond_wait(&ok_server_queue.ready, &ok_server_queue.lock);
    int fd = -1;
    if (ok_server_queue.count > 0) {
        fd = ok_server_queue.fds[ok_server_queue.head];
        ok_server_queue.head = (ok_server_queue.head + 1) % OK_SERVER_QUEUE;
        ok_server_queue.count--;
        pthread_cond_signal(&ok_server_queue.space);
    }
    pthread_mutex_unlock(&ok_server_queue.lock);
    return fd;
}

/* Gives a kept connection back to the main thread until its next request. */
static void ok_server_park(int fd)
{
    struct epoll_event event = {.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT, .data.fd = fd};
    pthread_mutex_lock(&ok_server_queue.lock);
    if (!atomic_load(&ok_server_stopping) && (size_t)fd < ok_server_parked_size &&
        epoll_ctl(ok_server_epoll, EPOLL_CTL_ADD, fd, &event) == 0)
        ok_server_parked[fd] = 1;
    else
        close(fd);
    pthread_mutex_unlock(&ok_server_queue.lock);
}

static void *ok_server_thread(void *unused)
{
    (void)unused;
    ok_arena *arena = ok_arena_new();
    ok_db *db = ok_db_new(ok_config_global.database_url, ok_server_module->name,
                          ok_server_module->statements, ok_server_module->statement_count);
    ok_server_cors cors = {0};
    ok_server_thread_cors = &cors;
    unsigned long long counter = 0;
    FCGX_Request fcgx;
    /* no listening socket: fcgi2 never accepts, it reads the connection given */
    FCGX_InitRequest(&fcgx, -1, 0);
    int fd;
    while ((fd = ok_server_dequeue()) >= 0) {
        /* fcgi2 reads the next request from ipcFd when it is set; keepConnection
         * stops the Finish inside FCGX_Accept_r from closing it first */
        fcgx.ipcFd = fd;
        fcgx.keepConnection = 1;
        if (FCGX_Accept_r(&fcgx) < 0) /* closed by nginx, or not FastCGI: fcgi2 closed it */
            continue;
        ok_server_handle(&fcgx, arena, db, &counter);
        FCGX_Finish_r(&fcgx); /* closes the connection unless nginx keeps it */
        ok_arena_reset(arena);
        if (fcgx.ipcFd >= 0) {
            ok_server_park(fcgx.ipcFd);
            fcgx.ipcFd = -1;
        }
    }
    FCGX_Free(&fcgx, 1);
    for (size_t i = 0; i < cors.count; i++)
        free(cors.origins[i]);
    ok_db_free(db);
    ok_arena_free(arena);
    atomic_fetch_sub(&ok_server_running_threads, 1);
    return NULL;
}

/* Opens OTKLIK_LISTEN when set; otherwise the socket is fd 0 (spawn-fcgi). */
static int ok_server_listen(void)
{
    const char *path = getenv("OTKLIK_LISTEN");
    if (path == NULL || path[0] == '\0')
        return 0;
    unlink(path);
    return FCGX_OpenSocket(path, 1024);
}

/* Accepts what is waiting; the socket is shared with the module's other
 * processes, so another may have taken it (EAGAIN). */
static void ok_server_accept(void)
{
    for (;;) {
        int fd = accept4(ok_server_listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd >= 0) {
            ok_server_enqueue(fd);
            continue;
        }
        if (errno == EINTR || errno == ECONNABORTED)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            ok_log(OK_LOG_WARN, "accept failed", "%s", strerror(errno));
            usleep(100000); /* out of descriptors: let the threads close some */
        }
        return;
    }
}

/* The main thread: connections in, until SIGTERM/SIGINT/SIGQUIT; then closes
 * the idle kept connections, lets the threads finish what is queued and in
 * flight, and waits for them. Returns 0, or -1 if they did not finish in time. */
static int ok_server_run(int signals)
{
    struct epoll_event events[64];
    for (;;) {
        int n = epoll_wait(ok_server_epoll, events, 64, -1);
        if (n < 0 && errno != EINTR) {
            ok_log(OK_LOG_ERROR, "epoll failed", "%s", strerror(errno));
            break;
        }
        int stop = 0;
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (fd == signals) {
                struct signalfd_siginfo info;
                if (read(signals, &info, sizeof(info)) == (ssize_t)sizeof(info)) {
                    ok_log(OK_LOG_INFO, "stopping", "signal %u; finishing requests in flight",
                           info.ssi_signo);
                    stop = 1;
                }
            } else if (fd == ok_server_listen_fd) {
                ok_server_accept();
            } else {
                /* a kept connection: the next request, or nginx closed it */
                pthread_mutex_lock(&ok_server_queue.lock);
                epoll_ctl(ok_server_epoll, EPOLL_CTL_DEL, fd, NULL);
                ok_server_parked[fd] = 0;
                pthread_mutex_unlock(&ok_server_queue.lock);
                if (!(events[i].events & EPOLLIN))
                    close(fd);
                else
                    ok_server_enqueue(fd);
            }
        }
        if (stop)
            break;
    }
    /* Stop taking connections; the module's other processes (or, after a
     * restart, the new ones) take what arrives. Idle kept connections are
     * closed: nginx opens new ones. */
    epoll_ctl(ok_server_epoll, EPOLL_CTL_DEL, ok_server_listen_fd, NULL);
    pthread_mutex_lock(&ok_server_queue.lock);
    atomic_store(&ok_server_stopping, 1);
    for (size_t fd = 0; fd < ok_server_parked_size; fd++)
        if (ok_server_parked[fd]) {
            epoll_ctl(ok_server_epoll, EPOLL_CTL_DEL, (int)fd, NULL);
            close((int)fd);
            ok_server_parked[fd] = 0;
        }
    pthread_cond_broadcast(&ok_server_queue.ready);
    pthread_mutex_unlock(&ok_server_queue.lock);
    for (int waited = 0;
         atomic_load(&ok_server_running_threads) > 0 && waited < OK_SERVER_STOP_WAIT_MS;
         waited += 20)
        usleep(20000);
    return atomic_load(&ok_server_running_threads) > 0 ? -1 : 0;
}

int ok_server_main(const ok_module *module)
{
    ok_server_module = module;
    if (ok_config_load(1) != 0 || ok_precheck_init() != 0 ||
        (module->init != NULL && module->init() != 0))
        return 1;
    json_object_seed(0);
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
    pthread_sigmask(SIG_BLOCK, &stop, NULL); /* inherited: only the signalfd sees them */
    int signals = signalfd(-1, &stop, SFD_CLOEXEC);
    struct rlimit files;
    ok_server_parked_size = getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < (1u << 20)
                                ? (size_t)files.rlim_cur
                                : (1u << 20);
    ok_server_parked = calloc(ok_server_parked_size, 1);
    ok_server_epoll = epoll_create1(EPOLL_CLOEXEC);
    /* shared with the module's other processes: non-blocking, and only one of
     * them woken per connection */
    int flags = fcntl(ok_server_listen_fd, F_GETFL);
    struct epoll_event on_signal = {.events = EPOLLIN, .data.fd = signals};
    struct epoll_event on_listen = {.events = EPOLLIN | EPOLLEXCLUSIVE,
                                    .data.fd = ok_server_listen_fd};
    if (signals < 0 || ok_server_parked == NULL || ok_server_epoll < 0 || flags < 0 ||
        fcntl(ok_server_listen_fd, F_SETFL, flags | O_NONBLOCK) != 0 ||
        epoll_ctl(ok_server_epoll, EPOLL_CTL_ADD, signals, &on_signal) != 0 ||
        epoll_ctl(ok_server_epoll, EPOLL_CTL_ADD, ok_server_listen_fd, &on_listen) != 0) {
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
    if (ok_server_run(signals) != 0) {
        ok_log(OK_LOG_WARN, "stop timed out", "threads still busy after %d ms",
               OK_SERVER_STOP_WAIT_MS);
        exit_status = 1;
    } else {
        for (int i = 0; i < count; i++)
            pthread_join(threads[i], NULL);
    }
    free(threads);
    free(ok_server_parked);
    close(ok_server_epoll);
    close(signals);
    ok_log(OK_LOG_INFO, "stopped", "worker %s", module->name);
    return exit_status;
}
