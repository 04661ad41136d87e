/*
 * statements.c - every SQL statement of the cabinet worker.
 */
#include "cabinet.h"

/* The title of the message's rejection reason (sql/012). */
#define REASON_TITLE "(SELECT title FROM rejection_reasons WHERE code = m.rejection_reason)"

/* Which of a message's attachments a its author, as a citizen, sees: his own,
 * and an answer's once that answer was approved (sql/017). Staff see all. */
#define ATTACHMENT_FOR_AUTHOR "(a.purpose = 'message' OR a.published)"

/* The organisation suggested to the moderator of message m in moderation
 * (sql/016): {code, name} or NULL. */
#define SUGGESTED_ORG                                                                              \
    "CASE WHEN m.status = 'moderation'"                                                            \
    " THEN suggested_organisation(m.rubric_id, m.territory_id, m.widget_key) END"

/* The message as JSON; $2: whether the reader is staff (internal events and
 * comments, drafts, assignee, flags, author). A rejection is told with its
 * reason's title and the moderator's comment. */
#define MESSAGE_JSON                                                                               \
    "json_build_object('id', m.id, 'status', m.status, 'rubric_id', m.rubric_id,"                  \
    " 'text', m.text, 'address', m.address, 'channel', m.channel,"                                 \
    " 'location', CASE WHEN m.latitude IS NULL THEN NULL"                                          \
    "   ELSE json_build_object('lat', m.latitude, 'lon', m.longitude) END,"                        \
    " 'organisation', (SELECT code FROM organisations WHERE id = m.organisation_id),"              \
    " 'organisation_name', (SELECT name FROM organisations WHERE id = m.organisation_id),"         \
    " 'suggested_org', CASE WHEN $2 THEN " SUGGESTED_ORG " END,"                                   \
    " 'created_at', otklik_rfc3339(m.created_at), 'due_at', otklik_rfc3339(m.due_at),"             \
    " 'overdue', coalesce(m.status NOT IN ('answered', 'closed', 'rejected')"                      \
    "   AND m.due_at < otklik_now(), false),"                                                      \
    " 'answer', m.answer, 'answered_at', otklik_rfc3339(m.answered_at),"                           \
    " 'rejection_reason', m.rejection_reason,"                                                     \
    " 'rejection', CASE WHEN m.rejection_reason IS NOT NULL THEN json_build_object("               \
    "   'reason_code', m.rejection_reason, 'reason_title', " REASON_TITLE ","                      \
    "   'comment', (SELECT e.comment FROM message_events e WHERE e.message_id = m.id"              \
    "     AND e.to_status = 'rejected' ORDER BY e.id DESC LIMIT 1)) END,"                          \
    " 'rating', (SELECT score FROM message_ratings r"                                              \
    "   WHERE r.message_id = m.id AND r.answer_round = m.answer_round),"                           \
    " 'attachments', (SELECT coalesce(json_agg(json_build_object('id', a.id,"                      \
    "   'content_type', a.content_type, 'size', a.size_bytes, 'purpose', a.purpose)"               \
    "   ORDER BY a.id), '[]') FROM attachments a WHERE a.message_id = m.id"                        \
    "   AND ($2 OR " ATTACHMENT_FOR_AUTHOR ")),"                                                   \
    " 'events', (SELECT coalesce(json_agg(json_build_object('id', e.id,"                           \
    "   'actor_role', e.actor_role, 'actor_id', CASE WHEN $2 THEN e.actor_id END,"                 \
    "   'from', e.from_status, 'to', e.to_status,"                                                 \
    "   'comment', CASE WHEN $2 OR NOT e.comment_is_internal THEN e.comment END,"                  \
    "   'comment_internal', $2 AND e.comment_is_internal,"                                         \
    "   'reason_code', CASE WHEN e.to_status = 'rejected' THEN m.rejection_reason END,"            \
    "   'reason_title', CASE WHEN e.to_status = 'rejected' THEN " REASON_TITLE " END,"             \
    "   'internal', e.is_internal, 'at', otklik_rfc3339(e.created_at)) ORDER BY e.id), '[]')"      \
    "   FROM message_events e WHERE e.message_id = m.id AND ($2 OR NOT e.is_internal)),"           \
    " 'staff', CASE WHEN $2 THEN json_build_object('assignee_id', m.assignee_id,"                  \
    "   'answer_draft', m.answer_draft, 'flags', m.flags,"                                         \
    "   'redirect_to', (SELECT code FROM organisations WHERE id = m.redirect_organisation_id),"    \
    "   'author', (SELECT json_build_object('id', u.id, 'name', u.name)"                           \
    "     FROM users u WHERE u.id = m.author_id)) END)"

