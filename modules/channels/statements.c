/*
 * statements.c - every SQL statement of the channels worker.
 */
#include "channels.h"

/* The root region: where posts of no known territory are moderated. */
#define ROOT_TERRITORY "(SELECT id FROM territories WHERE parent_id IS NULL ORDER BY id LIMIT 1)"

/* The territories user $U moderates with one of roles $R: those of his
 * moderation organisations and everything below them. */
#define MODERATED(user, roles)                                                                     \
    "SELECT DISTINCT t.id FROM territories t JOIN organisations o ON o.is_moderation"              \
    " JOIN staff_roles s ON s.organisation_id = o.id AND s.user_id = " user                        \
    "   AND s.role = ANY (" roles "::text[])"                                                      \
    " WHERE territory_within(t.id, o.territory_id)"

/* An incident i as JSON. */
#define INCIDENT_JSON                                                                              \
    "json_build_object('id', i.id, 'status', i.status, 'channel', i.channel,"                      \
    " 'source', i.source, 'kind', i.kind, 'external_id', i.external_id, 'url', i.url,"             \
    " 'author', json_build_object('external_id', i.author_external_id, 'name', i.author_name),"    \
    " 'text', i.text, 'published_at', otklik_rfc3339(i.published_at),"                             \
    " 'location', CASE WHEN i.latitude IS NULL THEN NULL"                                          \
    "   ELSE json_build_object('lat', i.latitude, 'lon', i.longitude) END,"                        \
    " 'flags', i.flags,"                                                                           \
    " 'suggested_rubric', (SELECT json_build_object('id', r.id, 'title', r.title)"                 \
    "   FROM rubrics r WHERE r.id = i.suggested_rubric_id),"                                       \
    " 'territory', (SELECT json_build_object('code', t.code, 'name', t.name)"                      \
    "   FROM territories t WHERE t.id = i.territory_id),"                                          \
    " 'account', (SELECT json_build_object('id', a.id, 'network', a.network,"                      \
    "   'address', a.address, 'org', o.code) FROM social_accounts a"                               \
    "   JOIN organisations o ON o.id = a.organisation_id WHERE a.id = i.account_id),"              \
    " 'message_id', i.message_id, 'dismiss_reason', i.dismiss_reason,"                             \
    " 'dismiss_comment', i.dismiss_comment, 'decided_at', otklik_rfc3339(i.decided_at),"           \
    " 'created_at', otklik_rfc3339(i.created_at))"

#define ACCOUNT_JSON                                                                               \
    "json_build_object('id', a.id, 'org', (SELECT code FROM organisations WHERE id ="              \
    " a.organisation_id), 'network', a.network, 'address', a.address,"                             \
    " 'external_id', a.external_id, 'verified', a.verified,"                                       \
    " 'activity', account_activity(a.id), 'created_at', otklik_rfc3339(a.created_at))"

#define POST_JSON                                                                                  \
    "json_build_object('id', p.id, 'account_id', p.account_id, 'text', p.text,"                    \
    " 'publish_at', otklik_rfc3339(p.publish_at), 'status', p.status,"                             \
    " 'approved_at', otklik_rfc3339(p.approved_at),"                                               \
    " 'published_at', otklik_rfc3339(p.published_at), 'external_id', p.external_id,"               \
    " 'created_at', otklik_rfc3339(p.created_at))"

