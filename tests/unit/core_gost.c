/* Unit tests of core/ok_gost.c and the GOST side of core/ok_oidc.c: keys and
 * certificates made here with the gost engine, tokens signed
 * GOST3410_2012_256 by them, good and spoiled. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../support/test_jwt.h"
#include "ok_gost.h"
#include "ok_oidc.h"

#include <openssl/cms.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long long now;
static EVP_PKEY *esia_key, *old_key, *stranger_key, *rsa_key;
static X509 *esia_certificate, *old_certificate, *expired_certificate, *stranger_certificate;
static EVP_PKEY *signing_key; /* the key gost_signer signs with */

static EVP_PKEY *gost_key(void)
{
    EVP_PKEY *key = NULL;
    EVP_PKEY_CTX *context = EVP_PKEY_CTX_new_id(NID_id_GostR3410_2012_256, NULL);
    if (context == NULL || EVP_PKEY_keygen_init(context) != 1 ||
        EVP_PKEY_CTX_ctrl_str(context, "paramset", "A") <= 0 || EVP_PKEY_keygen(context, &key) != 1)
        key = NULL;
    EVP_PKEY_CTX_free(context);
    return key;
}

/* A self-signed certificate of key, valid from now + from to now + to seconds. */
static X509 *certificate(EVP_PKEY *key, long from, long to)
{
    X509 *x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), from);
    X509_gmtime_adj(X509_getm_notAfter(x), to);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
                               (const unsigned char *)"ESIA test", -1, -1, 0);
    X509_set_issuer_name(x, X509_get_subject_name(x));
    X509_set_pubkey(x, key);
    if (X509_sign(x, key, ok_gost_md256()) <= 0) {
        X509_free(x);
        return NULL;
    }
    return x;
}

static int setup(void **state)
{
    (void)state;
    now = (long long)time(NULL);
    if (ok_gost_load() != 0)
        return -1;
    esia_key = gost_key();
    old_key = gost_key();
    stranger_key = gost_key();
    rsa_key = EVP_RSA_gen(2048);
    esia_certificate = certificate(esia_key, -3600, 86400);
    old_certificate = certificate(old_key, -3600, 86400);
    expired_certificate = certificate(esia_key, -7200, -3600);
    stranger_certificate = certificate(stranger_key, -3600, 86400);
    return esia_certificate && old_certificate && expired_certificate && stranger_certificate ? 0
                                                                                              : -1;
}

static int teardown(void **state)
{
    (void)state;
    EVP_PKEY_free(esia_key);
    EVP_PKEY_free(old_key);
    EVP_PKEY_free(stranger_key);
    EVP_PKEY_free(rsa_key);
    X509_free(esia_certificate);
    X509_free(old_certificate);
    X509_free(expired_certificate);
    X509_free(stranger_certificate);
    return 0;
}

static size_t gost_signer(const unsigned char *input, size_t length,
                          unsigned char signature[TEST_JWT_MAX_SIGNATURE])
{
    return ok_gost_sign_raw(signing_key, input, length, signature) == 0 ? 64 : 0;
}

static size_t rs256_signer(const unsigned char *input, size_t length,
                           unsigned char signature[TEST_JWT_MAX_SIGNATURE])
{
    size_t n = TEST_JWT_MAX_SIGNATURE;
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    EVP_DigestSignInit(context, NULL, EVP_sha256(), NULL, rsa_key);
    EVP_DigestSign(context, signature, &n, input, length);
    EVP_MD_CTX_free(context);
    return n;
}

/* An ESIA-like access token (header alg/kid as given), signed by key; extra
 * is more claims (JSON members, with a leading comma) or "". */
static char *token(const char *alg, const char *kid, EVP_PKEY *key, const char *extra)
{
    char header[256], claims[1024];
    snprintf(header, sizeof(header), "{\"alg\":\"%s\",\"typ\":\"JWT\",\"ver\":1%s%s%s}", alg,
             kid ? ",\"kid\":\"" : "", kid ? kid : "", kid ? "\"" : "");
    snprintf(claims, sizeof(claims),
             "{\"iss\":\"http://esia.gosuslugi.ru/\",\"aud\":\"otklik\",\"urn:esia:sbj_id\":"
             "1000299654,\"nbf\":%lld,\"iat\":%lld,\"exp\":%lld%s}",
             now - 10, now - 10, now + 3600, extra);
    signing_key = key;
    return test_jwt_make((const unsigned char *)header, strlen(header),
                         (const unsigned char *)claims, strlen(claims),
                         key == rsa_key ? rs256_signer : gost_signer);
}

