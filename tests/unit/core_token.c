/* Unit tests of core/ok_token.c: good, expired, wrong key, alg none, tampered and
 * foreign-algorithm tokens, and the scope of a widget's token. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ok_token.h"

#include <jwt.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char key[] = "0123456789abcdef0123456789abcdef-test-key";
#define KEY_LENGTH (sizeof(key) - 1)
static const long long now = 1800000000;
static char sid[33];

static ok_token_result verify(const char *token, ok_token_claims *claims)
{
    return ok_token_verify(key, KEY_LENGTH, "otklik", token, now, claims);
}

/* A token with the given algorithm and key, the usual claims, and whatever
 * more claims add puts in (when not NULL). */
static char *make_token_with(jwt_alg_t alg, const unsigned char *k, int k_length, const char *iss,
                             long long iat, long long exp, void (*add)(jwt_t *jwt))
{
    jwt_t *jwt;
    assert_int_equal(jwt_new(&jwt), 0);
    jwt_add_grant(jwt, "iss", iss);
    jwt_add_grant(jwt, "sub", "42");
    jwt_add_grant(jwt, "jti", "0123456789abcdef0123456789abcdef");
    jwt_add_grant_int(jwt, "iat", (long)iat);
    jwt_add_grant_int(jwt, "exp", (long)exp);
    if (add != NULL)
        add(jwt);
    assert_int_equal(jwt_set_alg(jwt, alg, k, k_length), 0);
    char *token = jwt_encode_str(jwt);
    jwt_free(jwt);
    assert_non_null(token);
    return token;
}

static char *make_token(jwt_alg_t alg, const unsigned char *k, int k_length, const char *iss,
                        long long iat, long long exp)
{
    return make_token_with(alg, k, k_length, iss, iat, exp, NULL);
}

static void test_issued_token_verifies(void **state)
{
    (void)state;
    char *token =
        ok_token_issue(key, KEY_LENGTH, "otklik", 42, OK_TOKEN_SCOPE_FULL, now, 3600, sid);
    ok_token_claims claims;
    assert_int_equal(verify(token, &claims), OK_TOKEN_VALID);
    assert_int_equal(claims.user_id, 42);
    assert_int_equal(claims.expires_at, now + 3600);
    assert_int_equal(strlen(claims.session_id), 32);
    assert_string_equal(claims.session_id, sid);
    assert_int_equal(claims.scope, OK_TOKEN_SCOPE_FULL);
    free(token);
}

static void test_expired_and_future_tokens(void **state)
{
    (void)state;
    ok_token_claims claims;
    char *expired =
        ok_token_issue(key, KEY_LENGTH, "otklik", 42, OK_TOKEN_SCOPE_FULL, now - 7200, 3600, sid);
    assert_int_equal(verify(expired, &claims), OK_TOKEN_EXPIRED);
    char *future = make_token(JWT_ALG_HS256, key, KEY_LENGTH, "otklik", now + 3600, now + 7200);
    assert_int_equal(verify(future, &claims), OK_TOKEN_NOT_YET_VALID);
    /* within the leeway both are still fine */
    char *just = make_token(JWT_ALG_HS256, key, KEY_LENGTH, "otklik", now + 30, now - 30);
    assert_int_equal(verify(just, &claims), OK_TOKEN_VALID);
    free(expired);
    free(future);
    free(just);
}

static void test_wrong_key_and_issuer(void **state)
{
    (void)state;
    ok_token_claims claims;
    static const unsigned char other[] = "another-key-another-key-another-key!";
    char *forged = make_token(JWT_ALG_HS256, other, sizeof(other) - 1, "otklik", now, now + 60);
    assert_int_equal(verify(forged, &claims), OK_TOKEN_MALFORMED);
    char *foreign = make_token(JWT_ALG_HS256, key, KEY_LENGTH, "someone-else", now, now + 60);
    assert_int_equal(verify(foreign, &claims), OK_TOKEN_WRONG_ISSUER);
    free(forged);
    free(foreign);
}

