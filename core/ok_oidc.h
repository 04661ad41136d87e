/*
 * ok_oidc.h - verifying an OpenID Connect id_token against the provider's JWKS.
 *
 * libjwt 1.10 takes the algorithm from the token and ignores "kid", so this
 * reads the header itself, pins RS256, picks the key by kid, turns the JWK (n,
 * e) into a PEM public key with OpenSSL, lets libjwt check the signature, and
 * checks iss, aud, exp, iat and nonce by hand.
 */
#ifndef OK_OIDC_H
#define OK_OIDC_H

#include <stddef.h>

typedef struct ok_oidc_jwks ok_oidc_jwks;

/* Parses a JWKS document, keeping its RSA signing keys; NULL if it holds none
 * or is not JSON. Free with ok_oidc_jwks_free. */
ok_oidc_jwks *ok_oidc_jwks_parse(const char *json, size_t length);
void ok_oidc_jwks_free(ok_oidc_jwks *jwks);

/* Whether the set has a key with this kid. */
int ok_oidc_jwks_has(const ok_oidc_jwks *jwks, const char *kid);

/* The kid of a token's header (malloc'd), or NULL when the header is unreadable
 * or has none. */
char *ok_oidc_token_kid(const char *token);

typedef struct ok_oidc_expect {
    const char *issuer;
    const char *audience; /* the client id */
    const char *nonce;
    const char *subject_claim; /* "sub", or e.g. "urn:esia:sbj_id" */
    long long now;
} ok_oidc_expect;

typedef struct ok_oidc_identity {
    char subject[128];
    char name[256];
    /* the address claim when the provider gives one (its "formatted" member,
     * or region and locality; a string as it is), else "" */
    char address[512];
} ok_oidc_identity;

typedef enum {
    OK_OIDC_VALID = 0,
    OK_OIDC_MALFORMED,
    OK_OIDC_WRONG_ALG,
    OK_OIDC_UNKNOWN_KID,
    OK_OIDC_BAD_SIGNATURE,
    OK_OIDC_WRONG_ISSUER,
    OK_OIDC_WRONG_AUDIENCE,
    OK_OIDC_EXPIRED,
    OK_OIDC_NOT_YET_VALID,
    OK_OIDC_WRONG_NONCE,
    OK_OIDC_NO_SUBJECT
} ok_oidc_result;

/* Verifies token and fills identity (subject, and a display name from name or
 * family_name + given_name + middle_name). */
ok_oidc_result ok_oidc_verify(const ok_oidc_jwks *jwks, const char *token,
                              const ok_oidc_expect *expect, ok_oidc_identity *identity);

/* A short English reason for a result. */
const char *ok_oidc_result_text(ok_oidc_result result);

/* base64url without padding of length bytes, into a malloc'd string. */
char *ok_oidc_base64url(const unsigned char *data, size_t length);

#endif
