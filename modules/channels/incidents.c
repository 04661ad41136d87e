/*
 * incidents.c - the moderators' incident queue: GET /api/v1/incidents, and
 * POST /api/v1/incidents/{id}/accept or /dismiss.
 *
 * A moderator sees the incidents of the territories his moderation
 * organisations cover (as the messages' moderation queue). Accepting one makes
 * it a message of the same lifecycle, already registered in the chosen
 * organisation: its author is the post's external profile (a user row whose
 * esia_oid is "<source>:<id in the network>", which no ESIA login can take),
 * its channel the incident's, its due date the rubric's. Dismissing needs a
 * reason code of the SPEC's list. Either happens once (409 after).
 */
#include "channels.h"
#include "ok_auth.h"
#include "ok_authz.h"
#include "ok_json.h"
#include "ok_page.h"
#include "ok_problem.h"

#include <stdlib.h>
#include <string.h>

/* Whether the caller moderates anywhere; else answers 403. */
static int incidents_moderator_or_reply(ok_request *req)
{
    for (size_t i = 0; i < req->user->role_count; i++)
        if (ok_authz_can(req->user, "incident.moderate", req->user->roles[i].organisation_id))
            return 0;
    ok_problem(req, 403, "Only moderators work on incidents.");
    return -1;
}

void incidents_list(ok_request *req)
{
    long limit;
    long long cursor;
    if (ok_auth_require_user(req) != 0 || incidents_moderator_or_reply(req) != 0 ||
        ok_page_or_reply(req, 20, 100, &limit, &cursor) != 0)
        return;
    const char *status = ok_http_query(req, "status");
    if (status == NULL)
        status = "new";
    if (strcmp(status, "new") != 0 && strcmp(status, "accepted") != 0 &&
        strcmp(status, "dismissed") != 0) {
        ok_problem(req, 400, "status is new, accepted or dismissed.");
        return;
    }
    const char *params[] = {ok_arena_printf(req->arena, "%lld", req->user->id),
                            ok_authz_roles_allowed(req->arena, "incident.moderate"), status,
                            ok_arena_printf(req->arena, "%lld", cursor),
                            ok_arena_printf(req->arena, "%ld", limit)};
    PGresult *rows = ok_db_query(req, "incidents_list", 5, params);
    if (rows == NULL) {
        ok_db_reply_failure(req);
        return;
    }
    ok_page_reply(req, rows, limit);
}

/* ------------------------------------------------------------ decisions */

typedef struct incidents_decision {
    json_t *body;
    const char *id;
    const char *user;
} incidents_decision;

/* Locks the path's incident, if the caller moderates its territory; its
 * suggested rubric (column 1, may be NULL), or NULL having answered 404 or
 * 409 (already decided), or after a failed statement. */
static PGresult *incidents_lock_or_reply(ok_request *req, incidents_decision *d)
{
    const char *params[] = {d->id, d->user,
                            ok_authz_roles_allowed(req->arena, "incident.moderate")};
    PGresult *row = ok_db_exec(req, "incidents_lock", 3, params);
    if (row == NULL)
        return NULL;
    if (PQntuples(row) == 0) {
        ok_problem(req, 404, "There is no such incident in your queue.");
        return NULL;
    }
    if (strcmp(PQgetvalue(row, 0, 0), "new") != 0) {
        ok_problem(req, 409, "This incident was already accepted or dismissed.");
        return NULL;
    }
    return row;
}

static int incidents_reply(ok_request *req, incidents_decision *d)
{
    const char *params[] = {d->id};
    PGresult *row = ok_db_exec(req, "incidents_show", 1, params);
    if (row == NULL)
        return OK_DB_ROLLBACK;
    ok_http_respond(req, 200, "application/json", PQgetvalue(row, 0, 0),
                    (size_t)PQgetlength(row, 0, 0));
    return OK_DB_COMMIT;
}

/* The rubric and organisation of an acceptance as parameters; 0, or -1
 * having answered 422 (or after a failed statement). */
