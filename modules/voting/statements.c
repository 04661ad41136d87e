/*
 * statements.c - every SQL statement of the participation worker.
 */
#include "voting.h"

/* The members every voting, poll and discussion shares: territory {code,
 * name}, the period (starts_at/ends_at, also as opens_at/closes_at) and its
 * state, upcoming, open or finished (sql/030). */
#define PERIOD_JSON(a)                                                                             \
    "'territory', (SELECT json_build_object('code', t.code, 'name', t.name) FROM territories t"    \
    "   WHERE t.id = " a ".territory_id),"                                                         \
    " 'starts_at', otklik_rfc3339(" a ".opens_at), 'ends_at', otklik_rfc3339(" a ".closes_at),"    \
    " 'opens_at', otklik_rfc3339(" a ".opens_at), 'closes_at', otklik_rfc3339(" a ".closes_at),"   \
    " 'state', otklik_period_state(" a ".opens_at, " a ".closes_at)"

/* A catalogue of table (alias a) with item JSON: the items of territory $1
 * and of the territories above it, state $2, open first, then upcoming, then
 * finished, newest first within each; the keyset is (rank, -id) of the
 * cursor's item $3, $4 items. */
#define CATALOGUE_SQL(item, table, a)                                                              \
    "SELECT " item ", " a ".id FROM " table " " a " WHERE ($1::text IS NULL OR " a                 \
    ".territory_id IN (SELECT territory_and_above(id)"                                             \
    "   FROM territories WHERE code = $1))"                                                        \
    "   AND ($2::text IS NULL OR otklik_period_state(" a ".opens_at, " a ".closes_at) = $2)"       \
    "   AND ($3::bigint = 0 OR (otklik_period_rank(" a ".opens_at, " a ".closes_at), -" a ".id) >" \
    "   (SELECT otklik_period_rank(c.opens_at, c.closes_at), -c.id FROM " table " c"               \
    "    WHERE c.id = $3))"                                                                        \
    " ORDER BY otklik_period_rank(" a ".opens_at, " a ".closes_at), " a ".id DESC LIMIT $4"

/* The respondents of poll p (option 0) or the votes of an option: the sum of
 * its slots in poll_tallies (sql/086), at most 64 rows along the primary key. */
#define POLL_COUNT(option)                                                                         \
    "(SELECT coalesce(sum(t.votes), 0)::bigint FROM poll_tallies t"                                \
    " WHERE t.poll_id = p.id AND t.option_id = " option ")"

/* A poll's own members; a summary of it for catalogues. */
#define POLL_MEMBERS                                                                               \
    "'id', p.id, 'title', p.title, 'description', p.description,"                                  \
    " 'organisation', (SELECT code FROM organisations WHERE id = p.organisation_id),"              \
    " " PERIOD_JSON("p") ", 'results', p.results_visibility, 'respondents', " POLL_COUNT("0")
#define POLL_SUMMARY_JSON "json_build_object(" POLL_MEMBERS ")"

/* A discussion's own members (the document only in full); a summary. */
#define DISCUSSION_MEMBERS                                                                         \
    "'id', d.id, 'title', d.title,"                                                                \
    " 'organisation', (SELECT code FROM organisations WHERE id = d.organisation_id),"              \
    " " PERIOD_JSON("d") ","                                                                       \
                         " 'comments', (SELECT count(*) FROM discussion_comments c"                \
                         "   WHERE c.discussion_id = d.id AND c.status = 'published'),"            \
                         " 'report_published_at', otklik_rfc3339(d.report_published_at)"
#define DISCUSSION_SUMMARY_JSON "json_build_object(" DISCUSSION_MEMBERS ")"

/* A voting with its rules and projects (no results). */
#define VOTING_JSON                                                                                \
    "json_build_object('id', v.id, 'title', v.title, 'description', v.description,"                \
    " 'organisation', (SELECT code FROM organisations WHERE id = v.organisation_id),"              \
    " " PERIOD_JSON(                                                                               \
        "v") ","                                                                                   \
             " 'max_choices', v.max_choices, 'budget', v.budget_rubles,"                           \
             " 'results', v.results_visibility, 'residents_only', v.residents_only,"               \
             " 'projects', (SELECT coalesce(json_agg(json_build_object('id', p.id, 'title', "      \
             "p.title,"                                                                            \
             "   'description', p.description, 'cost', p.cost_rubles, 'address', p.address,"       \
             "   'photo_ids', p.photo_ids) ORDER BY p.position, p.id), '[]')"                      \
             "   FROM voting_projects p WHERE p.voting_id = v.id))"

