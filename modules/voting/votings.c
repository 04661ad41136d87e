/*
 * votings.c - budget votings and their projects: read by anyone, created and
 * edited by an organisation's admin or manager. Once a voting has opened, its
 * rules (dates, max_choices, budget, who may vote, the projects and their
 * costs) can no longer change (409); only its wording can.
 */
#include "ok_auth.h"
#include "ok_authz.h"
#include "ok_json.h"
#include "ok_org.h"
#include "ok_page.h"
#include "ok_problem.h"
#include "voting.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#define VOTING_TEXT_MAX 10000

void voting_reply_json(ok_request *req, int status, const char *json)
{
    ok_http_respond(req, status, "application/json; charset=utf-8", json, strlen(json));
    ok_http_header(req, "Cache-Control", "no-store");
}

void voting_show_one(ok_request *req, const char *statement, const char *missing)
{
    const char *id = ok_arena_printf(req->arena, "%lld", req->path_ids[0]);
    PGresult *row = ok_db_query(req, statement, 1, &id);
    if (row == NULL) {
        ok_db_reply_failure(req);
        return;
    }
    if (PQntuples(row) == 0) {
        ok_problem(req, 404, missing);
        return;
    }
    voting_reply_json(req, 200, PQgetvalue(row, 0, 0));
}

int voting_is_rfc3339(const char *text)
{
    static regex_t pattern;
    static int compiled; /* first call happens in main's init, before threads */
    if (!compiled) {
        if (regcomp(&pattern,
                    "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,6})?)?"
                    "(Z|[+-][0-9]{2}:[0-9]{2})$",
                    REG_EXTENDED | REG_NOSUB) != 0)
            return 0;
        compiled = 1;
    }
    return text != NULL && regexec(&pattern, text, 0, NULL, 0) == 0;
}

const char *voting_integer(ok_request *req, json_t *body, const char *name)
{
    json_t *value = json_object_get(body, name);
    return json_is_integer(value)
               ? ok_arena_printf(req->arena, "%lld", (long long)json_integer_value(value))
               : NULL;
}

const char *voting_boolean(json_t *body, const char *name)
{
    json_t *value = json_object_get(body, name);
    return json_is_boolean(value) ? (json_is_true(value) ? "true" : "false") : NULL;
}

void voting_write(ok_request *req, const ok_json_field *fields, ok_db_body_fn *body_fn)
{
    if (ok_auth_require_user(req) != 0)
        return;
    json_t *body = ok_json_read_object_or_reply(req, fields);
    if (body != NULL)
        ok_db_transaction(req, body_fn, body);
}

/* ---------------------------------------------------------------- reading */

void voting_catalogue(ok_request *req, const char *statement)
{
    long limit;
    long long cursor;
    if (ok_page_or_reply(req, 20, 100, &limit, &cursor) != 0)
        return;
    const char *state = ok_http_query(req, "state");
    if (state != NULL && strcmp(state, "open") != 0 && strcmp(state, "upcoming") != 0 &&
        strcmp(state, "finished") != 0) {
        ok_problem(req, 400, "state is open, upcoming or finished.");
        return;
    }
    const char *params[] = {ok_http_query(req, "territory"), state,
                            ok_arena_printf(req->arena, "%lld", cursor),
                            ok_arena_printf(req->arena, "%ld", limit)};
    PGresult *rows = ok_db_query(req, statement, 4, params);
    if (rows == NULL) {
        ok_db_reply_failure(req);
        return;
    }
    ok_page_reply(req, rows, limit);
}

void votings_list(ok_request *req)
{
    voting_catalogue(req, "votings_list");
}

void votings_show(ok_request *req)
{
    voting_show_one(req, "votings_show", "There is no such voting.");
}

/* --------------------------------------------------------------- projects */

