/*
 * ok_gost.c - the gost engine and what ESIA needs of it; see ok_gost.h.
 */
#define OPENSSL_SUPPRESS_DEPRECATED /* ENGINE_*: the gost engine is one */
#include "ok_gost.h"

#include <openssl/cms.h>
#include <openssl/engine.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_once_t ok_gost_once = PTHREAD_ONCE_INIT;
static int ok_gost_loaded;

static void ok_gost_load_once(void)
{
    ENGINE *engine = ENGINE_by_id("gost");
    if (engine == NULL)
        return;
    /* GOST's key methods and digests only: TLS and everything else untouched */
    if (ENGINE_init(engine) == 1) {
        ok_gost_loaded =
            ENGINE_set_default(engine, ENGINE_METHOD_PKEY_METHS | ENGINE_METHOD_PKEY_ASN1_METHS |
                                           ENGINE_METHOD_DIGESTS) == 1;
        ENGINE_finish(engine);
    }
    ENGINE_free(engine);
}

int ok_gost_load(void)
{
    pthread_once(&ok_gost_once, ok_gost_load_once);
    return ok_gost_loaded && ok_gost_md256() != NULL ? 0 : -1;
}

const EVP_MD *ok_gost_md256(void)
{
    return ok_gost_loaded ? EVP_get_digestbyname("md_gost12_256") : NULL;
}

int ok_gost_is_key256(const EVP_PKEY *key)
{
    return key != NULL && EVP_PKEY_get_id(key) == NID_id_GostR3410_2012_256;
}

int ok_gost_sign_raw(EVP_PKEY *key, const void *data, size_t length, unsigned char signature[64])
{
    const EVP_MD *md = ok_gost_md256();
    size_t signature_length = 64;
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    int ok = md != NULL && context != NULL && ok_gost_is_key256(key) &&
             EVP_DigestSignInit(context, NULL, md, NULL, key) == 1 &&
             EVP_DigestSign(context, signature, &signature_length, data, length) == 1 &&
             signature_length == 64;
    EVP_MD_CTX_free(context);
    return ok ? 0 : -1;
}

int ok_gost_verify_raw(EVP_PKEY *key, const void *data, size_t length,
                       const unsigned char *signature, size_t signature_length)
{
    const EVP_MD *md = ok_gost_md256();
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    int ok = md != NULL && context != NULL && ok_gost_is_key256(key) && signature_length == 64 &&
             EVP_DigestVerifyInit(context, NULL, md, NULL, key) == 1 &&
             EVP_DigestVerify(context, signature, signature_length, data, length) == 1;
    EVP_MD_CTX_free(context);
    return ok;
}

size_t ok_gost_sign_cms(X509 *certificate, EVP_PKEY *key, const void *data, size_t length,
                        unsigned char **der)
{
    *der = NULL;
    BIO *content = BIO_new_mem_buf(data, (int)length);
    CMS_ContentInfo *cms = content != NULL
                               ? CMS_sign(certificate, key, NULL, content,
                                          CMS_DETACHED | CMS_BINARY | CMS_NOATTR | CMS_NOSMIMECAP)
                               : NULL;
    int n = cms != NULL ? i2d_CMS_ContentInfo(cms, der) : 0;
    CMS_ContentInfo_free(cms);
    BIO_free(content);
    return n > 0 ? (size_t)n : 0;
}

int ok_gost_certificate_hash(X509 *certificate, char hex[65])
{
    const EVP_MD *md = ok_gost_md256();
    unsigned char *der = NULL;
    int der_length = certificate != NULL ? i2d_X509(certificate, &der) : -1;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_length = 0;
    int ok = md != NULL && der_length > 0 &&
             EVP_Digest(der, (size_t)der_length, digest, &digest_length, md, NULL) == 1 &&
             digest_length == 32;
    OPENSSL_free(der);
    if (!ok)
        return -1;
    for (unsigned int i = 0; i < digest_length; i++)
        snprintf(hex + 2 * i, 3, "%02X", digest[i]);
    return 0;
}

X509 *ok_gost_read_certificate(const char *path)
{
    FILE *file = path != NULL ? fopen(path, "r") : NULL;
    X509 *certificate = file != NULL ? PEM_read_X509(file, NULL, NULL, NULL) : NULL;
    if (file != NULL)
        fclose(file);
    return certificate;
}

EVP_PKEY *ok_gost_read_key(const char *path)
{
    FILE *file = path != NULL ? fopen(path, "r") : NULL;
    EVP_PKEY *key = file != NULL ? PEM_read_PrivateKey(file, NULL, NULL, NULL) : NULL;
    if (file != NULL)
        fclose(file);
    return key;
}
