/*
 * fuzz_oidc.c - libFuzzer harness of ok_oidc.c against a fresh 2048-bit RSA key
 * made at start. The first byte picks what the rest is:
 *   0  a JWKS document, parsed and asked for a kid;
 *   1  a whole id_token, as the provider sends it, verified against the
 *      key's JWKS (nothing forged can be valid);
 *   2  a header, a newline and a payload, signed here with RS256 by the key,
 *      so the checks behind the signature are reached.
 *
 * Beyond crashes it checks that a valid token names a subject and a display
 * name that are UTF-8 (they are stored in PostgreSQL).
 */
#include "../support/test_jwt.h"
#include "ok_oidc.h"

#include <jansson.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static EVP_PKEY *key;
static ok_oidc_jwks *jwks;

static char *key_member(const char *name)
{
    BIGNUM *bn = NULL;
    unsigned char buffer[512];
    EVP_PKEY_get_bn_param(key, name, &bn);
    int length = BN_bn2bin(bn, buffer);
    BN_free(bn);
    return ok_oidc_base64url(buffer, (size_t)length);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    key = EVP_RSA_gen(2048);
    char *n = key_member(OSSL_PKEY_PARAM_RSA_N), *e = key_member(OSSL_PKEY_PARAM_RSA_E);
    char document[1024];
    snprintf(
        document, sizeof(document),
        "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"kid\":\"k1\",\"n\":\"%s\",\"e\":\"%s\"}]}",
        n, e);
    free(n);
    free(e);
    jwks = ok_oidc_jwks_parse(document, strlen(document));
    if (jwks == NULL)
        abort();
    return 0;
}

static size_t rs256(const unsigned char *input, size_t length,
                    unsigned char signature[TEST_JWT_MAX_SIGNATURE])
{
    size_t signature_length = TEST_JWT_MAX_SIGNATURE;
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    if (EVP_DigestSignInit(context, NULL, EVP_sha256(), NULL, key) != 1 ||
        EVP_DigestSign(context, signature, &signature_length, input, length) != 1)
        abort();
    EVP_MD_CTX_free(context);
    return signature_length;
}

static void parse_jwks(const uint8_t *data, size_t size)
{
    ok_oidc_jwks *parsed = ok_oidc_jwks_parse((const char *)data, size);
    ok_oidc_jwks_has(parsed, "k1");
    ok_oidc_jwks_free(parsed);
}

static void verify(char *token, int forged)
{
    ok_oidc_expect expect = {.issuer = "https://idp",
                             .audience = "otklik",
                             .nonce = "n1",
                             .subject_claim = "sub",
                             .now = 1800000000};
    ok_oidc_identity identity;
    memset(&identity, 0, sizeof(identity));
    ok_oidc_result result = ok_oidc_verify(jwks, token, &expect, &identity);
    free(ok_oidc_token_kid(token));
    json_t *subject = json_string(identity.subject), *name = json_string(identity.name);
    if (result == OK_OIDC_VALID &&
        (forged || subject == NULL || name == NULL || identity.subject[0] == '\0')) {
        fprintf(stderr, "fuzz_oidc: accepted %s as %s (%s)\n", token, identity.subject,
                identity.name);
        abort();
    }
    json_decref(subject);
    json_decref(name);
    free(token);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > 20000)
        return 0;
    const uint8_t *rest = data + 1;
    size_t length = size - 1;
    const uint8_t *newline = memchr(rest, '\n', length);
    switch (data[0] % 3) {
    case 0: parse_jwks(rest, length); break;
    case 1: verify(strndup((const char *)rest, length), 1); break;
    default:
        if (newline != NULL)
            verify(test_jwt_make(rest, (size_t)(newline - rest), newline + 1,
                                 length - (size_t)(newline - rest) - 1, rs256),
                   0);
        break;
    }
    return 0;
}
