/*
 * users.c - GET /api/v1/users?q=: an organisation's admin finds a person to
 * grant a role to, by name (a case-insensitive substring) or by ESIA oid
 * (exact or a prefix): {items: [{id, name, esia_oid}]}, at most 20, by name.
 * Only admins (the right staff.manage in some organisation) may look people
 * up; the query text is never logged. And GET /api/v1/orgs?q=, organisations
 * by name, for any staff member.
 */
#include "cabinet.h"
#include "ok_auth.h"
#include "ok_authz.h"
#include "ok_problem.h"
#include "ok_utf8.h"

#include <string.h>

/* Characters of ?q=: enough to tell people or organisations apart, short of a name's length. */
enum { USERS_QUERY_MIN = 2, USERS_QUERY_MAX = 100 };

/* Whether user manages the staff of some organisation. */
static int users_may_search(const ok_user *user)
{
    for (size_t i = 0; i < user->role_count; i++)
        if (ok_authz_can(user, "staff.manage", user->roles[i].organisation_id))
            return 1;
    return 0;
}

/* q for LIKE (arena memory): its wildcards % and _ and the escape character
 * (a backslash) taken literally. */
static const char *search_like_literal(ok_arena *arena, const char *q)
{
    char *literal = ok_arena_alloc(arena, 2 * strlen(q) + 1), *out = literal;
    for (; *q != '\0'; q++) {
        if (*q == '%' || *q == '_' || *q == '\\')
            *out++ = '\\';
        *out++ = *q;
    }
    *out = '\0';
    return literal;
}

/* The ?q= of a search, 2..100 characters; NULL having answered 422. */
static const char *search_query_or_reply(ok_request *req)
{
    const char *q = ok_http_query(req, "q");
    size_t length = q != NULL ? ok_utf8_length(q, strlen(q)) : 0;
    if (length < USERS_QUERY_MIN || length > USERS_QUERY_MAX) {
        ok_problem_field(req, "q", length < USERS_QUERY_MIN ? "too_short" : "too_long",
                         "q must be 2 to 100 characters.");
        return NULL;
    }
    return q;
}

/* Answers a search: ?q= checked, then statement run with it as a LIKE
 * pattern ($1) and its JSON answered. */
static void search_reply(ok_request *req, const char *statement)
{
    const char *q = search_query_or_reply(req);
    if (q == NULL)
        return;
    const char *pattern = search_like_literal(req->arena, q);
    ok_db_reply_json(req, statement, 1, &pattern);
}

void users_search(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    if (!users_may_search(req->user)) {
        ok_problem(req, 403, "Only an organisation's admin may look people up.");
        return;
    }
    search_reply(req, "users_search");
}

/* GET /api/v1/orgs?q=: any staff member finds an organisation by a part of its
 * name or its code (a redirect's target): {items: [{code, name}]}, at most 20,
 * by name. Organisations are public; citizens have no use for the search. */
void orgs_search(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    if (req->user->role_count == 0) {
        ok_problem(req, 403, "Only staff may search organisations.");
        return;
    }
    search_reply(req, "orgs_search");
}
