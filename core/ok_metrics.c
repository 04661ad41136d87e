/*
 * ok_metrics.c - the shared counter files, their rendering in Prometheus'
 * text format, process metrics from /proc and the outbox query; see
 * ok_metrics.h.
 */
#include "ok_metrics.h"
#include "ok_config.h"
#include "ok_db.h"
#include "ok_log.h"
#include "ok_version.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define OK_METRICS_MAGIC 0x314d4b4fu /* "OKM1" */
#define OK_METRICS_PROCESSES 64
#define OK_METRICS_STATUSES 12 /* the last one counts every other status */
#define OK_METRICS_BUCKETS 11
#define OK_METRICS_FILES 32
#define OK_METRICS_NAME 32
#define OK_METRICS_PATTERN 120

static const double ok_metrics_bounds[OK_METRICS_BUCKETS] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                             0.5,   1,    2.5,   5,    10};
static const char *const ok_metrics_bound_text[OK_METRICS_BUCKETS] = {
    "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10"};

typedef struct ok_metrics_route {
    char method[8];
    char pattern[OK_METRICS_PATTERN];
    struct {
        atomic_int code; /* 0: free */
        atomic_ullong count;
    } statuses[OK_METRICS_STATUSES];
    atomic_ullong buckets[OK_METRICS_BUCKETS]; /* each bucket alone, not cumulative */
    atomic_ullong count;
    atomic_ullong sum_us;
} ok_metrics_route;

typedef struct ok_metrics_file {
    uint32_t magic;
    uint32_t layout; /* a hash of the structure and the routes: a new build starts afresh */
    uint64_t size;
    char name[OK_METRICS_NAME];
    uint32_t route_count; /* the program's routes, then GET /metrics, then "none" */
    struct {
        atomic_int pid; /* 0: free */
        atomic_ullong start_ticks;
    } processes[OK_METRICS_PROCESSES];
    atomic_llong in_flight;
    atomic_ullong counters[OK_METRICS_COUNTER_COUNT];
    ok_metrics_route routes[];
} ok_metrics_file;

/* This process's file (shared or private), its routes and their number. */
static ok_metrics_file *ok_metrics_own;
static const ok_route *ok_metrics_routes;
static size_t ok_metrics_route_count;

static uint32_t ok_metrics_hash(uint32_t hash, const char *text)
{
    for (; *text != '\0'; text++)
        hash = (hash ^ (unsigned char)*text) * 16777619u;
    return hash * 16777619u;
}

static uint32_t ok_metrics_layout(const char *name, const ok_route *routes, size_t count)
{
    char sizes[64];
    snprintf(sizes, sizeof(sizes), "%zu %zu %zu", sizeof(ok_metrics_file), sizeof(ok_metrics_route),
             count);
    uint32_t hash = ok_metrics_hash(ok_metrics_hash(2166136261u, sizes), name);
    for (size_t i = 0; i < count; i++)
        hash = ok_metrics_hash(ok_metrics_hash(hash, routes[i].method), routes[i].pattern);
    return hash != 0 ? hash : 1;
}

static size_t ok_metrics_size(size_t route_count)
{
    return sizeof(ok_metrics_file) + (route_count + 2) * sizeof(ok_metrics_route);
}

static void ok_metrics_fill(ok_metrics_file *file, const char *name, const ok_route *routes,
                            size_t count)
{
    file->layout = ok_metrics_layout(name, routes, count);
    file->size = ok_metrics_size(count);
    snprintf(file->name, sizeof(file->name), "%s", name);
    file->route_count = (uint32_t)count;
    for (size_t i = 0; i < count; i++) {
        snprintf(file->routes[i].method, sizeof(file->routes[i].method), "%s", routes[i].method);
        snprintf(file->routes[i].pattern, sizeof(file->routes[i].pattern), "%s", routes[i].pattern);
    }
    snprintf(file->routes[count].method, sizeof(file->routes[count].method), "GET");
    snprintf(file->routes[count].pattern, sizeof(file->routes[count].pattern), "/metrics");
    snprintf(file->routes[count + 1].method, sizeof(file->routes[count + 1].method), "any");
    snprintf(file->routes[count + 1].pattern, sizeof(file->routes[count + 1].pattern), "none");
    file->magic = OK_METRICS_MAGIC;
}

/* A process's CPU ticks, start (ticks after boot), virtual and resident
 * memory (pages); 0, or -1 if it is gone. */
