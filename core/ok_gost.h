/*
 * ok_gost.h - GOST R 34.10-2012 / 34.11-2012 through OpenSSL 3 and Debian's
 * gost engine (libengine-gost-openssl), for the login worker's dealings with
 * ESIA: loading the engine, signing (ESIA's detached CMS and the raw
 * signature of its newer protocol), the certificate hash, and verifying a
 * raw signature.
 *
 * DESIGN
 * Debian 12 ships the gost code both as an engine (engines-3/gost.so) and as
 * a provider (ossl-modules/gostprov.so); its provider (3.0.1) offers the
 * digests and ciphers but no GOST keys (genpkey fails through it), so the
 * engine it is. It is loaded in code by ENGINE_by_id("gost") and made the
 * default only for GOST's own public-key methods and digests, by the login
 * worker alone (ok_gost_load at its start): no OPENSSL_CONF is needed, the
 * other workers and libcurl's TLS never see it, and a missing engine is one
 * clear error at startup instead of a failure at the first login.
 */
#ifndef OK_GOST_H
#define OK_GOST_H

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stddef.h>

/* Loads and registers the gost engine (once per process); 0, or -1 when it
 * is not installed. */
int ok_gost_load(void);

/* GOST R 34.11-2012 with a 256-bit digest (Streebog-256), or NULL when the
 * engine is not loaded. */
const EVP_MD *ok_gost_md256(void);

/* Whether key is a GOST R 34.10-2012 256-bit key. */
int ok_gost_is_key256(const EVP_PKEY *key);

/* The raw GOST R 34.10-2012 (256) signature of data with Streebog-256, 64
 * bytes as OpenSSL gives them (s || r, big-endian; CryptoPro's tools write the
 * same bytes reversed), into signature; 0 or -1. */
int ok_gost_sign_raw(EVP_PKEY *key, const void *data, size_t length, unsigned char signature[64]);

/* 1 when signature (length bytes) is key's over data, else 0. */
int ok_gost_verify_raw(EVP_PKEY *key, const void *data, size_t length,
                       const unsigned char *signature, size_t signature_length);

/* A detached CMS (PKCS#7) signature of data by certificate and key, binary
 * content, no signed attributes, DER, malloc'd into *der; its length, or 0. */
size_t ok_gost_sign_cms(X509 *certificate, EVP_PKEY *key, const void *data, size_t length,
                        unsigned char **der);

/* The Streebog-256 of the certificate's DER encoding in upper-case hex (as
 * CryptoPro's cpverify -mk -alg GR3411_2012_256 prints it): ESIA's
 * client_certificate_hash. 0 or -1. */
int ok_gost_certificate_hash(X509 *certificate, char hex[65]);

/* A PEM certificate / private key from a file; NULL when unreadable. */
X509 *ok_gost_read_certificate(const char *path);
EVP_PKEY *ok_gost_read_key(const char *path);

#endif
