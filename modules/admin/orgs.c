/*
 * orgs.c - organisations: GET /api/v1/orgs (?q=: any staff member finds an
 * active organisation by a part of its name or its code, as the cabinet's
 * redirect form does: {items: [{code, name, kind}]}, at most 20; without q:
 * an operator's organisations, newest first, paged, ?territory= narrowing),
 * POST /api/v1/orgs (create), GET and PATCH /api/v1/orgs/{code} (edit,
 * move, deactivate).
 *
 * An organisation is the operator's when its territory is; one outside it
 * answers 404 (its own staff may still read it). A territory named in a body
 * outside the caller's is "unknown" (422). Deactivating an organisation that
 * still has open messages answers 409: they are redirected first. Its code
 * never changes (imports and links name it).
 */
#include "admin.h"
#include "ok_auth.h"
#include "ok_authz.h"
#include "ok_json.h"
#include "ok_page.h"
#include "ok_problem.h"
#include "ok_search.h"

#include <stdlib.h>
#include <string.h>

#define ORGS_SETTINGS                                                                              \
    {"name", OK_JSON_STRING, .min = 1, .max = ADMIN_ORG_NAME_MAX},                                 \
        {"kind", OK_JSON_STRING, .min = 1, .max = 40},                                             \
        {"territory", OK_JSON_STRING, .min = 1, .max = 63}, {"is_moderation", OK_JSON_BOOLEAN},

static const ok_json_field orgs_create_fields[] = {
    {"code", OK_JSON_STRING, .required = true, .min = 2, .max = 63}, ORGS_SETTINGS{0}};
static const ok_json_field orgs_update_fields[] = {ORGS_SETTINGS{"is_active", OK_JSON_BOOLEAN},
                                                   {0}};

int admin_org_kind_valid(const char *kind)
{
    static const char *const kinds[] = {"authority", "municipality",      "school",
                                        "hospital",  "employment_centre", "management_company",
                                        "other"};
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(kinds[i], kind) == 0)
            return 1;
    return 0;
}

/* What a create or an update writes (NULL: unchanged). */
typedef struct orgs_change {
    const char *code, *name, *kind, *territory_id, *is_moderation, *is_active;
    PGresult *view;
} orgs_change;

static const char *orgs_boolean(const json_t *body, const char *name)
{
    const json_t *value = json_object_get(body, name);
    return json_is_boolean(value) ? (json_is_true(value) ? "true" : "false") : NULL;
}

/* Reads the settings of body into change, checking kind and territory into
 * errors; -1 when the territory could not be looked up. */
static int orgs_settings(ok_request *req, const json_t *body, orgs_change *change, json_t *errors)
{
    change->name = json_string_value(json_object_get(body, "name"));
    change->kind = json_string_value(json_object_get(body, "kind"));
    change->is_moderation = orgs_boolean(body, "is_moderation");
    change->is_active = orgs_boolean(body, "is_active");
    if (change->kind != NULL && !admin_org_kind_valid(change->kind))
        admin_error(errors, "kind", "invalid");
    const char *territory = json_string_value(json_object_get(body, "territory"));
    if (territory == NULL)
        return 0;
    const char *params[] = {territory, admin_user_id(req)};
    PGresult *found = ok_db_query(req, "territories_scope", 2, params);
    if (found == NULL)
        return -1;
    if (PQntuples(found) == 0 || strcmp(PQgetvalue(found, 0, 2), "t") != 0)
        admin_error(errors, "territory", "unknown");
    else
        change->territory_id = ok_arena_strdup(req->arena, PQgetvalue(found, 0, 0));
    return 0;
}

/* The operator's paged list (no ?q=). */
static void orgs_page(ok_request *req)
{
    long limit;
    long long cursor;
    if (ok_page_or_reply(req, ADMIN_PAGE_DEFAULT, ADMIN_PAGE_MAX, &limit, &cursor) != 0)
        return;
    const char *params[] = {admin_user_id(req), ok_arena_printf(req->arena, "%lld", cursor),
                            ok_arena_printf(req->arena, "%ld", limit),
                            ok_http_query(req, "territory")};
    admin_page_reply(req, "orgs_list", 4, params, limit);
}

void orgs_list(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    if (req->user->role_count == 0) {
        ok_problem(req, 403, "Only staff may search organisations.");
        return;
    }
    if (ok_http_query(req, "q") == NULL && ok_authz_can_anywhere(req->user, "platform.operate"))
        orgs_page(req);
    else
        ok_search_reply(req, "orgs_search");
}

void orgs_show(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    if (req->user->role_count == 0) {
        ok_problem(req, 403, "Only staff may read organisations' settings.");
        return;
    }
    const char *params[] = {req->path_strings[0], admin_user_id(req)};
    PGresult *found = ok_db_query(req, "orgs_show", 2, params);
    if (found == NULL) {
        ok_db_reply_failure(req);
        return;
    }
    if (PQntuples(found) == 0 ||
        (strcmp(PQgetvalue(found, 0, 2), "t") != 0 &&
         !ok_authz_is_staff(req->user, strtoll(PQgetvalue(found, 0, 1), NULL, 10)))) {
        ok_problem(req, 404, "There is no such organisation among yours.");
        return;
    }
    admin_reply_row(req, 200, found);
}

