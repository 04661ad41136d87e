/*
 * routing.c - routing rules, rubric x territory -> the responsible
 * organisation (sql/014's routing_rules): GET /api/v1/routing-rules
 * (?territory=, ?rubric_id=, paged), POST (create), PATCH and DELETE
 * /api/v1/routing-rules/{id}, for operators within their territory.
 *
 * A rule pre-fills the moderator's choice for messages of its rubric (and the
 * rubric's children) in its territory (and below, unless a nearer rule says
 * otherwise: routing_rule_for). With auto_route on, a message whose
 * pre-checks found nothing is registered in that organisation at once, in the
 * send's own transaction (modules/widget/statements.c, messages_insert).
 *
 * The territory must be the caller's; the organisation active and within the
 * caller's territory too; the rubric active. One rule per rubric and
 * territory: a second is 422 duplicate (PATCH the first). A rule outside the
 * caller's territory answers 404.
 */
#include "admin.h"
#include "ok_json.h"
#include "ok_page.h"
#include "ok_problem.h"

#include <string.h>

static const ok_json_field routing_create_fields[] = {
    {"rubric_id", OK_JSON_INTEGER, .required = true, .min = 1, .max = 1e15},
    {"territory", OK_JSON_STRING, .required = true, .min = 1, .max = 63},
    {"org", OK_JSON_STRING, .required = true, .min = 1, .max = 63},
    {"auto_route", OK_JSON_BOOLEAN},
    {0},
};
static const ok_json_field routing_update_fields[] = {
    {"org", OK_JSON_STRING, .min = 1, .max = 63},
    {"auto_route", OK_JSON_BOOLEAN},
    {0},
};

typedef struct routing_change {
    const char *id, *rubric_id, *territory_id, *organisation_id, *auto_route;
    PGresult *view;
} routing_change;

/* The body's references resolved for the caller into change, problems into
 * errors; -1 when the lookup failed. */
static int routing_refs(ok_request *req, const json_t *body, routing_change *change, json_t *errors)
{
    const json_t *rubric = json_object_get(body, "rubric_id");
    const json_t *auto_route = json_object_get(body, "auto_route");
    change->auto_route =
        json_is_boolean(auto_route) ? (json_is_true(auto_route) ? "true" : "false") : NULL;
    const char *params[] = {
        admin_user_id(req),
        json_is_integer(rubric)
            ? ok_arena_printf(req->arena, "%lld", (long long)json_integer_value(rubric))
            : NULL,
        json_string_value(json_object_get(body, "territory")),
        json_string_value(json_object_get(body, "org"))};
    PGresult *refs = ok_db_query(req, "routing_refs", 4, params);
    if (refs == NULL)
        return -1;
    static const char *const fields[] = {"rubric_id", "territory", "org"};
    const char **targets[] = {&change->rubric_id, &change->territory_id, &change->organisation_id};
    for (int i = 0; i < 3; i++) {
        if (params[i + 1] == NULL)
            continue;
        if (PQgetisnull(refs, 0, i))
            admin_error(errors, fields[i], "unknown");
        else
            *targets[i] = ok_arena_strdup(req->arena, PQgetvalue(refs, 0, i));
    }
    return 0;
}

/* Reads the body and resolves it; NULL having answered. */
static json_t *routing_read_or_reply(ok_request *req, const ok_json_field *fields,
                                     routing_change *change)
{
    json_t *body = ok_json_read_object_or_reply(req, fields);
    if (body == NULL)
        return NULL;
    json_t *errors = json_array();
    if (routing_refs(req, body, change, errors) != 0) {
        admin_db_failure(req, errors);
        return NULL;
    }
    return admin_errors_or_reply(req, errors) == 0 ? body : NULL;
}

void routing_list(ok_request *req)
{
    if (admin_operator_or_reply(req) != 0)
        return;
    long limit;
    long long cursor;
    if (ok_page_or_reply(req, ADMIN_PAGE_DEFAULT, ADMIN_PAGE_MAX, &limit, &cursor) != 0)
        return;
    const char *params[] = {admin_user_id(req), ok_arena_printf(req->arena, "%lld", cursor),
                            ok_arena_printf(req->arena, "%ld", limit),
                            ok_http_query(req, "territory"), ok_http_query(req, "rubric_id")};
    const char *rubric = params[4];
    if (rubric != NULL && (rubric[0] == '\0' || strspn(rubric, "0123456789") != strlen(rubric) ||
                           strlen(rubric) > 15)) {
        ok_problem_field(req, "rubric_id", "type", "rubric_id must be a rubric's id.");
        return;
    }
    admin_page_reply(req, "routing_list", 5, params, limit);
}