static const ok_json_field photo_id = {"", OK_JSON_INTEGER, .min = 1, .max = 1e15};
static const ok_json_field project_fields[] = {
    {"title", OK_JSON_STRING, .required = true, .min = 1, .max = 300},
    {"description", OK_JSON_STRING, .max = VOTING_TEXT_MAX},
    {"cost", OK_JSON_INTEGER, .required = true, .min = 1, .max = 1e13},
    {"address", OK_JSON_STRING, .max = 500},
    {"photo_ids", OK_JSON_ARRAY, .max = 10, .item = &photo_id},
    {0},
};
static const ok_json_field project_patch_fields[] = {
    {"title", OK_JSON_STRING, .min = 1, .max = 300},
    {"description", OK_JSON_STRING, .max = VOTING_TEXT_MAX},
    {"cost", OK_JSON_INTEGER, .min = 1, .max = 1e13},
    {"address", OK_JSON_STRING, .max = 500},
    {0},
};

/* Answers status with the voting as it now is, read in the transaction that
 * changed it: a read after COMMIT could fail and turn a stored change into an
 * error (and a retried creation into a second voting). */
int voting_reply_current(ok_request *req, const char *statement, const char *id, int status)
{
    PGresult *row = ok_db_exec(req, statement, 1, &id);
    if (row == NULL || PQntuples(row) != 1)
        return OK_DB_ROLLBACK;
    voting_reply_json(req, status, PQgetvalue(row, 0, 0));
    return OK_DB_COMMIT;
}

int voting_files_or_reply(ok_request *req, const char *field, json_t *ids, const char *literal,
                          int images_only)
{
    if (literal == NULL)
        return 0;
    for (size_t i = 0; i < json_array_size(ids); i++)
        for (size_t j = 0; j < i; j++) /* at most 20 (the fields' limits) */
            if (json_integer_value(json_array_get(ids, i)) ==
                json_integer_value(json_array_get(ids, j))) {
                ok_problem_field(req, field, "duplicate", "A file is given twice.");
                return -1;
            }
    const char *params[] = {literal, ok_arena_printf(req->arena, "%lld", req->user->id),
                            images_only ? "true" : "false"};
    PGresult *owned = ok_db_exec(req, "attachments_owned", 3, params);
    if (owned == NULL)
        return -1;
    if (strtoull(PQgetvalue(owned, 0, 0), NULL, 10) != json_array_size(ids)) {
        if (images_only)
            ok_problem_field(req, field, "unknown", "Attach only photos you uploaded.");
        else
            ok_problem_field(req, field, "unknown", "Attach only files you uploaded.");
        return -1;
    }
    return 0;
}

/* Inserts one project of voting; OK_DB_ROLLBACK on failure (having answered
 * 422 for photos that are not the caller's images). */
static int voting_project_insert(ok_request *req, const char *voting, json_t *project)
{
    json_t *photos = json_object_get(project, "photo_ids");
    const char *photo_ids = ok_json_integer_array(req->arena, photos);
    if (voting_files_or_reply(req, "photo_ids", photos, photo_ids, 1) != 0)
        return OK_DB_ROLLBACK;
    const char *params[] = {voting,
                            json_string_value(json_object_get(project, "title")),
                            json_string_value(json_object_get(project, "description")),
                            voting_integer(req, project, "cost"),
                            json_string_value(json_object_get(project, "address")),
                            photo_ids};
    return ok_db_exec(req, "projects_insert", 6, params) != NULL ? OK_DB_COMMIT : OK_DB_ROLLBACK;
}

/* ---------------------------------------------------------------- create */

static const ok_json_field project_item = {"", OK_JSON_OBJECT, .fields = project_fields};
static const ok_json_field voting_fields[] = {
    {"org", OK_JSON_STRING, .required = true, .min = 1, .max = 64},
    {"territory", OK_JSON_STRING, .min = 1, .max = 64},
    {"title", OK_JSON_STRING, .required = true, .min = 1, .max = 300},
    {"description", OK_JSON_STRING, .max = VOTING_TEXT_MAX},
    {"opens_at", OK_JSON_STRING, .required = true, .min = 10, .max = 40},
    {"closes_at", OK_JSON_STRING, .required = true, .min = 10, .max = 40},
    {"max_choices", OK_JSON_INTEGER, .required = true, .min = 1, .max = 100},
    {"budget", OK_JSON_INTEGER, .min = 1, .max = 1e15},
    {"results", OK_JSON_STRING, .min = 1, .max = 16},
    {"residents_only", OK_JSON_BOOLEAN},
    {"projects", OK_JSON_ARRAY, .max = 100, .item = &project_item},
    {0},
};

