/*
 * requests.c - GET requests, requests/{id} and tokens/{token}: messages as
 * service requests, with only what the moderation published (statements.c),
 * the platform's status mapped to open/closed and kept in status_notes.
 * Anyone may read them, as the specification has it: no key is asked for.
 */
#include "ok_db.h"
#include "ok_problem.h"
#include "open311.h"

#include <string.h>

/* The filters of GET requests as statement parameters (1..5); -1 after
 * answering 400. */
static int requests_filters(ok_request *req, open311_format format, const char *params[5])
{
    const char *ids = ok_http_query(req, "service_request_id");
    const char *status = ok_http_query(req, "status");
    const char *start = ok_http_query(req, "start_date"), *end = ok_http_query(req, "end_date");
    params[1] = ok_http_query(req, "service_code");
    params[2] = status == NULL ? "{open,closed}" : open311_status_list(status);
    params[3] = start;
    params[4] = end;
    if (ids != NULL &&
        (params[0] = open311_id_list(req->arena, ids, OPEN311_REQUESTS_MAX)) == NULL) {
        open311_error(req, format, 400,
                      "service_request_id must be a comma-separated list of numbers.");
        return -1;
    }
    if (params[2] == NULL) {
        open311_error(req, format, 400,
                      "status must be open, closed or both, separated by a comma.");
        return -1;
    }
    if ((start != NULL && !open311_is_datetime(start)) ||
        (end != NULL && !open311_is_datetime(end))) {
        open311_error(
            req, format, 400,
            "start_date and end_date must be dates and times such as 2026-05-01T00:00:00Z.");
        return -1;
    }
    return 0;
}

/* Answers the requests the statement open311_requests finds for params;
 * with one_id, 404 when there is none. */
static void requests_reply(ok_request *req, open311_format format, const char *params[6],
                           int one_id)
{
    PGresult *result = ok_db_query(req, "open311_requests", 6, params);
    if (result == NULL) {
        ok_db_reply_failure(req);
        return;
    }
    json_t *body = json_loads(PQgetvalue(result, 0, 0), 0, NULL);
    if (one_id && json_array_size(body) == 0) {
        json_decref(body);
        open311_error(req, format, 404, "There is no service request with this id.");
        return;
    }
    open311_reply(req, format, 200, body, "service_requests", "request");
}

void requests_list(ok_request *req)
{
    open311_format format = open311_format_of(req);
    const char *params[6] = {0};
    if (requests_filters(req, format, params) != 0)
        return;
    params[5] = ok_arena_printf(req->arena, "%d", OPEN311_REQUESTS_MAX);
    requests_reply(req, format, params, 0);
}

void requests_show(ok_request *req)
{
    const char *id, *ids;
    open311_format format;
    if (open311_split_format(req->arena, req->path_strings[0], &id, &format) != 0) {
        ok_problem(req, 404, "Add .json or .xml to the address.");
        return;
    }
    if ((ids = open311_id_list(req->arena, id, 1)) == NULL) {
        open311_error(req, format, 404, "There is no service request with this id.");
        return;
    }
    const char *params[6] = {ids, NULL, "{open,closed}", NULL, NULL, "1"};
    requests_reply(req, format, params, 1);
}

void tokens_show(ok_request *req)
{
    const char *token;
    open311_format format;
    if (open311_split_format(req->arena, req->path_strings[0], &token, &format) != 0) {
        ok_problem(req, 404, "Add .json or .xml to the address.");
        return;
    }
    const char *params[] = {token};
    PGresult *result = ok_db_query(req, "open311_token", 1, params);
    if (result == NULL) {
        ok_db_reply_failure(req);
        return;
    }
    if (PQntuples(result) == 0) {
        open311_error(req, format, 404, "There is no service request with this token.");
        return;
    }
    open311_reply(req, format, 200, json_loads(PQgetvalue(result, 0, 0), 0, NULL),
                  "service_requests", "request");
}
