/*
 * ok_auth.h - who is calling: the bearer token of the Authorization header.
 */
#ifndef OK_AUTH_H
#define OK_AUTH_H

#include "ok_http.h"

/* Sets req->user from a valid bearer token and returns 0; otherwise answers 401
 * (with WWW-Authenticate) and returns -1. The user's existence is checked by
 * the handler's SQL, in its transaction. */
int ok_auth_require_user(ok_request *req);

#endif