/* A count kept in slots (sql/085): the sum of at most 64 rows along the
 * primary key of voting_tallies. The voters of voting v; the votes of project
 * p; the projects of a voting with their votes (the voting's id follows). */
#define VOTING_VOTERS                                                                              \
    "(SELECT coalesce(sum(t.votes), 0)::bigint FROM voting_tallies t"                              \
    " WHERE t.voting_id = v.id AND t.project_id = 0)"
#define PROJECT_VOTES                                                                              \
    "(SELECT coalesce(sum(t.votes), 0)::bigint FROM voting_tallies t"                              \
    " WHERE t.voting_id = p.voting_id AND t.project_id = p.id)"
#define PROJECTS_WITH_VOTES                                                                        \
    "SELECT p.id, p.title, p.cost_rubles, " PROJECT_VOTES " AS votes"                              \
    " FROM voting_projects p WHERE p.voting_id = "

const ok_db_statement voting_statements[] = {
    /* ---- votings */
    {"votings_list", CATALOGUE_SQL(VOTING_JSON, "votings", "v")},
    {"votings_show", "SELECT " VOTING_JSON " FROM votings v WHERE v.id = $1"},
    {"territories_by_code", "SELECT id FROM territories WHERE code = $1"},
    {"organisations_territory", "SELECT territory_id FROM organisations WHERE id = $1"},
    {"times_parse",
     "SELECT otklik_try_timestamptz($1) IS NOT NULL, otklik_try_timestamptz($2) IS NOT NULL,"
     " otklik_try_timestamptz($2) > otklik_try_timestamptz($1)"},
    /* $1 org, $2 territory, $3 title, $4 description, $5 opens, $6 closes,
     * $7 max_choices, $8 budget, $9 results, $10 residents_only */
    {"votings_insert",
     "INSERT INTO votings (organisation_id, territory_id, title, description, opens_at, closes_at,"
     " max_choices, budget_rubles, results_visibility, residents_only)"
     " VALUES ($1, $2, $3, coalesce($4, ''), $5::timestamptz, $6::timestamptz, $7, $8, $9, $10)"
     " RETURNING id"},
    {"projects_insert",
     "INSERT INTO voting_projects (voting_id, title, description, cost_rubles, address,"
     " photo_ids, position)"
     " VALUES ($1, $2, coalesce($3, ''), $4, $5, coalesce($6::bigint[], '{}'),"
     "  (SELECT coalesce(max(position), 0) + 1 FROM voting_projects WHERE voting_id = $1))"
     " RETURNING id"},
    /* the voting, locked while it is edited: its organisation and whether it has opened */
    {"votings_lock", "SELECT organisation_id, opens_at <= otklik_now(), otklik_rfc3339(opens_at),"
                     " otklik_rfc3339(closes_at) FROM votings WHERE id = $1 FOR UPDATE"},
    {"votings_update",
     "UPDATE votings SET title = coalesce($2, title), description = coalesce($3, description),"
     " opens_at = coalesce($4::timestamptz, opens_at), closes_at = coalesce($5::timestamptz, "
     "closes_at),"
     " max_choices = coalesce($6, max_choices), budget_rubles = coalesce($7, budget_rubles),"
     " results_visibility = coalesce($8, results_visibility),"
     " residents_only = coalesce($9, residents_only)"
     " WHERE id = $1 AND coalesce($5::timestamptz, closes_at) > coalesce($4::timestamptz, opens_at)"
     " RETURNING id"},
    {"projects_update",
     "UPDATE voting_projects SET title = coalesce($3, title),"
     " description = coalesce($4, description), cost_rubles = coalesce($5, cost_rubles),"
     " address = coalesce($6, address) WHERE id = $2 AND voting_id = $1 RETURNING id"},

    /* ---- ballots */
    /* $1 voting, $2 user, $3 project ids */
    {"ballots_context",
     "SELECT otklik_now() >= v.opens_at, otklik_now() < v.closes_at, v.max_choices,"
     " v.budget_rubles,"
     " NOT v.residents_only OR EXISTS (SELECT 1 FROM users u WHERE u.id = $2"
     "   AND u.territory_id IS NOT NULL AND territory_within(u.territory_id, v.territory_id)),"
     " (SELECT count(*) FROM voting_projects p WHERE p.voting_id = v.id AND p.id = ANY "
     "($3::bigint[])),"
     " (SELECT coalesce(sum(p.cost_rubles), 0) FROM voting_projects p"
     "   WHERE p.voting_id = v.id AND p.id = ANY ($3::bigint[])),"
     " EXISTS (SELECT 1 FROM users u WHERE u.id = $2 AND u.territory_id IS NOT NULL)"
     " FROM votings v WHERE v.id = $1"},
    /* The ballot, every rule checked against the voting in the INSERT itself,
     * and its counters, in one statement answering the ballot's JSON; no row:
     * a rule refused it or the citizen has voted (ballots_context tells which).
     * The period is checked against the transaction's clock, the ballot's
     * cast_at, so every stored ballot was cast before closes_at. The counters
     * are the citizen's slot of voting_tallies (sql/085), locked in ascending
     * project order: ballots wait for each other only within a slot, and never
     * deadlock. */
    {"ballots_cast",
     "WITH v AS (SELECT v.id FROM votings v WHERE v.id = $1"
     "  AND otklik_now() >= v.opens_at AND otklik_now() < v.closes_at"
     "  AND cardinality($3::bigint[]) <= v.max_choices"
     "  AND (NOT v.residents_only OR EXISTS (SELECT 1 FROM users u WHERE u.id = $2"
     "   AND u.territory_id IS NOT NULL AND territory_within(u.territory_id, v.territory_id)))"
     "  AND (SELECT count(*) = cardinality($3::bigint[]) AND (v.budget_rubles IS NULL"
     "   OR coalesce(sum(p.cost_rubles), 0) <= v.budget_rubles) FROM voting_projects p"
     "   WHERE p.voting_id = v.id AND p.id = ANY ($3::bigint[]))),"
     " b AS (INSERT INTO ballots (voting_id, user_id, project_ids)"
     "  SELECT v.id, $2, $3::bigint[] FROM v ON CONFLICT DO NOTHING"
     "  RETURNING voting_id, project_ids, cast_at),"
     " t AS (INSERT INTO voting_tallies (voting_id, project_id, slot, votes)"
     "  SELECT b.voting_id, p, ($2::bigint % 64)::smallint, 1"
     "  FROM b, unnest(array_prepend(0::bigint, b.project_ids)) p ORDER BY p"
     "  ON CONFLICT (voting_id, project_id, slot) DO UPDATE SET votes = voting_tallies.votes + 1)"
     " SELECT json_build_object('voting_id', voting_id, 'project_ids', project_ids,"
     " 'cast_at', otklik_rfc3339(cast_at)) FROM b"},
    {"ballots_mine",
     "SELECT json_build_object('voting_id', voting_id, 'project_ids', project_ids,"
     " 'cast_at', otklik_rfc3339(cast_at)) FROM ballots WHERE voting_id = $1 AND user_id = $2"},
    /* results, and whether they may be shown to anyone now: the sums of the
     * slots (sql/085), at most 64 rows per project along the primary key */
    {"results_show",
     "SELECT json_build_object('voting_id', v.id, 'voters', " VOTING_VOTERS ","
     " 'final', otklik_now() >= v.closes_at,"
     " 'projects', (SELECT coalesce(json_agg(json_build_object('id', x.id, 'title', x.title,"
     "   'cost', x.cost_rubles, 'votes', x.votes) ORDER BY x.votes DESC, x.id), '[]')"
     "   FROM (" PROJECTS_WITH_VOTES "v.id) x)),"
     " v.results_visibility = 'live' OR otklik_now() >= v.closes_at, v.organisation_id"
     " FROM votings v WHERE v.id = $1"},
    {"results_rows", "SELECT x.id, x.title, x.cost_rubles, x.votes FROM (" PROJECTS_WITH_VOTES
                     "$1) x ORDER BY x.votes DESC, x.id"},

    /* ---- polls */
    {"polls_list", CATALOGUE_SQL(POLL_SUMMARY_JSON, "polls", "p")},
    {"polls_show", "SELECT json_build_object(" POLL_MEMBERS ","
                   " 'questions', (SELECT coalesce(json_agg(json_build_object('id', q.id,"
                   "   'text', q.text, 'kind', q.kind, 'required', q.required,"
                   "   'options', (SELECT coalesce(json_agg(json_build_object('id', o.id,"
                   "     'text', o.text) ORDER BY o.position, o.id), '[]')"
                   "     FROM poll_options o WHERE o.question_id = q.id))"
                   "   ORDER BY q.position, q.id), '[]') FROM poll_questions q"
                   "   WHERE q.poll_id = p.id)),"
                   " otklik_now() >= p.opens_at AND otklik_now() < p.closes_at"
                   " FROM polls p WHERE p.id = $1"},
    {"polls_respond",
     "WITH r AS (INSERT INTO poll_responses (poll_id, user_id, answers) VALUES ($1, $2, $3::jsonb)"
     "  ON CONFLICT DO NOTHING RETURNING poll_id),"
     /* the respondent and each chosen option of this poll, once, in the
      * citizen's slot (sql/086), locked in ascending order */
     " t AS (INSERT INTO poll_tallies (poll_id, option_id, slot, votes)"
     "  SELECT r.poll_id, c.id, ($2::bigint % 64)::smallint, 1"
     "  FROM r, (SELECT 0::bigint AS id UNION SELECT o.id FROM poll_options o"
     "   JOIN poll_questions q ON q.id = o.question_id"
     "   WHERE q.poll_id = $1 AND o.id = ANY ($4::bigint[])) c ORDER BY c.id"
     "  ON CONFLICT (poll_id, option_id, slot) DO UPDATE SET votes = poll_tallies.votes + 1)"
     " SELECT count(*) FROM r"},
    /* $1 poll, $2 whether the caller is its staff (then the free-text answers
     * too, newest first, at most 1000 per question); then whether anyone may
     * see the counts now, and the organisation */
    {"polls_results",
     "SELECT json_build_object('poll_id', p.id, 'respondents', " POLL_COUNT("0") ","
     " 'state', otklik_period_state(p.opens_at, p.closes_at), 'results', p.results_visibility,"
     " 'questions', (SELECT coalesce(json_agg(json_build_object('id', q.id, 'text', q.text,"
     "   'kind', q.kind,"
     "   'options', (SELECT coalesce(json_agg(json_build_object('id', o.id, 'text', o.text,"
     "     'votes', " POLL_COUNT("o.id") ") ORDER BY o.position, o.id), '[]')"
     "     FROM poll_options o WHERE o.question_id = q.id),"
     "   'text_answers', CASE WHEN q.kind = 'text' THEN (SELECT count(*) FROM poll_responses r,"
     "     jsonb_array_elements(r.answers) a WHERE r.poll_id = p.id"
     "     AND (a->>'question_id')::bigint = q.id) END,"
     "   'answers', CASE WHEN q.kind = 'text' AND $2::boolean THEN (SELECT"
     "     coalesce(json_agg(json_build_object('text', x.text, 'created_at', x.at)), '[]')"
     "     FROM (SELECT a->>'text' AS text, otklik_rfc3339(r.created_at) AS at"
     "       FROM poll_responses r, jsonb_array_elements(r.answers) a WHERE r.poll_id = p.id"
     "       AND (a->>'question_id')::bigint = q.id ORDER BY r.created_at DESC LIMIT 1000) x) END)"
     "   ORDER BY q.position, q.id), '[]') FROM poll_questions q WHERE q.poll_id = p.id)),"
     " p.results_visibility = 'live' OR otklik_now() >= p.closes_at"
     " FROM polls p WHERE p.id = $1"},
    {"polls_owner", "SELECT organisation_id FROM polls WHERE id = $1"},
    /* $1 org, $2 territory, $3 title, $4 description, $5 opens, $6 closes, $7 results */
    {"polls_insert",
     "INSERT INTO polls (organisation_id, territory_id, title, description, opens_at, closes_at,"
     " results_visibility) VALUES ($1, $2, $3, coalesce($4, ''), $5::timestamptz, $6::timestamptz,"
     " $7) RETURNING id"},
    /* the questions of poll $1 from a (checked) JSON array $2 of {text, kind,
     * required?, options?: [text]}, replacing any it had, in one statement */
    {"polls_questions_replace",
     "WITH gone_o AS (DELETE FROM poll_options WHERE question_id IN"
     "   (SELECT id FROM poll_questions WHERE poll_id = $1)),"
     " gone_q AS (DELETE FROM poll_questions WHERE poll_id = $1),"
     " e AS (SELECT e.v, e.i FROM json_array_elements($2::json) WITH ORDINALITY e(v, i)),"
     " q AS (INSERT INTO poll_questions (poll_id, position, text, kind, required)"
     "   SELECT $1, e.i, e.v->>'text', e.v->>'kind', coalesce((e.v->>'required')::boolean, true)"
     "   FROM e RETURNING id, position)"
     " INSERT INTO poll_options (question_id, position, text)"
     " SELECT q.id, o.i, o.v FROM q JOIN e ON e.i = q.position,"
     "   json_array_elements_text(coalesce(e.v->'options', '[]')) WITH ORDINALITY o(v, i)"},
    {"polls_lock", "SELECT organisation_id, opens_at <= otklik_now(), otklik_rfc3339(opens_at),"
                   " otklik_rfc3339(closes_at) FROM polls WHERE id = $1 FOR UPDATE"},
    {"polls_update",
     "UPDATE polls SET title = coalesce($2, title), description = coalesce($3, description),"
     " opens_at = coalesce($4::timestamptz, opens_at),"
     " closes_at = coalesce($5::timestamptz, closes_at),"
     " results_visibility = coalesce($6, results_visibility),"
     " territory_id = coalesce($7::bigint, territory_id) WHERE id = $1 RETURNING id"},

    /* ---- discussions */
    {"discussions_list", CATALOGUE_SQL(DISCUSSION_SUMMARY_JSON, "discussions", "d")},
    {"discussions_show",
     "SELECT json_build_object(" DISCUSSION_MEMBERS ", 'document', d.document,"
     " 'attachment_ids', d.attachment_ids, 'report', d.report) FROM discussions d WHERE d.id = $1"},
    /* who moderates a discussion: its organisation, and the moderation
     * organisations covering its territory */
    {"discussions_access",
     "SELECT d.organisation_id, otklik_now() >= d.opens_at AND otklik_now() < d.closes_at,"
     " otklik_now() >= d.closes_at, d.report IS NOT NULL,"
     " (SELECT coalesce(json_agg(o.id), '[]') FROM organisations o"
     "   WHERE o.is_moderation AND territory_within(d.territory_id, o.territory_id))"
     " FROM discussions d WHERE d.id = $1"},
    /* $1 discussion, $2 status, $3 cursor, $4 limit, $5 the caller (own pending ones) */
    {"comments_list", "SELECT json_build_object('id', c.id, 'text', c.text, 'status', c.status,"
                      " 'author', CASE WHEN $2 = 'published' THEN NULL ELSE c.author_id END,"
                      " 'flags', CASE WHEN $2 = 'published' THEN NULL ELSE c.flags END,"
                      " 'created_at', otklik_rfc3339(c.created_at)), c.id"
                      " FROM discussion_comments c WHERE c.discussion_id = $1 AND c.status = $2"
                      "   AND ($3::bigint = 0 OR c.id > $3) ORDER BY c.id LIMIT $4"},
    {"comments_insert",
     "INSERT INTO discussion_comments (discussion_id, author_id, text, flags)"
     " SELECT $1, u.id, $3, $4::jsonb ||"
     "  CASE WHEN EXISTS (SELECT 1 FROM (SELECT text FROM discussion_comments"
     "    WHERE author_id = $2 ORDER BY id DESC LIMIT 20) r WHERE similarity(r.text, $3) >= 0.8)"
     "  THEN '[{\"code\": 9, \"rule\": \"duplicate\"}]'::jsonb ELSE '[]'::jsonb END"
     " FROM users u WHERE u.id = $2"
     " RETURNING id, status, flags, otklik_rfc3339(created_at)"},
    {"comments_moderate",
     "UPDATE discussion_comments SET status = $3, rejection_reason = $4, moderator_id = $5,"
     " moderated_at = otklik_now()"
     " WHERE id = $2 AND discussion_id = $1 AND status = 'moderation' RETURNING id"},
    {"comments_exists",
     "SELECT status FROM discussion_comments WHERE id = $2 AND discussion_id = $1"},
    /* $1 org, $2 territory, $3 title, $4 document, $5 attachments, $6 opens, $7 closes */
    {"discussions_insert",
     "INSERT INTO discussions (organisation_id, territory_id, title, document, attachment_ids,"
     " opens_at, closes_at) VALUES ($1, $2, $3, $4, coalesce($5::bigint[], '{}'),"
     " $6::timestamptz, $7::timestamptz) RETURNING id"},
    {"discussions_lock", "SELECT organisation_id, opens_at <= otklik_now(),"
                         " otklik_rfc3339(opens_at), otklik_rfc3339(closes_at)"
                         " FROM discussions WHERE id = $1 FOR UPDATE"},
    {"discussions_update",
     "UPDATE discussions SET title = coalesce($2, title), document = coalesce($3, document),"
     " attachment_ids = coalesce($4::bigint[], attachment_ids),"
     " opens_at = coalesce($5::timestamptz, opens_at),"
     " closes_at = coalesce($6::timestamptz, closes_at),"
     " territory_id = coalesce($7::bigint, territory_id) WHERE id = $1 RETURNING id"},
    /* how many of attachments $1 the caller $2 uploaded */
    /* $3: images only (a project's photos). Locked: the scheduler's clean-up
     * of unsent uploads skips them until the project or discussion commits. */
    {"attachments_owned",
     "SELECT count(*) FROM (SELECT id FROM attachments WHERE id = ANY ($1::bigint[])"
     " AND owner_id = $2 AND message_id IS NULL AND (NOT $3 OR content_type LIKE 'image/%')"
     " FOR UPDATE) owned"},
    {"discussions_report", "UPDATE discussions SET report = $2, report_published_at = otklik_now()"
                           " WHERE id = $1 AND report IS NULL RETURNING id"},

    /* ---- the citizen's own participation: $1 user, $2 cursor, $3 limit */
    /* ---- the public territory tree ($1 a kind or NULL), by name */
    {"territories_public",
     "SELECT json_build_object('items', coalesce(json_agg(json_build_object('code', t.code,"
     " 'name', t.name, 'kind', t.kind, 'parent', p.code) ORDER BY t.name, t.code), '[]'))"
     " FROM territories t LEFT JOIN territories p ON p.id = t.parent_id"
     " WHERE $1::text IS NULL OR t.kind = $1"},
    {"my_ballots",
     "SELECT json_build_object('voting_id', v.id, 'voting', json_build_object('id', v.id,"
     "   'title', v.title, 'state', otklik_period_state(v.opens_at, v.closes_at)),"
     " 'project_ids', b.project_ids,"
     " 'projects', (SELECT coalesce(json_agg(json_build_object('id', p.id, 'title', p.title,"
     "   'cost', p.cost_rubles) ORDER BY p.position, p.id), '[]') FROM voting_projects p"
     "   WHERE p.voting_id = v.id AND p.id = ANY (b.project_ids)),"
     " 'cast_at', otklik_rfc3339(b.cast_at)), b.voting_id"
     " FROM ballots b JOIN votings v ON v.id = b.voting_id"
     " WHERE b.user_id = $1 AND ($2::bigint = 0 OR b.voting_id < $2)"
     " ORDER BY b.voting_id DESC LIMIT $3"},
    {"my_poll_responses",
     "SELECT json_build_object('poll_id', p.id, 'poll', json_build_object('id', p.id,"
     "   'title', p.title, 'state', otklik_period_state(p.opens_at, p.closes_at)),"
     " 'answers', r.answers, 'created_at', otklik_rfc3339(r.created_at)), r.poll_id"
     " FROM poll_responses r JOIN polls p ON p.id = r.poll_id"
     " WHERE r.user_id = $1 AND ($2::bigint = 0 OR r.poll_id < $2)"
     " ORDER BY r.poll_id DESC LIMIT $3"},
    {"my_comments",
     "SELECT json_build_object('id', c.id, 'discussion_id', d.id,"
     " 'discussion', json_build_object('id', d.id, 'title', d.title,"
     "   'state', otklik_period_state(d.opens_at, d.closes_at)),"
     " 'text', c.text, 'status', c.status, 'reason_code', c.rejection_reason,"
     " 'reason_title', (SELECT title FROM rejection_reasons WHERE code = c.rejection_reason),"
     " 'created_at', otklik_rfc3339(c.created_at),"
     " 'moderated_at', otklik_rfc3339(c.moderated_at)), c.id"
     " FROM discussion_comments c JOIN discussions d ON d.id = c.discussion_id"
     " WHERE c.author_id = $1 AND ($2::bigint = 0 OR c.id < $2) ORDER BY c.id DESC LIMIT $3"},
};

const size_t voting_statement_count = sizeof(voting_statements) / sizeof(voting_statements[0]);
