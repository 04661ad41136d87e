/*
 * ok_oidc.c - JWKS parsing and id_token verification; see ok_oidc.h.
 */
#include "ok_oidc.h"
#include "ok_utf8.h"
#include "ok_token.h"

#include <errno.h>
#include <jansson.h>
#include <jwt.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OK_OIDC_MAX_KEYS 16
#define OK_OIDC_MAX_TOKEN 16384

struct ok_oidc_jwks {
    size_t count;
    char *kids[OK_OIDC_MAX_KEYS];
    char *pems[OK_OIDC_MAX_KEYS];
};

/* Decodes base64url (padding optional) into a malloc'd buffer; NULL if invalid. */
static unsigned char *ok_oidc_base64url_decode(const char *text, size_t *length)
{
    size_t n = strlen(text);
    if (n == 0 || n > OK_OIDC_MAX_TOKEN || n % 4 == 1)
        return NULL;
    size_t padded = (n + 3) / 4 * 4;
    unsigned char *standard = malloc(padded + 1);
    unsigned char *out = malloc(padded / 4 * 3 + 1);
    if (standard == NULL || out == NULL) {
        free(standard);
        free(out);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        standard[i] = text[i] == '-' ? '+' : text[i] == '_' ? '/' : (unsigned char)text[i];
    for (size_t i = n; i < padded; i++)
        standard[i] = '=';
    standard[padded] = '\0';
    int decoded = EVP_DecodeBlock(out, standard, (int)padded);
    free(standard);
    if (decoded < 0) {
        free(out);
        return NULL;
    }
    *length = (size_t)decoded - (padded - n); /* EVP_DecodeBlock counts the padding */
    return out;
}

char *ok_oidc_base64url(const unsigned char *data, size_t length)
{
    char *out = malloc(4 * ((length + 2) / 3) + 1);
    if (out == NULL)
        return NULL;
    int n = EVP_EncodeBlock((unsigned char *)out, data, (int)length);
    while (n > 0 && out[n - 1] == '=')
        n--;
    out[n] = '\0';
    for (char *p = out; *p; p++)
        *p = *p == '+' ? '-' : *p == '/' ? '_' : *p;
    return out;
}

/* An RSA public key from a JWK's n and e, as a PEM SubjectPublicKeyInfo. */
static char *ok_oidc_rsa_pem(const char *n64, const char *e64)
{
    size_t n_length, e_length;
    unsigned char *n = ok_oidc_base64url_decode(n64, &n_length);
    unsigned char *e = ok_oidc_base64url_decode(e64, &e_length);
    char *pem = NULL;
    BIGNUM *bn_n = n != NULL ? BN_bin2bn(n, (int)n_length, NULL) : NULL;
    BIGNUM *bn_e = e != NULL ? BN_bin2bn(e, (int)e_length, NULL) : NULL;
    OSSL_PARAM_BLD *build = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *context = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    EVP_PKEY *key = NULL;
    BIO *bio = NULL;
    if (bn_n == NULL || bn_e == NULL || build == NULL || context == NULL ||
        !OSSL_PARAM_BLD_push_BN(build, OSSL_PKEY_PARAM_RSA_N, bn_n) ||
        !OSSL_PARAM_BLD_push_BN(build, OSSL_PKEY_PARAM_RSA_E, bn_e) ||
        (params = OSSL_PARAM_BLD_to_param(build)) == NULL || EVP_PKEY_fromdata_init(context) <= 0 ||
        EVP_PKEY_fromdata(context, &key, EVP_PKEY_PUBLIC_KEY, params) <= 0 ||
        EVP_PKEY_get_bits(key) < 2048 || (bio = BIO_new(BIO_s_mem())) == NULL ||
        !PEM_write_bio_PUBKEY(bio, key))
        goto out;
    char *data;
    long length = BIO_get_mem_data(bio, &data);
    pem = malloc((size_t)length + 1);
    if (pem != NULL) {
        memcpy(pem, data, (size_t)length);
        pem[length] = '\0';
    }
out:
    BIO_free(bio);
    EVP_PKEY_free(key);
    EVP_PKEY_CTX_free(context);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(build);
    BN_free(bn_n);
    BN_free(bn_e);
    free(n);
    free(e);
    return pem;
}

ok_oidc_jwks *ok_oidc_jwks_parse(const char *json, size_t length)
{
    json_t *document = json_loadb(json, length, 0, NULL);
    json_t *keys = json_object_get(document, "keys");
    ok_oidc_jwks *jwks = calloc(1, sizeof(*jwks));
    size_t i;
    json_t *key;
    json_array_foreach(keys, i, key)
    {
        const char *kty = json_string_value(json_object_get(key, "kty"));
        const char *use = json_string_value(json_object_get(key, "use"));
        const char *kid = json_string_value(json_object_get(key, "kid"));
        const char *n = json_string_value(json_object_get(key, "n"));
        const char *e = json_string_value(json_object_get(key, "e"));
        if (jwks == NULL || jwks->count == OK_OIDC_MAX_KEYS || kty == NULL ||
            strcmp(kty, "RSA") != 0 || (use != NULL && strcmp(use, "sig") != 0) || n == NULL ||
            e == NULL)
            continue;
        char *pem = ok_oidc_rsa_pem(n, e);
        char *kid_copy = strdup(kid != NULL ? kid : "");
        if (pem == NULL || kid_copy == NULL) {
            free(pem);
            free(kid_copy);
            continue;
        }
        jwks->kids[jwks->count] = kid_copy;
        jwks->pems[jwks->count] = pem;
        jwks->count++;
    }
    json_decref(document);
    if (jwks != NULL && jwks->count == 0) {
        free(jwks);
        return NULL;
    }
    return jwks;
}

void ok_oidc_jwks_free(ok_oidc_jwks *jwks)
{
    if (jwks == NULL)
        return;
    for (size_t i = 0; i < jwks->count; i++) {
        free(jwks->kids[i]);
        free(jwks->pems[i]);
    }
    free(jwks);
}

static const char *ok_oidc_jwks_pem(const ok_oidc_jwks *jwks, const char *kid)
{
    for (size_t i = 0; jwks != NULL && i < jwks->count; i++)
        if (strcmp(jwks->kids[i], kid) == 0)
            return jwks->pems[i];
    return NULL;
}

int ok_oidc_jwks_has(const ok_oidc_jwks *jwks, const char *kid)
{
    return kid != NULL && ok_oidc_jwks_pem(jwks, kid) != NULL;
}

/* The token's header as JSON (new reference), or NULL. */
static json_t *ok_oidc_header(const char *token)
{
    if (token == NULL || strlen(token) > OK_OIDC_MAX_TOKEN)
        return NULL;
    size_t n = strcspn(token, ".");
    if (token[n] != '.' || n == 0)
        return NULL;
    char *part = strndup(token, n);
    size_t length = 0;
    unsigned char *raw = part != NULL ? ok_oidc_base64url_decode(part, &length) : NULL;
    json_t *header = raw != NULL ? json_loadb((const char *)raw, length, 0, NULL) : NULL;
    free(part);
    free(raw);
    if (!json_is_object(header)) {
        json_decref(header);
        return NULL;
    }
    return header;
}

char *ok_oidc_token_kid(const char *token)
{
    json_t *header = ok_oidc_header(token);
    const char *kid = json_string_value(json_object_get(header, "kid"));
    char *copy = kid != NULL ? strdup(kid) : NULL;
    json_decref(header);
    return copy;
}

/* Whether aud (a string or an array of strings) contains audience. */
static int ok_oidc_audience_ok(jwt_t *jwt, const char *audience)
{
    char *aud = jwt_get_grants_json(jwt, "aud");
    json_t *value = aud != NULL ? json_loads(aud, JSON_DECODE_ANY, NULL) : NULL;
    free(aud);
    int ok = 0;
    if (json_is_string(value)) {
        ok = strcmp(json_string_value(value), audience) == 0;
    } else if (json_is_array(value)) {
        size_t i;
        json_t *item;
        json_array_foreach(value, i, item)
        {
            if (json_is_string(item) && strcmp(json_string_value(item), audience) == 0)
                ok = 1;
        }
    }
    json_decref(value);
    return ok;
}

/* The display name: the name claim, or family, given and middle names; a long
 * one cut between letters (it is stored as UTF-8). */
static void ok_oidc_name(jwt_t *jwt, ok_oidc_identity *identity)
{
    const char *name = jwt_get_grant(jwt, "name");
    const char *family = jwt_get_grant(jwt, "family_name");
    const char *given = jwt_get_grant(jwt, "given_name");
    const char *middle = jwt_get_grant(jwt, "middle_name");
    char *parts = NULL;
    if (name == NULL || name[0] == '\0') {
        if (asprintf(&parts, "%s%s%s%s%s", family ? family : "", family && given ? " " : "",
                     given ? given : "", middle ? " " : "", middle ? middle : "") < 0)
            parts = NULL;
        name = parts;
    }
    if (name == NULL || name[0] == '\0')
        name = "Пользователь ЕСИА";
    snprintf(identity->name, sizeof(identity->name), "%.*s",
             (int)ok_utf8_prefix(name, strlen(name), sizeof(identity->name) - 1), name);
    free(parts);
}

/* The address claim as one line of text (identity->address, "" if none). */
static void ok_oidc_address(jwt_t *jwt, ok_oidc_identity *identity)
{
    identity->address[0] = '\0';
    char *text = jwt_get_grants_json(jwt, "address");
    json_t *claim = text != NULL ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
    free(text);
    const char *line = json_string_value(claim);
    char *parts = NULL;
    if (json_is_object(claim)) {
        line = json_string_value(json_object_get(claim, "formatted"));
        const char *region = json_string_value(json_object_get(claim, "region"));
        const char *locality = json_string_value(json_object_get(claim, "locality"));
        if ((line == NULL || line[0] == '\0') &&
            asprintf(&parts, "%s, %s", region ? region : "", locality ? locality : "") >= 0)
            line = parts;
    }
    if (line != NULL)
        snprintf(identity->address, sizeof(identity->address), "%.*s",
                 (int)ok_utf8_prefix(line, strlen(line), sizeof(identity->address) - 1), line);
    free(parts);
    json_decref(claim);
}

ok_oidc_result ok_oidc_verify(const ok_oidc_jwks *jwks, const char *token,
                              const ok_oidc_expect *expect, ok_oidc_identity *identity)
{
    json_t *header = ok_oidc_header(token);
    if (header == NULL)
        return OK_OIDC_MALFORMED;
    const char *alg = json_string_value(json_object_get(header, "alg"));
    const char *kid = json_string_value(json_object_get(header, "kid"));
    /* pinned before libjwt sees the token: it would honour "none" or HS256 */
    ok_oidc_result result = alg == NULL || strcmp(alg, "RS256") != 0 ? OK_OIDC_WRONG_ALG
                            : !ok_oidc_jwks_has(jwks, kid)           ? OK_OIDC_UNKNOWN_KID
                                                                     : OK_OIDC_VALID;
    const char *pem = result == OK_OIDC_VALID ? ok_oidc_jwks_pem(jwks, kid) : NULL;
    json_decref(header);
    if (result != OK_OIDC_VALID)
        return result;
    jwt_t *jwt = NULL;
    if (jwt_decode(&jwt, token, (const unsigned char *)pem, (int)strlen(pem)) != 0 || jwt == NULL)
        return OK_OIDC_BAD_SIGNATURE;
    long long now = expect->now;
    const char *iss = jwt_get_grant(jwt, "iss");
    const char *nonce = jwt_get_grant(jwt, "nonce");
    const char *subject = jwt_get_grant(jwt, expect->subject_claim);
    errno = 0;
    long long exp = jwt_get_grant_int(jwt, "exp");
    int exp_missing = errno != 0;
    errno = 0;
    long long iat = jwt_get_grant_int(jwt, "iat");
    int iat_missing = errno != 0;
    if (jwt_get_alg(jwt) != JWT_ALG_RS256)
        result = OK_OIDC_WRONG_ALG;
    else if (iss == NULL || strcmp(iss, expect->issuer) != 0)
        result = OK_OIDC_WRONG_ISSUER;
    else if (!ok_oidc_audience_ok(jwt, expect->audience))
        result = OK_OIDC_WRONG_AUDIENCE;
    else if (exp_missing || exp <= now - OK_TOKEN_LEEWAY_SECONDS)
        result = OK_OIDC_EXPIRED;
    else if (iat_missing || iat > now + OK_TOKEN_LEEWAY_SECONDS)
        result = OK_OIDC_NOT_YET_VALID;
    else if (expect->nonce == NULL || nonce == NULL || strcmp(nonce, expect->nonce) != 0)
        result = OK_OIDC_WRONG_NONCE;
    else if (subject == NULL || subject[0] == '\0' || strlen(subject) >= sizeof(identity->subject))
        result = OK_OIDC_NO_SUBJECT;
    else {
        snprintf(identity->subject, sizeof(identity->subject), "%s", subject);
        ok_oidc_name(jwt, identity);
        ok_oidc_address(jwt, identity);
    }
    jwt_free(jwt);
    return result;
}

const char *ok_oidc_result_text(ok_oidc_result result)
{
    switch (result) {
    case OK_OIDC_VALID: return "valid";
    case OK_OIDC_MALFORMED: return "the identity token is malformed";
    case OK_OIDC_WRONG_ALG: return "the identity token uses an algorithm that is not accepted";
    case OK_OIDC_UNKNOWN_KID: return "the identity token is signed with an unknown key";
    case OK_OIDC_BAD_SIGNATURE: return "the identity token's signature is wrong";
    case OK_OIDC_WRONG_ISSUER: return "the identity token comes from another issuer";
    case OK_OIDC_WRONG_AUDIENCE: return "the identity token is meant for another client";
    case OK_OIDC_EXPIRED: return "the identity token has expired";
    case OK_OIDC_NOT_YET_VALID: return "the identity token is not valid yet";
    case OK_OIDC_WRONG_NONCE: return "the identity token answers another login";
    case OK_OIDC_NO_SUBJECT: return "the identity token names nobody";
    }
    return "invalid";
}