static ok_oidc_result verify(const ok_oidc_jwks *keys, const char *jwt, const char *alg)
{
    ok_oidc_expect expect = {.issuer = "http://esia.gosuslugi.ru/",
                             .audience = "otklik",
                             .subject_claim = "urn:esia:sbj_id",
                             .now = now,
                             .alg = alg,
                             .no_nonce = 1};
    ok_oidc_identity identity;
    ok_oidc_result result = ok_oidc_verify(keys, jwt, &expect, &identity);
    if (result == OK_OIDC_VALID)
        assert_string_equal(identity.subject, "1000299654"); /* ESIA's oid is a number */
    return result;
}

static ok_oidc_jwks *keys_of(X509 *first, const char *first_kid, X509 *second,
                             const char *second_kid)
{
    ok_oidc_jwks *keys = NULL;
    assert_int_equal(ok_oidc_jwks_add_certificate(&keys, first_kid, first), 0);
    if (second != NULL)
        assert_int_equal(ok_oidc_jwks_add_certificate(&keys, second_kid, second), 0);
    return keys;
}

static void test_raw_signature_cms_and_hash(void **state)
{
    (void)state;
    unsigned char signature[64];
    assert_int_equal(ok_gost_sign_raw(esia_key, "abc", 3, signature), 0);
    assert_true(ok_gost_verify_raw(esia_key, "abc", 3, signature, 64));
    assert_false(ok_gost_verify_raw(esia_key, "abd", 3, signature, 64));
    assert_false(ok_gost_verify_raw(old_key, "abc", 3, signature, 64));
    assert_false(ok_gost_verify_raw(esia_key, "abc", 3, signature, 63));
    assert_int_equal(ok_gost_sign_raw(rsa_key, "abc", 3, signature), -1); /* GOST keys only */

    unsigned char *der = NULL;
    size_t length = ok_gost_sign_cms(esia_certificate, esia_key, "abc", 3, &der);
    assert_true(length > 64);
    const unsigned char *p = der;
    CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)length);
    assert_non_null(cms);
    BIO *content = BIO_new_mem_buf("abc", 3);
    assert_int_equal(
        CMS_verify(cms, NULL, NULL, content, NULL, CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY), 1);
    BIO_free(content);
    CMS_ContentInfo_free(cms);
    OPENSSL_free(der);

    /* Streebog-256 of the DER certificate, upper-case hex */
    char hex[65];
    assert_int_equal(ok_gost_certificate_hash(esia_certificate, hex), 0);
    unsigned char *cert_der = NULL;
    int cert_length = i2d_X509(esia_certificate, &cert_der);
    unsigned char digest[32];
    unsigned int digest_length = 0;
    EVP_Digest(cert_der, (size_t)cert_length, digest, &digest_length, ok_gost_md256(), NULL);
    OPENSSL_free(cert_der);
    char expected[65];
    for (int i = 0; i < 32; i++)
        snprintf(expected + 2 * i, 3, "%02X", digest[i]);
    assert_string_equal(hex, expected);
    assert_int_equal(strlen(hex), 64);
}

static void test_good_gost_token(void **state)
{
    (void)state;
    ok_oidc_jwks *keys = keys_of(esia_certificate, "k1", NULL, NULL);
    char *jwt = token(OK_OIDC_GOST256, "k1", esia_key, "");
    assert_int_equal(verify(keys, jwt, OK_OIDC_GOST256), OK_OIDC_VALID);
    /* the same token where RS256 is configured */
    assert_int_equal(verify(keys, jwt, OK_OIDC_RS256), OK_OIDC_WRONG_ALG);
    assert_int_equal(verify(keys, jwt, NULL), OK_OIDC_WRONG_ALG);
    free(jwt);
    /* no kid: any configured certificate that verifies it */
    jwt = token(OK_OIDC_GOST256, NULL, esia_key, "");
    assert_int_equal(verify(keys, jwt, OK_OIDC_GOST256), OK_OIDC_VALID);
    free(jwt);
    ok_oidc_jwks_free(keys);
}

