/*
 * ok_crypto.h - randomness, hex and SHA-256 with OpenSSL, in one place so that
 * no caller forgets to check RAND_bytes or writes its own hex loop.
 */
#ifndef OK_CRYPTO_H
#define OK_CRYPTO_H

#include <stddef.h>

/* Fills out with n cryptographically random bytes. Returns 0, or -1 when
 * OpenSSL's generator failed (out must then not be used). */
int ok_crypto_random(void *out, size_t n);

/* Writes the lower-case hex of bytes[0..n) and a NUL into out (2n + 1 bytes). */
void ok_crypto_hex(char *out, const void *bytes, size_t n);

/* n random bytes as hex (2n characters) into out (2n + 1 bytes); 0 or -1. */
int ok_crypto_random_hex(char *out, size_t n);

/* A random (version 4) UUID, "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", into
 * out; 0 or -1. */
int ok_crypto_uuid(char out[37]);

/* The SHA-256 of data[0..length) as hex into out. */
void ok_crypto_sha256_hex(const void *data, size_t length, char out[65]);

/* The HMAC-SHA-256 of data[0..length) under key as hex into out. */
void ok_crypto_hmac_sha256_hex(const char *key, const void *data, size_t length, char out[65]);

#endif
