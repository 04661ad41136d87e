/*
 * statements.c - every SQL statement of the cabinet worker.
 */
#include "cabinet.h"

const ok_db_statement cabinet_statements[] = {
    {"organisations_by_code", "SELECT id FROM organisations WHERE code = $1"},

    /* one page of an organisation's people, by user id */
    {"staff_list",
     "SELECT u.id, u.name, json_agg(s.role ORDER BY s.role)"
     " FROM staff_roles s JOIN users u ON u.id = s.user_id"
     " WHERE s.organisation_id = $1 AND u.id > $2"
     " GROUP BY u.id, u.name ORDER BY u.id LIMIT $3"},

    /* staff changes of one organisation happen one at a time */
    {"organisations_lock", "SELECT id FROM organisations WHERE id = $1 FOR UPDATE"},

    {"staff_grant",
     "WITH u AS (SELECT id FROM users WHERE id = $1),"
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
