/*
 * test_jwt.h - a JWT made from raw header and payload bytes, for fuzzers that
 * must get past the signature to reach the claim checks: the caller signs.
 */
#ifndef TEST_JWT_H
#define TEST_JWT_H

#include "ok_oidc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEST_JWT_MAX_SIGNATURE 512

/* Signs length bytes of input into signature; returns its length. */
typedef size_t test_jwt_signer(const unsigned char *input, size_t length,
                               unsigned char signature[TEST_JWT_MAX_SIGNATURE]);

/* base64url(header).base64url(payload).base64url(signature); malloc'd. */
static inline char *test_jwt_make(const unsigned char *header, size_t header_length,
                                  const unsigned char *payload, size_t payload_length,
                                  test_jwt_signer *sign)
{
    char *h = ok_oidc_base64url(header, header_length);
    char *p = ok_oidc_base64url(payload, payload_length);
    size_t input_length = strlen(h) + 1 + strlen(p),
           size = input_length + 2 * TEST_JWT_MAX_SIGNATURE;
    char *token = malloc(size);
    snprintf(token, size, "%s.%s", h, p);
    unsigned char signature[TEST_JWT_MAX_SIGNATURE];
    size_t signature_length = sign((const unsigned char *)token, input_length, signature);
    char *s = ok_oidc_base64url(signature, signature_length);
    snprintf(token + input_length, size - input_length, ".%s", s);
    free(h);
    free(p);
    free(s);
    return token;
}

#endif
