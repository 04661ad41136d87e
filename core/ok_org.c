/*
 * ok_org.c - organisations by code, and list pagination; see ok_org.h.
 */
#include "ok_org.h"
#include "ok_authz.h"
#include "ok_db.h"
#include "ok_problem.h"

#include <stdlib.h>

long long ok_org_for_action_or_reply(ok_request *req, const char *code, const char *action)
{
    const char *params[] = {code};
    PGresult *result = ok_db_run(req, "ok_organisation", 1, params);
    if (result == NULL) {
        ok_db_reply_failure(req);
        return -1;
    }
    long long id = PQntuples(result) == 1 ? strtoll(PQgetvalue(result, 0, 0), NULL, 10) : 0;
    return ok_org_allows_or_reply(req, id, action) == 0 ? id : -1;
}

int ok_org_allows_or_reply(ok_request *req, long long id, const char *action)
{
    /* another organisation's objects do not exist for the caller */
    if (id == 0 || !ok_authz_is_staff(req->user, id)) {
        ok_problem(req, 404, "There is no such organisation among yours.");
        return -1;
    }
    if (action != NULL && !ok_authz_can(req->user, action, id)) {
        ok_problem(req, 403, "Your role in this organisation does not allow this.");
        return -1;
    }
    return 0;
}
