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
/* Writes a message with one printf-formatted "detail" field. */
void ok_log(ok_log_level level, const char *msg, const char *detail_format, ...)
    __attribute__((format(printf, 3, 4)));

#endif
