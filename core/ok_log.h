/*
 * ok_log.h - structured logs: one JSON object per line on stderr.
 *
 * Log lines carry what an operator needs (method, route, status, duration,
 * request id) and never personal data: no bodies, no tokens, no query strings,
 * no names, no addresses.
 */
#ifndef OK_LOG_H
#define OK_LOG_H

#include <jansson.h>

typedef enum { OK_LOG_DEBUG, OK_LOG_INFO, OK_LOG_WARN, OK_LOG_ERROR } ok_log_level;

/* Sets the lowest level written, from a name ("debug", "info", ...). */
void ok_log_set_level(const char *name);
/* Writes {"ts","level","msg", ...fields}; steals the reference to fields (may be NULL). */
void ok_log_new(ok_log_level level, const char *msg, json_t *fields);
/* From now on this thread keeps its info lines (a line per request) and writes
 * them together, like nginx's buffered access log: when 4 KB have gathered,
 * before a warning or an error, and once the oldest is a second old; the
 * thread calls ok_log_flush when ok_log_flush_due_ms says so, and before it ends. */
void ok_log_buffer_thread(void);
/* Milliseconds until this thread's kept lines must be written; -1 if none. */
int ok_log_flush_due_ms(void);
/* Writes this thread's kept lines now. */
void ok_log_flush(void);
/* Writes a message with one printf-formatted "detail" field. */
void ok_log(ok_log_level level, const char *msg, const char *detail_format, ...)
    __attribute__((format(printf, 3, 4)));

#endif
