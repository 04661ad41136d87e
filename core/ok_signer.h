/*
 * ok_signer.h - detached signatures made by an external command.
 *
 * ESIA authenticates clients by a CMS (PKCS#7) detached signature, often with
 * GOST keys held by CryptoPro or an OpenSSL GOST engine. Rather than link any of
 * them, the platform runs a configured command that reads the data on stdin and
 * writes the DER signature on stdout, e.g.
 *   openssl cms -sign -binary -outform DER -noattr -signer cert.pem -inkey key.pem
 */
#ifndef OK_SIGNER_H
#define OK_SIGNER_H

#include <stddef.h>

/* Runs command (through /bin/sh) on data and returns the base64url (no padding)
 * of what it printed, malloc'd; NULL if it failed, printed nothing or took
 * longer than timeout_ms. */
char *ok_signer_sign(const char *command, const char *data, size_t length, int timeout_ms);

#endif
