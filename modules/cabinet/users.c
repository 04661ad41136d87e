/*
 * users.c - GET /api/v1/users?q=: an organisation's admin finds a person to
 * grant a role to, by name (a case-insensitive substring) or by ESIA oid
 * (exact or a prefix): {items: [{id, name, esia_oid}]}, at most 20, by name.
 * Only admins (the right staff.manage in some organisation) may look people
 * up; the query text is never logged. (GET /api/v1/orgs?q=, organisations
 * by name, is modules/admin's.)
 */
#include "cabinet.h"
#include "ok_auth.h"
#include "ok_authz.h"
#include "ok_problem.h"
#include "ok_search.h"

/* Whether user manages the staff of some organisation, or is an operator
 * (who grants roles within its territory). */
static int users_may_search(const ok_user *user)
{
    return ok_authz_can_anywhere(user, "staff.manage") ||
           ok_authz_can_anywhere(user, "platform.operate");
}

void users_search(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    if (!users_may_search(req->user)) {
        ok_problem(req, 403, "Only an organisation's admin may look people up.");
        return;
    }
    ok_search_reply(req, "users_search");
}