const ok_db_statement channels_statements[] = {
    /* hooks.c */
    {"accounts_for_hook",
     "SELECT external_id, confirmation FROM social_accounts WHERE id = $1 AND network = $2"},
    {"incidents_insert",
     "INSERT INTO incidents (source, external_id, channel, account_id, kind, url,"
     "  author_external_id, author_name, text, published_at, latitude, longitude, reply_to,"
     "  flags, suggested_rubric_id, territory_id)"
     " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, otklik_try_timestamptz($10), $11, $12, $13,"
     "  $14, suggested_rubric($9), coalesce((SELECT o.territory_id FROM social_accounts a"
     "   JOIN organisations o ON o.id = a.organisation_id WHERE a.id = $4), " ROOT_TERRITORY "))"
     " ON CONFLICT (source, external_id) DO NOTHING"},

    /* incidents.c */
    {"incidents_list",
     "SELECT " INCIDENT_JSON ", i.id FROM incidents i"
     " WHERE i.territory_id IN (" MODERATED(
         "$1", "$2") ") AND i.status = $3"
                     "   AND ($4::bigint = 0 OR i.id < $4) ORDER BY i.id DESC LIMIT $5"},
    {"incidents_show", "SELECT " INCIDENT_JSON " FROM incidents i WHERE i.id = $1"},
    {"incidents_lock", "SELECT i.status, i.suggested_rubric_id FROM incidents i WHERE i.id = $1"
                       " AND i.territory_id IN (" MODERATED("$2", "$3") ") FOR UPDATE OF i"},
    {"incidents_routing", "SELECT (SELECT id FROM rubrics WHERE id = $1 AND is_active),"
                          " (SELECT id FROM organisations WHERE code = $2)"},
    /* the message, registered at once; its author the post's external profile */
    {"incidents_to_message",
     "WITH i AS (SELECT * FROM incidents WHERE id = $1),"
     " u AS (INSERT INTO users (esia_oid, name)"
     "  SELECT i.source || ':' || coalesce(i.author_external_id, 'anonymous'),"
     "   coalesce(i.author_name, i.source || ':' || coalesce(i.author_external_id, 'anonymous'))"
     "  FROM i ON CONFLICT (esia_oid) DO UPDATE SET name = EXCLUDED.name RETURNING id),"
     " m AS (INSERT INTO messages (author_id, rubric_id, text, latitude, longitude, flags,"
     "  territory_id, organisation_id, status, due_at, channel)"
     "  SELECT u.id, $2, i.text, i.latitude, i.longitude, i.flags, i.territory_id, $3,"
     "   'registered', otklik_now() + make_interval(days => (SELECT deadline_days FROM rubrics"
     "    WHERE id = $2)), i.channel FROM i, u RETURNING id, author_id)"
     " INSERT INTO message_events (message_id, actor_id, actor_role, to_status, comment)"
     " SELECT m.id, m.author_id, 'citizen', 'moderation', NULL FROM m RETURNING message_id"},
    {"incidents_accepted",
     "WITH e AS (INSERT INTO message_events (message_id, actor_id, actor_role, from_status,"
     "  to_status, comment) VALUES ($1, $2, 'moderator', 'moderation', 'registered', $3))"
     " UPDATE incidents SET status = 'accepted', message_id = $1, decided_by = $2,"
     " decided_at = otklik_now() WHERE id = $4"},
    {"incidents_dismiss",
     "UPDATE incidents SET status = 'dismissed', dismiss_reason = $3, dismiss_comment = $4,"
     " decided_by = $2, decided_at = otklik_now() WHERE id = $1"},

    /* accounts.c */
    {"accounts_list",
     "SELECT " ACCOUNT_JSON ", a.id FROM social_accounts a WHERE a.organisation_id = $1"
     " AND a.id > $2 ORDER BY a.id LIMIT $3"},
    {"accounts_show", "SELECT " ACCOUNT_JSON " FROM social_accounts a WHERE a.id = $1"},
    {"accounts_insert",
     "INSERT INTO social_accounts (organisation_id, network, address, external_id, verified,"
     " confirmation, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)"
     " ON CONFLICT (network, external_id) DO NOTHING RETURNING id"},
    {"accounts_owner", "SELECT organisation_id FROM social_accounts WHERE id = $1"},
    {"posts_owner",
     "SELECT a.organisation_id FROM account_posts p JOIN social_accounts a ON a.id = p.account_id"
     " WHERE p.id = $1"},
    {"posts_list", "SELECT " POST_JSON ", p.id FROM account_posts p WHERE p.account_id = $1"
                   " AND ($2::bigint = 0 OR p.id < $2) ORDER BY p.id DESC LIMIT $3"},
    {"posts_show", "SELECT " POST_JSON " FROM account_posts p WHERE p.id = $1"},
    {"posts_insert", "INSERT INTO account_posts (account_id, text, publish_at, created_by)"
                     " SELECT $1, $2, otklik_try_timestamptz($3), $4"
                     " WHERE otklik_try_timestamptz($3) IS NOT NULL RETURNING id"},
    /* approved: the outbox publishes it at its time (VK: a post on the
     * community's wall; Telegram: a message to the channel) */
    {"posts_approve",
     "WITH p AS (UPDATE account_posts SET status = 'approved', approved_by = $2,"
     "  approved_at = otklik_now() WHERE id = $1 AND status = 'draft' RETURNING *)"
     " INSERT INTO deliveries (channel, account_id, ordering_key, method, params, post_id,"
     "  next_attempt_at)"
     " SELECT a.network, a.id, 'post:' || p.id,"
     "  CASE a.network WHEN 'vk' THEN 'wall.post' ELSE 'sendMessage' END,"
     "  CASE a.network WHEN 'vk' THEN jsonb_build_object('owner_id', '-' || a.external_id,"
     "    'from_group', '1', 'message', p.text)"
     "   ELSE jsonb_build_object('chat_id', a.external_id, 'text', p.text) END,"
     "  p.id, p.publish_at FROM p JOIN social_accounts a ON a.id = p.account_id RETURNING id"},

    /* intake.c: the citizen's profile (by contact), the message in moderation
     * in the operator's organisation's territory, its first event by the
     * operator, and the contact */
    {"intake_insert",
     "WITH u AS (INSERT INTO users (esia_oid, name, language) VALUES ($1, $2,"
     "  coalesce($15, 'ru')) ON CONFLICT (esia_oid) DO UPDATE SET name = EXCLUDED.name,"
     "  language = coalesce($15, users.language) RETURNING id),"
     " m AS (INSERT INTO messages (author_id, rubric_id, text, address, latitude, longitude,"
     "  flags, territory_id, channel)"
     "  SELECT u.id, r.id, $4, $5, $6, $7, $8,"
     "   (SELECT territory_id FROM organisations WHERE id = $9), $10"
     "  FROM u, rubrics r WHERE r.id = $3 AND r.is_active"
     "  RETURNING id, status, created_at, flags, channel),"
     " e AS (INSERT INTO message_events (message_id, actor_id, actor_role, to_status)"
     "  SELECT id, $11, 'intake_operator', status FROM m),"
     " c AS (INSERT INTO message_contacts (message_id, name, phone, email, notify_by_email)"
     "  SELECT id, $2, $12, $13, $14 FROM m)"
     " SELECT id, json_build_object('id', id, 'status', status, 'channel', channel,"
     "  'created_at', otklik_rfc3339(created_at), 'flags', flags) FROM m"},
    /* every e-mail to the address of the key's contact stops */
    {"intake_unsubscribe",
     "UPDATE message_contacts SET notify_by_email = false WHERE email = (SELECT email FROM"
     " message_contacts WHERE unsubscribe_key = $1) RETURNING 1"},
};

const size_t channels_statement_count =
    sizeof(channels_statements) / sizeof(channels_statements[0]);