/* A line of a list, from messages m LEFT JOIN organisations o (ITEM_FROM).
 * The organisation's code comes from a join after the page is picked, not a
 * subquery per line: PostgreSQL rescans a tiny table per line, and each
 * rescan asks the file system for the table's size - a quarter of the
 * overdue list's time went there. */
#define MESSAGE_ITEM_JSON                                                                          \
    "json_build_object('id', m.id, 'status', m.status, 'rubric_id', m.rubric_id,"                  \
    " 'text', left(m.text, 200), 'organisation', o.code, 'organisation_name', o.name,"             \
    " 'channel', m.channel,"                                                                       \
    " 'assignee_id', CASE WHEN $1 THEN m.assignee_id END,"                                         \
    " 'flags', CASE WHEN $1 THEN m.flags END, 'widget_key', CASE WHEN $1 THEN m.widget_key END,"   \
    " 'territory', CASE WHEN $1 THEN json_build_object('code', t.code, 'name', t.name) END,"       \
    " 'suggested_org', CASE WHEN $1 THEN " SUGGESTED_ORG " END,"                                   \
    " 'created_at', otklik_rfc3339(m.created_at), 'due_at', otklik_rfc3339(m.due_at),"             \
    " 'overdue', coalesce(m.status NOT IN ('answered', 'closed', 'rejected')"                      \
    "   AND m.due_at < otklik_now(), false))"
#define ITEM_FROM(page)                                                                            \
    "(" page ") m LEFT JOIN organisations o ON o.id = m.organisation_id"                           \
    " JOIN territories t ON t.id = m.territory_id"

/* The organisations whose messages the caller reads: where $2 holds one of
 * the roles $3 (ok_authz_roles_allowed), only $9 if set. */
#define STAFF_SCOPE                                                                                \
    "scope AS (SELECT DISTINCT organisation_id FROM staff_roles"                                   \
    "   WHERE user_id = $2 AND role = ANY ($3::text[])"                                            \
    "     AND ($9::bigint IS NULL OR organisation_id = $9))"

/* The territories whose moderation queues the moderation organisations among
 * organisations (a query of ids) read: each one's territory and those below. */
#define MODERATION_TERRITORIES(organisations)                                                      \
    "SELECT DISTINCT t.id FROM territories t JOIN organisations o"                                 \
    "   ON o.id IN (" organisations ") AND o.is_moderation"                                        \
    "   WHERE territory_within(t.id, o.territory_id)"
#define STAFF_QUEUE MODERATION_TERRITORIES("SELECT organisation_id FROM scope")

/* The messages of each organisation of the scope, newest first, along an index
 * (LATERAL, so the LIMIT stops every scan early); filter: their condition,
 * newest: the cursor and the order. */
#define STAFF_ORGANISATIONS(filter, newest)                                                        \
    "SELECT m.* FROM scope, LATERAL (SELECT * FROM messages m"                                     \
    "   WHERE m.organisation_id = scope.organisation_id AND " filter                               \
    "     AND ($4::text IS NULL OR m.status = $4)"                                                 \
    "     AND ($6::boolean IS NOT TRUE OR m.assignee_id = $2)"                                     \
    "     AND " newest " LIMIT $8) m"

/* After the cursor $7 (0: from the newest), newest first, on - id. */
#define STAFF_NEWEST                                                                               \
    "- m.id > - coalesce(nullif($7::bigint, 0), 9223372036854775807) ORDER BY - m.id"