typedef struct ok_metrics_stat {
    unsigned long long cpu_ticks, start_ticks, virtual_bytes;
    long long resident_pages;
} ok_metrics_stat;

static int ok_metrics_read_stat(int pid, ok_metrics_stat *stat)
{
    char path[64], text[1024];
    snprintf(path, sizeof(path), "/proc/%d/stat", pid);
    FILE *file = fopen(path, "r");
    if (file == NULL)
        return -1;
    size_t length = fread(text, 1, sizeof(text) - 1, file);
    fclose(file);
    text[length] = '\0';
    const char *after_name = strrchr(text, ')'); /* the name may hold spaces */
    unsigned long long user = 0, system = 0;
    if (after_name == NULL ||
        sscanf(after_name + 2,
               "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %*d %*d %*d %*d %*d %*d "
               "%llu %llu %lld",
               &user, &system, &stat->start_ticks, &stat->virtual_bytes,
               &stat->resident_pages) != 5)
        return -1;
    stat->cpu_ticks = user + system;
    return 0;
}

/* Whether the process of slot i still runs (the same pid and start). */
static int ok_metrics_alive(const ok_metrics_file *file, size_t i, ok_metrics_stat *stat)
{
    int pid = atomic_load(&file->processes[i].pid);
    return pid > 0 && ok_metrics_read_stat(pid, stat) == 0 &&
           stat->start_ticks == atomic_load(&file->processes[i].start_ticks);
}

/* Takes a free slot (or a dead process's) for this process; under the lock. */
static void ok_metrics_register(ok_metrics_file *file)
{
    ok_metrics_stat own, other;
    if (ok_metrics_read_stat(getpid(), &own) != 0)
        return;
    for (size_t i = 0; i < OK_METRICS_PROCESSES; i++)
        if (!ok_metrics_alive(file, i, &other)) {
            atomic_store(&file->processes[i].start_ticks, own.start_ticks);
            atomic_store(&file->processes[i].pid, (int)getpid());
            return;
        }
}

/* Maps dir/name.metrics, made afresh (written aside, then renamed into place:
 * processes of an older build keep their own copy) when it is missing or of
 * another layout. Under dir/name.lock. */
static ok_metrics_file *ok_metrics_map(const char *dir, const char *name, const ok_route *routes,
                                       size_t count)
{
    char path[512], fresh[540], lock_path[512];
    snprintf(path, sizeof(path), "%s/%s.metrics", dir, name);
    snprintf(fresh, sizeof(fresh), "%s.%d", path, (int)getpid());
    snprintf(lock_path, sizeof(lock_path), "%s/%s.lock", dir, name);
    size_t size = ok_metrics_size(count);
    int lock = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock < 0 || flock(lock, LOCK_EX) != 0) {
        if (lock >= 0)
            close(lock);
        return NULL;
    }
    ok_metrics_file *file = MAP_FAILED;
    int fd = open(path, O_RDWR | O_CLOEXEC);
    struct stat info;
    if (fd >= 0 && fstat(fd, &info) == 0 && (size_t)info.st_size == size)
        file = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (file != MAP_FAILED && (file->magic != OK_METRICS_MAGIC ||
                               file->layout != ok_metrics_layout(name, routes, count))) {
        munmap(file, size);
        file = MAP_FAILED;
    }
    if (fd >= 0)
        close(fd);
    if (file == MAP_FAILED) {
        fd = open(fresh, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd >= 0 && ftruncate(fd, (off_t)size) == 0)
            file = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (file != MAP_FAILED)
            ok_metrics_fill(file, name, routes, count);
        if (fd >= 0)
            close(fd);
        if (file != MAP_FAILED && rename(fresh, path) != 0) {
            munmap(file, size);
            file = MAP_FAILED;
        }
        unlink(fresh);
    }
    if (file != MAP_FAILED)
        ok_metrics_register(file);
    close(lock); /* and the lock with it */
    return file != MAP_FAILED ? file : NULL;
}