/* Checks the dates (format, readable, closing after opening): 0, or -1 having
 * answered 422 (or after a failed statement, which the transaction answers). */
int voting_dates_or_reply(ok_request *req, const char *opens, const char *closes)
{
    if ((opens != NULL && !voting_is_rfc3339(opens)) ||
        (closes != NULL && !voting_is_rfc3339(closes))) {
        ok_problem_field(req, opens != NULL && !voting_is_rfc3339(opens) ? "opens_at" : "closes_at",
                         "format", "Dates are RFC 3339, e.g. 2026-12-01T09:00:00Z.");
        return -1;
    }
    if (opens == NULL || closes == NULL)
        return 0;
    const char *params[] = {opens, closes};
    PGresult *parsed = ok_db_exec(req, "times_parse", 2, params);
    if (parsed == NULL)
        return -1;
    if (strcmp(PQgetvalue(parsed, 0, 0), "t") != 0 || strcmp(PQgetvalue(parsed, 0, 1), "t") != 0) {
        ok_problem_field(req, strcmp(PQgetvalue(parsed, 0, 0), "t") != 0 ? "opens_at" : "closes_at",
                         "format", "This date does not exist.");
        return -1;
    }
    if (strcmp(PQgetvalue(parsed, 0, 2), "t") != 0) {
        ok_problem_field(req, "closes_at", "out_of_range", "The period ends after it begins.");
        return -1;
    }
    return 0;
}

/* Checks the results setting: 0, or -1 having answered 422. */
int voting_results_or_reply(ok_request *req, const char *results)
{
    if (results == NULL || strcmp(results, "live") == 0 || strcmp(results, "after_close") == 0)
        return 0;
    ok_problem_field(req, "results", "unknown", "results is live or after_close.");
    return -1;
}

int voting_territory_or_reply(ok_request *req, const char *code, const char **territory)
{
    PGresult *row = ok_db_exec(req, "territories_by_code", 1, &code);
    if (row == NULL)
        return -1;
    if (PQntuples(row) == 0) {
        ok_problem_field(req, "territory", "unknown", "There is no territory with this code.");
        return -1;
    }
    *territory = ok_arena_strdup(req->arena, PQgetvalue(row, 0, 0));
    return 0;
}

/* A person with no staff role anywhere (a citizen) may manage nothing: 403,
 * since there is nothing of anyone's to hide from them. -1 having answered. */
static int voting_staff_or_reply(ok_request *req)
{
    if (req->user->role_count > 0)
        return 0;
    ok_problem(req, 403, "Only an organisation's admin or manager may do this.");
    return -1;
}

int voting_owner_or_reply(ok_request *req, json_t *body, const char *action, voting_owner *owner)
{
    if (voting_staff_or_reply(req) != 0)
        return -1;
    long long organisation =
        ok_org_for_action_or_reply(req, json_string_value(json_object_get(body, "org")), action);
    if (organisation < 0)
        return -1;
    owner->organisation = ok_arena_printf(req->arena, "%lld", organisation);
    const char *code = json_string_value(json_object_get(body, "territory"));
    if (code != NULL)
        return voting_territory_or_reply(req, code, &owner->territory);
    PGresult *row = ok_db_exec(req, "organisations_territory", 1, &owner->organisation);
    if (row == NULL || PQntuples(row) != 1)
        return -1;
    owner->territory = ok_arena_strdup(req->arena, PQgetvalue(row, 0, 0));
    return 0;
}

