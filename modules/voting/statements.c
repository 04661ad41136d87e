/*
 * statements.c - every SQL statement of the participation worker.
 */
#include "voting.h"

/* A voting with its rules and projects (no results). */
#define VOTING_JSON                                                                                \
    "json_build_object('id', v.id, 'title', v.title, 'description', v.description,"                \
    " 'organisation', (SELECT code FROM organisations WHERE id = v.organisation_id),"              \
    " 'territory', (SELECT code FROM territories WHERE id = v.territory_id),"                      \
    " 'opens_at', otklik_rfc3339(v.opens_at), 'closes_at', otklik_rfc3339(v.closes_at),"           \
    " 'state', CASE WHEN otklik_now() < v.opens_at THEN 'upcoming'"                                \
    "   WHEN otklik_now() < v.closes_at THEN 'open' ELSE 'closed' END,"                            \
    " 'max_choices', v.max_choices, 'budget', v.budget_rubles,"                                    \
    " 'results', v.results_visibility, 'residents_only', v.residents_only,"                        \
    " 'projects', (SELECT coalesce(json_agg(json_build_object('id', p.id, 'title', p.title,"       \
    "   'description', p.description, 'cost', p.cost_rubles, 'address', p.address,"                \
    "   'photo_ids', p.photo_ids) ORDER BY p.position, p.id), '[]')"                               \
    "   FROM voting_projects p WHERE p.voting_id = v.id))"

