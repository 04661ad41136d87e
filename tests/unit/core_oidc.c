/* Unit tests of core/ok_oidc.c: a JWKS made from a fresh RSA key, and id_tokens
 * good and bad against it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ok_oidc.h"

#include <jwt.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const long long now = 1800000000;
static char *private_pem;
static ok_oidc_jwks *jwks;

static char *bn_base64url(const EVP_PKEY *key, const char *name)
{
    BIGNUM *bn = NULL;
    EVP_PKEY_get_bn_param(key, name, &bn);
    unsigned char buffer[600];
    int length = BN_bn2bin(bn, buffer);
    BN_free(bn);
    return ok_oidc_base64url(buffer, (size_t)length);
}

static int setup(void **state)
{
    (void)state;
    EVP_PKEY *key = EVP_RSA_gen(2048);
    BIO *bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL);
    char *data;
    long length = BIO_get_mem_data(bio, &data);
    private_pem = strndup(data, (size_t)length);
    BIO_free(bio);
    char *n = bn_base64url(key, OSSL_PKEY_PARAM_RSA_N),
         *e = bn_base64url(key, OSSL_PKEY_PARAM_RSA_E);
    char document[2048];
    snprintf(document, sizeof(document),
             "{\"keys\":[{\"kty\":\"EC\",\"kid\":\"ec\"},"
             "{\"kty\":\"RSA\",\"use\":\"sig\",\"kid\":\"k1\",\"n\":\"%s\",\"e\":\"%s\"}]}",
             n, e);
    free(n);
    free(e);
    EVP_PKEY_free(key);
    jwks = ok_oidc_jwks_parse(document, strlen(document));
    return jwks == NULL ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    ok_oidc_jwks_free(jwks);
    free(private_pem);
    return 0;
}

/* An RS256 id_token by the test key; override one claim with name=value (JSON). */
static char *id_token(const char *kid, const char *claim, const char *value)
{
    char claims[512];
    snprintf(claims, sizeof(claims),
             "{\"iss\":\"https://idp\",\"aud\":[\"otklik\",\"other\"],\"sub\":\"citizen1\","
             "\"nonce\":\"n1\",\"iat\":%lld,\"exp\":%lld,\"family_name\":\"Иванов\","
             "\"given_name\":\"Иван\"}",
             now, now + 300);
    jwt_t *jwt;
    jwt_new(&jwt);
    jwt_add_grants_json(jwt, claims);
    if (claim != NULL) {
        jwt_del_grants(jwt, claim);
        char extra[1024];
        snprintf(extra, sizeof(extra), "{\"%s\":%s}", claim, value);
        jwt_add_grants_json(jwt, extra);
    }
    jwt_add_header(jwt, "kid", kid);
    jwt_set_alg(jwt, JWT_ALG_RS256, (const unsigned char *)private_pem, (int)strlen(private_pem));
    char *token = jwt_encode_str(jwt);
    jwt_free(jwt);
    return token;
}

static ok_oidc_result verify(const char *token, ok_oidc_identity *identity)
{
    ok_oidc_expect expect = {.issuer = "https://idp",
                             .audience = "otklik",
                             .nonce = "n1",
                             .subject_claim = "sub",
                             .now = now};
    return ok_oidc_verify(jwks, token, &expect, identity);
}

static void test_good_token(void **state)
{
    (void)state;
    assert_true(ok_oidc_jwks_has(jwks, "k1"));
    assert_false(ok_oidc_jwks_has(jwks, "ec"));
    char *token = id_token("k1", NULL, NULL);
    ok_oidc_identity identity;
    assert_int_equal(verify(token, &identity), OK_OIDC_VALID);
    assert_string_equal(identity.subject, "citizen1");
    assert_string_equal(identity.name, "Иванов Иван");
    char *kid = ok_oidc_token_kid(token);
    assert_string_equal(kid, "k1");
    free(kid);
    free(token);
}

/* The address claim, which maps a person to a territory at login: an
 * object's "formatted" member, else its region and locality, a string as it
 * is, and "" when absent or of another type. */