static int orgs_create_tx(ok_request *req, void *context)
{
    orgs_change *change = context;
    if (admin_actor(req) != 0)
        return OK_DB_ROLLBACK;
    const char *params[] = {change->code, change->name, change->kind, change->territory_id,
                            change->is_moderation};
    PGresult *inserted = ok_db_exec(req, "orgs_insert", 5, params);
    if (inserted == NULL)
        return OK_DB_ROLLBACK;
    if (PQntuples(inserted) == 0) {
        ok_problem_field(req, "code", "duplicate", "An organisation with this code exists.");
        return OK_DB_ROLLBACK;
    }
    const char *id = PQgetvalue(inserted, 0, 0);
    change->view = ok_db_exec(req, "orgs_view", 1, &id);
    return change->view != NULL ? OK_DB_COMMIT : OK_DB_ROLLBACK;
}

void orgs_create(ok_request *req)
{
    if (admin_operator_or_reply(req) != 0)
        return;
    json_t *body = ok_json_read_object_or_reply(req, orgs_create_fields);
    if (body == NULL)
        return;
    orgs_change change = {.code = json_string_value(json_object_get(body, "code"))};
    json_t *errors = json_array();
    if (!admin_code_valid(change.code, 2))
        admin_error(errors, "code", "invalid");
    if (orgs_settings(req, body, &change, errors) != 0) {
        admin_db_failure(req, errors);
        return;
    }
    static const char *const required[] = {"name", "kind", "territory"};
    for (size_t i = 0; i < 3; i++)
        if (json_object_get(body, required[i]) == NULL ||
            json_is_null(json_object_get(body, required[i])))
            admin_error(errors, required[i], "required");
    if (admin_errors_or_reply(req, errors) != 0)
        return;
    if (ok_db_transaction(req, orgs_create_tx, &change) != 0)
        return;
    ok_http_header(req, "Location", ok_arena_printf(req->arena, "/api/v1/orgs/%s", change.code));
    admin_reply_row(req, 201, change.view);
}

static int orgs_update_tx(ok_request *req, void *context)
{
    orgs_change *change = context;
    if (admin_actor(req) != 0)
        return OK_DB_ROLLBACK;
    const char *lock[] = {change->code, admin_user_id(req)};
    PGresult *found = ok_db_exec(req, "orgs_lock", 2, lock);
    if (found == NULL)
        return OK_DB_ROLLBACK;
    if (PQntuples(found) == 0 || strcmp(PQgetvalue(found, 0, 1), "t") != 0) {
        ok_problem(req, 404, "There is no such organisation among yours.");
        return OK_DB_ROLLBACK;
    }
    if (change->is_active != NULL && strcmp(change->is_active, "false") == 0 &&
        strcmp(PQgetvalue(found, 0, 2), "0") != 0) {
        ok_problem(req, 409,
                   "The organisation still has open messages: redirect them before "
                   "deactivating it.");
        return OK_DB_ROLLBACK;
    }
    const char *id = ok_arena_strdup(req->arena, PQgetvalue(found, 0, 0));
    const char *params[] = {id,
                            change->name,
                            change->kind,
                            change->territory_id,
                            change->is_moderation,
                            change->is_active};
    if (ok_db_exec(req, "orgs_update", 6, params) == NULL)
        return OK_DB_ROLLBACK;
    change->view = ok_db_exec(req, "orgs_view", 1, &id);
    return change->view != NULL ? OK_DB_COMMIT : OK_DB_ROLLBACK;
}

void orgs_update(ok_request *req)
{
    if (admin_operator_or_reply(req) != 0)
        return;
    orgs_change change = {.code = req->path_strings[0]};
    /* the organisation first: a foreign one is 404 whatever the body */
    const char *params[] = {change.code, admin_user_id(req)};
    PGresult *found = ok_db_query(req, "orgs_show", 2, params);
    if (found == NULL) {
        ok_db_reply_failure(req);
        return;
    }
    if (PQntuples(found) == 0 || strcmp(PQgetvalue(found, 0, 2), "t") != 0) {
        ok_problem(req, 404, "There is no such organisation among yours.");
        return;
    }
    json_t *body = ok_json_read_object_or_reply(req, orgs_update_fields);
    if (body == NULL)
        return;
    json_t *errors = json_array();
    if (orgs_settings(req, body, &change, errors) != 0) {
        admin_db_failure(req, errors);
        return;
    }
    if (admin_errors_or_reply(req, errors) != 0)
        return;
    if (ok_db_transaction(req, orgs_update_tx, &change) == 0)
        admin_reply_row(req, 200, change.view);
}
