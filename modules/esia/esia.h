/*
 * esia.h - the login worker: ESIA (OAuth 2.0 / OpenID Connect code flow with
 * PKCE), sessions, logout and /api/v1/me.
 */
#ifndef ESIA_H
#define ESIA_H

#include "ok_db.h"
#include "ok_http.h"
#include "ok_oidc.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <stddef.h>

/* OTKLIK_ESIA_* settings; README.md documents each. */
typedef struct esia_config {
    const char *issuer;
    const char *authorize_url;
    const char *token_url;
    const char *jwks_url;
    const char *client_id;
    const char *client_secret;
    const char *client_auth;   /* client_secret_post, client_secret_basic or esia_signed */
    const char *signer;        /* esia_signed: the signing command (ok_signer.h), or NULL */
    int v2;                    /* OTKLIK_ESIA_PROTOCOL=v2: v2/ac, v3/te, raw GOST, GOST tokens */
    X509 *certificate;         /* the system's certificate (OTKLIK_ESIA_CERT_FILE), or NULL */
    EVP_PKEY *key;             /* its private key (OTKLIK_ESIA_KEY_FILE): in-process signing */
    char certificate_hash[65]; /* v2: client_certificate_hash */
    ok_oidc_jwks *esia_keys;   /* v2: ESIA's certificates (OTKLIK_ESIA_VERIFY_CERTS) */
    const char *person_url;    /* ESIA's /rs/prns, or NULL: no person data read */
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
                                 const char **id_token, const char **access_token);
/* Verifies an id_token against the provider's (cached) JWKS, or (v2) the id_token
 * and the access token against ESIA's certificates, the person being the access
 * token's subject. */
int esia_verify_tokens(ok_request *req, const char *id_token, const char *access_token,
                       const char *nonce, ok_oidc_identity *identity, const char **why);
/* GET url with the bearer token, into a JSON object (new reference) or NULL. */
json_t *esia_get_json(const char *url, const char *bearer);
/* ESIA's signed client_secret (arena, base64url without padding, NULL when
 * signing failed) over v1: scope + timestamp + client_id + state (detached
 * CMS); v2: client_id + scope + timestamp + state + redirect_uri [+ code] (raw
 * GOST R 34.10-2012). signing.c */
const char *esia_client_secret(ok_request *req, const char *timestamp, const char *state,
                               const char *code);
/* Loads the signing certificate, key and ESIA's certificates; 0 or -1. */
int esia_signing_load(void);
/* person.c: the person's name and registration address from ESIA's REST API
 * with the access token, into identity where given (nothing logged of them). */
void esia_person_read(ok_request *req, const char *access_token, ok_oidc_identity *identity);
/* ESIA's timestamp format, "YYYY.MM.DD HH:MM:SS +0000" (arena). */
const char *esia_timestamp(ok_request *req);

/* handlers */
void login_start(ok_request *req);
void login_callback(ok_request *req);
void session_logout(ok_request *req);
void session_me(ok_request *req);
void session_me_update(ok_request *req);

#endif
