/*
 * statements.c - every SQL statement of the widget worker, prepared once per
 * connection (ok_db.h). Each request is a few round trips: the reads it needs
 * folded into one query, the writes into one statement.
 */
#include "widget.h"

/* The rubricator tree as JSON; ids: the rubrics offered ('{}': all). */
#define RUBRIC_TREE(ids)                                                                           \
    "SELECT coalesce(json_agg(json_build_object("                                                  \
    "  'id', p.id, 'title', p.title, 'deadline_days', p.deadline_days,"                            \
    "  'accelerated', p.is_accelerated,"                                                           \
    "  'children', (SELECT coalesce(json_agg(json_build_object("                                   \
    "      'id', c.id, 'title', c.title, 'deadline_days', c.deadline_days,"                        \
    "      'accelerated', c.is_accelerated,"                                                       \
    "      'children', '[]'::json) ORDER BY c.position, c.id), '[]')"                              \
    "    FROM rubrics c WHERE c.parent_id = p.id AND c.is_active"                                  \
    "      AND (cardinality(" ids ") = 0 OR c.id = ANY (" ids ") OR p.id = ANY (" ids ")))"        \
    ") ORDER BY p.position, p.id), '[]')"                                                          \
    " FROM rubrics p WHERE p.parent_id IS NULL AND p.is_active"                                    \
    "  AND (cardinality(" ids ") = 0 OR p.id = ANY (" ids ")"                                      \
    "       OR EXISTS (SELECT 1 FROM rubrics c WHERE c.parent_id = p.id AND c.id = ANY (" ids      \
    ")))"

