/*
 * ok_log.c - JSON log lines; see ok_log.h. Whole lines per write(2), at most
 * PIPE_BUF bytes, so lines from several threads and processes never interleave.
 */
#include "ok_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define OK_LOG_BUFFER 4096 /* PIPE_BUF: one write stays whole on a pipe too */
#define OK_LOG_BUFFER_MS 1000

static ok_log_level ok_log_min_level = OK_LOG_INFO;

/* A thread's info lines not yet written (ok_log_buffer_thread). */
static _Thread_local struct {
    int on;
    size_t used;
    struct timespec oldest;
    char data[OK_LOG_BUFFER];
} ok_log_pending;

static long ok_log_age_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - ok_log_pending.oldest.tv_sec) * 1000 +
           (now.tv_nsec - ok_log_pending.oldest.tv_nsec) / 1000000;
}

void ok_log_buffer_thread(void)
{
    ok_log_pending.on = 1;
}

void ok_log_flush(void)
{
    if (ok_log_pending.used > 0) {
        ssize_t written = write(STDERR_FILENO, ok_log_pending.data, ok_log_pending.used);
        (void)written;
        ok_log_pending.used = 0;
    }
}

int ok_log_flush_due_ms(void)
{
    if (ok_log_pending.used == 0)
        return -1;
    long left = OK_LOG_BUFFER_MS - ok_log_age_ms();
    return left > 0 ? (int)left : 0;
}
static const char *const ok_log_level_names[] = {"debug", "info", "warn", "error"};

void ok_log_set_level(const char *name)
{
    for (int i = 0; i < 4; i++)
        if (name != NULL && strcmp(name, ok_log_level_names[i]) == 0)
            ok_log_min_level = (ok_log_level)i;
}

void ok_log_new(ok_log_level level, const char *msg, json_t *fields)
{
    if (level < ok_log_min_level) {
        json_decref(fields);
        return;
    }
    struct timespec now;
    struct tm tm;
    char ts[40];
    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &tm);
    size_t n = strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(ts + n, sizeof(ts) - n, ".%03ldZ", now.tv_nsec / 1000000);

    json_t *line =
        json_pack("{s:s, s:s, s:s}", "ts", ts, "level", ok_log_level_names[level], "msg", msg);
    if (line == NULL) {
        json_decref(fields);
        return;
    }
    if (fields != NULL)
        json_object_update(line, fields);
    json_decref(fields);
    char *text = json_dumps(line, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(6));
    json_decref(line);
    if (text == NULL)
        return;
    size_t length = strlen(text);
    text[length++] = '\n'; /* replaces the NUL; written with an explicit length */
    if (ok_log_pending.on && level <= OK_LOG_INFO && length <= OK_LOG_BUFFER) {
        if (ok_log_pending.used + length > OK_LOG_BUFFER)
            ok_log_flush();
        if (ok_log_pending.used == 0)
            clock_gettime(CLOCK_MONOTONIC, &ok_log_pending.oldest);
        memcpy(ok_log_pending.data + ok_log_pending.used, text, length);
        ok_log_pending.used += length;
        free(text);
        if (ok_log_age_ms() >= OK_LOG_BUFFER_MS)
            ok_log_flush();
        return;
    }
    ok_log_flush(); /* the thread's earlier lines first */
    ssize_t written = write(STDERR_FILENO, text, length);
    (void)written;
    free(text);
}

void ok_log(ok_log_level level, const char *msg, const char *detail_format, ...)
{
    char detail[512];
    va_list ap;
    va_start(ap, detail_format);
    vsnprintf(detail, sizeof(detail), detail_format, ap);
    va_end(ap);
    ok_log_new(level, msg, json_pack("{s:s}", "detail", detail));
}