/* Every message of the scope's organisations, and the moderation queues of
 * the scope's moderation organisations (the territories they cover); then
 * merged. Ordered by - id, which only messages_organisation_newest,
 * messages_organisation_status_newest and messages_moderation_newest provide
 * (sql/009), so that each organisation's and territory's page is read along
 * its own index: by id, the planner walked the primary key and filtered, and
 * read the whole table for an organisation with few messages. ctes: more
 * common table expressions before the scope; filter: the organisations'
 * messages' condition, queue_filter: more of the queue's. */
#define STAFF_MERGED(ctes, filter, queue_filter)                                                   \
    "WITH " ctes STAFF_SCOPE ","                                                                   \
    " queue AS (" STAFF_QUEUE "),"                                                                 \
    " picked AS ((" STAFF_ORGANISATIONS(                                                           \
        filter, STAFF_NEWEST) ")"                                                                  \
                              "  UNION ALL"                                                        \
                              "  (SELECT m.* FROM queue, LATERAL (SELECT * FROM messages m"        \
                              "     WHERE m.status = 'moderation' AND m.territory_id = queue.id"   \
                              "       AND ($4::text IS NULL OR $4 = 'moderation') AND "            \
                              "$6::boolean IS NOT TRUE" queue_filter "       AND " STAFF_NEWEST    \
                              " LIMIT $8) m))"                                                     \
                              " SELECT " MESSAGE_ITEM_JSON                                         \
                              ", m.id FROM " ITEM_FROM("SELECT * FROM picked m ORDER BY m.id "     \
                                                       "DESC LIMIT $8") " ORDER BY m.id DESC"

#define STAFF_ALL STAFF_MERGED("", "($5 OR TRUE)", "")

/* The search filters (ok_filters, core/ok_filters.c) of both branches of the
 * search list: $10 words (websearch_to_tsquery: any input is a query, none an
 * error), $11 rubric ids (the rubric and its descendants), $12 territory ids
 * (the territory and those below it), $14 <= created_at < $15, $16 the
 * assignee's id. Each is written
 * "unset OR condition": the custom plan drops the unset ones, and sees the
 * ids, so a rare rubric or territory is read along its index (sql/011). */
#define STAFF_SEARCH_FILTER                                                                        \
    "($10::text IS NULL OR m.search @@ websearch_to_tsquery('russian', $10))"                      \
    " AND ($11::bigint[] IS NULL OR m.rubric_id = ANY ($11))"                                      \
    " AND ($12::bigint[] IS NULL OR m.territory_id = ANY ($12))"                                   \
    " AND ($14::timestamptz IS NULL OR m.created_at >= $14)"                                       \
    " AND ($15::timestamptz IS NULL OR m.created_at < $15)"                                        \
    " AND ($16::bigint IS NULL OR m.assignee_id = $16)"

/* The organisations' messages also: overdue ($5), or open and due within $13
 * days and not yet overdue; the predicate spelled out as messages_open_newest's
 * (sql/007). The moderation queue has no due dates. */
#define STAFF_SEARCH                                                                               \
    STAFF_MERGED(                                                                                  \
        "",                                                                                        \
        STAFF_SEARCH_FILTER                                                                        \
        " AND ($5 IS NOT TRUE OR (m.status NOT IN ('answered', 'closed', 'rejected')"              \
        "   AND m.due_at < otklik_now()))"                                                         \
        " AND ($13::integer IS NULL OR (m.status NOT IN ('answered', 'closed', 'rejected')"        \
        "   AND m.due_at >= otklik_now() AND m.due_at < otklik_now() + make_interval(days => "     \
        "$13)))",                                                                                  \
        " AND $5 IS NOT TRUE AND $13::integer IS NULL AND " STAFF_SEARCH_FILTER)

/* The overdue ones only (moderation has no due date), along
 * messages_open_newest (sql/007): the predicate is spelled out to match the
 * index's. */