const ok_db_statement widget_statements[] = {
    {"rubrics_tree", RUBRIC_TREE("$1::bigint[]")},

    {"widgets_show",
     "SELECT json_build_object('key', w.key, 'title', w.title, 'texts', w.texts,"
     "  'organisation', json_build_object('code', o.code, 'name', o.name),"
     "  'allowed_origins', w.allowed_origins,"
     "  'limits', json_build_object('text_max', $1::int, 'address_max', $2::int,"
     "    'attachment_max_bytes', $3::bigint,"
     "    'attachment_types', json_build_array('image/jpeg', 'image/png', 'application/pdf')),"
     "  'rubrics', (" RUBRIC_TREE(
         "w.rubric_ids") ")"
                         "),"
                         /* for its admin (widgets_admin_reply) */
                         " w.organisation_id, json_build_object('rubric_ids', w.rubric_ids)"
                         " FROM widgets w JOIN organisations o ON o.id = w.organisation_id"
                         " WHERE w.key = $4"},

    /* the widget's organisation, for the admin's access check */
    {"widgets_owner", "SELECT organisation_id FROM widgets WHERE key = $1"},

    /* the positions (from 0) of the rubric ids in $1 that are not active rubrics */
    {"widgets_unknown_rubrics",
     "SELECT u.position - 1 FROM unnest($1::bigint[]) WITH ORDINALITY AS u (id, position)"
     " WHERE NOT EXISTS (SELECT 1 FROM rubrics r WHERE r.id = u.id AND r.is_active)"
     " ORDER BY u.position"},

    /* An admin's change ($1 key, $6 its organisation): NULL leaves a setting
     * as it is; texts are merged as a JSON merge patch (a null removes one). */
    {"widgets_update",
     "UPDATE widgets SET title = coalesce($2, title),"
     "  allowed_origins = CASE WHEN $3::jsonb IS NULL THEN allowed_origins ELSE ARRAY("
     "    SELECT o FROM jsonb_array_elements_text($3::jsonb) WITH ORDINALITY AS e (o, position)"
     "    ORDER BY position) END,"
     "  rubric_ids = coalesce($4::bigint[], rubric_ids),"
     "  texts = CASE WHEN $5::jsonb IS NULL THEN texts ELSE jsonb_strip_nulls(texts || $5) END"
     " WHERE key = $1 AND organisation_id = $6"},

    {"widgets_insert",
     "INSERT INTO widgets (key, organisation_id, title, allowed_origins, rubric_ids, texts)"
     " VALUES ($1, $6, coalesce($2, 'Сообщить о проблеме'), ARRAY("
     "    SELECT o FROM jsonb_array_elements_text(coalesce($3::jsonb, '[]'))"
     "      WITH ORDINALITY AS e (o, position) ORDER BY position),"
     "  coalesce($4::bigint[], '{}'), jsonb_strip_nulls(coalesce($5::jsonb, '{}')))"},

    /* the origins that may frame the widget's form (CSP frame-ancestors) */
    {"widgets_origins", "SELECT array_to_string(allowed_origins, ' ') FROM widgets WHERE key = $1"},

    /* Uploads by one owner take turns: each counts the others' committed
     * uploads against the quota (attachments_usage runs after this lock, in a
     * statement of its own, so that it sees them). NO KEY UPDATE does not
     * block the key-share locks of foreign keys to the user. */
    {"attachments_lock_owner", "SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE"},

    /* What limits an upload ($1 owner, $2 OTKLIK_UPLOAD_TTL_SECONDS): the
     * owner's unattached files (count, bytes, seconds until the oldest is
     * removed) and uploads of the last minute (count, seconds until the oldest
     * leaves the minute); sql/010_upload_quota.sql has the indexes. */
    {"attachments_usage",
     "SELECT w.files, w.bytes, w.retry_after, r.uploads, r.retry_after FROM"
     " (SELECT count(*) AS files, coalesce(sum(size_bytes), 0) AS bytes,"
     "   greatest(1, ceil(extract(epoch FROM"
     "     min(created_at) + make_interval(secs => $2) - otklik_now())))::bigint AS retry_after"
     "  FROM attachments WHERE owner_id = $1 AND message_id IS NULL) w,"
     " (SELECT count(*) AS uploads, greatest(1, ceil(extract(epoch FROM"
     "     min(created_at) + interval '1 minute' - otklik_now())))::bigint AS retry_after"
     "  FROM attachments WHERE owner_id = $1 AND created_at > otklik_now() - interval '1 minute') "
     "r"},

    {"attachments_insert",
     "INSERT INTO attachments (owner_id, content_type, size_bytes, sha256, data)"
     " VALUES ($1, $2, $3, $4, $5) RETURNING id"},

    /* Everything a new message is checked against, in one round trip.
     * $1 author, $2 rubric, $3 widget key, $4 text, $5 the caller's foreign
     * Origin (NULL when none or the platform's own), $6 latitude and $7
     * longitude (NULL without a location). The territory: the smallest whose
     * boundary contains the location (sql/044), else the widget's
     * organisation's, else the author's, else the first region. */
    {"messages_context",
     "SELECT u.id IS NOT NULL, r.id IS NOT NULL, w.key IS NOT NULL,"
     "  $5::text IS NULL OR $5 = ANY (w.allowed_origins),"
     "  w.key IS NULL OR cardinality(w.rubric_ids) = 0 OR r.id = ANY (w.rubric_ids)"
     "    OR r.parent_id = ANY (w.rubric_ids),"
     "  coalesce(territory_at($7::float8, $6::float8), o.territory_id, u.territory_id,"
     "    (SELECT id FROM territories WHERE parent_id IS NULL ORDER BY id LIMIT 1)),"
     /* near-duplicate of one of the author's recent messages (reason 9) */
     "  EXISTS (SELECT 1 FROM (SELECT text FROM messages WHERE author_id = $1"
     "    AND created_at > otklik_now() - interval '30 days' ORDER BY id DESC LIMIT 20) recent"
     "    WHERE similarity(recent.text, $4) >= 0.8)"
     " FROM (SELECT 1) one"
     " LEFT JOIN users u ON u.id = $1"
     " LEFT JOIN rubrics r ON r.id = $2 AND r.is_active"
     " LEFT JOIN widgets w ON w.key = $3"
     " LEFT JOIN organisations o ON o.id = w.organisation_id"},

    /* The message, its first audit event and its attachments, in one statement.
     * A retry with the same Idempotency-Key inserts nothing and returns no row.
     * A routing rule with auto_route (sql/014, set in modules/admin) registers
     * a message the pre-checks found nothing in at once: in the rule's
     * organisation, due after the rubric's deadline_days, with a second event
     * by the system and the citizen's notification. routing_rule_for is asked
     * only when some rule has auto_route (issue 20: it was half of the intake's
     * transaction). */
    {"messages_insert",
     "WITH rule AS (SELECT rr.organisation_id, r.deadline_days"
     "  FROM rubrics r, LATERAL routing_rule_for($2, $8) rr"
     "  WHERE r.id = $2 AND rr.id IS NOT NULL AND rr.auto_route AND $7::jsonb = '[]'::jsonb"
     /* a one-time filter: the function (planned anew at each call, ~1 ms)
      * runs only while some rule routes automatically */
     "  AND EXISTS (SELECT 1 FROM routing_rules x WHERE x.auto_route)),"
     " m AS ("
     "  INSERT INTO messages (author_id, rubric_id, text, address, latitude, longitude, flags,"
     "    territory_id, widget_key, idempotency_key, request_sha256, status, organisation_id,"
     "    due_at, channel)"
     "  SELECT $1::bigint, $2::bigint, $3::text, $4::text, $5::double precision,"
     "    $6::double precision, $7::jsonb, $8::bigint, $9::text, $10::text, $11::text,"
     "    CASE WHEN rule.organisation_id IS NULL THEN 'moderation' ELSE 'registered' END,"
     "    rule.organisation_id, otklik_now() + make_interval(days => rule.deadline_days),"
     "    $13::text"
     "  FROM (SELECT 1) one LEFT JOIN rule ON true"
     "  ON CONFLICT (author_id, idempotency_key) DO NOTHING"
     "  RETURNING id, status, created_at, flags),"
     " e AS (INSERT INTO message_events (message_id, actor_id, actor_role, from_status, to_status,"
     "    comment)"
     "  SELECT id, $1, 'citizen', NULL, 'moderation', NULL FROM m"
     "  UNION ALL SELECT id, NULL, 'system', 'moderation', 'registered', 'routing rule' FROM m"
     "  WHERE status = 'registered' RETURNING id, message_id, to_status),"
     /* the citizen is told as when a moderator registers it (modules/cabinet
      * moderate_accept: the same words) */
     " n AS (INSERT INTO notifications (user_id, message_id, event_id, status, title)"
     "  SELECT $1, e.message_id, e.id, 'registered', 'Сообщение № ' || e.message_id"
     "    || ' зарегистрировано и передано на рассмотрение' FROM e"
     "  WHERE e.to_status = 'registered'),"
     " a AS (UPDATE attachments SET message_id = m.id FROM m"
     "  WHERE attachments.id = ANY ($12::bigint[]) AND attachments.owner_id = $1"
     "    AND attachments.message_id IS NULL RETURNING attachments.id)"
     " SELECT m.id, m.status, otklik_rfc3339(m.created_at), m.flags, (SELECT count(*) FROM a)"
     " FROM m"},

    {"messages_by_idempotency_key",
     "SELECT id, status, otklik_rfc3339(created_at), flags, request_sha256 FROM messages"
     " WHERE author_id = $1 AND idempotency_key = $2"},
};

const size_t widget_statement_count = sizeof(widget_statements) / sizeof(widget_statements[0]);
