/*
 * ok_token.c - HS256 session tokens with libjwt; see ok_token.h.
 */
#include "ok_token.h"
#include "ok_crypto.h"

#include <errno.h>
#include <jwt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OK_TOKEN_MAX_LENGTH 4096

#define OK_TOKEN_WIDGET_SCOPE "widget"

char *ok_token_issue(const unsigned char *key, size_t key_length, const char *issuer,
                     long long user_id, ok_token_scope scope, long long now, long ttl_seconds,
                     char session_id[33])
{
    char *jti = session_id, sub[24];
    if (ok_crypto_random_hex(jti, 16) != 0)
        return NULL;
    snprintf(sub, sizeof(sub), "%lld", user_id);

    jwt_t *jwt = NULL;
    char *token = NULL;
    if (jwt_new(&jwt) != 0)
        return NULL;
    if (jwt_add_grant(jwt, "iss", issuer) == 0 && jwt_add_grant(jwt, "sub", sub) == 0 &&
        jwt_add_grant(jwt, "jti", jti) == 0 && jwt_add_grant_int(jwt, "iat", (long)now) == 0 &&
        jwt_add_grant_int(jwt, "exp", (long)(now + ttl_seconds)) == 0 &&
        (scope == OK_TOKEN_SCOPE_FULL || jwt_add_grant(jwt, "scope", OK_TOKEN_WIDGET_SCOPE) == 0) &&
        jwt_set_alg(jwt, JWT_ALG_HS256, key, (int)key_length) == 0)
        token = jwt_encode_str(jwt);
    jwt_free(jwt);
    return token;
}

/* Reads an integer claim; -1 when absent or not an integer. */
static int ok_token_int_claim(jwt_t *jwt, const char *name, long long *out)
{
    errno = 0;
    long value = jwt_get_grant_int(jwt, name);
    if (errno != 0)
        return -1;
    *out = value;
    return 0;
}

static int ok_token_parse_sub(const char *sub, long long *out)
{
    if (sub == NULL || sub[0] < '1' || sub[0] > '9' || strlen(sub) > 18)
        return -1;
    char *end;
    long long n = strtoll(sub, &end, 10);
    if (*end != '\0')
        return -1;
    *out = n;
    return 0;
}

/* The scope claim: absent is a full session, "widget" a widget's; -1 for
 * anything else (another value or type), so an unknown scope never widens. */
static int ok_token_parse_scope(jwt_t *jwt, ok_token_scope *out)
{
    char *present = jwt_get_grants_json(jwt, "scope");
    const char *scope = jwt_get_grant(jwt, "scope");
    int status = 0;
    if (present == NULL)
        *out = OK_TOKEN_SCOPE_FULL;
    else if (scope != NULL && strcmp(scope, OK_TOKEN_WIDGET_SCOPE) == 0)
        *out = OK_TOKEN_SCOPE_WIDGET;
    else
        status = -1;
    free(present);
    return status;
}

ok_token_result ok_token_verify(const unsigned char *key, size_t key_length, const char *issuer,
                                const char *token, long long now, ok_token_claims *claims)
{
    /* Never hand libjwt an empty key: with one, "alg": "none" verifies. */
    if (token == NULL || key == NULL || key_length == 0 || strlen(token) > OK_TOKEN_MAX_LENGTH)
        return OK_TOKEN_MALFORMED;
    jwt_t *jwt = NULL;
    if (jwt_decode(&jwt, token, key, (int)key_length) != 0 || jwt == NULL)
        return OK_TOKEN_MALFORMED;
    ok_token_result result = OK_TOKEN_VALID;
    const char *iss = jwt_get_grant(jwt, "iss");
    const char *jti = jwt_get_grant(jwt, "jti");
    if (jwt_get_alg(jwt) != JWT_ALG_HS256)
        result = OK_TOKEN_WRONG_ALG;
    else if (iss == NULL || strcmp(iss, issuer) != 0)
        result = OK_TOKEN_WRONG_ISSUER;
    else if (ok_token_int_claim(jwt, "iat", &claims->issued_at) != 0 ||
             ok_token_int_claim(jwt, "exp", &claims->expires_at) != 0 ||
             ok_token_parse_sub(jwt_get_grant(jwt, "sub"), &claims->user_id) != 0 ||
             ok_token_parse_scope(jwt, &claims->scope) != 0 || jti == NULL || strlen(jti) != 32)
        result = OK_TOKEN_BAD_CLAIMS;
    else if (claims->expires_at <= now - OK_TOKEN_LEEWAY_SECONDS)
        result = OK_TOKEN_EXPIRED;
    else if (claims->issued_at > now + OK_TOKEN_LEEWAY_SECONDS)
        result = OK_TOKEN_NOT_YET_VALID;
    else
        memcpy(claims->session_id, jti, 33);
    jwt_free(jwt);
    return result;
}

const char *ok_token_result_text(ok_token_result result)
{
    switch (result) {
    case OK_TOKEN_VALID: return "valid";
    case OK_TOKEN_MALFORMED: return "The token is malformed or its signature is wrong.";
    case OK_TOKEN_WRONG_ALG: return "The token is signed with an algorithm that is not accepted.";
    case OK_TOKEN_WRONG_ISSUER: return "The token was issued by someone else.";
    case OK_TOKEN_EXPIRED: return "The token has expired.";
    case OK_TOKEN_NOT_YET_VALID: return "The token is not valid yet.";
    case OK_TOKEN_BAD_CLAIMS: return "The token lacks required claims.";
    }
    return "invalid";
}
