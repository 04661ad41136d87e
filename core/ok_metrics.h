/*
 * ok_metrics.h - Prometheus counters, gauges and histograms, shared by every
 * process of a program, and GET /metrics in the text exposition format 0.0.4.
 *
 * DESIGN
 * A worker runs as several processes on one socket (multiwatch), and a scrape
 * reaches whichever accepts it: counters kept per process would jump between
 * processes' values. So each program's counters live in one file mapped by
 * all its processes (OTKLIK_METRICS_DIR/<name>.metrics, MAP_SHARED) and are
 * counted with atomic operations; a process that restarts keeps counting in
 * the same file. The file is self-describing (its routes' methods and
 * patterns), so any worker renders every program's file of the directory:
 * one scrape at GET /metrics covers the workers and the notifier, each sample
 * labelled worker="<name>". Files whose processes are all gone are skipped.
 * Process metrics (memory, descriptors, CPU, start time) are read from /proc
 * for the processes each file lists, summed per program (the start time is the
 * latest: when the CPU counter last went back). The outbox is measured at
 * scrape time by one bounded query.
 *
 * No C client library is packaged by Debian 12 (no libprom-dev): this module
 * is the small part of one the platform needs, with no allocation or lock on
 * the request path.
 *
 * Without OTKLIK_METRICS_DIR the counters are the process's own (private
 * memory) and /metrics shows that process alone.
 */
#ifndef OK_METRICS_H
#define OK_METRICS_H

#include "ok_http.h"
#include "ok_router.h"

#include <stddef.h>

/* What any process counts (the request families are counted by the server). */
typedef enum {
    OK_METRICS_DB_RECONNECTS,
    OK_METRICS_DB_ERRORS,
    OK_METRICS_DB_RETRIES,
    OK_METRICS_NOTIFICATIONS_DELIVERED,
    OK_METRICS_NOTIFICATIONS_FAILED,
    OK_METRICS_BALLOTS_CAST,
    OK_METRICS_COUNTER_COUNT
} ok_metrics_counter;

/* Maps this program's counters (name: "widget", "notifier") with its routes
 * (none: NULL, 0); once, before any thread starts. 0, or -1 after logging why
 * (the counters are then private to the process). */
int ok_metrics_attach(const char *name, const ok_route *routes, size_t route_count);

/* Adds one; nothing before ok_metrics_attach. Any thread. */
void ok_metrics_count(ok_metrics_counter counter);

/* A request begins (in flight) and ends: its route (req->route and
 * req->method, or none), status and duration. */
void ok_metrics_request_begin(void);
void ok_metrics_request_end(const ok_request *req, double seconds);

/* GET /metrics: every program's metrics in the text format. */
void ok_metrics_serve(ok_request *req);

/* The exposition format's escaping of a label value (\, " and newline) into
 * out (size bytes, truncated); for tests. */
void ok_metrics_escape_label(const char *value, char *out, size_t size);

#endif
