/*
 * widgets_admin.c - an organisation's admin manages its widgets:
 * PATCH /api/v1/widgets/{key} changes the title, the texts, the rubrics
 * offered and the allowed origins; POST /api/v1/widgets creates a widget with
 * a new random key. Both answer with the admin's view of the widget, which
 * GET /api/v1/widgets/{key} gives the admin too (widgets.c): the public
 * configuration, the raw rubric_ids and the embed snippet.
 *
 * Access: the widget's organisation's admin (ok_authz "widget.manage") or an
 * operator whose territory holds the organisation (ok_org_can); a
 * widget of another organisation does not exist for the caller (404), staff
 * of its organisation without the right get 403. An origin added here is
 * allowed by CORS within the workers' cache time (OK_SERVER_CORS_TTL_SECONDS).
 */
#include "ok_auth.h"
#include "ok_authz.h"
#include "ok_config.h"
#include "ok_crypto.h"
#include "ok_json.h"
#include "ok_org.h"
#include "ok_problem.h"
#include "widget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rubrics one widget may name (the whole rubricator is offered by none). */
#define WIDGETS_ADMIN_RUBRICS_MAX 100
/* Random bytes of a new key: 32 hex characters. */
#define WIDGETS_ADMIN_KEY_BYTES 16

static const ok_json_field widgets_admin_texts_fields[] = {
    {"button", OK_JSON_STRING, .min = 1, .max = 60},
    {"intro", OK_JSON_STRING, .min = 1, .max = 1000},
    {"sent", OK_JSON_STRING, .min = 1, .max = 200},
    {0},
};

static const ok_json_field widgets_admin_origin = {"", OK_JSON_STRING, .min = 1,
                                                   .max = WIDGET_ORIGIN_MAX};
static const ok_json_field widgets_admin_rubric = {"", OK_JSON_INTEGER, .min = 1, .max = 1e15};

/* The settings, as PATCH changes them; POST adds org. */
#define WIDGETS_ADMIN_SETTINGS                                                                     \
    {"title", OK_JSON_STRING, .min = 1, .max = 200},                                               \
        {"texts", OK_JSON_OBJECT, .fields = widgets_admin_texts_fields},                           \
        {"allowed_origins", OK_JSON_ARRAY, .max = WIDGET_ORIGINS_MAX,                              \
         .item = &widgets_admin_origin},                                                           \
        {"rubric_ids", OK_JSON_ARRAY, .max = WIDGETS_ADMIN_RUBRICS_MAX,                            \
         .item = &widgets_admin_rubric},

static const ok_json_field widgets_admin_update_fields[] = {WIDGETS_ADMIN_SETTINGS{0}};
static const ok_json_field widgets_admin_create_fields[] = {
    {"org", OK_JSON_STRING, .required = true, .min = 1, .max = 64}, WIDGETS_ADMIN_SETTINGS{0}};

/* The settings of a request, as the statements widgets_update and
 * widgets_insert take them (NULL: not given). */
typedef struct widgets_admin_change {
    const char *key;
    const char *organisation;
    const char *title;
    const char *origins;    /* a JSON array */
    const char *rubric_ids; /* a PostgreSQL array literal */
    const char *texts;      /* a JSON object */
    int created;
    PGresult *view; /* the widget afterwards (widgets_show) */
} widgets_admin_change;

void widgets_admin_reply(ok_request *req, int status, const PGresult *view)
{
    json_t *body = json_loads(PQgetvalue(view, 0, 0), 0, NULL);
    json_t *extra = json_loads(PQgetvalue(view, 0, 2), 0, NULL);
    const char *key = json_string_value(json_object_get(body, "key"));
    int built = key != NULL && json_object_update(body, extra) == 0;
    json_decref(extra);
    if (!built) {
        json_decref(body);
        ok_problem(req, 503, "The server is out of memory; please try again shortly.");
        return;
    }
    /* the tag of the README's widget section, for the admin to copy */
    json_object_set_new(body, "embed_snippet",
                        json_string(ok_arena_printf(req->arena,
                                                    "<script src=\"%s/widget/otklik.js\" "
                                                    "data-widget-key=\"%s\" async></script>",
                                                    ok_config_global.public_origin, key)));
    ok_http_respond_json_new(req, status, body);
    ok_http_header(req, "Cache-Control", "private, no-store");
}

/* Appends {field, code} to errors. */
static void widgets_admin_error(json_t *errors, const char *field, size_t index, const char *code)
{
    char path[64];
    snprintf(path, sizeof(path), "%s[%zu]", field, index);
    json_array_append_new(errors, json_pack("{s:s, s:s}", "field", path, "code", code));
}

/* Checks what the field rules cannot (each origin's form; no value twice)
 * into errors. */
static void widgets_admin_check(const json_t *body, json_t *errors)
{
    const json_t *origins = json_object_get(body, "allowed_origins");
    for (size_t i = 0; i < json_array_size(origins); i++) { /* at most 20 */
        const char *origin = json_string_value(json_array_get(origins, i));
        const char *problem = origins_problem(origin);
        for (size_t j = 0; problem == NULL && j < i; j++)
            if (strcmp(json_string_value(json_array_get(origins, j)), origin) == 0)
                problem = "duplicate";
        if (problem != NULL)
            widgets_admin_error(errors, "allowed_origins", i, problem);
    }
    const json_t *rubrics = json_object_get(body, "rubric_ids");
    for (size_t i = 0; i < json_array_size(rubrics); i++) /* at most 100 */
        for (size_t j = 0; j < i; j++)
            if (json_integer_value(json_array_get(rubrics, j)) ==
                json_integer_value(json_array_get(rubrics, i))) {
                widgets_admin_error(errors, "rubric_ids", i, "duplicate");
                break;
            }
}