static void test_spoiled_gost_tokens(void **state)
{
    (void)state;
    ok_oidc_jwks *keys = keys_of(esia_certificate, "k1", NULL, NULL);
    char *jwt = token(OK_OIDC_GOST256, "k1", stranger_key, ""); /* wrong key */
    assert_int_equal(verify(keys, jwt, OK_OIDC_GOST256), OK_OIDC_BAD_SIGNATURE);
    free(jwt);
    jwt = token(OK_OIDC_GOST256, "k2", esia_key, ""); /* a kid not configured */
    assert_int_equal(verify(keys, jwt, OK_OIDC_GOST256), OK_OIDC_UNKNOWN_KID);
    free(jwt);
    jwt = token(OK_OIDC_RS256, "k1", rsa_key, ""); /* RS256 where GOST is configured */
    assert_int_equal(verify(keys, jwt, OK_OIDC_GOST256), OK_OIDC_WRONG_ALG);
    free(jwt);
    jwt = token("GOST3410_2012_512", "k1", esia_key, ""); /* another GOST alg */
    assert_int_equal(verify(keys, jwt, OK_OIDC_GOST256), OK_OIDC_WRONG_ALG);
    free(jwt);
    jwt = token(OK_OIDC_GOST256, "k1", esia_key, "");
    char *payload = strchr(jwt, '.') + 1; /* tampered payload */
    payload[3] = payload[3] == 'A' ? 'B' : 'A';
    assert_int_equal(verify(keys, jwt, OK_OIDC_GOST256), OK_OIDC_BAD_SIGNATURE);
    free(jwt);
    jwt = token(OK_OIDC_GOST256, "k1", esia_key, "");
    strcpy(strrchr(jwt, '.') + 1, "AAAA"); /* a short signature */
    assert_int_equal(verify(keys, jwt, OK_OIDC_GOST256), OK_OIDC_BAD_SIGNATURE);
    *strrchr(jwt, '.') = '\0'; /* none at all */
    assert_int_not_equal(verify(keys, jwt, OK_OIDC_GOST256), OK_OIDC_VALID);
    free(jwt);
    jwt = token(OK_OIDC_GOST256, "k1", esia_key, ",\"nbf\":9999999999");
    assert_int_equal(verify(keys, jwt, OK_OIDC_GOST256), OK_OIDC_NOT_YET_VALID);
    free(jwt);
    ok_oidc_jwks_free(keys);
}

static void test_certificates_validity_and_rotation(void **state)
{
    (void)state;
    /* ESIA's certificate expired: its key no longer counts */
    ok_oidc_jwks *keys = keys_of(expired_certificate, "k1", NULL, NULL);
    char *jwt = token(OK_OIDC_GOST256, "k1", esia_key, "");
    assert_int_equal(verify(keys, jwt, OK_OIDC_GOST256), OK_OIDC_CERTIFICATE_EXPIRED);
    ok_oidc_jwks_free(keys);
    /* a foreign certificate (not the signer's) */
    keys = keys_of(stranger_certificate, "k1", NULL, NULL);
    assert_int_equal(verify(keys, jwt, OK_OIDC_GOST256), OK_OIDC_BAD_SIGNATURE);
    ok_oidc_jwks_free(keys);
    /* rotation: the old and the new certificate, the kid picks */
    keys = keys_of(old_certificate, "old", esia_certificate, "k1");
    assert_int_equal(verify(keys, jwt, OK_OIDC_GOST256), OK_OIDC_VALID);
    free(jwt);
    jwt = token(OK_OIDC_GOST256, "old", old_key, "");
    assert_int_equal(verify(keys, jwt, OK_OIDC_GOST256), OK_OIDC_VALID);
    free(jwt);
    jwt = token(OK_OIDC_GOST256, "old", esia_key, ""); /* the new key under the old kid */
    assert_int_equal(verify(keys, jwt, OK_OIDC_GOST256), OK_OIDC_BAD_SIGNATURE);
    free(jwt);
    ok_oidc_jwks_free(keys);
    /* only GOST R 34.10-2012 (256) certificates are taken */
    X509 *rsa = X509_new();
    X509_set_pubkey(rsa, rsa_key);
    keys = NULL;
    assert_int_equal(ok_oidc_jwks_add_certificate(&keys, "r", rsa), -1);
    assert_int_equal(ok_oidc_jwks_add_certificate(&keys, "r", NULL), -1);
    ok_oidc_jwks_free(keys);
    X509_free(rsa);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_raw_signature_cms_and_hash),
        cmocka_unit_test(test_good_gost_token),
        cmocka_unit_test(test_spoiled_gost_tokens),
        cmocka_unit_test(test_certificates_validity_and_rotation),
    };
    return cmocka_run_group_tests_name("core_gost", tests, setup, teardown);
}