static void test_address_claim(void **state)
{
    (void)state;
    static const struct {
        const char *value, *expected;
    } cases[] = {
        {"{\"formatted\":\"Демо-область, г. Демоград, ул. Ленина, 1\"}",
         "Демо-область, г. Демоград, ул. Ленина, 1"},
        {"{\"region\":\"Демо-область\",\"locality\":\"г. Демоград\"}", "Демо-область, г. Демоград"},
        {"\"г. Демоград\"", "г. Демоград"},
        {"42", ""},
        {NULL, ""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *token = id_token("k1", cases[i].value ? "address" : NULL, cases[i].value);
        ok_oidc_identity identity;
        assert_int_equal(verify(token, &identity), OK_OIDC_VALID);
        assert_string_equal(identity.address, cases[i].expected);
        free(token);
    }
}

static void test_bad_claims(void **state)
{
    (void)state;
    static const struct {
        const char *claim, *value;
        ok_oidc_result expected;
    } cases[] = {
        {"iss", "\"https://evil\"", OK_OIDC_WRONG_ISSUER},
        {"aud", "\"another\"", OK_OIDC_WRONG_AUDIENCE},
        {"aud", "[\"a\",\"b\"]", OK_OIDC_WRONG_AUDIENCE},
        {"exp", "1000", OK_OIDC_EXPIRED},
        {"iat", "9999999999", OK_OIDC_NOT_YET_VALID},
        {"nonce", "\"n2\"", OK_OIDC_WRONG_NONCE},
        {"sub", "\"\"", OK_OIDC_NO_SUBJECT},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *token = id_token("k1", cases[i].claim, cases[i].value);
        ok_oidc_identity identity;
        assert_int_equal(verify(token, &identity), cases[i].expected);
        free(token);
    }
}

static void test_long_names_are_cut_between_letters(void **state)
{
    (void)state;
    /* found by fuzz_oidc: cut at 255 bytes inside a two-byte letter, the name
     * was not UTF-8 and could not be stored */
    char letters[404] = "\"", expected[256] = "";
    for (int i = 0; i < 200; i++)
        strcat(letters, "ж");
    strcat(letters, "\"");
    for (int i = 0; i < 127; i++)
        strcat(expected, "ж");
    char *token = id_token("k1", "name", letters);
    ok_oidc_identity identity;
    assert_int_equal(verify(token, &identity), OK_OIDC_VALID);
    assert_string_equal(identity.name, expected);
    free(token);
    /* the same from the parts: a long family name, then the given name */
    token = id_token("k1", "family_name", letters);
    assert_int_equal(verify(token, &identity), OK_OIDC_VALID);
    assert_string_equal(identity.name, expected);
    free(token);
}

static void test_bad_keys_and_algorithms(void **state)
{
    (void)state;
    ok_oidc_identity identity;
    char *unknown = id_token("k2", NULL, NULL);
    assert_int_equal(verify(unknown, &identity), OK_OIDC_UNKNOWN_KID);
    free(unknown);
    char *token = id_token("k1", NULL, NULL);
    /* tampered payload */
    char *payload = strchr(token, '.') + 1;
    payload[3] = payload[3] == 'A' ? 'B' : 'A';
    assert_int_equal(verify(token, &identity), OK_OIDC_BAD_SIGNATURE);
    free(token);
    /* alg none: {"alg":"none","kid":"k1"} */
    assert_int_equal(verify("eyJhbGciOiJub25lIiwia2lkIjoiazEifQ.eyJzdWIiOiJ4In0.", &identity),
                     OK_OIDC_WRONG_ALG);
    assert_int_equal(verify("garbage", &identity), OK_OIDC_MALFORMED);
    assert_int_equal(verify("", &identity), OK_OIDC_MALFORMED);
}

static void test_jwks_rejects_junk(void **state)
{
    (void)state;
    assert_null(ok_oidc_jwks_parse("{}", 2));
    assert_null(ok_oidc_jwks_parse("not json", 8));
    const char *small =
        "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"x\",\"n\":\"AQAB\",\"e\":\"AQAB\"}]}";
    assert_null(ok_oidc_jwks_parse(small, strlen(small))); /* a toy key is refused */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_token),
        cmocka_unit_test(test_address_claim),
        cmocka_unit_test(test_bad_claims),
        cmocka_unit_test(test_bad_keys_and_algorithms),
        cmocka_unit_test(test_long_names_are_cut_between_letters),
        cmocka_unit_test(test_jwks_rejects_junk),
    };
    return cmocka_run_group_tests_name("core_oidc", tests, setup, teardown);
}