/* A JSON value of body as text in the arena, or NULL when absent or null. */
static const char *widgets_admin_dump(ok_request *req, const json_t *body, const char *name)
{
    const json_t *value = json_object_get(body, name);
    if (value == NULL || json_is_null(value))
        return NULL;
    char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
    if (text == NULL)
        abort(); /* out of memory: value is a parsed, validated one */
    const char *copy = ok_arena_strdup(req->arena, text);
    free(text);
    return copy;
}

/* Reads and checks the body's settings into change; returns the body
 * (borrowed), or NULL having answered. */
static json_t *widgets_admin_read_or_reply(ok_request *req, const ok_json_field *fields,
                                           widgets_admin_change *change)
{
    json_t *body = ok_json_read_object_or_reply(req, fields);
    if (body == NULL)
        return NULL;
    json_t *errors = json_array();
    widgets_admin_check(body, errors);
    if (json_array_size(errors) > 0) {
        ok_problem_validation_new(req, errors);
        return NULL;
    }
    json_decref(errors);
    change->title = json_string_value(json_object_get(body, "title"));
    change->origins = widgets_admin_dump(req, body, "allowed_origins");
    change->rubric_ids = ok_json_integer_array(req->arena, json_object_get(body, "rubric_ids"));
    change->texts = widgets_admin_dump(req, body, "texts");
    return body;
}

/* 422 for the rubric ids that are not active rubrics; -1 then (or when the
 * statement failed), else 0. */
static int widgets_admin_rubrics_known(ok_request *req, const char *rubric_ids)
{
    if (rubric_ids == NULL)
        return 0;
    PGresult *unknown = ok_db_exec(req, "widgets_unknown_rubrics", 1, &rubric_ids);
    if (unknown == NULL)
        return -1;
    if (PQntuples(unknown) == 0)
        return 0;
    json_t *errors = json_array();
    for (int i = 0; i < PQntuples(unknown); i++)
        widgets_admin_error(errors, "rubric_ids", strtoull(PQgetvalue(unknown, i, 0), NULL, 10),
                            "unknown");
    ok_problem_validation_new(req, errors);
    return -1;
}

/* The transaction of PATCH and POST: the rubrics checked, the row written,
 * the view read back. */
static int widgets_admin_write_tx(ok_request *req, void *context)
{
    widgets_admin_change *change = context;
    if (ok_db_actor(req) != 0 || widgets_admin_rubrics_known(req, change->rubric_ids) != 0)
        return OK_DB_ROLLBACK;
    const char *params[] = {change->key,        change->title, change->origins,
                            change->rubric_ids, change->texts, change->organisation};
    PGresult *written =
        ok_db_exec(req, change->created ? "widgets_insert" : "widgets_update", 6, params);
    if (written == NULL)
        return OK_DB_ROLLBACK;
    if (strcmp(PQcmdTuples(written), "1") != 0) {
        ok_problem(req, 404, "There is no widget with this key among your organisation's.");
        return OK_DB_ROLLBACK;
    }
    change->view = ok_db_exec(req, "widgets_show", 4, widgets_show_params(req, change->key));
    return change->view != NULL && PQntuples(change->view) == 1 ? OK_DB_COMMIT : OK_DB_ROLLBACK;
}

/* The organisation id of widget key when the caller may manage it; else -1
 * having answered 404 (unknown, or another organisation's), 403 or 503. */
static long long widgets_admin_owner_or_reply(ok_request *req, const char *key)
{
    PGresult *owner = ok_db_query(req, "widgets_owner", 1, &key);
    if (owner == NULL) {
        ok_db_reply_failure(req);
        return -1;
    }
    if (PQntuples(owner) == 0) {
        ok_problem(req, 404, "There is no widget with this key among your organisation's.");
        return -1;
    }
    /* keys are public (GET), so a foreign widget's 404 may word itself as ok_org's */
    long long id = strtoll(PQgetvalue(owner, 0, 0), NULL, 10);
    return ok_org_allows_or_reply(req, id, "widget.manage") == 0 ? id : -1;
}

void widgets_admin_update(ok_request *req)
{
    widgets_admin_change change = {.key = req->path_strings[0]};
    if (ok_auth_require_user(req) != 0)
        return;
    long long organisation = widgets_admin_owner_or_reply(req, change.key);
    if (organisation < 0 ||
        widgets_admin_read_or_reply(req, widgets_admin_update_fields, &change) == NULL)
        return;
    change.organisation = ok_arena_printf(req->arena, "%lld", organisation);
    if (ok_db_transaction(req, widgets_admin_write_tx, &change) == 0)
        widgets_admin_reply(req, 200, change.view);
}

void widgets_admin_create(ok_request *req)
{
    widgets_admin_change change = {.created = 1};
    if (ok_auth_require_user(req) != 0)
        return;
    json_t *body = widgets_admin_read_or_reply(req, widgets_admin_create_fields, &change);
    if (body == NULL)
        return;
    long long organisation = ok_org_for_action_or_reply(
        req, json_string_value(json_object_get(body, "org")), "widget.manage");
    if (organisation < 0)
        return;
    char *key = ok_arena_alloc(req->arena, 2 * WIDGETS_ADMIN_KEY_BYTES + 1);
    if (ok_crypto_random_hex(key, WIDGETS_ADMIN_KEY_BYTES) != 0) {
        ok_problem(req, 503, "No random key could be made; please try again shortly.");
        return;
    }
    change.key = key;
    change.organisation = ok_arena_printf(req->arena, "%lld", organisation);
    if (ok_db_transaction(req, widgets_admin_write_tx, &change) != 0)
        return;
    ok_http_header(req, "Location", ok_arena_printf(req->arena, "/api/v1/widgets/%s", key));
    widgets_admin_reply(req, 201, change.view);
}
