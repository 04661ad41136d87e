/*
 * esia.h - the login worker: ESIA (OAuth 2.0 / OpenID Connect code flow with
 * PKCE), sessions, logout and /api/v1/me.
 */
#ifndef ESIA_H
#define ESIA_H

#include "ok_db.h"
#include "ok_http.h"
#include "ok_oidc.h"

#include <stddef.h>

/* OTKLIK_ESIA_* settings; README.md documents each. */
typedef struct esia_config {
    const char *issuer;
    const char *authorize_url;
    const char *token_url;
    const char *jwks_url;
    const char *client_id;
    const char *client_secret;
    const char *client_auth; /* client_secret_post, client_secret_basic or esia_signed */
    const char *signer;      /* esia_signed: the signing command (ok_signer.h) */
    const char *scope;
    const char *redirect_uri;
    const char *subject_claim;
    long timeout_ms;
    long widget_token_ttl_seconds;
} esia_config;

extern esia_config esia;
extern const ok_db_statement esia_statements[];
extern const size_t esia_statement_count;

int esia_config_load(void);

/* provider.c: talking to the identity provider */
typedef enum { ESIA_EXCHANGE_OK, ESIA_EXCHANGE_REFUSED, ESIA_EXCHANGE_UNREACHABLE } esia_exchange;
/* Trades code for the provider's answer; fills *id_token (arena) on success. */
esia_exchange esia_exchange_code(ok_request *req, const char *code, const char *code_verifier,
                                 const char **id_token);
/* Verifies an id_token against the provider's (cached) JWKS. */
int esia_verify_id_token(ok_request *req, const char *id_token, const char *nonce,
                         ok_oidc_identity *identity, const char **why);
/* ESIA's signed client_secret over scope + timestamp + client_id + state (arena). */
const char *esia_client_secret(ok_request *req, const char *timestamp, const char *state);
/* ESIA's timestamp format, "YYYY.MM.DD HH:MM:SS +0000" (arena). */
const char *esia_timestamp(ok_request *req);

/* handlers */
void login_start(ok_request *req);
void login_callback(ok_request *req);
void session_logout(ok_request *req);
void session_me(ok_request *req);
void session_me_update(ok_request *req);

#endif
