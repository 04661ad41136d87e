/*
 * territories.c - the territory tree for anyone (the portal's municipality
 * picker in the citizen's profile): code, name, kind and the parent's code,
 * optionally of one kind. Public and the same for everyone, so caches may
 * keep it for a few minutes. Operators edit the tree elsewhere.
 */
#include "voting.h"

#include <string.h>

void territories_public(ok_request *req)
{
    const char *kind = ok_http_query(req, "kind");
    PGresult *rows = ok_db_query(req, "territories_public", 1, &kind);
    if (rows == NULL) {
        ok_db_reply_failure(req);
        return;
    }
    const char *json = PQgetvalue(rows, 0, 0);
    ok_http_respond(req, 200, "application/json; charset=utf-8", json, strlen(json));
    ok_http_header(req, "Cache-Control", "public, max-age=300");
}
