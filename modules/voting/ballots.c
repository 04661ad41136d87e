/*
 * ballots.c - casting a ballot, reading one's own, and the results.
 *
 * A ballot is checked (voting open, the caller entitled, choices within
 * max_choices and budget, projects of this voting) and stored with the
 * counters it moves in one statement of one transaction; the primary key
 * (voting, citizen) makes a second ballot a 409 however many race. The
 * counters are split into slots (sql/085), so ballots do not queue on the
 * voting's row; only a refused ballot pays a second statement, to say why.
 */
#include "ok_auth.h"
#include "ok_authz.h"
#include "ok_json.h"
#include "ok_metrics.h"
#include "ok_i18n.h"
#include "ok_problem.h"
#include "voting.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const ok_json_field ballot_project = {"", OK_JSON_INTEGER, .min = 1, .max = 1e15};
static const ok_json_field ballot_fields[] = {
    {"project_ids", OK_JSON_ARRAY, .required = true, .min = 1, .max = 100, .item = &ballot_project},
    {0},
};

typedef struct ballot_input {
    const char *voting;
    const char *user;
    const char *projects; /* an array literal */
    long long count;
} ballot_input;

/* Why ballots_cast stored nothing: the first rule the ballot breaks, or else
 * the citizen has voted. Always answers; returns OK_DB_ROLLBACK. */
static int ballots_refusal(ok_request *req, const ballot_input *in)
{
    const char *params[] = {in->voting, in->user, in->projects};
    PGresult *row = ok_db_exec(req, "ballots_context", 3, params);
    if (row == NULL)
        return OK_DB_ROLLBACK;
    if (PQntuples(row) == 0) {
        ok_problem(req, 404, "There is no such voting.");
        return OK_DB_ROLLBACK;
    }
    if (strcmp(PQgetvalue(row, 0, 0), "t") != 0 || strcmp(PQgetvalue(row, 0, 1), "t") != 0) {
        ok_problem(req, 409,
                   strcmp(PQgetvalue(row, 0, 0), "t") != 0 ? "The voting has not opened yet."
                                                           : "The voting has closed.");
        return OK_DB_ROLLBACK;
    }
    if (strcmp(PQgetvalue(row, 0, 4), "t") != 0) {
        ok_problem(req, 403,
                   strcmp(PQgetvalue(row, 0, 7), "t") != 0
                       ? "Only residents of the voting's territory may vote: choose your "
                         "territory in your profile first (PATCH /api/v1/me {territory})."
                       : "Only residents of the voting's territory may vote.");
        return OK_DB_ROLLBACK;
    }
    if (in->count > strtoll(PQgetvalue(row, 0, 2), NULL, 10)) {
        ok_problem_field(req, "project_ids", "too_many",
                         ok_i18n_printf(req, "Choose at most %s projects.", PQgetvalue(row, 0, 2)));
        return OK_DB_ROLLBACK;
    }
    if (strtoll(PQgetvalue(row, 0, 5), NULL, 10) != in->count) {
        ok_problem_field(req, "project_ids", "unknown", "A project is not part of this voting.");
        return OK_DB_ROLLBACK;
    }
    const char *budget = ok_db_value(row, 0, 3);
    if (budget != NULL && strtoll(PQgetvalue(row, 0, 6), NULL, 10) > strtoll(budget, NULL, 10)) {
        ok_problem_field(req, "project_ids", "over_budget",
                         "The chosen projects cost more than the voting's budget.");
        return OK_DB_ROLLBACK;
    }
    ok_problem(req, 409, "You have already voted in this voting.");
    return OK_DB_ROLLBACK;
}

/* The ballot with its rules and counters in one statement (ballots_cast in
 * statements.c); the answer comes from that statement, so a stored ballot
 * is never turned into an error by a later read, and 201 follows COMMIT. */
static int ballots_cast_tx(ok_request *req, void *context)
{
    ballot_input *in = context;
    const char *params[] = {in->voting, in->user, in->projects};
    PGresult *cast = ok_db_exec(req, "ballots_cast", 3, params);
    if (cast == NULL)
        return OK_DB_ROLLBACK;
    if (PQntuples(cast) == 0)
        return ballots_refusal(req, in);
    voting_reply_json(req, 201, PQgetvalue(cast, 0, 0));
    return OK_DB_COMMIT;
}