typedef struct voting_create_input {
    json_t *body;
    const char *id;
} voting_create_input;

static int votings_create_tx(ok_request *req, void *context)
{
    voting_create_input *in = context;
    json_t *body = in->body;
    voting_owner owner;
    if (voting_owner_or_reply(req, body, "voting.manage", &owner) != 0)
        return OK_DB_ROLLBACK;
    const char *opens = json_string_value(json_object_get(body, "opens_at"));
    const char *closes = json_string_value(json_object_get(body, "closes_at"));
    const char *results = json_string_value(json_object_get(body, "results"));
    if (voting_dates_or_reply(req, opens, closes) != 0 ||
        voting_results_or_reply(req, results) != 0)
        return OK_DB_ROLLBACK;
    const char *residents = voting_boolean(body, "residents_only");
    const char *params[] = {owner.organisation,
                            owner.territory,
                            json_string_value(json_object_get(body, "title")),
                            json_string_value(json_object_get(body, "description")),
                            opens,
                            closes,
                            voting_integer(req, body, "max_choices"),
                            voting_integer(req, body, "budget"),
                            results != NULL ? results : "live",
                            residents != NULL ? residents : "false"};
    PGresult *voting = ok_db_exec(req, "votings_insert", 10, params);
    if (voting == NULL)
        return OK_DB_ROLLBACK;
    in->id = ok_arena_strdup(req->arena, PQgetvalue(voting, 0, 0));
    size_t i;
    json_t *project;
    json_array_foreach(json_object_get(body, "projects"), i, project)
    {
        if (voting_project_insert(req, in->id, project) != OK_DB_COMMIT)
            return OK_DB_ROLLBACK;
    }
    if (voting_reply_current(req, "votings_show", in->id, 201) != OK_DB_COMMIT)
        return OK_DB_ROLLBACK;
    ok_http_header(req, "Location", ok_arena_printf(req->arena, "/api/v1/votings/%s", in->id));
    return OK_DB_COMMIT;
}

void votings_create(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    voting_create_input in = {.body = ok_json_read_object_or_reply(req, voting_fields)};
    if (in.body != NULL)
        ok_db_transaction(req, votings_create_tx, &in);
}

/* ------------------------------------------------------------------ edit */

static const ok_json_field voting_patch_fields[] = {
    {"title", OK_JSON_STRING, .min = 1, .max = 300},
    {"description", OK_JSON_STRING, .max = VOTING_TEXT_MAX},
    {"opens_at", OK_JSON_STRING, .min = 10, .max = 40},
    {"closes_at", OK_JSON_STRING, .min = 10, .max = 40},
    {"max_choices", OK_JSON_INTEGER, .min = 1, .max = 100},
    {"budget", OK_JSON_INTEGER, .min = 1, .max = 1e15},
    {"results", OK_JSON_STRING, .min = 1, .max = 16},
    {"residents_only", OK_JSON_BOOLEAN},
    {0},
};

PGresult *voting_lock_or_reply(ok_request *req, const voting_kind *kind, int rules)
{
    if (voting_staff_or_reply(req) != 0)
        return NULL;
    const char *id = ok_arena_printf(req->arena, "%lld", req->path_ids[0]);
    PGresult *row = ok_db_exec(req, kind->lock, 1, &id);
    if (row == NULL)
        return NULL;
    long long organisation = PQntuples(row) ? strtoll(PQgetvalue(row, 0, 0), NULL, 10) : 0;
    if (organisation == 0 || !ok_authz_is_staff(req->user, organisation)) {
        ok_problem(req, 404, kind->missing);
        return NULL;
    }
    if (!ok_authz_can(req->user, kind->action, organisation)) {
        ok_problem(req, 403, kind->forbidden);
        return NULL;
    }
    if (rules && strcmp(PQgetvalue(row, 0, 1), "t") == 0) {
        ok_problem(req, 409, kind->frozen);
        return NULL;
    }
    return row;
}

