/*
 * fuzz_token.c - libFuzzer harness of ok_token_verify with a fixed key. The
 * first byte picks what the rest is:
 *   0  a whole token, as a client sends it (nothing forged can be valid);
 *   1  a payload, signed here under the header {"alg":"HS256","typ":"JWT"},
 *      so the claim checks behind the signature are reached;
 *   2  a header, a newline and a payload, signed here with HS256.
 *
 * Beyond crashes it checks that a valid token has a positive user id, a
 * 32-character session id and times around now.
 */
#include "../support/test_jwt.h"
#include "ok_token.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const unsigned char key[] = "fuzz-key-fuzz-key-fuzz-key-12345";
static const long long now = 1800000000;

static size_t hs256(const unsigned char *input, size_t length,
                    unsigned char signature[TEST_JWT_MAX_SIGNATURE])
{
    unsigned int signature_length = 0;
    HMAC(EVP_sha256(), key, (int)sizeof(key) - 1, input, length, signature, &signature_length);
    return signature_length;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > 8192)
        return 0;
    static const char fixed_header[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    const uint8_t *rest = data + 1;
    size_t length = size - 1;
    const uint8_t *newline = memchr(rest, '\n', length);
    char *token;
    switch (data[0] % 3) {
    case 0: token = strndup((const char *)rest, length); break;
    case 1:
        token = test_jwt_make((const uint8_t *)fixed_header, sizeof(fixed_header) - 1, rest, length,
                              hs256);
        break;
    default:
        if (newline == NULL)
            return 0;
        token = test_jwt_make(rest, (size_t)(newline - rest), newline + 1,
                              length - (size_t)(newline - rest) - 1, hs256);
        break;
    }
    ok_token_claims claims;
    memset(&claims, 0, sizeof(claims));
    ok_token_result result = ok_token_verify(key, sizeof(key) - 1, "otklik", token, now, &claims);
    if (result == OK_TOKEN_VALID &&
        (data[0] % 3 == 0 || claims.user_id < 1 || strlen(claims.session_id) != 32 ||
         claims.expires_at <= now - OK_TOKEN_LEEWAY_SECONDS ||
         claims.issued_at > now + OK_TOKEN_LEEWAY_SECONDS)) {
        fprintf(stderr, "fuzz_token: accepted %s\n", token);
        abort();
    }
    if (ok_token_result_text(result) == NULL)
        abort();
    free(token);
    return 0;
}