/* Runs statement (a write) and reads the rule back; 404 when it touched no
 * rule of the caller's. */
static int routing_write_tx(ok_request *req, const char *statement, int count,
                            const char *const *params, routing_change *change)
{
    if (admin_actor(req) != 0)
        return OK_DB_ROLLBACK;
    PGresult *written = ok_db_exec(req, statement, count, params);
    if (written == NULL)
        return OK_DB_ROLLBACK;
    if (PQntuples(written) == 0) {
        if (change->id == NULL)
            ok_problem_field(req, "territory", "duplicate",
                             "This rubric has a rule in this territory already.");
        else
            ok_problem(req, 404, "There is no such routing rule among yours.");
        return OK_DB_ROLLBACK;
    }
    change->id = ok_arena_strdup(req->arena, PQgetvalue(written, 0, 0));
    change->view = ok_db_exec(req, "routing_view", 1, &change->id);
    return change->view != NULL ? OK_DB_COMMIT : OK_DB_ROLLBACK;
}

static int routing_create_tx(ok_request *req, void *context)
{
    routing_change *change = context;
    change->id = NULL;
    const char *params[] = {change->rubric_id, change->territory_id, change->organisation_id,
                            change->auto_route};
    return routing_write_tx(req, "routing_insert", 4, params, change);
}

void routing_create(ok_request *req)
{
    if (admin_operator_or_reply(req) != 0)
        return;
    routing_change change = {0};
    if (routing_read_or_reply(req, routing_create_fields, &change) == NULL ||
        ok_db_transaction(req, routing_create_tx, &change) != 0)
        return;
    ok_http_header(req, "Location",
                   ok_arena_printf(req->arena, "/api/v1/routing-rules/%s", change.id));
    admin_reply_row(req, 201, change.view);
}

static int routing_update_tx(ok_request *req, void *context)
{
    routing_change *change = context;
    const char *params[] = {change->id, admin_user_id(req), change->organisation_id,
                            change->auto_route};
    return routing_write_tx(req, "routing_update", 4, params, change);
}

void routing_update(ok_request *req)
{
    if (admin_operator_or_reply(req) != 0)
        return;
    routing_change change = {.id = ok_arena_printf(req->arena, "%lld", req->path_ids[0])};
    /* the rule first: another territory's is 404 whatever the body */
    const char *scope[] = {change.id, admin_user_id(req)};
    PGresult *found = ok_db_query(req, "routing_scope", 2, scope);
    if (found == NULL || PQntuples(found) == 0) {
        if (found == NULL)
            ok_db_reply_failure(req);
        else
            ok_problem(req, 404, "There is no such routing rule among yours.");
        return;
    }
    if (routing_read_or_reply(req, routing_update_fields, &change) != NULL &&
        ok_db_transaction(req, routing_update_tx, &change) == 0)
        admin_reply_row(req, 200, change.view);
}

static int routing_delete_tx(ok_request *req, void *context)
{
    const char *params[] = {context, admin_user_id(req)};
    if (admin_actor(req) != 0)
        return OK_DB_ROLLBACK;
    PGresult *deleted = ok_db_exec(req, "routing_delete", 2, params);
    if (deleted == NULL)
        return OK_DB_ROLLBACK;
    if (strcmp(PQcmdTuples(deleted), "1") != 0) {
        ok_problem(req, 404, "There is no such routing rule among yours.");
        return OK_DB_ROLLBACK;
    }
    return OK_DB_COMMIT;
}

void routing_delete(ok_request *req)
{
    if (admin_operator_or_reply(req) != 0)
        return;
    char *id = ok_arena_printf(req->arena, "%lld", req->path_ids[0]);
    if (ok_db_transaction(req, routing_delete_tx, id) == 0)
        ok_http_respond(req, 204, NULL, NULL, 0);
}