const ok_db_statement voting_statements[] = {
    /* ---- votings */
    /* $1 territory code or NULL, $2 cursor, $3 limit */
    {"votings_list", "SELECT " VOTING_JSON ", v.id FROM votings v"
                     " WHERE ($1::text IS NULL OR territory_within(v.territory_id,"
                     "   (SELECT id FROM territories WHERE code = $1)))"
                     "   AND ($2::bigint = 0 OR v.id < $2)"
                     " ORDER BY v.id DESC LIMIT $3"},
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
     "   WHERE p.voting_id = v.id AND p.id = ANY ($3::bigint[]))"
     " FROM votings v WHERE v.id = $1"},
    /* The ballot and the counters, in one statement; no row: already voted.
     * The voting's row is locked before any project's (p waits for v), so
     * concurrent ballots queue on it instead of locking projects in whatever
     * order a scan meets them and deadlocking. */
    {"ballots_insert",
     "WITH b AS (INSERT INTO ballots (voting_id, user_id, project_ids) VALUES ($1, $2, "
     "$3::bigint[])"
     "  ON CONFLICT DO NOTHING RETURNING project_ids),"
     " v AS (UPDATE votings SET voters = voters + 1 WHERE id = $1 AND EXISTS (SELECT 1 FROM b)"
     "  RETURNING 1),"
     " p AS (UPDATE voting_projects SET votes = votes + 1"
     "  WHERE voting_id = $1 AND id = ANY ($3::bigint[]) AND EXISTS (SELECT 1 FROM v) RETURNING 1)"
     " SELECT (SELECT count(*) FROM p) FROM b"},
    {"ballots_mine",
     "SELECT json_build_object('voting_id', voting_id, 'project_ids', project_ids,"
     " 'cast_at', otklik_rfc3339(cast_at)) FROM ballots WHERE voting_id = $1 AND user_id = $2"},
    /* results, and whether they may be shown to anyone now */
    {"results_show",
     "SELECT json_build_object('voting_id', v.id, 'voters', v.voters,"
     " 'final', otklik_now() >= v.closes_at,"
     " 'projects', (SELECT coalesce(json_agg(json_build_object('id', p.id, 'title', p.title,"
     "   'cost', p.cost_rubles, 'votes', p.votes) ORDER BY p.votes DESC, p.id), '[]')"
     "   FROM voting_projects p WHERE p.voting_id = v.id)),"
     " v.results_visibility = 'live' OR otklik_now() >= v.closes_at, v.organisation_id"
     " FROM votings v WHERE v.id = $1"},
    {"results_rows", "SELECT p.id, p.title, p.cost_rubles, p.votes FROM voting_projects p"
                     " WHERE p.voting_id = $1 ORDER BY p.votes DESC, p.id"},

    /* ---- polls */
    {"polls_show",
     "SELECT json_build_object('id', p.id, 'title', p.title, 'description', p.description,"
     " 'organisation', (SELECT code FROM organisations WHERE id = p.organisation_id),"
     " 'opens_at', otklik_rfc3339(p.opens_at), 'closes_at', otklik_rfc3339(p.closes_at),"
     " 'state', CASE WHEN otklik_now() < p.opens_at THEN 'upcoming'"
     "   WHEN otklik_now() < p.closes_at THEN 'open' ELSE 'closed' END,"
     " 'questions', (SELECT coalesce(json_agg(json_build_object('id', q.id, 'text', q.text,"
     "   'kind', q.kind, 'required', q.required,"
     "   'options', (SELECT coalesce(json_agg(json_build_object('id', o.id, 'text', o.text)"
     "     ORDER BY o.position, o.id), '[]') FROM poll_options o WHERE o.question_id = q.id))"
     "   ORDER BY q.position, q.id), '[]') FROM poll_questions q WHERE q.poll_id = p.id)),"
     " otklik_now() >= p.opens_at AND otklik_now() < p.closes_at"
     " FROM polls p WHERE p.id = $1"},
    {"polls_respond",
     "WITH r AS (INSERT INTO poll_responses (poll_id, user_id, answers) VALUES ($1, $2, $3::jsonb)"
     "  ON CONFLICT DO NOTHING RETURNING 1),"
     " o AS (UPDATE poll_options SET votes = votes + 1"
     "  WHERE id = ANY ($4::bigint[]) AND EXISTS (SELECT 1 FROM r) RETURNING 1),"
     " p AS (UPDATE polls SET respondents = respondents + 1"
     "  WHERE id = $1 AND EXISTS (SELECT 1 FROM r) RETURNING 1)"
     " SELECT count(*) FROM r"},
    {"polls_results",
     "SELECT json_build_object('poll_id', p.id, 'respondents', p.respondents,"
     " 'questions', (SELECT coalesce(json_agg(json_build_object('id', q.id, 'text', q.text,"
     "   'kind', q.kind,"
     "   'options', (SELECT coalesce(json_agg(json_build_object('id', o.id, 'text', o.text,"
     "     'votes', o.votes) ORDER BY o.position, o.id), '[]')"
     "     FROM poll_options o WHERE o.question_id = q.id),"
     "   'text_answers', CASE WHEN q.kind = 'text' THEN (SELECT count(*) FROM poll_responses r,"
     "     jsonb_array_elements(r.answers) a WHERE r.poll_id = p.id"
     "     AND (a->>'question_id')::bigint = q.id) END)"
     "   ORDER BY q.position, q.id), '[]') FROM poll_questions q WHERE q.poll_id = p.id))"
     " FROM polls p WHERE p.id = $1"},

    /* ---- discussions */
    {"discussions_show",
     "SELECT json_build_object('id', d.id, 'title', d.title, 'document', d.document,"
     " 'organisation', (SELECT code FROM organisations WHERE id = d.organisation_id),"
     " 'opens_at', otklik_rfc3339(d.opens_at), 'closes_at', otklik_rfc3339(d.closes_at),"
     " 'state', CASE WHEN otklik_now() < d.opens_at THEN 'upcoming'"
     "   WHEN otklik_now() < d.closes_at THEN 'open' ELSE 'closed' END,"
     " 'comments', (SELECT count(*) FROM discussion_comments c"
     "   WHERE c.discussion_id = d.id AND c.status = 'published'),"
     " 'report', d.report, 'report_published_at', otklik_rfc3339(d.report_published_at))"
     " FROM discussions d WHERE d.id = $1"},
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
    {"discussions_report", "UPDATE discussions SET report = $2, report_published_at = otklik_now()"
                           " WHERE id = $1 AND report IS NULL RETURNING id"},
};

const size_t voting_statement_count = sizeof(voting_statements) / sizeof(voting_statements[0]);
