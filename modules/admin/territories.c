/*
 * territories.c - the territory tree: GET /api/v1/territories (the caller's
 * part of it, depth first, each with its parent's code), GET and PATCH
 * /api/v1/territories/{code} (rename, move, boundary), POST (create).
 *
 * The tree is region -> municipality -> settlement: a territory's parent is
 * of a higher kind (a region has none, and only a root operator creates one).
 * A move under the territory itself or one of its descendants is a cycle
 * (422, field parent). The boundary is an optional GeoJSON Polygon or
 * MultiPolygon in WGS 84, of at most ADMIN_BOUNDARY_POSITIONS positions (the
 * JSON body's own limit caps the bytes): PostGIS must read it and find it
 * valid (ST_IsValid), else 422 {field: boundary}.
 */
#include "admin.h"
#include "ok_authz.h"
#include "ok_json.h"
#include "ok_problem.h"

#include <stdlib.h>
#include <string.h>

/* Positions of a boundary: enough for a municipality's outline, and a bound
 * on what PostGIS's validity check costs. */
#define ADMIN_BOUNDARY_POSITIONS 5000

static const ok_json_field territories_create_fields[] = {
    {"code", OK_JSON_STRING, .required = true, .min = 1, .max = 63},
    {"name", OK_JSON_STRING, .required = true, .min = 1, .max = 200},
    {"kind", OK_JSON_STRING, .required = true, .min = 1, .max = 20},
    {"parent", OK_JSON_STRING, .min = 1, .max = 63},
    {"boundary", OK_JSON_OBJECT},
    {0},
};

static const ok_json_field territories_update_fields[] = {
    {"name", OK_JSON_STRING, .min = 1, .max = 200},
    {"parent", OK_JSON_STRING, .min = 1, .max = 63},
    {"boundary", OK_JSON_OBJECT},
    /* residents, for the rating's per-10,000 indicators (sql/045) */
    {"population", OK_JSON_INTEGER, .min = 1, .max = 2e9},
    {0},
};

/* The rank of a kind (region 0, municipality 1, settlement 2), -1 if unknown. */
static int territories_rank(const char *kind)
{
    static const char *const kinds[] = {"region", "municipality", "settlement"};
    for (int i = 0; kind != NULL && i < 3; i++)
        if (strcmp(kinds[i], kind) == 0)
            return i;
    return -1;
}

/* Positions under coordinates nested depth arrays deep (Polygon 3,
 * MultiPolygon 4), or -1 when its shape is not that. Stops past the cap. */
static long territories_positions(const json_t *coordinates, int depth)
{
    if (!json_is_array(coordinates))
        return -1;
    if (depth == 1) {
        size_t n = json_array_size(coordinates);
        for (size_t i = 0; i < n; i++)
            if (!json_is_number(json_array_get(coordinates, i)))
                return -1;
        return n >= 2 && n <= 3 ? 1 : -1;
    }
    long total = 0;
    for (size_t i = 0; i < json_array_size(coordinates); i++) {
        long inner = territories_positions(json_array_get(coordinates, i), depth - 1);
        if (inner < 0)
            return -1;
        total += inner;
        if (total > ADMIN_BOUNDARY_POSITIONS)
            return total;
    }
    return total;
}

/* A given boundary checked: its GeoJSON text (arena), or NULL with an error
 * added ("invalid", "too_long"), or NULL alone when the database failed. */
static const char *territories_boundary_text(ok_request *req, const json_t *boundary,
                                             json_t *errors)
{
    const char *type = json_string_value(json_object_get(boundary, "type"));
    int depth = type == NULL                        ? 0
                : strcmp(type, "Polygon") == 0      ? 3
                : strcmp(type, "MultiPolygon") == 0 ? 4
                                                    : 0;
    long positions =
        depth ? territories_positions(json_object_get(boundary, "coordinates"), depth) : -1;
    if (positions > ADMIN_BOUNDARY_POSITIONS) {
        admin_error(errors, "boundary", "too_long");
        return NULL;
    }
    char *text = positions > 0 ? json_dumps(boundary, JSON_COMPACT) : NULL;
    if (text == NULL) {
        admin_error(errors, "boundary", "invalid");
        return NULL;
    }
    const char *copy = ok_arena_strdup(req->arena, text);
    free(text);
    /* PostGIS's own reading and validity (an unclosed ring, a bow tie) */
    PGresult *check = ok_db_query(req, "territories_geojson", 1, &copy);
    if (check == NULL)
        return NULL; /* the caller answers the failure */
    if (strcmp(PQgetvalue(check, 0, 0), "t") != 0 || strcmp(PQgetvalue(check, 0, 1), "t") != 0 ||
        strcmp(PQgetvalue(check, 0, 2), "t") != 0) {
        admin_error(errors, "boundary", "invalid");
        return NULL;
    }
    return copy;
}

