/*
 * ok_problem.h - errors as RFC 9457 application/problem+json.
 *
 * The one way a worker answers an error: {type, title, status, detail} and, for
 * validation, errors: [{field, code}]. The detail is a plain sentence a widget
 * can show to a citizen.
 */
#ifndef OK_PROBLEM_H
#define OK_PROBLEM_H

#include "ok_http.h"

#include <jansson.h>

/* Answers status with the given detail (copied), an English sentence answered
 * in the caller's language (ok_i18n.h), with Content-Language. 503 and 429 also get Retry-After. */
void ok_problem(ok_request *req, int status, const char *detail);

/* Answers status with a detail made by printf from format, an English
 * sentence of the catalogue (core/ok_messages.c) translated before formatting. */
void ok_problemf(ok_request *req, int status, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* Answers 422 with errors [{field, code}]; steals the reference to errors. */
void ok_problem_validation_new(ok_request *req, json_t *errors);

/* Answers 422 for one field. */
void ok_problem_field(ok_request *req, const char *field, const char *code, const char *detail);

#endif
