/* Unit tests of modules/esia/provider.c (linked in by the Makefile): the
 * identity provider's client when libcurl cannot start a handle. This file's
 * curl_easy_init (an executable's own definition wins over libcurl's) fails
 * the call numbered fail_at and passes the others to libcurl; whichever call
 * fails, the client must answer "unreachable" without touching the response
 * buffer it never filled (it freed an unset pointer when the second failed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "esia.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <string.h>

esia_config esia;

static int curl_inits, fail_at;

CURL *curl_easy_init(void)
{
    if (++curl_inits == fail_at)
        return NULL;
    CURL *(*real)(void) = (CURL * (*)(void)) dlsym(RTLD_NEXT, "curl_easy_init");
    return real != NULL ? real() : NULL;
}

/* Leaves garbage where the next call's locals will be. */
static void dirty_the_stack(void)
{
    volatile unsigned char junk[4096];
    for (size_t i = 0; i < sizeof(junk); i++)
        junk[i] = 0xA5;
}

static void test_no_curl_is_unreachable_not_a_crash(void **state)
{
    (void)state;
    esia = (esia_config){.token_url = "http://127.0.0.1:9/token",
                         .jwks_url = "http://127.0.0.1:9/jwks",
                         .client_id = "otklik",
                         .client_secret = "secret",
                         .client_auth = "client_secret_post",
                         .redirect_uri = "http://127.0.0.1/auth/esia/callback",
                         .scope = "openid",
                         .timeout_ms = 1000};
    ok_arena *arena = ok_arena_new();
    ok_request req = {.arena = arena};
    /* nothing listens on port 9: with a handle, the request is refused */
    for (fail_at = 1; fail_at <= 3; fail_at++) {
        const char *id_token = "unset", *access_token = NULL;
        curl_inits = 0;
        dirty_the_stack();
        assert_int_equal(esia_exchange_code(&req, "code", "verifier", &id_token, &access_token),
                         ESIA_EXCHANGE_UNREACHABLE);
    }
    ok_arena_free(arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_curl_is_unreachable_not_a_crash),
    };
    return cmocka_run_group_tests_name("esia_provider", tests, NULL, NULL);
}