static void test_alg_none_is_refused(void **state)
{
    (void)state;
    ok_token_claims claims;
    /* {"alg":"none","typ":"JWT"} . {"iss":"otklik","sub":"42","jti":"0123...","iat":..,"exp":..} .
     */
    char *signed_token = make_token(JWT_ALG_HS256, key, KEY_LENGTH, "otklik", now, now + 60);
    char *payload = strchr(signed_token, '.') + 1;
    *strchr(payload, '.') = '\0';
    char *none = NULL;
    assert_true(asprintf(&none, "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.%s.", payload) > 0);
    assert_int_not_equal(verify(none, &claims), OK_TOKEN_VALID);
    free(none);
    free(signed_token);
}

static void test_tampered_payload_is_refused(void **state)
{
    (void)state;
    ok_token_claims claims;
    char *token =
        ok_token_issue(key, KEY_LENGTH, "otklik", 42, OK_TOKEN_SCOPE_FULL, now, 3600, sid);
    char *payload = strchr(token, '.') + 1;
    payload[5] = payload[5] == 'A' ? 'B' : 'A';
    assert_int_equal(verify(token, &claims), OK_TOKEN_MALFORMED);
    free(token);
}

static void test_other_algorithms_are_refused(void **state)
{
    (void)state;
    ok_token_claims claims;
    /* HS512 with the right key still is not the pinned algorithm */
    char *hs512 = make_token(JWT_ALG_HS512, key, KEY_LENGTH, "otklik", now, now + 60);
    assert_int_equal(verify(hs512, &claims), OK_TOKEN_WRONG_ALG);
    free(hs512);

    /* RS256 signed with a private key: never accepted */
    EVP_PKEY *pkey = EVP_RSA_gen(2048);
    assert_non_null(pkey);
    BIO *bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, pkey, NULL, NULL, 0, NULL, NULL);
    char *pem = NULL;
    long pem_length = BIO_get_mem_data(bio, &pem);
    char *rs256 = make_token(JWT_ALG_RS256, (const unsigned char *)pem, (int)pem_length, "otklik",
                             now, now + 60);
    assert_int_not_equal(verify(rs256, &claims), OK_TOKEN_VALID);
    free(rs256);
    BIO_free(bio);
    EVP_PKEY_free(pkey);
}

static void test_garbage_is_refused(void **state)
{
    (void)state;
    ok_token_claims claims;
    const char *garbage[] = {"", "abc", "a.b.c", "....", "eyJ.eyJ.sig"};
    for (size_t i = 0; i < sizeof(garbage) / sizeof(garbage[0]); i++)
        assert_int_equal(verify(garbage[i], &claims), OK_TOKEN_MALFORMED);
    assert_int_equal(verify(NULL, &claims), OK_TOKEN_MALFORMED);
    char *huge = malloc(10000);
    memset(huge, 'a', 9999);
    huge[9999] = '\0';
    assert_int_equal(verify(huge, &claims), OK_TOKEN_MALFORMED);
    free(huge);
    /* an empty key would let "alg": "none" through: refused before libjwt sees it */
    char *token = ok_token_issue(key, KEY_LENGTH, "otklik", 42, OK_TOKEN_SCOPE_FULL, now, 60, sid);
    assert_int_equal(ok_token_verify(key, 0, "otklik", token, now, &claims), OK_TOKEN_MALFORMED);
    free(token);
}

static void test_missing_claims(void **state)
{
    (void)state;
    ok_token_claims claims;
    jwt_t *jwt;
    assert_int_equal(jwt_new(&jwt), 0);
    jwt_add_grant(jwt, "iss", "otklik");
    jwt_add_grant_int(jwt, "iat", (long)now);
    jwt_add_grant_int(jwt, "exp", (long)now + 60);
    jwt_set_alg(jwt, JWT_ALG_HS256, key, KEY_LENGTH);
    char *token = jwt_encode_str(jwt); /* no sub, no jti */
    jwt_free(jwt);
    assert_int_equal(verify(token, &claims), OK_TOKEN_BAD_CLAIMS);
    free(token);
}

static void scope_full(jwt_t *jwt)
{
    jwt_add_grant(jwt, "scope", "full");
}