int ok_metrics_attach(const char *name, const ok_route *routes, size_t route_count)
{
    ok_metrics_routes = routes;
    ok_metrics_route_count = route_count;
    const char *dir = ok_config_string("OTKLIK_METRICS_DIR", NULL);
    if (dir != NULL && (mkdir(dir, 0700) == 0 || errno == EEXIST))
        ok_metrics_own = ok_metrics_map(dir, name, routes, route_count);
    if (ok_metrics_own != NULL)
        return 0;
    if (dir != NULL)
        ok_log(OK_LOG_WARN, "metrics not shared", "OTKLIK_METRICS_DIR %s: %s", dir,
               strerror(errno));
    ok_metrics_own = calloc(1, ok_metrics_size(route_count));
    if (ok_metrics_own == NULL)
        return -1;
    ok_metrics_fill(ok_metrics_own, name, routes, route_count);
    ok_metrics_register(ok_metrics_own);
    return dir != NULL ? -1 : 0;
}

void ok_metrics_count(ok_metrics_counter counter)
{
    if (ok_metrics_own != NULL)
        atomic_fetch_add_explicit(&ok_metrics_own->counters[counter], 1, memory_order_relaxed);
}

void ok_metrics_request_begin(void)
{
    if (ok_metrics_own != NULL)
        atomic_fetch_add_explicit(&ok_metrics_own->in_flight, 1, memory_order_relaxed);
}

/* The slot of a request: its route's, GET /metrics's, or "none". */
static ok_metrics_route *ok_metrics_route_of(const ok_request *req)
{
    size_t count = ok_metrics_route_count;
    for (size_t i = 0; req->route != NULL && i < count; i++)
        if (req->route == ok_metrics_routes[i].pattern &&
            strcmp(req->method, ok_metrics_routes[i].method) == 0)
            return &ok_metrics_own->routes[i];
    if (strcmp(req->path, "/metrics") == 0 && strcmp(req->method, "GET") == 0)
        return &ok_metrics_own->routes[count];
    return &ok_metrics_own->routes[count + 1];
}

static void ok_metrics_count_status(ok_metrics_route *route, int status)
{
    for (size_t i = 0; i + 1 < OK_METRICS_STATUSES; i++) {
        int code = atomic_load_explicit(&route->statuses[i].code, memory_order_relaxed);
        if (code == 0) {
            atomic_compare_exchange_strong(&route->statuses[i].code, &code, status);
            code = atomic_load(&route->statuses[i].code); /* ours, or another's just taken */
        }
        if (code == status) {
            atomic_fetch_add_explicit(&route->statuses[i].count, 1, memory_order_relaxed);
            return;
        }
    }
    atomic_store(&route->statuses[OK_METRICS_STATUSES - 1].code, -1);
    atomic_fetch_add_explicit(&route->statuses[OK_METRICS_STATUSES - 1].count, 1,
                              memory_order_relaxed);
}

void ok_metrics_request_end(const ok_request *req, double seconds)
{
    if (ok_metrics_own == NULL)
        return;
    atomic_fetch_sub_explicit(&ok_metrics_own->in_flight, 1, memory_order_relaxed);
    ok_metrics_route *route = ok_metrics_route_of(req);
    ok_metrics_count_status(route, req->status);
    size_t bucket = 0;
    while (bucket < OK_METRICS_BUCKETS && seconds > ok_metrics_bounds[bucket])
        bucket++;
    if (bucket < OK_METRICS_BUCKETS)
        atomic_fetch_add_explicit(&route->buckets[bucket], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&route->count, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&route->sum_us, (unsigned long long)(seconds * 1e6),
                              memory_order_relaxed);
}

/* -- rendering */

void ok_metrics_escape_label(const char *value, char *out, size_t size)
{
    size_t n = 0;
    for (; *value != '\0' && n + 3 < size; value++) {
        if (*value == '\\' || *value == '"' || *value == '\n')
            out[n++] = '\\';
        out[n++] = *value == '\n' ? 'n' : *value;
    }
    out[size > 0 ? n : 0] = '\0';
}

/* The files to render: every live one of the directory, or this process's. */
typedef struct ok_metrics_set {
    const ok_metrics_file *files[OK_METRICS_FILES];
    size_t sizes[OK_METRICS_FILES];
    size_t count;
} ok_metrics_set;

static int ok_metrics_any_alive(const ok_metrics_file *file)
{
    ok_metrics_stat stat;
    for (size_t i = 0; i < OK_METRICS_PROCESSES; i++)
        if (ok_metrics_alive(file, i, &stat))
            return 1;
    return 0;
}