/* A boundary given in a body (JSON null: removed) checked into *text; -1
 * when the database failed, having answered. */
static int territories_boundary(ok_request *req, const json_t *boundary, json_t *errors,
                                const char **text)
{
    *text = NULL;
    if (json_is_null(boundary))
        return 0;
    *text = territories_boundary_text(req, boundary, errors);
    if (*text == NULL && json_array_size(errors) == 0) {
        admin_db_failure(req, errors);
        return -1;
    }
    return 0;
}

/* A territory named in a body: its id and kind when the caller covers it,
 * else an "unknown" error on field. */
typedef struct territories_ref {
    const char *id;
    int rank;
} territories_ref;

static int territories_lookup(ok_request *req, const char *code, const char *field, json_t *errors,
                              territories_ref *ref)
{
    const char *params[] = {code, admin_user_id(req)};
    PGresult *found = ok_db_run(req, "territories_scope", 2, params);
    if (found == NULL)
        return -1;
    if (PQntuples(found) == 0 || strcmp(PQgetvalue(found, 0, 2), "t") != 0) {
        admin_error(errors, field, "unknown");
        return 0;
    }
    ref->id = ok_arena_strdup(req->arena, PQgetvalue(found, 0, 0));
    ref->rank = territories_rank(PQgetvalue(found, 0, 1));
    return 1;
}

void territories_list(ok_request *req)
{
    if (admin_operator_or_reply(req) != 0)
        return;
    const char *user = admin_user_id(req);
    if (ok_db_reply_json(req, "territories_list", 1, &user) == 0)
        ok_http_header(req, "Cache-Control", "private, no-store");
}

void territories_show(ok_request *req)
{
    if (admin_operator_or_reply(req) != 0)
        return;
    const char *params[] = {req->path_strings[0], admin_user_id(req)};
    PGresult *found = ok_db_query(req, "territories_show", 2, params);
    if (found == NULL)
        ok_db_reply_failure(req);
    else if (PQntuples(found) == 0)
        ok_problem(req, 404, "There is no such territory among yours.");
    else
        admin_reply_row(req, 200, found);
}

/* What a create or an update writes. */
typedef struct territories_change {
    const char *id; /* the update's territory */
    const char *code, *name, *kind;
    const char *parent_id; /* NULL: a region (create) or no move (update) */
    const char *boundary;  /* GeoJSON; NULL with boundary_given: removed */
    int boundary_given;
    const char *population; /* NULL: unchanged */
    PGresult *view;
} territories_change;

static int territories_create_tx(ok_request *req, void *context)
{
    territories_change *change = context;
    if (admin_actor(req) != 0)
        return OK_DB_ROLLBACK;
    const char *params[] = {change->code, change->name, change->kind, change->parent_id,
                            change->boundary};
    PGresult *inserted = ok_db_exec(req, "territories_insert", 5, params);
    if (inserted == NULL)
        return OK_DB_ROLLBACK;
    if (PQntuples(inserted) == 0) {
        ok_problem_field(req, "code", "duplicate", "A territory with this code exists.");
        return OK_DB_ROLLBACK;
    }
    const char *id = PQgetvalue(inserted, 0, 0);
    change->view = ok_db_exec(req, "territories_view", 1, &id);
    return change->view != NULL ? OK_DB_COMMIT : OK_DB_ROLLBACK;
}