void ballots_cast(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    json_t *body = ok_json_read_object_or_reply(req, ballot_fields);
    if (body == NULL)
        return;
    json_t *ids = json_object_get(body, "project_ids");
    ballot_input in = {.voting = ok_arena_printf(req->arena, "%lld", req->path_ids[0]),
                       .user = ok_arena_printf(req->arena, "%lld", req->user->id),
                       .count = (long long)json_array_size(ids)};
    for (size_t i = 0; i < json_array_size(ids); i++) {
        json_int_t id = json_integer_value(json_array_get(ids, i));
        for (size_t j = 0; j < i; j++) /* at most 100 items (ballot_fields) */
            if (json_integer_value(json_array_get(ids, j)) == id) {
                ok_problem_field(req, "project_ids", "duplicate", "A project is chosen twice.");
                return;
            }
    }
    in.projects = ok_json_integer_array(req->arena, ids);
    if (ok_db_transaction(req, ballots_cast_tx, &in) == 0 && req->status < 300)
        ok_metrics_count(OK_METRICS_BALLOTS_CAST);
}

void ballots_mine(ok_request *req)
{
    if (req->user == NULL && ok_auth_require_user(req) != 0)
        return;
    const char *params[] = {ok_arena_printf(req->arena, "%lld", req->path_ids[0]),
                            ok_arena_printf(req->arena, "%lld", req->user->id)};
    PGresult *row = ok_db_query(req, "ballots_mine", 2, params);
    if (row == NULL) {
        ok_db_reply_failure(req);
        return;
    }
    if (PQntuples(row) == 0) {
        ok_problem(req, 404, "You have not voted in this voting.");
        return;
    }
    voting_reply_json(req, 200, PQgetvalue(row, 0, 0));
}

/* The results row, if the caller may see them now: everyone when live or
 * closed, the organisation's staff always. NULL after answering. */
static PGresult *results_visible(ok_request *req, int staff_only)
{
    const char *id = ok_arena_printf(req->arena, "%lld", req->path_ids[0]);
    PGresult *row = ok_db_query(req, "results_show", 1, &id);
    if (row == NULL) {
        ok_db_reply_failure(req);
        return NULL;
    }
    if (PQntuples(row) == 0) {
        ok_problem(req, 404, "There is no such voting.");
        return NULL;
    }
    long long organisation = strtoll(PQgetvalue(row, 0, 2), NULL, 10);
    int staff = req->user != NULL && ok_authz_is_staff(req->user, organisation);
    if (staff_only && !staff) {
        ok_problem(req, 404, "There is no such voting among yours.");
        return NULL;
    }
    if (!staff && strcmp(PQgetvalue(row, 0, 1), "t") != 0) {
        ok_problem(req, 403, "The results will be published when the voting closes.");
        return NULL;
    }
    return row;
}

void results_show(ok_request *req)
{
    /* a logged-in staff member may see results early; others need no login */
    const char *authorization = ok_http_param(req, "HTTP_AUTHORIZATION");
    if (authorization != NULL && ok_auth_require_user(req) != 0)
        return;
    PGresult *row = results_visible(req, 0);
    if (row != NULL)
        voting_reply_json(req, 200, PQgetvalue(row, 0, 0));
}

/* A CSV field: quoted, quotes doubled, and a leading = + - @ neutralised so a
 * spreadsheet does not run it as a formula. */
static const char *results_csv_field(ok_request *req, const char *text)
{
    size_t length = strlen(text);
    char *out = ok_arena_alloc(req->arena, 2 * length + 4);
    size_t n = 0;
    out[n++] = '"';
    if (strchr("=+-@\t\r", text[0]) != NULL && text[0] != '\0')
        out[n++] = '\'';
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            out[n++] = '"';
        out[n++] = *p;
    }
    out[n++] = '"';
    out[n] = '\0';
    return out;
}

void results_csv(ok_request *req)
{
    if (ok_auth_require_user(req) != 0 || results_visible(req, 1) == NULL)
        return;
    const char *id = ok_arena_printf(req->arena, "%lld", req->path_ids[0]);
    PGresult *rows = ok_db_query(req, "results_rows", 1, &id);
    if (rows == NULL) {
        ok_db_reply_failure(req);
        return;
    }
    const char *csv = "project_id,title,cost_rubles,votes\r\n";
    for (int i = 0; i < PQntuples(rows); i++)
        csv = ok_arena_printf(req->arena, "%s%s,%s,%s,%s\r\n", csv, PQgetvalue(rows, i, 0),
                              results_csv_field(req, PQgetvalue(rows, i, 1)),
                              PQgetvalue(rows, i, 2), PQgetvalue(rows, i, 3));
    ok_http_respond(req, 200, "text/csv; charset=utf-8", csv, strlen(csv));
    ok_http_header(
        req, "Content-Disposition",
        ok_arena_printf(req->arena, "attachment; filename=\"voting-%s-results.csv\"", id));
    ok_http_header(req, "Cache-Control", "no-store");
}