static int incidents_routing_or_reply(ok_request *req, incidents_decision *d, PGresult *incident,
                                      const char **rubric, const char **organisation)
{
    json_t *given = json_object_get(d->body, "rubric_id");
    *rubric = json_is_integer(given)
                  ? ok_arena_printf(req->arena, "%lld", (long long)json_integer_value(given))
                  : ok_db_value(incident, 0, 1);
    if (*rubric == NULL) {
        ok_problem_field(req, "rubric_id", "required",
                         "No rubric was suggested for this incident: choose one.");
        return -1;
    }
    const char *params[] = {*rubric, json_string_value(json_object_get(d->body, "org"))};
    PGresult *row = ok_db_exec(req, "incidents_routing", 2, params);
    if (row == NULL)
        return -1;
    if (ok_db_value(row, 0, 0) == NULL) {
        ok_problem_field(req, "rubric_id", "unknown", "There is no such rubric.");
        return -1;
    }
    if (ok_db_value(row, 0, 1) == NULL) {
        ok_problem_field(req, "org", "unknown", "There is no such organisation.");
        return -1;
    }
    *organisation = ok_arena_strdup(req->arena, PQgetvalue(row, 0, 1));
    return 0;
}

static int incidents_accept_tx(ok_request *req, void *context)
{
    incidents_decision *d = context;
    PGresult *incident = incidents_lock_or_reply(req, d);
    const char *rubric, *organisation;
    if (incident == NULL ||
        incidents_routing_or_reply(req, d, incident, &rubric, &organisation) != 0)
        return OK_DB_ROLLBACK;
    const char *params[] = {d->id, rubric, organisation, d->user,
                            json_string_value(json_object_get(d->body, "comment"))};
    PGresult *message = ok_db_exec(req, "incidents_to_message", 3, params);
    if (message == NULL)
        return OK_DB_ROLLBACK;
    const char *event[] = {PQgetvalue(message, 0, 0), d->user, params[4], d->id};
    if (ok_db_exec(req, "incidents_accepted", 4, event) == NULL)
        return OK_DB_ROLLBACK;
    return incidents_reply(req, d);
}

static int incidents_dismiss_tx(ok_request *req, void *context)
{
    incidents_decision *d = context;
    if (incidents_lock_or_reply(req, d) == NULL)
        return OK_DB_ROLLBACK;
    const char *params[] = {
        d->id, d->user,
        ok_arena_printf(req->arena, "%lld",
                        (long long)json_integer_value(json_object_get(d->body, "reason_code"))),
        json_string_value(json_object_get(d->body, "comment"))};
    if (ok_db_exec(req, "incidents_dismiss", 4, params) == NULL)
        return OK_DB_ROLLBACK;
    return incidents_reply(req, d);
}

static const ok_json_field incidents_accept_fields[] = {
    {"org", OK_JSON_STRING, .required = true, .min = 1, .max = 64},
    {"rubric_id", OK_JSON_INTEGER, .min = 1, .max = 1e15},
    {"comment", OK_JSON_STRING, .max = 2000},
    {0},
};

static const ok_json_field incidents_dismiss_fields[] = {
    {"reason_code", OK_JSON_INTEGER, .required = true, .min = 1, .max = 10},
    {"comment", OK_JSON_STRING, .max = 2000},
    {0},
};

static void incidents_decide(ok_request *req, const ok_json_field *fields, ok_db_body_fn *body_fn)
{
    if (ok_auth_require_user(req) != 0)
        return;
    incidents_decision d = {
        .body = ok_json_read_object_or_reply(req, fields),
        .id = ok_arena_printf(req->arena, "%lld", req->path_ids[0]),
        .user = ok_arena_printf(req->arena, "%lld", req->user->id),
    };
    if (d.body != NULL)
        ok_db_transaction(req, body_fn, &d);
}

void incidents_accept(ok_request *req)
{
    incidents_decide(req, incidents_accept_fields, incidents_accept_tx);
}

void incidents_dismiss(ok_request *req)
{
    incidents_decide(req, incidents_dismiss_fields, incidents_dismiss_tx);
}