void territories_create(ok_request *req)
{
    if (admin_operator_or_reply(req) != 0)
        return;
    json_t *body = ok_json_read_object_or_reply(req, territories_create_fields);
    if (body == NULL)
        return;
    territories_change change = {
        .code = json_string_value(json_object_get(body, "code")),
        .name = json_string_value(json_object_get(body, "name")),
        .kind = json_string_value(json_object_get(body, "kind")),
    };
    const char *parent = json_string_value(json_object_get(body, "parent"));
    const json_t *boundary = json_object_get(body, "boundary");
    json_t *errors = json_array();
    if (!admin_code_valid(change.code, 1))
        admin_error(errors, "code", "invalid");
    int rank = territories_rank(change.kind);
    if (rank < 0)
        admin_error(errors, "kind", "invalid");
    territories_ref ref = {0};
    if (parent != NULL) {
        int found = territories_lookup(req, parent, "parent", errors, &ref);
        if (found < 0) {
            admin_db_failure(req, errors);
            return;
        }
        if (found && rank >= 0 && ref.rank >= rank)
            admin_error(errors, "parent", "kind");
        change.parent_id = ref.id;
    } else if (rank > 0) {
        admin_error(errors, "parent", "required");
    }
    if (boundary != NULL && territories_boundary(req, boundary, errors, &change.boundary) != 0)
        return;
    if (admin_errors_or_reply(req, errors) != 0)
        return;
    if (parent == NULL && !ok_authz_can_anywhere(req->user, "platform.root")) {
        ok_problem(req, 403, "Only a root operator may create a region.");
        return;
    }
    if (ok_db_transaction(req, territories_create_tx, &change) != 0)
        return;
    ok_http_header(req, "Location",
                   ok_arena_printf(req->arena, "/api/v1/territories/%s", change.code));
    admin_reply_row(req, 201, change.view);
}

/* Whether moving territory id under parent_id would make a cycle (1), or
 * not (0); -1 when the database failed. Run inside the move's transaction
 * too, after the tree's lock. */
static int territories_cycle(ok_request *req, const char *parent_id, const char *id)
{
    const char *params[] = {parent_id, id};
    PGresult *within = ok_db_run(req, "territories_within", 2, params);
    if (within == NULL)
        return -1;
    return strcmp(PQgetvalue(within, 0, 0), "t") == 0;
}

static int territories_update_tx(ok_request *req, void *context)
{
    territories_change *change = context;
    if (admin_actor(req) != 0 || ok_db_exec(req, "territories_lock", 0, NULL) == NULL)
        return OK_DB_ROLLBACK;
    int cycle =
        change->parent_id != NULL ? territories_cycle(req, change->parent_id, change->id) : 0;
    if (cycle != 0) {
        if (cycle > 0)
            ok_problem_field(req, "parent", "cycle",
                             "A territory cannot move under itself or its own descendants.");
        return OK_DB_ROLLBACK;
    }
    const char *params[] = {change->id,
                            change->name,
                            change->parent_id != NULL ? "true" : "false",
                            change->parent_id,
                            change->boundary_given ? "true" : "false",
                            change->boundary,
                            change->population};
    if (ok_db_exec(req, "territories_update", 7, params) == NULL)
        return OK_DB_ROLLBACK;
    change->view = ok_db_exec(req, "territories_view", 1, &change->id);
    return change->view != NULL ? OK_DB_COMMIT : OK_DB_ROLLBACK;
}

void territories_update(ok_request *req)
{
    if (admin_operator_or_reply(req) != 0)
        return;
    territories_ref self = {0};
    json_t *unused = json_array();
    int found = territories_lookup(req, req->path_strings[0], "code", unused, &self);
    json_decref(unused);
    if (found <= 0) {
        if (found < 0)
            ok_db_reply_failure(req);
        else
            ok_problem(req, 404, "There is no such territory among yours.");
        return;
    }
    json_t *body = ok_json_read_object_or_reply(req, territories_update_fields);
    if (body == NULL)
        return;
    territories_change change = {
        .id = self.id,
        .name = json_string_value(json_object_get(body, "name")),
    };
    const char *parent = json_string_value(json_object_get(body, "parent"));
    const json_t *boundary = json_object_get(body, "boundary");
    json_t *errors = json_array();
    if (parent != NULL) {
        territories_ref ref = {0};
        int known = territories_lookup(req, parent, "parent", errors, &ref);
        if (known < 0) {
            admin_db_failure(req, errors);
            return;
        }
        int cycle = known ? territories_cycle(req, ref.id, self.id) : 0;
        if (cycle < 0) {
            admin_db_failure(req, errors);
            return;
        }
        if (cycle)
            admin_error(errors, "parent", "cycle");
        else if (known && ref.rank >= self.rank)
            admin_error(errors, "parent", "kind");
        change.parent_id = ref.id;
    }
    change.boundary_given = boundary != NULL;
    const json_t *population = json_object_get(body, "population");
    if (population != NULL)
        change.population = ok_arena_printf(req->arena, "%lld", json_integer_value(population));
    if (boundary != NULL && territories_boundary(req, boundary, errors, &change.boundary) != 0)
        return;
    if (admin_errors_or_reply(req, errors) != 0)
        return;
    if (ok_db_transaction(req, territories_update_tx, &change) == 0)
        admin_reply_row(req, 200, change.view);
}