static void scope_number(jwt_t *jwt)
{
    jwt_add_grant_int(jwt, "scope", 1);
}

static void scope_list(jwt_t *jwt)
{
    jwt_add_grants_json(jwt, "{\"scope\": [\"widget\", \"staff\"]}");
}

static void scope_empty(jwt_t *jwt)
{
    jwt_add_grant(jwt, "scope", "");
}

/* The scope claim of a token as its payload carries it (malloc'd JSON), or NULL. */
static char *scope_on_the_wire(const char *token)
{
    jwt_t *jwt;
    assert_int_equal(jwt_decode(&jwt, token, key, KEY_LENGTH), 0);
    char *scope = jwt_get_grants_json(jwt, "scope");
    jwt_free(jwt);
    return scope;
}

static void test_widget_scope(void **state)
{
    (void)state;
    ok_token_claims claims;
    char *token =
        ok_token_issue(key, KEY_LENGTH, "otklik", 42, OK_TOKEN_SCOPE_WIDGET, now, 3600, sid);
    assert_int_equal(verify(token, &claims), OK_TOKEN_VALID);
    assert_int_equal(claims.scope, OK_TOKEN_SCOPE_WIDGET);
    assert_int_equal(claims.user_id, 42);
    assert_string_equal(claims.session_id, sid);
    char *scope = scope_on_the_wire(token);
    assert_string_equal(scope, "\"widget\"");
    free(scope);
    free(token);
    /* a full session's token has no scope claim at all */
    token = ok_token_issue(key, KEY_LENGTH, "otklik", 42, OK_TOKEN_SCOPE_FULL, now, 3600, sid);
    assert_null(scope_on_the_wire(token));
    free(token);
}

/* An unknown scope never widens a token: any other value or type is refused. */
static void test_unknown_scope_is_refused(void **state)
{
    (void)state;
    ok_token_claims claims;
    void (*setters[])(jwt_t *) = {scope_full, scope_number, scope_list, scope_empty};
    for (size_t i = 0; i < sizeof(setters) / sizeof(setters[0]); i++) {
        char *token =
            make_token_with(JWT_ALG_HS256, key, KEY_LENGTH, "otklik", now, now + 60, setters[i]);
        assert_int_equal(verify(token, &claims), OK_TOKEN_BAD_CLAIMS);
        free(token);
    }
}

/* A widget's token whose payload is swapped for one without the scope claim
 * (same header, the original signature) no longer verifies. */
static void test_scope_cannot_be_stripped(void **state)
{
    (void)state;
    ok_token_claims claims;
    char *token =
        ok_token_issue(key, KEY_LENGTH, "otklik", 42, OK_TOKEN_SCOPE_WIDGET, now, 3600, sid);
    static const unsigned char other[] = "another-key-another-key-another-key!";
    char *unscoped = make_token(JWT_ALG_HS256, other, sizeof(other) - 1, "otklik", now, now + 3600);
    char *stripped = NULL;
    assert_true(asprintf(&stripped, "%.*s%s", (int)(strrchr(unscoped, '.') - unscoped), unscoped,
                         strrchr(token, '.')) > 0);
    assert_int_equal(verify(unscoped, &claims), OK_TOKEN_MALFORMED);
    assert_int_equal(verify(stripped, &claims), OK_TOKEN_MALFORMED);
    free(stripped);
    free(unscoped);
    free(token);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_issued_token_verifies),
        cmocka_unit_test(test_expired_and_future_tokens),
        cmocka_unit_test(test_wrong_key_and_issuer),
        cmocka_unit_test(test_alg_none_is_refused),
        cmocka_unit_test(test_tampered_payload_is_refused),
        cmocka_unit_test(test_other_algorithms_are_refused),
        cmocka_unit_test(test_garbage_is_refused),
        cmocka_unit_test(test_missing_claims),
        cmocka_unit_test(test_widget_scope),
        cmocka_unit_test(test_unknown_scope_is_refused),
        cmocka_unit_test(test_scope_cannot_be_stripped),
    };
    return cmocka_run_group_tests_name("core_token", tests, NULL, NULL);
}
