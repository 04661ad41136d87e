/*
 * ok_oidc.c - JWKS parsing and id_token verification (RS256 by libjwt, GOST R
 * 34.10-2012 by ok_gost); see ok_oidc.h.
 */
#include "ok_oidc.h"
#include "ok_gost.h"
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
#include <time.h>

#define OK_OIDC_MAX_KEYS 16
#define OK_OIDC_MAX_TOKEN 16384

struct ok_oidc_jwks {
    size_t count;
    char *kids[OK_OIDC_MAX_KEYS];
    char *pems[OK_OIDC_MAX_KEYS];     /* RS256: the PEM public key for libjwt */
    EVP_PKEY *gost[OK_OIDC_MAX_KEYS]; /* GOST: the certificate's key */
    long long not_before[OK_OIDC_MAX_KEYS], not_after[OK_OIDC_MAX_KEYS]; /* GOST */
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
        EVP_PKEY_free(jwks->gost[i]);
    }
    free(jwks);
}

static const char *ok_oidc_jwks_pem(const ok_oidc_jwks *jwks, const char *kid)
{
    for (size_t i = 0; jwks != NULL && i < jwks->count; i++)
        if (jwks->pems[i] != NULL && strcmp(jwks->kids[i], kid) == 0)
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

int ok_oidc_jwks_add_certificate(ok_oidc_jwks **jwks, const char *kid, X509 *certificate)
{
    if (*jwks == NULL && (*jwks = calloc(1, sizeof(**jwks))) == NULL)
        return -1;
    ok_oidc_jwks *set = *jwks;
    EVP_PKEY *key = certificate != NULL ? X509_get_pubkey(certificate) : NULL;
    struct tm not_before, not_after;
    if (set->count == OK_OIDC_MAX_KEYS || !ok_gost_is_key256(key) ||
        ASN1_TIME_to_tm(X509_get0_notBefore(certificate), &not_before) != 1 ||
        ASN1_TIME_to_tm(X509_get0_notAfter(certificate), &not_after) != 1 ||
        (set->kids[set->count] = strdup(kid != NULL ? kid : "")) == NULL) {
        EVP_PKEY_free(key);
        return -1;
    }
    set->gost[set->count] = key;
    set->not_before[set->count] = (long long)timegm(&not_before);
    set->not_after[set->count] = (long long)timegm(&not_after);
    set->count++;
    return 0;
}

/* Whether aud (a string or an array of strings) contains audience. */
static int ok_oidc_audience_ok(json_t *aud, const char *audience)
{
    if (json_is_string(aud))
        return strcmp(json_string_value(aud), audience) == 0;
    size_t i;
    json_t *item;
    json_array_foreach(aud, i, item)
    {
        if (json_is_string(item) && strcmp(json_string_value(item), audience) == 0)
            return 1;
    }
    return 0;
}

static const char *ok_oidc_claim(json_t *claims, const char *name)
{
    return json_string_value(json_object_get(claims, name));
}

/* The display name: the name claim, or family, given and middle names; a long
 * one cut between letters (it is stored as UTF-8). */
static void ok_oidc_name(json_t *claims, ok_oidc_identity *identity)
{
    const char *name = ok_oidc_claim(claims, "name");
    const char *family = ok_oidc_claim(claims, "family_name");
    const char *given = ok_oidc_claim(claims, "given_name");
    const char *middle = ok_oidc_claim(claims, "middle_name");
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
static void ok_oidc_address(json_t *claims, ok_oidc_identity *identity)
{
    identity->address[0] = '\0';
    json_t *claim = json_object_get(claims, "address");
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
}

/* A JSON object from one base64url part of a token (new reference), or NULL. */
static json_t *ok_oidc_part(const char *text, size_t length)
{
    char *part = strndup(text, length);
    size_t decoded_length = 0;
    unsigned char *raw = part != NULL ? ok_oidc_base64url_decode(part, &decoded_length) : NULL;
    json_t *object = raw != NULL ? json_loadb((const char *)raw, decoded_length, 0, NULL) : NULL;
    free(part);
    free(raw);
    if (!json_is_object(object)) {
        json_decref(object);
        return NULL;
    }
    return object;
}

/* The GOST signature check: the key named by kid (any configured one when the
 * token names none) whose certificate is valid now must have signed
 * header.payload. */
static ok_oidc_result ok_oidc_verify_gost(const ok_oidc_jwks *jwks, const char *token,
                                          const char *kid, long long now)
{
    const char *dot = strrchr(token, '.');
    size_t length = 0;
    unsigned char *signature =
        dot != NULL && dot[1] != '\0' ? ok_oidc_base64url_decode(dot + 1, &length) : NULL;
    if (signature == NULL)
        return OK_OIDC_MALFORMED;
    ok_oidc_result result = OK_OIDC_UNKNOWN_KID;
    for (size_t i = 0; jwks != NULL && i < jwks->count && result != OK_OIDC_VALID; i++) {
        if (jwks->gost[i] == NULL || (kid != NULL && strcmp(jwks->kids[i], kid) != 0))
            continue;
        if (now < jwks->not_before[i] || now > jwks->not_after[i]) {
            if (result == OK_OIDC_UNKNOWN_KID)
                result = OK_OIDC_CERTIFICATE_EXPIRED;
            continue;
        }
        result = ok_gost_verify_raw(jwks->gost[i], token, (size_t)(dot - token), signature, length)
                     ? OK_OIDC_VALID
                     : OK_OIDC_BAD_SIGNATURE;
    }
    free(signature);
    return result;
}

/* The subject claim: a string, or a number as ESIA gives urn:esia:sbj_id. */
static int ok_oidc_subject(json_t *claims, const char *name, ok_oidc_identity *identity)
{
    json_t *value = json_object_get(claims, name);
    int n = json_is_integer(value)  ? snprintf(identity->subject, sizeof(identity->subject),
                                               "%" JSON_INTEGER_FORMAT, json_integer_value(value))
            : json_is_string(value) ? snprintf(identity->subject, sizeof(identity->subject), "%s",
                                               json_string_value(value))
                                    : 0;
    return n > 0 && (size_t)n < sizeof(identity->subject) ? 0 : -1;
}

/* The claims behind a good signature: iss, aud, exp, nbf, iat, nonce, subject. */
static ok_oidc_result ok_oidc_check_claims(json_t *claims, const ok_oidc_expect *expect,
                                           ok_oidc_identity *identity)
{
    long long now = expect->now;
    const char *iss = ok_oidc_claim(claims, "iss");
    const char *nonce = ok_oidc_claim(claims, "nonce");
    json_t *exp = json_object_get(claims, "exp"), *iat = json_object_get(claims, "iat"),
           *nbf = json_object_get(claims, "nbf");
    if (iss == NULL || strcmp(iss, expect->issuer) != 0)
        return OK_OIDC_WRONG_ISSUER;
    if (!ok_oidc_audience_ok(json_object_get(claims, "aud"), expect->audience))
        return OK_OIDC_WRONG_AUDIENCE;
    if (!json_is_integer(exp) || json_integer_value(exp) <= now - OK_TOKEN_LEEWAY_SECONDS)
        return OK_OIDC_EXPIRED;
    if (!json_is_integer(iat) || json_integer_value(iat) > now + OK_TOKEN_LEEWAY_SECONDS ||
        (nbf != NULL &&
         (!json_is_integer(nbf) || json_integer_value(nbf) > now + OK_TOKEN_LEEWAY_SECONDS)))
        return OK_OIDC_NOT_YET_VALID;
    if (!expect->no_nonce &&
        (expect->nonce == NULL || nonce == NULL || strcmp(nonce, expect->nonce) != 0))
        return OK_OIDC_WRONG_NONCE;
    if (ok_oidc_subject(claims, expect->subject_claim, identity) != 0)
        return OK_OIDC_NO_SUBJECT;
    ok_oidc_name(claims, identity);
    ok_oidc_address(claims, identity);
    return OK_OIDC_VALID;
}

ok_oidc_result ok_oidc_verify(const ok_oidc_jwks *jwks, const char *token,
                              const ok_oidc_expect *expect, ok_oidc_identity *identity)
{
    memset(identity, 0, sizeof(*identity));
    json_t *header = ok_oidc_header(token);
    if (header == NULL)
        return OK_OIDC_MALFORMED;
    const char *want = expect->alg != NULL ? expect->alg : OK_OIDC_RS256;
    const char *alg = json_string_value(json_object_get(header, "alg"));
    const char *kid = json_string_value(json_object_get(header, "kid"));
    const char *payload = strchr(token, '.') + 1;
    const char *end = strchr(payload, '.');
    /* the algorithm is pinned by configuration, never taken from the token:
     * libjwt would honour "none" or HS256 */
    ok_oidc_result result = alg == NULL || strcmp(alg, want) != 0 ? OK_OIDC_WRONG_ALG
                            : end == NULL                         ? OK_OIDC_MALFORMED
                                                                  : OK_OIDC_VALID;
    if (result == OK_OIDC_VALID && strcmp(want, OK_OIDC_GOST256) == 0) {
        result = ok_oidc_verify_gost(jwks, token, kid, expect->now);
    } else if (result == OK_OIDC_VALID) {
        const char *pem = kid != NULL ? ok_oidc_jwks_pem(jwks, kid) : NULL;
        jwt_t *jwt = NULL;
        result = pem == NULL ? OK_OIDC_UNKNOWN_KID
                 : jwt_decode(&jwt, token, (const unsigned char *)pem, (int)strlen(pem)) != 0 ||
                         jwt == NULL
                     ? OK_OIDC_BAD_SIGNATURE
                 : jwt_get_alg(jwt) != JWT_ALG_RS256 ? OK_OIDC_WRONG_ALG
                                                     : OK_OIDC_VALID;
        jwt_free(jwt);
    }
    json_t *claims =
        result == OK_OIDC_VALID ? ok_oidc_part(payload, (size_t)(end - payload)) : NULL;
    if (result == OK_OIDC_VALID)
        result =
            claims == NULL ? OK_OIDC_MALFORMED : ok_oidc_check_claims(claims, expect, identity);
    json_decref(claims);
    json_decref(header);
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
    case OK_OIDC_CERTIFICATE_EXPIRED:
        return "the identity token is signed by a certificate that is not valid now";
    }
    return "invalid";
}