int voting_period_patch_or_reply(ok_request *req, json_t *body, PGresult *current,
                                 const char **opens, const char **closes)
{
    *opens = json_string_value(json_object_get(body, "opens_at"));
    *closes = json_string_value(json_object_get(body, "closes_at"));
    return voting_dates_or_reply(req, *opens != NULL ? *opens : PQgetvalue(current, 0, 2),
                                 *closes != NULL ? *closes : PQgetvalue(current, 0, 3));
}

int voting_rules_touched(json_t *body, const char *const *fields)
{
    for (; *fields != NULL; fields++)
        if (json_object_get(body, *fields) != NULL)
            return 1;
    return 0;
}

static const voting_kind voting_votings = {
    .lock = "votings_lock",
    .action = "voting.manage",
    .missing = "There is no such voting among yours.",
    .forbidden = "Only the organisation's admin or manager may change its votings.",
    .frozen = "The voting has opened: its rules and projects can no longer change.",
};

/* Locks the path's voting for a change (voting_lock_or_reply). */
static PGresult *voting_lock(ok_request *req, int rules)
{
    return voting_lock_or_reply(req, &voting_votings, rules);
}

static int votings_update_tx(ok_request *req, void *context)
{
    json_t *body = context;
    static const char *const rule_fields[] = {"opens_at", "closes_at",      "max_choices", "budget",
                                              "results",  "residents_only", NULL};
    PGresult *current = voting_lock(req, voting_rules_touched(body, rule_fields));
    if (current == NULL)
        return OK_DB_ROLLBACK;
    const char *opens, *closes;
    const char *results = json_string_value(json_object_get(body, "results"));
    if (voting_period_patch_or_reply(req, body, current, &opens, &closes) != 0 ||
        voting_results_or_reply(req, results) != 0)
        return OK_DB_ROLLBACK;
    const char *params[] = {ok_arena_printf(req->arena, "%lld", req->path_ids[0]),
                            json_string_value(json_object_get(body, "title")),
                            json_string_value(json_object_get(body, "description")),
                            opens,
                            closes,
                            voting_integer(req, body, "max_choices"),
                            voting_integer(req, body, "budget"),
                            results,
                            voting_boolean(body, "residents_only")};
    if (ok_db_exec(req, "votings_update", 9, params) == NULL)
        return OK_DB_ROLLBACK;
    return voting_reply_current(req, "votings_show", params[0], 200);
}

void votings_update(ok_request *req)
{
    voting_write(req, voting_patch_fields, votings_update_tx);
}

static int projects_create_tx(ok_request *req, void *context)
{
    const char *id = ok_arena_printf(req->arena, "%lld", req->path_ids[0]);
    if (voting_lock(req, 1) == NULL || voting_project_insert(req, id, context) != OK_DB_COMMIT)
        return OK_DB_ROLLBACK;
    return voting_reply_current(req, "votings_show", id, 201);
}

void projects_create(ok_request *req)
{
    voting_write(req, project_fields, projects_create_tx);
}

static int projects_update_tx(ok_request *req, void *context)
{
    json_t *body = context;
    if (voting_lock(req, 1) == NULL)
        return OK_DB_ROLLBACK;
    const char *params[] = {ok_arena_printf(req->arena, "%lld", req->path_ids[0]),
                            ok_arena_printf(req->arena, "%lld", req->path_ids[1]),
                            json_string_value(json_object_get(body, "title")),
                            json_string_value(json_object_get(body, "description")),
                            voting_integer(req, body, "cost"),
                            json_string_value(json_object_get(body, "address"))};
    PGresult *result = ok_db_exec(req, "projects_update", 6, params);
    if (result == NULL)
        return OK_DB_ROLLBACK;
    if (PQntuples(result) == 0) {
        ok_problem(req, 404, "There is no such project in this voting.");
        return OK_DB_ROLLBACK;
    }
    return voting_reply_current(req, "votings_show", params[0], 200);
}

void projects_update(ok_request *req)
{
    voting_write(req, project_patch_fields, projects_update_tx);
}