#define STAFF_OVERDUE                                                                              \
    "WITH " STAFF_SCOPE " SELECT " MESSAGE_ITEM_JSON ", m.id FROM " ITEM_FROM(                     \
        STAFF_ORGANISATIONS("m.status NOT IN ('answered', 'closed', 'rejected')"                   \
                            " AND m.due_at < otklik_now() AND $5",                                 \
                            STAFF_NEWEST)) " ORDER BY m.id DESC LIMIT $8"

/* The queue counts (counts.c) count at most COUNTS_CAP + 1 rows each, so
 * that a large queue costs what a thousand does. */
#define COUNTS_CAP "1000"
#define COUNTS_CAPPED(rows) "(SELECT count(*) FROM (" rows " LIMIT " COUNTS_CAP " + 1) counted)"

/* The messages of the organisation org (one row) with condition filter. */
#define COUNTS_ORGANISATION(filter)                                                                \
    COUNTS_CAPPED("SELECT 1 FROM org, messages m WHERE m.organisation_id = org.id AND " filter)

/* The moderation queue as the staff list reads it (STAFF_MERGED): by the
 * territories of org, if it moderates, along messages_moderation_newest. */
#define COUNTS_MODERATION                                                                          \
    COUNTS_CAPPED("SELECT 1 FROM queue, LATERAL (SELECT 1 FROM messages m"                         \
                  "  WHERE m.status = 'moderation' AND m.territory_id = queue.id"                  \
                  "  LIMIT " COUNTS_CAP " + 1) m")

/* Open messages: not answered, closed or rejected. Those assigned to the
 * caller $1, along messages_assigned_open; those past due, along
 * messages_overdue_count (sql/014), whose predicate also leaves out
 * moderation (which has no due date) so that the staff's overdue list keeps
 * its index. */
#define COUNTS_MINE                                                                                \
    COUNTS_ORGANISATION("m.assignee_id = $1 AND m.status NOT IN ('answered', 'closed', "           \
                        "'rejected')")
#define COUNTS_OVERDUE                                                                             \
    COUNTS_ORGANISATION("m.status NOT IN ('moderation', 'answered', 'closed', 'rejected')"         \
                        " AND m.due_at < otklik_now()")

/* The queues of the organisations' messages. */
#define COUNTS_TO_ASSIGN COUNTS_ORGANISATION("m.status = 'registered'")
#define COUNTS_APPROVAL COUNTS_ORGANISATION("m.status = 'approval'")
#define COUNTS_REDIRECTS COUNTS_ORGANISATION("m.status = 'redirect_approval'")
#define COUNTS_QUEUE MODERATION_TERRITORIES("SELECT id FROM org")

/* The work queues of organisation $2 (its code) for the caller $1, as {org,
 * counts, capped, cap}; no row when the caller holds no role there. */
#define COUNTS_STAFF                                                                               \
    "WITH org AS (SELECT o.id, o.code FROM organisations o WHERE o.code = $2"                      \
    "   AND EXISTS (SELECT 1 FROM staff_roles s"                                                   \
    "     WHERE s.user_id = $1 AND s.organisation_id = o.id)),"                                    \
    " queue AS (" COUNTS_QUEUE "),"                                                                \
    " counts (queue, n) AS (VALUES ('moderation', " COUNTS_MODERATION "),"                         \
    "  ('to_assign', " COUNTS_TO_ASSIGN "), ('mine', " COUNTS_MINE "),"                            \
    "  ('approval', " COUNTS_APPROVAL "), ('redirects', " COUNTS_REDIRECTS "),"                    \
    "  ('overdue', " COUNTS_OVERDUE "))"                                                           \
    " SELECT json_build_object('org', org.code,"                                                   \
    "  'counts', (SELECT json_object_agg(queue, least(n, " COUNTS_CAP ")) FROM counts),"           \
    "  'capped', (SELECT coalesce(json_agg(queue), '[]') FROM counts WHERE n > " COUNTS_CAP "),"   \
    "  'cap', " COUNTS_CAP ") FROM org"

