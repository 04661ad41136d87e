/*
 * ok_org.c - organisations by code, and list pagination; see ok_org.h.
 */
#include "ok_org.h"
#include "ok_authz.h"
#include "ok_db.h"
#include "ok_problem.h"

#include <stdlib.h>
#include <string.h>

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

/* Whether the caller operates organisation id's territory and action is one
 * an operator takes there: 1 or 0, -1 when the statement failed. */
static int ok_org_operated(ok_request *req, long long id, const char *action)
{
    if (!ok_authz_territorial(action) || !ok_authz_can_anywhere(req->user, "platform.operate"))
        return 0;
    const char *params[] = {ok_arena_printf(req->arena, "%lld", req->user->id),
                            ok_arena_printf(req->arena, "%lld", id)};
    PGresult *covers = ok_db_run(req, "ok_org_operated", 2, params);
    if (covers == NULL)
        return -1;
    return PQntuples(covers) == 1 && strcmp(PQgetvalue(covers, 0, 0), "t") == 0;
}

int ok_org_can(ok_request *req, long long id, const char *action)
{
    if (id == 0 || req->user == NULL)
        return 0;
    if (ok_authz_is_staff(req->user, id) && (action == NULL || ok_authz_can(req->user, action, id)))
        return 1;
    return ok_org_operated(req, id, action);
}

int ok_org_allows_or_reply(ok_request *req, long long id, const char *action)
{
    int can = ok_org_can(req, id, action);
    if (can < 0) {
        ok_db_reply_failure(req);
        return -1;
    }
    if (can)
        return 0;
    /* another organisation's objects do not exist for the caller */
    if (id == 0 || !ok_authz_is_staff(req->user, id)) {
        ok_problem(req, 404, "There is no such organisation among yours.");
        return -1;
    }
    ok_problem(req, 403, "Your role in this organisation does not allow this.");
    return -1;
}
