/*
 * statements.c - every SQL statement of the Open311 worker (ok_db.h). The
 * answers' JSON is built by PostgreSQL in the specification's field order;
 * reply.c renders it as JSON or XML.
 */
#include "open311.h"

/* The leaf rubrics, active under an active parent: the services (alias r). */
#define OPEN311_LEAF                                                                               \
    " FROM rubrics r LEFT JOIN rubrics p ON p.id = r.parent_id"                                    \
    " WHERE r.is_active AND (p.id IS NULL OR p.is_active)"                                         \
    "  AND NOT EXISTS (SELECT 1 FROM rubrics c WHERE c.parent_id = r.id AND c.is_active)"

const ok_db_statement open311_statements[] = {
    {"open311_services",
     "SELECT coalesce(json_agg(json_build_object('service_code', r.code,"
     "  'service_name', r.title, 'description', r.title, 'metadata', false,"
     "  'type', 'realtime', 'keywords', '', 'group', coalesce(p.title, r.title))"
     "  ORDER BY coalesce(p.position, r.position), coalesce(p.id, r.id), r.position, r.id), "
     "'[]')" OPEN311_LEAF,
     OK_DB_PLAN_GENERIC},

    {"open311_service", "SELECT r.code" OPEN311_LEAF " AND r.code = $1"},

    /* Service requests, newest first: $1 ids (the others ignored when set),
     * $2 service code, $3 Open311 statuses, $4 and $5 the creation time's
     * bounds, $6 how many. What only moderation publishes (description,
     * address, place) stays null before it and after a rejection; the
     * author is never shown. */
    {"open311_requests",
     "SELECT coalesce(json_agg(json_build_object("
     "  'service_request_id', m.id, 'status', open311_status(m.status),"
     "  'status_notes', m.status, 'service_name', r.title, 'service_code', r.code,"
     "  'description', CASE WHEN published THEN m.text END,"
     "  'agency_responsible', o.name, 'service_notice', NULL,"
     "  'requested_datetime', otklik_rfc3339(m.created_at),"
     "  'updated_datetime', otklik_rfc3339(m.updated_at),"
     "  'expected_datetime', otklik_rfc3339(m.due_at),"
     "  'address', CASE WHEN published THEN m.address END, 'address_id', NULL, 'zipcode', NULL,"
     "  'lat', CASE WHEN published THEN m.latitude END,"
     "  'long', CASE WHEN published THEN m.longitude END, 'media_url', NULL)"
     "  ORDER BY m.id DESC), '[]')"
     " FROM (SELECT m.*, m.status NOT IN ('moderation', 'rejected') AS published FROM messages m"
     "   JOIN rubrics r ON r.id = m.rubric_id"
     "   WHERE CASE WHEN $1::bigint[] IS NOT NULL THEN m.id = ANY ($1) ELSE"
     "     ($2::text IS NULL OR r.code = $2)"
     "     AND open311_status(m.status) = ANY ($3::text[])"
     "     AND ($4::timestamptz IS NULL OR m.created_at >= $4)"
     "     AND ($5::timestamptz IS NULL OR m.created_at <= $5) END"
     "   ORDER BY m.id DESC LIMIT $6) m"
     " JOIN rubrics r ON r.id = m.rubric_id"
     " LEFT JOIN organisations o ON o.id = m.organisation_id",
     OK_DB_PLAN_CUSTOM},

    {"open311_token", "SELECT json_build_array(json_build_object('service_request_id', message_id,"
                      "  'token', token)) FROM open311_requests WHERE token = $1"},

    /* What a new request is checked against, in one round trip: the key
     * ($1 its SHA-256; a revoked key or a deactivated organisation is no
     * key), its sender and territory, and the service ($2 its code). */
    {"open311_context",
     "SELECT k.id, k.user_id, o.territory_id, (SELECT r.id" OPEN311_LEAF " AND r.code = $2)"
     " FROM (SELECT 1) one"
     " LEFT JOIN (open311_keys k JOIN organisations o ON o.id = k.organisation_id AND o.is_active)"
     "   ON k.key_sha256 = $1 AND k.revoked_at IS NULL"},

    /* The message, its first audit event and its Open311 token, in one
     * statement: like the widget's messages_insert, a routing rule with
     * auto_route registers a message the pre-checks found nothing in at once.
     * $1 author, $2 rubric, $3 text, $4 address, $5 lat, $6 long, $7 flags,
     * $8 territory, $9 key, $10 token. */
    {"open311_insert",
     "WITH rule AS (SELECT rr.organisation_id, r.deadline_days"
     "  FROM routing_rule_for($2, $8) rr JOIN rubrics r ON r.id = $2"
     "  WHERE rr.id IS NOT NULL AND rr.auto_route AND $7::jsonb = '[]'::jsonb),"
     " m AS ("
     "  INSERT INTO messages (author_id, rubric_id, text, address, latitude, longitude, flags,"
     "    territory_id, status, organisation_id, due_at)"
     "  SELECT $1::bigint, $2::bigint, $3::text, $4::text, $5::double precision,"
     "    $6::double precision, $7::jsonb, $8::bigint,"
     "    CASE WHEN rule.organisation_id IS NULL THEN 'moderation' ELSE 'registered' END,"
     "    rule.organisation_id, otklik_now() + make_interval(days => rule.deadline_days)"
     "  FROM (SELECT 1) one LEFT JOIN rule ON true RETURNING id, status),"
     " e AS (INSERT INTO message_events (message_id, actor_id, actor_role, from_status, to_status,"
     "    comment)"
     "  SELECT id, $1, 'citizen', NULL, 'moderation', NULL FROM m"
     "  UNION ALL SELECT id, NULL, 'system', 'moderation', 'registered', 'routing rule' FROM m"
     "  WHERE status = 'registered'),"
     " q AS (INSERT INTO open311_requests (message_id, key_id, token) SELECT id, $9, $10 FROM m)"
     " SELECT id FROM m"},
};

const size_t open311_statement_count = sizeof(open311_statements) / sizeof(open311_statements[0]);
