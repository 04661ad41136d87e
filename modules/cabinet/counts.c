/*
 * counts.c - GET /api/v1/staff/counts?org=: how many messages wait in each
 * work queue of one of the caller's organisations, for the cabinet's queue
 * tabs: {org, counts: {moderation, to_assign, mine, approval, redirects,
 * overdue}, capped: [...], cap}. Each count stops at the cap (statements.c:
 * staff_counts), so a queue of a million costs what one of a thousand does;
 * a queue named in capped holds more than its count.
 */
#include "cabinet.h"
#include "ok_auth.h"
#include "ok_problem.h"

#include <string.h>

/* The session check and the counts go to the database together (one round
 * trip): the statement checks the caller's role in the organisation itself,
 * and answers no row when there is none, which is 404 as ok_org's. */
void counts_staff(ok_request *req)
{
    const char *org = ok_http_query(req, "org");
    const char *params[] = {NULL /* the caller */, org != NULL ? org : ""};
    ok_db_call counts = {"staff_counts", 2, params, NULL};
    if (ok_auth_require_user_with(req, &counts, 0) != 0)
        return;
    if (req->user->role_count == 0) {
        ok_problem(req, 403, "These counts are for the staff of organisations.");
        return;
    }
    if (org == NULL) {
        ok_problem_field(req, "org", "required", "org must name one of your organisations.");
        return;
    }
    if (PQntuples(counts.result) != 1) {
        ok_problem(req, 404, "There is no such organisation among yours.");
        return;
    }
    const char *reply = PQgetvalue(counts.result, 0, 0);
    ok_http_respond(req, 200, "application/json; charset=utf-8", reply, strlen(reply));
}
