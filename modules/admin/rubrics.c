/*
 * rubrics.c - the rubricator, installation-wide: POST /api/v1/rubrics and
 * PATCH /api/v1/rubrics/{id}, for operators (the SPEC gives them the
 * rubricator; every change is in the admin audit with its author).
 *
 * A rubric: {id, code, parent_id, title, deadline_days (1..365), accelerated,
 * position, is_active}. The tree has two levels: a parent is a top-level
 * rubric. Rubrics are never deleted: messages, widgets and routing rules name
 * them, so one no longer wanted is deactivated (is_active false), which takes
 * it out of GET /api/v1/rubrics and out of intake. The reading side stays in
 * modules/widget (GET /api/v1/rubrics, cached a few seconds per thread);
 * operators read the tree here, uncached and with the inactive rubrics, as
 * GET /api/v1/rubrics?all=true (nginx sends a GET with ?all= to this worker).
 */
#include "admin.h"
#include "ok_json.h"
#include "ok_problem.h"

#include <string.h>

#define RUBRICS_SETTINGS                                                                           \
    {"title", OK_JSON_STRING, .min = 1, .max = 200},                                               \
        {"deadline_days", OK_JSON_INTEGER, .min = 1, .max = 365},                                  \
        {"accelerated", OK_JSON_BOOLEAN}, {"position", OK_JSON_INTEGER, .min = 0, .max = 100000},  \
        {"is_active", OK_JSON_BOOLEAN},

static const ok_json_field rubrics_create_fields[] = {
    {"code", OK_JSON_STRING, .required = true, .min = 2, .max = 63},
    {"parent_id", OK_JSON_INTEGER, .min = 1, .max = 1e15},
    RUBRICS_SETTINGS{0}};
static const ok_json_field rubrics_update_fields[] = {RUBRICS_SETTINGS{0}};

/* A body's values as the statements take them (NULL: not given). */
typedef struct rubrics_change {
    const char *id, *code, *parent_id, *title, *deadline_days, *accelerated, *position, *is_active;
    PGresult *view;
} rubrics_change;

static const char *rubrics_text(ok_request *req, const json_t *body, const char *name)
{
    const json_t *value = json_object_get(body, name);
    if (json_is_integer(value))
        return ok_arena_printf(req->arena, "%lld", (long long)json_integer_value(value));
    if (json_is_boolean(value))
        return json_is_true(value) ? "true" : "false";
    return json_string_value(value);
}

static void rubrics_read(ok_request *req, const json_t *body, rubrics_change *change)
{
    change->code = rubrics_text(req, body, "code");
    change->parent_id = rubrics_text(req, body, "parent_id");
    change->title = rubrics_text(req, body, "title");
    change->deadline_days = rubrics_text(req, body, "deadline_days");
    change->accelerated = rubrics_text(req, body, "accelerated");
    change->position = rubrics_text(req, body, "position");
    change->is_active = rubrics_text(req, body, "is_active");
}

static int rubrics_create_tx(ok_request *req, void *context)
{
    rubrics_change *change = context;
    if (admin_actor(req) != 0)
        return OK_DB_ROLLBACK;
    if (change->parent_id != NULL) {
        PGresult *parent = ok_db_exec(req, "rubrics_parent", 1, &change->parent_id);
        if (parent == NULL)
            return OK_DB_ROLLBACK;
        if (PQntuples(parent) == 0 || strcmp(PQgetvalue(parent, 0, 0), "t") != 0) {
            ok_problem_field(req, "parent_id", PQntuples(parent) == 0 ? "unknown" : "depth",
                             "The parent must be an existing top-level rubric.");
            return OK_DB_ROLLBACK;
        }
    }
    const char *params[] = {change->code,          change->parent_id,   change->title,
                            change->deadline_days, change->accelerated, change->position,
                            change->is_active};
    PGresult *inserted = ok_db_exec(req, "rubrics_insert", 7, params);
    if (inserted == NULL)
        return OK_DB_ROLLBACK;
    if (PQntuples(inserted) == 0) {
        ok_problem_field(req, "code", "duplicate", "A rubric with this code exists.");
        return OK_DB_ROLLBACK;
    }
    const char *id = PQgetvalue(inserted, 0, 0);
    change->view = ok_db_exec(req, "rubrics_view", 1, &id);
    return change->view != NULL ? OK_DB_COMMIT : OK_DB_ROLLBACK;
}

void rubrics_tree(ok_request *req)
{
    if (admin_operator_or_reply(req) != 0)
        return;
    const char *all = ok_http_query(req, "all");
    if (all != NULL && strcmp(all, "true") != 0 && strcmp(all, "false") != 0) {
        ok_problem_field(req, "all", "invalid", "all must be true or false.");
        return;
    }
    const char *params[] = {all != NULL && strcmp(all, "true") == 0 ? "true" : "false"};
    if (ok_db_reply_json(req, "rubrics_tree", 1, params) == 0)
        ok_http_header(req, "Cache-Control", "private, no-store");
}

void rubrics_create(ok_request *req)
{
    if (admin_operator_or_reply(req) != 0)
        return;
    json_t *body = ok_json_read_object_or_reply(req, rubrics_create_fields);
    if (body == NULL)
        return;
    rubrics_change change = {0};
    rubrics_read(req, body, &change);
    json_t *errors = json_array();
    if (!admin_code_valid(change.code, 2))
        admin_error(errors, "code", "invalid");
    if (change.title == NULL)
        admin_error(errors, "title", "required");
    if (change.deadline_days == NULL)
        admin_error(errors, "deadline_days", "required");
    if (admin_errors_or_reply(req, errors) != 0)
        return;
    if (ok_db_transaction(req, rubrics_create_tx, &change) != 0)
        return;
    ok_http_header(
        req, "Location",
        ok_arena_printf(req->arena, "/api/v1/rubrics/%s", PQgetvalue(change.view, 0, 1)));
    admin_reply_row(req, 201, change.view);
}

static int rubrics_update_tx(ok_request *req, void *context)
{
    rubrics_change *change = context;
    if (admin_actor(req) != 0)
        return OK_DB_ROLLBACK;
    const char *params[] = {change->id,          change->title,    change->deadline_days,
                            change->accelerated, change->position, change->is_active};
    PGresult *updated = ok_db_exec(req, "rubrics_update", 6, params);
    if (updated == NULL)
        return OK_DB_ROLLBACK;
    if (strcmp(PQcmdTuples(updated), "1") != 0) {
        ok_problem(req, 404, "There is no such rubric.");
        return OK_DB_ROLLBACK;
    }
    change->view = ok_db_exec(req, "rubrics_view", 1, &change->id);
    return change->view != NULL ? OK_DB_COMMIT : OK_DB_ROLLBACK;
}

void rubrics_update(ok_request *req)
{
    if (admin_operator_or_reply(req) != 0)
        return;
    json_t *body = ok_json_read_object_or_reply(req, rubrics_update_fields);
    if (body == NULL)
        return;
    rubrics_change change = {.id = ok_arena_printf(req->arena, "%lld", req->path_ids[0])};
    rubrics_read(req, body, &change);
    if (ok_db_transaction(req, rubrics_update_tx, &change) == 0)
        admin_reply_row(req, 200, change.view);
}
