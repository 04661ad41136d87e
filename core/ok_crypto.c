/*
 * ok_crypto.c - see ok_crypto.h.
 */
#include "ok_crypto.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

int ok_crypto_random(void *out, size_t n)
{
    return n <= 0x7FFFFFFF && RAND_bytes(out, (int)n) == 1 ? 0 : -1;
}

void ok_crypto_hex(char *out, const void *bytes, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    const unsigned char *b = bytes;
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 0x0F];
    }
    out[2 * n] = '\0';
}

int ok_crypto_random_hex(char *out, size_t n)
{
    unsigned char random[64];
    if (n > sizeof(random) || ok_crypto_random(random, n) != 0)
        return -1;
    ok_crypto_hex(out, random, n);
    return 0;
}

int ok_crypto_uuid(char out[37])
{
    unsigned char r[16];
    if (ok_crypto_random(r, sizeof(r)) != 0)
        return -1;
    r[6] = (unsigned char)((r[6] & 0x0F) | 0x40); /* version 4 */
    r[8] = (unsigned char)((r[8] & 0x3F) | 0x80); /* the RFC 4122 variant */
    char hex[33];
    ok_crypto_hex(hex, r, sizeof(r));
    snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
    return 0;
}

void ok_crypto_sha256_hex(const void *data, size_t length, char out[65])
{
    unsigned char digest[32];
    unsigned int digest_length = 0;
    EVP_Digest(data, length, digest, &digest_length, EVP_sha256(), NULL);
    ok_crypto_hex(out, digest, digest_length);
}

void ok_crypto_hmac_sha256_hex(const char *key, const void *data, size_t length, char out[65])
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_length = 0;
    HMAC(EVP_sha256(), key, (int)strlen(key), data, length, mac, &mac_length);
    ok_crypto_hex(out, mac, mac_length);
}