/* The statements of a feed of notifications (notifications.c), on table:
 * a page ($1 the person, $2 cursor, $3 limit; an item is its id, message,
 * read, created_at and fields); the person's ($1) unread count; notification
 * $1 of person $2 marked read (whether it is theirs, and their unread count
 * after: the snapshot's, less the one just read); every notification of
 * person $1 marked read (the unread count after). */
#define NOTIFICATIONS_PAGE(table, fields)                                                          \
    "SELECT json_build_object('id', n.id, 'message_id', n.message_id,"                             \
    "  'read', n.read_at IS NOT NULL, 'created_at', otklik_rfc3339(n.created_at), " fields "),"    \
    " n.id FROM " table " n WHERE n.user_id = $1 AND ($2::bigint = 0 OR n.id < $2)"                \
    " ORDER BY n.id DESC LIMIT $3"
#define NOTIFICATIONS_UNREAD(table)                                                                \
    "SELECT count(*) FROM " table " WHERE user_id = $1 AND read_at IS NULL"
#define NOTIFICATIONS_READ(table)                                                                  \
    "WITH marked AS (UPDATE " table " SET read_at = otklik_now()"                                  \
    "  WHERE id = $1 AND user_id = $2 AND read_at IS NULL RETURNING id)"                           \
    " SELECT EXISTS (SELECT 1 FROM " table " WHERE id = $1 AND user_id = $2),"                     \
    "  (SELECT count(*) FROM " table " WHERE user_id = $2 AND read_at IS NULL)"                    \
    "   - (SELECT count(*) FROM marked)"
#define NOTIFICATIONS_READ_ALL(table)                                                              \
    "WITH marked AS (UPDATE " table " SET read_at = otklik_now()"                                  \
    "  WHERE user_id = $1 AND read_at IS NULL RETURNING id)"                                       \
    " SELECT (SELECT count(*) FROM " table " WHERE user_id = $1 AND read_at IS NULL)"              \
    "  - (SELECT count(*) FROM marked)"

/* Who brought the message to its status: for an answer or a redirect waiting
 * for approval, the person who proposed it (four eyes: not its approver). */
#define MESSAGE_PROPOSER                                                                           \
    "(SELECT e.actor_id FROM message_events e WHERE e.message_id = m.id"                           \
    "  AND e.to_status = m.status ORDER BY e.id DESC LIMIT 1)"

