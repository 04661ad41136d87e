/*
 * fuzz_gost.c - libFuzzer harness of ok_oidc.c's GOST R 34.10-2012 path (the
 * token parsing and checks libjwt cannot do) against a GOST key and
 * certificate made at start with the gost engine. The first byte picks what
 * the rest is:
 *   0  a whole token, verified as GOST3410_2012_256 (nothing forged can be
 *      valid);
 *   1  a header, a newline and a payload, signed here with the key, so the
 *      claim checks behind the signature are reached.
 *
 * Beyond crashes it checks that a valid token names a subject and a display
 * name that are UTF-8 (they are stored in PostgreSQL).
 */
#include "../support/test_jwt.h"
#include "ok_gost.h"
#include "ok_oidc.h"

#include <jansson.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static EVP_PKEY *key;
static ok_oidc_jwks *keys;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    if (ok_gost_load() != 0)
        abort();
    EVP_PKEY_CTX *context = EVP_PKEY_CTX_new_id(NID_id_GostR3410_2012_256, NULL);
    if (context == NULL || EVP_PKEY_keygen_init(context) != 1 ||
        EVP_PKEY_CTX_ctrl_str(context, "paramset", "A") <= 0 || EVP_PKEY_keygen(context, &key) != 1)
        abort();
    EVP_PKEY_CTX_free(context);
    X509 *certificate = X509_new();
    X509_NAME_add_entry_by_txt(X509_get_subject_name(certificate), "CN", MBSTRING_ASC,
                               (const unsigned char *)"ESIA fuzz", -1, -1, 0);
    X509_set_issuer_name(certificate, X509_get_subject_name(certificate));
    X509_gmtime_adj(X509_getm_notBefore(certificate), -3600);
    X509_gmtime_adj(X509_getm_notAfter(certificate), 10L * 365 * 86400);
    X509_set_pubkey(certificate, key);
    if (X509_sign(certificate, key, ok_gost_md256()) <= 0 ||
        ok_oidc_jwks_add_certificate(&keys, "k1", certificate) != 0)
        abort();
    X509_free(certificate);
    return 0;
}

static size_t gost(const unsigned char *input, size_t length,
                   unsigned char signature[TEST_JWT_MAX_SIGNATURE])
{
    if (ok_gost_sign_raw(key, input, length, signature) != 0)
        abort();
    return 64;
}

static void verify(char *token, int forged)
{
    ok_oidc_expect expect = {.issuer = "http://esia.gosuslugi.ru/",
                             .audience = "otklik",
                             .nonce = "n1",
                             .subject_claim = "urn:esia:sbj_id",
                             .now = (long long)time(NULL),
                             .alg = OK_OIDC_GOST256};
    ok_oidc_identity identity;
    ok_oidc_result result = ok_oidc_verify(keys, token, &expect, &identity);
    json_t *subject = json_string(identity.subject), *name = json_string(identity.name);
    if (result == OK_OIDC_VALID &&
        (forged || subject == NULL || name == NULL || identity.subject[0] == '\0')) {
        fprintf(stderr, "fuzz_gost: accepted %s as %s (%s)\n", token, identity.subject,
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
    if (data[0] % 2 == 0)
        verify(strndup((const char *)rest, length), 1);
    else if (newline != NULL)
        verify(test_jwt_make(rest, (size_t)(newline - rest), newline + 1,
                             length - (size_t)(newline - rest) - 1, gost),
               0);
    return 0;
}
