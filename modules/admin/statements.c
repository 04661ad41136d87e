/*
 * statements.c - every SQL statement of the setting-up worker.
 */
#include "admin.h"

/* A territory as the API shows it; the boundary as GeoJSON (or null). */
#define TERRITORY_JSON                                                                             \
    "json_build_object('code', t.code, 'name', t.name, 'kind', t.kind,"                            \
    " 'parent', (SELECT p.code FROM territories p WHERE p.id = t.parent_id),"                      \
    " 'boundary', ST_AsGeoJSON(t.boundary)::json, 'population', t.population)"

/* Messages an organisation still has to answer. */
#define ORG_OPEN_MESSAGES                                                                          \
    "(SELECT count(*) FROM messages m WHERE m.organisation_id = o.id"                              \
    "  AND m.status NOT IN ('answered', 'closed', 'rejected'))"

/* A rubric as the API shows it. */
#define RUBRIC_JSON                                                                                \
    "json_build_object('id', r.id, 'code', r.code, 'parent_id', r.parent_id, 'title', r.title,"    \
    " 'deadline_days', r.deadline_days, 'accelerated', r.is_accelerated, 'position', r.position,"  \
    " 'is_active', r.is_active)"

/* A routing rule as the API shows it. */
#define ROUTING_JSON                                                                               \
    "json_build_object('id', rr.id, 'rubric_id', rr.rubric_id,"                                    \
    " 'rubric', (SELECT title FROM rubrics WHERE id = rr.rubric_id),"                              \
    " 'territory', (SELECT code FROM territories WHERE id = rr.territory_id),"                     \
    " 'org', (SELECT code FROM organisations WHERE id = rr.organisation_id),"                      \
    " 'auto_route', rr.auto_route)"

/* An organisation as the API shows it. */
#define ORG_JSON                                                                                   \
    "json_build_object('code', o.code, 'name', o.name, 'kind', o.kind,"                            \
    " 'territory', (SELECT code FROM territories WHERE id = o.territory_id),"                      \
    " 'is_moderation', o.is_moderation, 'is_active', o.is_active,"                                 \
    " 'open_messages', " ORG_OPEN_MESSAGES ")"