static void ok_metrics_add_file(ok_metrics_set *set, const char *dir, const char *entry)
{
    size_t length = strlen(entry);
    if (set->count == OK_METRICS_FILES || length < 9 || strcmp(entry + length - 8, ".metrics") != 0)
        return;
    char path[600];
    snprintf(path, sizeof(path), "%s/%s", dir, entry);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat info;
    if (fd < 0)
        return;
    void *map = MAP_FAILED;
    if (fstat(fd, &info) == 0 && (size_t)info.st_size >= sizeof(ok_metrics_file))
        map = mmap(NULL, (size_t)info.st_size, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return;
    const ok_metrics_file *file = map;
    if (file->magic != OK_METRICS_MAGIC || file->size != (uint64_t)info.st_size ||
        ok_metrics_size(file->route_count) != (size_t)info.st_size || !ok_metrics_any_alive(file)) {
        munmap(map, (size_t)info.st_size);
        return;
    }
    set->files[set->count] = file;
    set->sizes[set->count++] = (size_t)info.st_size;
}

static void ok_metrics_collect(ok_metrics_set *set)
{
    const char *dir = ok_config_string("OTKLIK_METRICS_DIR", NULL);
    DIR *listing = dir != NULL ? opendir(dir) : NULL;
    if (listing != NULL) {
        const struct dirent *entry;
        while ((entry = readdir(listing)) != NULL)
            ok_metrics_add_file(set, dir, entry->d_name);
        closedir(listing);
    }
    if (set->count == 0 && ok_metrics_own != NULL) { /* private, or the directory failed */
        set->files[0] = ok_metrics_own;
        set->sizes[0] = 0; /* not mapped here: nothing to unmap */
        set->count = 1;
    }
}

static void ok_metrics_release(ok_metrics_set *set)
{
    for (size_t i = 0; i < set->count; i++)
        if (set->sizes[i] > 0)
            munmap((void *)(uintptr_t)set->files[i], set->sizes[i]);
}

/* A family's HELP and TYPE lines. HELP texts end without a full stop, as
 * Prometheus' own do: they are for operators in English, not sentences of the
 * message catalogue (core/ok_messages.c). */
static void ok_metrics_family(FILE *out, const char *name, const char *type, const char *help)
{
    fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* The labels worker, method and route of a route slot, escaped. */
static void ok_metrics_route_labels(const ok_metrics_file *file, const ok_metrics_route *route,
                                    char *out, size_t size)
{
    char worker[2 * OK_METRICS_NAME], method[16], pattern[2 * OK_METRICS_PATTERN];
    ok_metrics_escape_label(file->name, worker, sizeof(worker));
    ok_metrics_escape_label(route->method, method, sizeof(method));
    ok_metrics_escape_label(route->pattern, pattern, sizeof(pattern));
    snprintf(out, size, "worker=\"%s\",method=\"%s\",route=\"%s\"", worker, method, pattern);
}

static void ok_metrics_render_requests(FILE *out, const ok_metrics_set *set)
{
    char labels[512];
    ok_metrics_family(out, "otklik_http_requests_total", "counter",
                      "Requests answered, by worker, route and status");
    for (size_t f = 0; f < set->count; f++)
        for (size_t r = 0; r < set->files[f]->route_count + 2; r++) {
            const ok_metrics_route *route = &set->files[f]->routes[r];
            ok_metrics_route_labels(set->files[f], route, labels, sizeof(labels));
            for (size_t s = 0; s < OK_METRICS_STATUSES; s++) {
                int code = atomic_load(&route->statuses[s].code);
                if (code == 0)
                    continue;
                char status[16];
                snprintf(status, sizeof(status), code < 0 ? "other" : "%d", code);
                fprintf(out, "otklik_http_requests_total{%s,status=\"%s\"} %llu\n", labels, status,
                        atomic_load(&route->statuses[s].count));
            }
        }
    ok_metrics_family(out, "otklik_http_request_duration_seconds", "histogram",
                      "Time from a request's arrival at the worker to its answer");
    for (size_t f = 0; f < set->count; f++)
        for (size_t r = 0; r < set->files[f]->route_count + 2; r++) {
            const ok_metrics_route *route = &set->files[f]->routes[r];
            unsigned long long count = atomic_load(&route->count), cumulative = 0;
            if (count == 0)
                continue;
            ok_metrics_route_labels(set->files[f], route, labels, sizeof(labels));
            for (size_t b = 0; b < OK_METRICS_BUCKETS; b++) {
                cumulative += atomic_load(&route->buckets[b]);
                fprintf(out, "otklik_http_request_duration_seconds_bucket{%s,le=\"%s\"} %llu\n",
                        labels, ok_metrics_bound_text[b], cumulative);
            }
            /* +Inf is the count: read once, it is never below a bucket read before */
            fprintf(out, "otklik_http_request_duration_seconds_bucket{%s,le=\"+Inf\"} %llu\n",
                    labels, count > cumulative ? count : cumulative);
            fprintf(out, "otklik_http_request_duration_seconds_sum{%s} %.6f\n", labels,
                    (double)atomic_load(&route->sum_us) / 1e6);
            fprintf(out, "otklik_http_request_duration_seconds_count{%s} %llu\n", labels,
                    count > cumulative ? count : cumulative);
        }
}

static const struct {
    const char *name, *help;
} ok_metrics_counter_names[OK_METRICS_COUNTER_COUNT] = {
    [OK_METRICS_DB_RECONNECTS] = {"otklik_db_reconnects_total",
                                  "Connections to PostgreSQL made again after one was lost"},
    [OK_METRICS_DB_ERRORS] = {"otklik_db_errors_total",
                              "Statements PostgreSQL failed (any SQLSTATE, or a lost connection)"},
    [OK_METRICS_DB_RETRIES] = {"otklik_db_transaction_retries_total",
                               "Transactions run again after a serialization failure, a deadlock "
                               "or a lost connection"},
    [OK_METRICS_NOTIFICATIONS_DELIVERED] = {"otklik_notifications_delivered_total",
                                            "Notifications the webhook accepted"},
    [OK_METRICS_NOTIFICATIONS_FAILED] = {"otklik_notifications_failed_total",
                                         "Deliveries of notifications that failed (retried later)"},
    [OK_METRICS_BALLOTS_CAST] = {"otklik_ballots_cast_total", "Ballots cast in budget votings"},
};

static void ok_metrics_render_counters(FILE *out, const ok_metrics_set *set)
{
    char worker[2 * OK_METRICS_NAME];
    ok_metrics_family(out, "otklik_http_requests_in_flight", "gauge", "Requests being served now");
    for (size_t f = 0; f < set->count; f++) {
        ok_metrics_escape_label(set->files[f]->name, worker, sizeof(worker));
        fprintf(out, "otklik_http_requests_in_flight{worker=\"%s\"} %lld\n", worker,
                atomic_load(&set->files[f]->in_flight));
    }
    for (size_t c = 0; c < OK_METRICS_COUNTER_COUNT; c++) {
        ok_metrics_family(out, ok_metrics_counter_names[c].name, "counter",
                          ok_metrics_counter_names[c].help);
        for (size_t f = 0; f < set->count; f++) {
            ok_metrics_escape_label(set->files[f]->name, worker, sizeof(worker));
            fprintf(out, "%s{worker=\"%s\"} %llu\n", ok_metrics_counter_names[c].name, worker,
                    atomic_load(&set->files[f]->counters[c]));
        }
    }
}

/* The processes of every file, summed per program. */
typedef struct ok_metrics_processes {
    long long processes, resident_bytes, virtual_bytes, fds;
    double cpu_seconds, start_seconds;
} ok_metrics_processes;

static long long ok_metrics_count_fds(int pid)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/fd", pid);
    DIR *listing = opendir(path);
    if (listing == NULL)
        return 0;
    long long count = 0;
    while (readdir(listing) != NULL)
        count++;
    closedir(listing);
    return count > 2 ? count - 2 : 0; /* . and .. */
}

static long long ok_metrics_boot_time(void)
{
    FILE *file = fopen("/proc/stat", "r");
    char line[256];
    long long boot = 0;
    while (file != NULL && fgets(line, sizeof(line), file) != NULL)
        if (sscanf(line, "btime %lld", &boot) == 1)
            break;
    if (file != NULL)
        fclose(file);
    return boot;
}

static void ok_metrics_sum_processes(const ok_metrics_file *file, ok_metrics_processes *sum)
{
    double ticks = (double)sysconf(_SC_CLK_TCK);
    long long page = sysconf(_SC_PAGESIZE), boot = ok_metrics_boot_time();
    memset(sum, 0, sizeof(*sum));
    for (size_t i = 0; i < OK_METRICS_PROCESSES; i++) {
        ok_metrics_stat stat;
        if (!ok_metrics_alive(file, i, &stat))
            continue;
        sum->processes++;
        sum->resident_bytes += stat.resident_pages * page;
        sum->virtual_bytes += (long long)stat.virtual_bytes;
        sum->fds += ok_metrics_count_fds(atomic_load(&file->processes[i].pid));
        sum->cpu_seconds += (double)stat.cpu_ticks / ticks;
        double start = (double)boot + (double)stat.start_ticks / ticks;
        if (start > sum->start_seconds)
            sum->start_seconds = start;
    }
}

static void ok_metrics_render_processes(FILE *out, const ok_metrics_set *set)
{
    ok_metrics_processes sums[OK_METRICS_FILES] = {0};
    char workers[OK_METRICS_FILES][2 * OK_METRICS_NAME] = {{0}};
    for (size_t f = 0; f < set->count; f++) {
        ok_metrics_sum_processes(set->files[f], &sums[f]);
        ok_metrics_escape_label(set->files[f]->name, workers[f], sizeof(workers[f]));
    }
#define OK_METRICS_PROCESS_FAMILY(name, type, help, format, field)                                 \
    ok_metrics_family(out, name, type, help);                                                      \
    for (size_t f = 0; f < set->count; f++)                                                        \
        fprintf(out, "%s{worker=\"%s\"} " format "\n", name, workers[f], sums[f].field);
    OK_METRICS_PROCESS_FAMILY("otklik_worker_processes", "gauge",
                              "Processes of the program running now", "%lld", processes)
    OK_METRICS_PROCESS_FAMILY("process_resident_memory_bytes", "gauge",
                              "Resident memory of the program's processes together", "%lld",
                              resident_bytes)
    OK_METRICS_PROCESS_FAMILY("process_virtual_memory_bytes", "gauge",
                              "Virtual memory of the program's processes together", "%lld",
                              virtual_bytes)
    OK_METRICS_PROCESS_FAMILY("process_open_fds", "gauge",
                              "Open file descriptors of the program's processes together", "%lld",
                              fds)
    OK_METRICS_PROCESS_FAMILY("process_cpu_seconds_total", "counter",
                              "CPU time (user and system) of the program's running processes",
                              "%.2f", cpu_seconds)
    OK_METRICS_PROCESS_FAMILY("process_start_time_seconds", "gauge",
                              "Start of the program's latest process, in seconds since the epoch",
                              "%.2f", start_seconds)
#undef OK_METRICS_PROCESS_FAMILY
}

/* The outbox (undelivered notifications): how many, up to the query's bound,
 * and the age of the oldest. Left out while the database does not answer. */
static void ok_metrics_render_outbox(FILE *out, ok_request *req)
{
    PGresult *result = ok_db_query(req, "ok_metrics_outbox", 0, NULL);
    if (result == NULL || PQntuples(result) != 1)
        return;
    ok_metrics_family(out, "otklik_outbox_depth", "gauge",
                      "Notifications not yet delivered (counted up to 100000)");
    fprintf(out, "otklik_outbox_depth %s\n", PQgetvalue(result, 0, 0));
    ok_metrics_family(out, "otklik_outbox_oldest_age_seconds", "gauge",
                      "Age of the oldest notification not yet delivered (0 when none)");
    fprintf(out, "otklik_outbox_oldest_age_seconds %s\n", PQgetvalue(result, 0, 1));
}

void ok_metrics_serve(ok_request *req)
{
    char *text = NULL;
    size_t length = 0;
    FILE *out = open_memstream(&text, &length);
    if (out == NULL)
        return; /* the server answers 500 */
    ok_metrics_set set = {0};
    ok_metrics_collect(&set);
    char version[128];
    ok_metrics_escape_label(ok_version(), version, sizeof(version));
    ok_metrics_family(out, "otklik_build_info", "gauge",
                      "The build serving this scrape (git describe)");
    fprintf(out, "otklik_build_info{version=\"%s\"} 1\n", version);
    ok_metrics_render_requests(out, &set);
    ok_metrics_render_counters(out, &set);
    ok_metrics_render_processes(out, &set);
    ok_metrics_release(&set);
    ok_metrics_render_outbox(out, req);
    fclose(out);
    ok_http_respond(req, 200, "text/plain; version=0.0.4; charset=utf-8", text, length);
    free(text);
}
