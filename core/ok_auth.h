/*
 * ok_auth.h - who is calling: the bearer token of the Authorization header, or
 * the HttpOnly session cookie the login sets.
 *
 * A token is valid when its signature and claims are (ok_token.h) and the
 * session it names is live in the database: logging out revokes the session,
 * so a revoked token answers 401 everywhere at once. The same query loads the
 * user's staff roles for ok_authz, and the session's kind.
 *
 * A token handed to a widget (its "scope" claim, or its session's kind
 * "widget") is refused with 403 on every route not marked OK_ROUTE_WIDGET
 * (ok_router.h), and carries no staff roles where it is accepted: a script on
 * an agency's site that takes it can send and follow messages, nothing more.
 */
#ifndef OK_AUTH_H
#define OK_AUTH_H

#include "ok_db.h"
#include "ok_http.h"

/* The session cookie's name. */
#define OK_AUTH_COOKIE "otklik_session"

/* Sets req->user and returns 0; otherwise answers 401 (with WWW-Authenticate),
 * 403 (a cookie-authenticated write from a foreign Origin; a widget's token on
 * a route not for widgets) or 503, and returns -1. */
int ok_auth_require_user(ok_request *req);

/* For routes that answer everyone and tell some callers more: sets req->user
 * when the request carries a live full session, and leaves it NULL (nothing
 * answered) when it carries no credential, an invalid or ended one, or a
 * widget's token. Returns 0; -1 having answered 503/500 only when the session
 * could not be checked. */
int ok_auth_optional_user(ok_request *req);

/* Answers 401 asking the caller to log in (with WWW-Authenticate), for a
 * route that took ok_auth_optional_user and found it needs a person after all. */
void ok_auth_reply_login(ok_request *req);

/* ok_auth_require_user, and a read that needs only the caller's id sent to the
 * database in the same round trip as the session check: parameter user_param
 * of call is set to the id the token claims. call->result is kept only when
 * the session is live; returns 0 then, else -1 having answered (503/500 too). */
int ok_auth_require_user_with(ok_request *req, ok_db_call *call, int user_param);

/* The raw token of the request (header first, then cookie), or NULL. */
const char *ok_auth_token(ok_request *req, int *via_cookie);

#endif
