/*
 * ok_org.h - an organisation named in a request (path or body), checked for the
 * caller: unknown and foreign ones are the same 404; staff lacking the right 403.
 */
#ifndef OK_ORG_H
#define OK_ORG_H

#include "ok_http.h"

/* The id of organisation code when the caller holds a role there that allows
 * action (NULL: any role). Otherwise answers 404 (unknown, or not the caller's)
 * or 403 (the caller's, without the right), or 503, and returns -1. Runs inside
 * or outside a transaction. */
long long ok_org_for_action_or_reply(ok_request *req, const char *code, const char *action);

/* The same check for organisation id (0: none, such as the owner of an
 * unknown object): 0 when the caller may, else -1 having answered 404 or 403.
 * An operator whose territory holds the organisation may take the actions
 * ok_authz_territorial names there without a role in it. */
int ok_org_allows_or_reply(ok_request *req, long long id, const char *action);

/* Whether the caller may take action in organisation id (as above, without
 * answering): 1 or 0, or -1 when the database failed. */
int ok_org_can(ok_request *req, long long id, const char *action);

#endif
