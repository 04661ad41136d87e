/*
 * ok_oidc.h - verifying an OpenID Connect id_token (or ESIA's access token)
 * against the provider's keys: RS256 keys from a JWKS, or GOST R 34.10-2012
 * (256) keys from ESIA's certificates.
 *
 * libjwt 1.10 takes the algorithm from the token and ignores "kid", so this
 * reads the header itself, pins the configured algorithm, picks the key by
 * kid, and checks iss, aud, exp, nbf, iat and nonce by hand (jansson, on the
 * payload). RS256: the JWK (n, e) becomes a PEM public key and libjwt checks
 * the signature. GOST3410_2012_256, which libjwt cannot do: the signature is
 * the raw 64 bytes over header.payload with Streebog-256, checked with EVP
 * through the gost engine (ok_gost.h) against the configured certificates,
 * each used only within its validity.
 */
#ifndef OK_OIDC_H
#define OK_OIDC_H

#include <openssl/x509.h>
#include <stddef.h>

#define OK_OIDC_RS256 "RS256"
#define OK_OIDC_GOST256 "GOST3410_2012_256"

typedef struct ok_oidc_jwks ok_oidc_jwks;

/* Parses a JWKS document, keeping its RSA signing keys; NULL if it holds none
 * or is not JSON. Free with ok_oidc_jwks_free. */
ok_oidc_jwks *ok_oidc_jwks_parse(const char *json, size_t length);
void ok_oidc_jwks_free(ok_oidc_jwks *jwks);

/* Adds the GOST R 34.10-2012 (256) key of certificate under kid ("" or NULL:
 * for tokens that name none) to *jwks (made when NULL); 0, or -1 when it is
 * not such a certificate or the set is full. */
int ok_oidc_jwks_add_certificate(ok_oidc_jwks **jwks, const char *kid, X509 *certificate);

/* Whether the set has an RS256 key with this kid. */
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
    const char *alg; /* OK_OIDC_RS256 (NULL) or OK_OIDC_GOST256 */
    int no_nonce;    /* an access token: it carries no nonce */
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
    OK_OIDC_NO_SUBJECT,
    OK_OIDC_CERTIFICATE_EXPIRED
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