const ok_db_statement admin_statements[] = {

    /* ---- territories */
    /* The caller's territories ($1 user), depth first: the tops it covers
     * (every region for a root operator), then everything below them. */
    {"territories_list",
     "WITH RECURSIVE tops AS (SELECT t.id FROM territories t"
     "  WHERE (t.parent_id IS NULL AND operator_is_root($1))"
     "   OR t.id IN (SELECT o.territory_id FROM staff_roles r"
     "    JOIN organisations o ON o.id = r.organisation_id"
     "    WHERE r.user_id = $1 AND r.role = 'operator' AND o.is_moderation AND o.is_active)),"
     " tree (id, path) AS (SELECT id, ARRAY[id] FROM tops"
     "  UNION ALL SELECT c.id, tr.path || c.id FROM territories c JOIN tree tr ON c.parent_id = "
     "tr.id"
     "  WHERE cardinality(tr.path) < 16),"
     " walk AS (SELECT DISTINCT ON (id) id, path FROM tree ORDER BY id, cardinality(path))"
     " SELECT json_build_object('items', coalesce(json_agg(json_build_object('code', t.code,"
     "  'name', t.name, 'kind', t.kind, 'parent', p.code, 'depth', cardinality(w.path) - 1,"
     "  'has_boundary', t.boundary IS NOT NULL) ORDER BY w.path), '[]'))"
     " FROM walk w JOIN territories t ON t.id = w.id LEFT JOIN territories p ON p.id = "
     "t.parent_id"},
    /* $1 code, $2 user: the territory when the caller covers it */
    {"territories_show", "SELECT " TERRITORY_JSON " FROM territories t"
                         " WHERE t.code = $1 AND operator_covers($2, t.id)"},
    {"territories_view", "SELECT " TERRITORY_JSON " FROM territories t WHERE t.id = $1"},
    /* $1 code, $2 user: id, kind and whether the caller covers it */
    {"territories_scope",
     "SELECT t.id, t.kind, operator_covers($2, t.id) FROM territories t WHERE t.code = $1"},
    /* a boundary: PostGIS reads it, as a polygon, valid */
    {"territories_geojson",
     "SELECT g IS NOT NULL, coalesce(GeometryType(g) IN ('POLYGON', 'MULTIPOLYGON'), false),"
     " coalesce(ST_IsValid(g), false) FROM (SELECT otklik_try_geojson($1) AS g) x"},
    /* moves of the tree, one at a time: two crossing moves cannot make a cycle */
    {"territories_lock", "SELECT pg_advisory_xact_lock(2020)"},
    /* whether $1 lies within $2 (a move of $2 under $1 would make a cycle) */
    {"territories_within", "SELECT territory_within($1, $2)"},
    /* $1 code, $2 name, $3 kind, $4 parent id, $5 boundary GeoJSON */
    {"territories_insert",
     "INSERT INTO territories (code, name, kind, parent_id, boundary)"
     " VALUES ($1, $2, $3, $4, otklik_try_geojson($5)) ON CONFLICT (code) DO NOTHING RETURNING id"},
    /* $1 id, $2 name, $3 move?, $4 parent id, $5 boundary given?, $6 boundary,
     * $7 population (NULL: unchanged) */
    {"territories_update",
     "UPDATE territories SET name = coalesce($2, name), population = coalesce($7, population),"
     " parent_id = CASE WHEN $3::boolean THEN $4::bigint ELSE parent_id END,"
     " boundary = CASE WHEN $5::boolean THEN otklik_try_geojson($6) ELSE boundary END"
     " WHERE id = $1"},

    /* ---- organisations */
    /* active organisations by a part of the name or the code (a redirect's
     * target in the cabinet); $1 a LIKE literal */
    {"orgs_search",
     "SELECT json_build_object('items', coalesce(json_agg(json_build_object('code', o.code,"
     "  'name', o.name, 'kind', o.kind) ORDER BY o.name, o.code), '[]'))"
     " FROM (SELECT code, name, kind FROM organisations"
     "  WHERE is_active AND (lower(name) LIKE '%' || lower($1) || '%' OR code LIKE lower($1) || "
     "'%')"
     "  ORDER BY name, code LIMIT 20) o",
     OK_DB_PLAN_CUSTOM},
    /* the caller's ($1) organisations, newest first, keyset ($2 cursor, $3
     * limit), within territory $4 when given */
    {"orgs_list",
     "SELECT " ORG_JSON ", o.id FROM organisations o"
     " WHERE ($2::bigint = 0 OR o.id < $2)"
     "  AND o.territory_id IN (SELECT operator_territories($1))"
     "  AND ($4::text IS NULL OR territory_within(o.territory_id,"
     "   (SELECT id FROM territories WHERE code = $4)))"
     " ORDER BY o.id DESC LIMIT $3",
     OK_DB_PLAN_CUSTOM},
    /* $1 code, $2 user: the view, the id, whether the caller covers it */
    {"orgs_show", "SELECT " ORG_JSON ", o.id, operator_covers($2, o.territory_id)"
                  " FROM organisations o WHERE o.code = $1"},
    {"orgs_view", "SELECT " ORG_JSON " FROM organisations o WHERE o.id = $1"},
    /* $1 code, $2 user: id, covered, open messages; locked against a concurrent change */
    {"orgs_lock", "SELECT o.id, operator_covers($2, o.territory_id), " ORG_OPEN_MESSAGES
                  " FROM organisations o WHERE o.code = $1 FOR UPDATE"},
    /* $1 code, $2 name, $3 kind, $4 territory id, $5 is_moderation */
    {"orgs_insert", "INSERT INTO organisations (code, name, kind, territory_id, is_moderation)"
                    " VALUES ($1, $2, $3, $4, coalesce($5::boolean, false))"
                    " ON CONFLICT (code) DO NOTHING RETURNING id"},
    /* $1 id, then each field or NULL (unchanged) */
    {"orgs_update", "UPDATE organisations SET name = coalesce($2, name), kind = coalesce($3, kind),"
                    " territory_id = coalesce($4::bigint, territory_id),"
                    " is_moderation = coalesce($5::boolean, is_moderation),"
                    " is_active = coalesce($6::boolean, is_active) WHERE id = $1"},

    /* ---- CSV import (import.c): $2 the rows, [[code, name, kind, territory,
     * is_moderation], ...] */
    /* what only the database knows: (row, field, code), row 1-based */
    {"import_problems",
     "WITH input AS (SELECT x.ord, x.r->>0 AS code, x.r->>3 AS territory"
     "  FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS x (r, ord)"
     "  WHERE jsonb_typeof(x.r) = 'array'),"
     " mine AS (SELECT operator_territories($1) AS id)"
     " SELECT ord, 'code', 'duplicate' FROM (SELECT ord, row_number() OVER"
     "  (PARTITION BY code ORDER BY ord) AS k FROM input) d WHERE k > 1"
     " UNION ALL SELECT i.ord, 'territory', 'unknown' FROM input i"
     "  LEFT JOIN territories t ON t.code = i.territory"
     "  WHERE t.id IS NULL OR t.id NOT IN (SELECT id FROM mine)"
     " UNION ALL SELECT i.ord, 'code', 'duplicate' FROM input i"
     "  JOIN organisations o ON o.code = i.code WHERE o.territory_id NOT IN (SELECT id FROM mine)"
     " ORDER BY 1, 2"},
    /* $3: whether the file has is_moderation (else existing ones keep theirs);
     * created, updated, and whether every row was written */
    {"import_write",
     "WITH input AS (SELECT r->>0 AS code, r->>1 AS name, r->>2 AS kind, t.id AS territory_id,"
     "  (r->>4)::boolean AS is_moderation FROM jsonb_array_elements($2::jsonb) r"
     "  JOIN territories t ON t.code = r->>3),"
     " written AS (INSERT INTO organisations (code, name, kind, territory_id, is_moderation)"
     "  SELECT code, name, kind, territory_id, coalesce(is_moderation, false) FROM input"
     "  ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind,"
     "   territory_id = EXCLUDED.territory_id, is_moderation = CASE WHEN $3::boolean"
     "    THEN EXCLUDED.is_moderation ELSE organisations.is_moderation END"
     "  WHERE organisations.territory_id IN (SELECT operator_territories($1))"
     "  RETURNING (xmax = 0) AS inserted)"
     " SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted),"
     "  count(*) = jsonb_array_length($2::jsonb) FROM written"},

    /* staff: $2 [[esia_oid, name, org, role], ...] */
    {"staff_import_problems",
     "WITH input AS (SELECT x.ord, x.r->>0 AS oid, x.r->>1 AS name, x.r->>2 AS org,"
     "  x.r->>3 AS role FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS x (r, ord)"
     "  WHERE jsonb_typeof(x.r) = 'array'),"
     " mine AS (SELECT operator_territories($1) AS id)"
     " SELECT i.ord, 'org', 'unknown' FROM input i LEFT JOIN organisations o ON o.code = i.org"
     "  AND o.is_active AND o.territory_id IN (SELECT id FROM mine) WHERE o.id IS NULL"
     " UNION ALL SELECT i.ord, 'name', 'required' FROM input i WHERE i.name = ''"
     "  AND NOT EXISTS (SELECT 1 FROM users u WHERE u.esia_oid = i.oid)"
     "  AND NOT EXISTS (SELECT 1 FROM input j WHERE j.oid = i.oid AND j.name <> '')"
     " UNION ALL SELECT ord, 'role', 'duplicate' FROM (SELECT ord, row_number() OVER"
     "  (PARTITION BY oid, org, role ORDER BY ord) AS k FROM input) d WHERE k > 1"
     " ORDER BY 1, 2"},
    /* new people (the first name given for an oid), then the roles not held;
     * $3 unused (the optional column of organisations' imports) */
    {"staff_import_write",
     "WITH input AS (SELECT r->>0 AS oid, r->>1 AS name, r->>2 AS org, r->>3 AS role"
     "  FROM jsonb_array_elements($2::jsonb) r),"
     " new_users AS (INSERT INTO users (esia_oid, name)"
     "  SELECT DISTINCT ON (oid) oid, name FROM input WHERE name <> '' ORDER BY oid, name"
     "  ON CONFLICT (esia_oid) DO NOTHING RETURNING id, esia_oid),"
     " people AS (SELECT id, esia_oid FROM users WHERE esia_oid IN (SELECT oid FROM input)"
     "  UNION ALL SELECT id, esia_oid FROM new_users),"
     " targets AS (SELECT p.id AS user_id, o.id AS organisation_id, i.role FROM input i"
     "  JOIN people p ON p.esia_oid = i.oid JOIN organisations o ON o.code = i.org"
     "  AND o.is_active AND o.territory_id IN (SELECT operator_territories($1))),"
     " granted AS (INSERT INTO staff_roles (user_id, organisation_id, role)"
     "  SELECT user_id, organisation_id, role FROM targets ON CONFLICT DO NOTHING RETURNING 1)"
     " SELECT (SELECT count(*) FROM new_users), (SELECT count(*) FROM granted),"
     "  (SELECT count(*) FROM targets) = jsonb_array_length($2::jsonb) AND $3::boolean"
     "  IS NOT NULL"},

    /* ---- rubrics (rubrics.c) */
    /* $1: whether it exists as a top-level rubric (no row: unknown) */
    {"rubrics_parent", "SELECT parent_id IS NULL FROM rubrics WHERE id = $1"},
    /* $1 code, $2 parent, $3 title, $4 deadline_days, $5 accelerated, $6 position, $7 active */
    {"rubrics_insert",
     "INSERT INTO rubrics (code, parent_id, title, deadline_days, is_accelerated, position,"
     " is_active) VALUES ($1, $2, $3, $4, coalesce($5::boolean, false), coalesce($6::integer,"
     " (SELECT coalesce(max(position), 0) + 1 FROM rubrics WHERE parent_id IS NOT DISTINCT FROM"
     " $2::bigint)), coalesce($7::boolean, true)) ON CONFLICT (code) DO NOTHING RETURNING id"},
    {"rubrics_update",
     "UPDATE rubrics SET title = coalesce($2, title),"
     " deadline_days = coalesce($3::integer, deadline_days),"
     " is_accelerated = coalesce($4::boolean, is_accelerated),"
     " position = coalesce($5::integer, position), is_active = coalesce($6::boolean, is_active)"
     " WHERE id = $1"},
    {"rubrics_view", "SELECT " RUBRIC_JSON ", r.id FROM rubrics r WHERE r.id = $1"},
    /* the tree as GET /api/v1/rubrics draws it, each rubric as RUBRIC_JSON;
     * $1: the inactive ones too */
    {"rubrics_tree",
     "WITH t AS (SELECT r.id, r.parent_id, r.position, " RUBRIC_JSON "::jsonb AS j FROM rubrics r"
     "  WHERE $1::boolean OR r.is_active)"
     " SELECT jsonb_build_object('next_cursor', NULL, 'items', coalesce(jsonb_agg(p.j"
     "  || jsonb_build_object('children', (SELECT coalesce(jsonb_agg(c.j || '{\"children\": []}'"
     "   ORDER BY c.position, c.id), '[]') FROM t c WHERE c.parent_id = p.id))"
     "  ORDER BY p.position, p.id), '[]')) FROM t p WHERE p.parent_id IS NULL"},

    /* ---- routing rules (routing.c) */
    /* $1 user, $2 rubric id, $3 territory code, $4 org code: each one's id
     * when it may be used (an active rubric; the caller's territory; an active
     * organisation within it), else NULL */
    {"routing_refs",
     "WITH mine AS (SELECT operator_territories($1) AS id)"
     " SELECT (SELECT id FROM rubrics WHERE id = $2 AND is_active),"
     "  (SELECT id FROM territories WHERE code = $3 AND id IN (SELECT id FROM mine)),"
     "  (SELECT id FROM organisations WHERE code = $4 AND is_active"
     "   AND territory_id IN (SELECT id FROM mine))"},
    /* $1 user, $2 cursor, $3 limit, $4 territory code, $5 rubric id */
    {"routing_list",
     "SELECT " ROUTING_JSON ", rr.id FROM routing_rules rr"
     " WHERE ($2::bigint = 0 OR rr.id < $2)"
     "  AND rr.territory_id IN (SELECT operator_territories($1))"
     "  AND ($4::text IS NULL OR rr.territory_id = (SELECT id FROM territories WHERE code = $4))"
     "  AND ($5::bigint IS NULL OR rr.rubric_id = $5)"
     " ORDER BY rr.id DESC LIMIT $3"},
    {"routing_view", "SELECT " ROUTING_JSON " FROM routing_rules rr WHERE rr.id = $1"},
    {"routing_scope", "SELECT 1 FROM routing_rules WHERE id = $1"
                      " AND territory_id IN (SELECT operator_territories($2))"},
    {"routing_insert",
     "INSERT INTO routing_rules (rubric_id, territory_id, organisation_id, auto_route)"
     " VALUES ($1, $2, $3, coalesce($4::boolean, false))"
     " ON CONFLICT (rubric_id, territory_id) DO NOTHING RETURNING id"},
    /* $1 id, $2 user, $3 organisation id, $4 auto_route */
    {"routing_update",
     "UPDATE routing_rules SET organisation_id = coalesce($3::bigint, organisation_id),"
     " auto_route = coalesce($4::boolean, auto_route)"
     " WHERE id = $1 AND territory_id IN (SELECT operator_territories($2)) RETURNING id"},
    {"routing_delete", "DELETE FROM routing_rules WHERE id = $1"
                       " AND territory_id IN (SELECT operator_territories($2))"},

    /* ---- the audit */
    /* $1 user, $2 cursor, $3 limit, $4 object kind, $5 object id: newest first,
     * what the caller's territory holds (everything for a root operator) */
    {"events_list",
     "SELECT json_build_object('id', e.id, 'at', otklik_rfc3339(e.created_at),"
     " 'actor', (SELECT json_build_object('id', u.id, 'name', u.name, 'esia_oid', u.esia_oid)"
     "   FROM users u WHERE u.id = e.actor_id),"
     " 'object_kind', e.object_kind, 'object_id', e.object_id, 'action', e.action,"
     " 'before', e.before, 'after', e.after), e.id"
     " FROM admin_events e"
     " WHERE ($2::bigint = 0 OR e.id < $2) AND ($4::text IS NULL OR e.object_kind = $4)"
     "  AND ($5::text IS NULL OR e.object_id = $5)"
     "  AND (operator_is_root($1) OR e.territory_id IN (SELECT operator_territories($1)))"
     " ORDER BY e.id DESC LIMIT $3",
     OK_DB_PLAN_CUSTOM},
};

const size_t admin_statement_count = sizeof(admin_statements) / sizeof(admin_statements[0]);
