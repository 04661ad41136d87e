/*
 * ok_token.h - the platform's bearer tokens: JWT, HS256, signed with the
 * server's key (OTKLIK_TOKEN_KEY_FILE).
 *
 * Claims: iss (OTKLIK_TOKEN_ISSUER), sub (the user's numeric id, as a string),
 * iat, exp, jti (random, names the session for revocation), and "scope":
 * "widget" on a token handed to a widget (absent on a full session). libjwt 1.10
 * trusts the token's own "alg" and has no claim validation, so verification
 * pins the algorithm and checks every claim by hand.
 */
#ifndef OK_TOKEN_H
#define OK_TOKEN_H

#include <stddef.h>

#define OK_TOKEN_LEEWAY_SECONDS 60

/* What a token may do: everything its user may (the platform's cookie, an
 * operator's token), or only what an embedded widget does (ok_auth, ok_router.h). */
typedef enum { OK_TOKEN_SCOPE_FULL = 0, OK_TOKEN_SCOPE_WIDGET } ok_token_scope;

typedef struct ok_token_claims {
    long long user_id;
    ok_token_scope scope;
    long long issued_at;
    long long expires_at;
    char session_id[33]; /* jti: 32 hex characters */
} ok_token_claims;

typedef enum {
    OK_TOKEN_VALID = 0,
    OK_TOKEN_MALFORMED, /* not a JWT, or a bad signature */
    OK_TOKEN_WRONG_ALG, /* anything but HS256 */
    OK_TOKEN_WRONG_ISSUER,
    OK_TOKEN_EXPIRED,
    OK_TOKEN_NOT_YET_VALID,
    OK_TOKEN_BAD_CLAIMS /* missing or mistyped sub, iat, exp, jti; an unknown scope */
} ok_token_result;

/* Signs a token for user_id with scope, valid ttl seconds from now, naming a
 * new random session id (written to session_id); returns a malloc'd string
 * (free with free) or NULL. */
char *ok_token_issue(const unsigned char *key, size_t key_length, const char *issuer,
                     long long user_id, ok_token_scope scope, long long now, long ttl_seconds,
                     char session_id[33]);

/* Verifies token at time now and fills claims. */
ok_token_result ok_token_verify(const unsigned char *key, size_t key_length, const char *issuer,
                                const char *token, long long now, ok_token_claims *claims);

/* A short English reason for a result. */
const char *ok_token_result_text(ok_token_result result);

#endif