const ok_db_statement cabinet_statements[] = {
    /* Who may see and act on a message: locked for the transition. The
     * moderation organisations whose territory covers the message's. */
    {"messages_lock",
     "SELECT m.status, m.organisation_id, m.author_id, m.assignee_id, m.rubric_id,"
     "  (SELECT coalesce(json_agg(o.id), '[]') FROM organisations o"
     "   WHERE o.is_moderation AND territory_within(m.territory_id, o.territory_id)),"
     "  m.redirect_organisation_id, " MESSAGE_PROPOSER
     " FROM messages m WHERE m.id = $1 FOR UPDATE OF m"},

    {"messages_access",
     "SELECT m.status, m.organisation_id, m.author_id, m.assignee_id, m.rubric_id,"
     "  (SELECT coalesce(json_agg(o.id), '[]') FROM organisations o"
     "   WHERE o.is_moderation AND territory_within(m.territory_id, o.territory_id)),"
     "  m.redirect_organisation_id, " MESSAGE_PROPOSER " FROM messages m WHERE m.id = $1"},

    {"messages_show", "SELECT " MESSAGE_JSON " FROM messages m WHERE m.id = $1"},

    /* GET /api/v1/attachments/{id} (attachments.c): who uploaded it, the
     * message that took it and whether that message's author sees it; then,
     * once access is granted, its type and bytes (read as binary). */
    {"attachments_of",
     "SELECT a.owner_id, a.message_id, " ATTACHMENT_FOR_AUTHOR ", attachment_is_public(a.id)"
     " FROM attachments a LEFT JOIN messages m ON m.id = a.message_id"
     " WHERE a.id = $1"},
    {"attachments_data", "SELECT content_type, data FROM attachments WHERE id = $1"},
    /* .../thumbnail: the type, whether a thumbnail row exists ('t'), the
     * stored thumbnail (NULL when none could be made) and its SHA-256, and
     * the image to make it from while there is no row (binary: text and
     * bytea only). */
    {"attachments_thumbnail",
     "SELECT a.content_type, CASE WHEN t.attachment_id IS NOT NULL THEN 't' END, t.data, t.sha256,"
     "  CASE WHEN t.attachment_id IS NULL AND a.content_type <> 'application/pdf' THEN a.data END"
     " FROM attachments a LEFT JOIN attachment_thumbnails t ON t.attachment_id = a.id"
     " WHERE a.id = $1"},
    /* the first request's thumbnail, or NULLs when none could be made; a
     * concurrent first request may have stored the same already */
    {"attachment_thumbnails_insert",
     "INSERT INTO attachment_thumbnails (attachment_id, width, height, sha256, data)"
     " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (attachment_id) DO NOTHING"},

    /* $1 staff, $2 author, $3 status, $4 cursor, $5 limit */
    {"messages_mine", "SELECT " MESSAGE_ITEM_JSON ", m.id FROM " ITEM_FROM(
                          "SELECT * FROM messages m"
                          " WHERE m.author_id = $2 AND ($3::text IS NULL OR m.status = $3)"
                          "   AND ($4::bigint = 0 OR m.id < $4)"
                          " ORDER BY m.id DESC LIMIT $5") " ORDER BY m.id DESC"},

    /* The staff's lists. $1 true, $2 the caller, $3 the roles that may read,
     * $4 status, $5 overdue (true in messages_staff_overdue; unused in
     * messages_staff), $6 assigned to the caller only, $7 cursor, $8 limit, $9
     * one organisation only; the search's $10..$16 below.
     * Without a status or "mine" filter: one generic plan, right whatever the
     * caller and the cursor (re-planned each time, the overdue list spent as
     * long planning as running). With one: planned for the values - the filter
     * may want another index, and a generic plan read a whole organisation for
     * a rare status. The same SQL; staff_messages picks. */
    {"messages_staff", STAFF_ALL, OK_DB_PLAN_GENERIC},
    {"messages_staff_filtered", STAFF_ALL, OK_DB_PLAN_CUSTOM},
    {"messages_staff_overdue", STAFF_OVERDUE, OK_DB_PLAN_GENERIC},
    {"messages_staff_overdue_filtered", STAFF_OVERDUE, OK_DB_PLAN_CUSTOM},
    /* With a search filter, $10..$16 (STAFF_SEARCH): one statement for them
     * all, planned for the values - a rare word starts from the words' index,
     * a common one walks each organisation's newest and filters. Kept apart so
     * that the hot lists above keep their plans. */
    {"messages_staff_search", STAFF_SEARCH, OK_DB_PLAN_CUSTOM},
    /* The queue counts (counts.c): to assign, approval and redirects along
     * messages_organisation_status_newest; the rest above. */
    {"staff_counts", COUNTS_STAFF},

    /* People whose lower-cased name holds $1 (a LIKE literal: users.c), or
     * whose ESIA oid starts with it; 20 by name. Planned for the value: a rare
     * name is read along users_name_trigram, a common one along users_name in
     * order, stopping at 20; an oid along users_esia_oid_prefix (sql/014). */
    {"users_search",
     "SELECT json_build_object('items', coalesce(json_agg(json_build_object('id', u.id,"
     "  'name', u.name, 'esia_oid', u.esia_oid) ORDER BY u.name, u.id), '[]'))"
     " FROM (SELECT id, name, esia_oid FROM users"
     "  WHERE lower(name) LIKE '%' || lower($1) || '%' OR esia_oid LIKE $1 || '%'"
     "  ORDER BY name, id LIMIT 20) u",
     OK_DB_PLAN_CUSTOM},

    /* The citizen's notifications and the staff's (notifications.c). */
    {"notifications_mine",
     NOTIFICATIONS_PAGE("notifications", "'status', n.status, 'title', n.title")},
    {"notifications_unread", NOTIFICATIONS_UNREAD("notifications")},
    {"notifications_read", NOTIFICATIONS_READ("notifications")},
    {"notifications_read_all", NOTIFICATIONS_READ_ALL("notifications")},
    {"staff_notifications_mine",
     NOTIFICATIONS_PAGE("staff_notifications",
                        "'kind', n.kind, 'title', staff_notification_title(n.kind, n.message_id),"
                        " 'due_at', otklik_rfc3339(n.due_at)")},
    {"staff_notifications_unread", NOTIFICATIONS_UNREAD("staff_notifications")},
    {"staff_notifications_read", NOTIFICATIONS_READ("staff_notifications")},
    {"staff_notifications_read_all", NOTIFICATIONS_READ_ALL("staff_notifications")},

    /* The audit event of a transition and who is told: when $8 is set, the
     * author (notifications); when $10 is set, the staff (staff_notifications:
     * "approval" to the managers of the message's organisation, another kind
     * to its assignee; never the actor). $1 message, $2 actor, $3 role, $4
     * from, $5 to, $6 comment, $7 internal, $9 the comment is internal. */
    {"events_add",
     "WITH e AS (INSERT INTO message_events (message_id, actor_id, actor_role, from_status,"
     "  to_status, comment, is_internal, comment_is_internal)"
     "  VALUES ($1, $2, $3, $4, $5, $6, $7, $9) RETURNING id, message_id),"
     " citizen AS (INSERT INTO notifications (user_id, message_id, event_id, status, title)"
     "  SELECT m.author_id, e.message_id, e.id, $5, $8 FROM e JOIN messages m ON m.id = "
     "e.message_id"
     "  WHERE $8::text IS NOT NULL)"
     " INSERT INTO staff_notifications (user_id, message_id, event_id, kind)"
     " SELECT told.user_id, e.message_id, e.id, $10 FROM e JOIN messages m ON m.id = e.message_id,"
     "  LATERAL (SELECT m.assignee_id AS user_id WHERE $10::text <> 'approval'"
     "   UNION SELECT s.user_id FROM staff_roles s WHERE $10::text = 'approval'"
     "    AND s.organisation_id = m.organisation_id AND s.role = 'manager') told"
     " WHERE $10::text IS NOT NULL AND told.user_id IS NOT NULL AND told.user_id <> $2"},

    {"rubrics_active", "SELECT 1 FROM rubrics WHERE id = $1 AND is_active"},
    /* an accept's or redirect's target: a deactivated organisation is none (modules/admin) */
    {"organisations_named", "SELECT id, name FROM organisations WHERE code = $1 AND is_active"},
    {"staff_holds",
     "SELECT 1 FROM staff_roles WHERE user_id = $1 AND organisation_id = $2 AND role = $3"},

    /* the transitions; each sets updated_at */
    {"messages_accept",
     "UPDATE messages SET status = 'registered', organisation_id = $2,"
     " rubric_id = coalesce($3, rubric_id), updated_at = otklik_now(),"
     " due_at = otklik_now() + make_interval(days => (SELECT deadline_days FROM rubrics"
     "   WHERE id = coalesce($3, messages.rubric_id)))"
     " WHERE id = $1"},
    {"messages_reject",
     "UPDATE messages SET status = 'rejected', rejection_reason = $2, closed_at = otklik_now(),"
     " updated_at = otklik_now() WHERE id = $1"
     " RETURNING (SELECT title FROM rejection_reasons WHERE code = $2)"},
    {"messages_assign",
     "UPDATE messages SET status = 'in_progress', assignee_id = $2, updated_at = otklik_now()"
     " WHERE id = $1"},
    {"messages_answer",
     "WITH a AS (UPDATE attachments SET message_id = $1, purpose = 'answer'"
     "  WHERE id = ANY ($3::bigint[]) AND owner_id = $4 AND message_id IS NULL RETURNING id)"
     " UPDATE messages SET status = 'approval', answer_draft = $2, updated_at = otklik_now()"
     " WHERE id = $1 RETURNING (SELECT count(*) FROM a)"},
    {"messages_redirect",
     "UPDATE messages SET redirect_from_status = status, status = 'redirect_approval',"
     " redirect_organisation_id = $2, updated_at = otklik_now() WHERE id = $1"},
    /* the draft's files are published with it (sql/017) */
    {"messages_approve_answer",
     "WITH files AS (UPDATE attachments SET published = true"
     "  WHERE message_id = $1 AND purpose = 'answer' AND NOT published)"
     " UPDATE messages SET status = 'answered', answer = answer_draft, answer_draft = NULL,"
     " answered_at = otklik_now(), answer_round = answer_round + 1, updated_at = otklik_now()"
     " WHERE id = $1"},
    {"messages_send_back_answer",
     "UPDATE messages SET status = 'in_progress', updated_at = otklik_now() WHERE id = $1"},
    {"messages_approve_redirect",
     "UPDATE messages SET status = 'registered', organisation_id = redirect_organisation_id,"
     " assignee_id = NULL, redirect_organisation_id = NULL, redirect_from_status = NULL,"
     " updated_at = otklik_now() WHERE id = $1"
     " RETURNING (SELECT name FROM organisations WHERE id = messages.organisation_id)"},
    {"messages_send_back_redirect",
     "UPDATE messages SET status = redirect_from_status, redirect_organisation_id = NULL,"
     " redirect_from_status = NULL, updated_at = otklik_now() WHERE id = $1 RETURNING status"},
    {"messages_rework",
     "UPDATE messages SET status = 'returned', updated_at = otklik_now(),"
     " due_at = otklik_now() + make_interval(days => (SELECT deadline_days FROM rubrics"
     "   WHERE id = messages.rubric_id))"
     " WHERE id = $1"},
    {"messages_rate",
     "WITH r AS (INSERT INTO message_ratings (message_id, answer_round, author_id, score, comment)"
     "  SELECT id, answer_round, $2, $3, $4 FROM messages WHERE id = $1"
     "  ON CONFLICT DO NOTHING RETURNING 1)"
     " UPDATE messages SET status = 'closed', closed_at = coalesce(closed_at, otklik_now()),"
     " updated_at = otklik_now() WHERE id = $1 AND EXISTS (SELECT 1 FROM r) RETURNING id"},

    /* one page of an organisation's people, by user id */
    {"staff_list", "SELECT u.id, u.name, json_agg(s.role ORDER BY s.role)"
                   " FROM staff_roles s JOIN users u ON u.id = s.user_id"
                   " WHERE s.organisation_id = $1 AND u.id > $2"
                   " GROUP BY u.id, u.name ORDER BY u.id LIMIT $3"},

    /* an organisation's widgets, for its admin's page */
    {"org_widgets", "SELECT json_build_object('items', coalesce(json_agg(json_build_object("
                    "  'key', key, 'title', title) ORDER BY key), '[]'), 'next_cursor', NULL)"
                    " FROM widgets WHERE organisation_id = $1"},

    /* staff changes of one organisation happen one at a time */
    {"organisations_lock", "SELECT id FROM organisations WHERE id = $1 FOR UPDATE"},

    {"staff_grant", "WITH u AS (SELECT id FROM users WHERE id = $1),"
                    " added AS (INSERT INTO staff_roles (user_id, organisation_id, role)"
                    "  SELECT id, $2, $3 FROM u ON CONFLICT DO NOTHING RETURNING 1)"
                    " SELECT (SELECT count(*) FROM u), (SELECT count(*) FROM added)"},

    /* revokes, and says how many admins the organisation keeps */
    {"staff_revoke",
     "WITH gone AS (DELETE FROM staff_roles"
     "  WHERE user_id = $1 AND organisation_id = $2 AND role = $3 RETURNING 1)"
     " SELECT (SELECT count(*) FROM gone),"
     "  (SELECT count(*) FROM staff_roles WHERE organisation_id = $2 AND role = 'admin')"
     "   - (SELECT count(*) FROM gone WHERE $3 = 'admin')"},
};

const size_t cabinet_statement_count = sizeof(cabinet_statements) / sizeof(cabinet_statements[0]);
