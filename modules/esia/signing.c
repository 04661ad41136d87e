/*
 * signing.c - ESIA's client authentication: the signed client_secret of the
 * older protocol (a detached CMS over scope + timestamp + client_id + state)
 * and of the newer one (a raw GOST R 34.10-2012 signature over client_id +
 * scope + timestamp + state + redirect_uri, + code at the token endpoint, with
 * client_certificate_hash), made in-process with OpenSSL's gost engine from
 * OTKLIK_ESIA_CERT_FILE and OTKLIK_ESIA_KEY_FILE, or by the OTKLIK_ESIA_SIGNER
 * command for keys in hardware. Also loads ESIA's own certificates, which
 * verify its tokens in v2.
 */
#include "esia.h"
#include "ok_config.h"
#include "ok_gost.h"
#include "ok_log.h"
#include "ok_oidc.h"
#include "ok_signer.h"

#include <stdlib.h>
#include <string.h>

/* OTKLIK_ESIA_VERIFY_CERTS: space-separated [kid=]path of ESIA's PEM
 * certificates (several while ESIA rotates its key). */
static int signing_load_esia_certificates(const char *list)
{
    char *copy = strdup(list), *save = NULL;
    int status = copy != NULL && list[0] != '\0' ? 0 : -1;
    for (char *item = copy != NULL ? strtok_r(copy, " ", &save) : NULL; item != NULL;
         item = strtok_r(NULL, " ", &save)) {
        char *equals = strchr(item, '=');
        const char *path = equals != NULL ? equals + 1 : item;
        if (equals != NULL)
            *equals = '\0';
        X509 *certificate = ok_gost_read_certificate(path);
        if (ok_oidc_jwks_add_certificate(&esia.esia_keys, equals != NULL ? item : NULL,
                                         certificate) != 0) {
            ok_log(OK_LOG_ERROR, "bad configuration",
                   "OTKLIK_ESIA_VERIFY_CERTS: %s is not a readable GOST R 34.10-2012 (256) "
                   "certificate",
                   path);
            status = -1;
        }
        X509_free(certificate);
    }
    free(copy);
    return status;
}

int esia_signing_load(void)
{
    const char *certificate = ok_config_string("OTKLIK_ESIA_CERT_FILE", NULL);
    const char *key = ok_config_string("OTKLIK_ESIA_KEY_FILE", NULL);
    const char *hash = ok_config_string("OTKLIK_ESIA_CERT_HASH", NULL);
    const char *verify = ok_config_string("OTKLIK_ESIA_VERIFY_CERTS", NULL);
    if ((esia.v2 || key != NULL || verify != NULL) && ok_gost_load() != 0) {
        ok_log(OK_LOG_ERROR, "bad configuration",
               "GOST needs the gost engine of OpenSSL (Debian: libengine-gost-openssl)");
        return -1;
    }
    if (certificate != NULL && (esia.certificate = ok_gost_read_certificate(certificate)) == NULL) {
        ok_log(OK_LOG_ERROR, "bad configuration", "cannot read OTKLIK_ESIA_CERT_FILE");
        return -1;
    }
    if (key != NULL && (esia.key = ok_gost_read_key(key)) == NULL) {
        ok_log(OK_LOG_ERROR, "bad configuration", "cannot read OTKLIK_ESIA_KEY_FILE");
        return -1;
    }
    if (strcmp(esia.client_auth, "esia_signed") == 0 && esia.signer == NULL &&
        (esia.key == NULL || esia.certificate == NULL ||
         X509_check_private_key(esia.certificate, esia.key) != 1)) {
        ok_log(OK_LOG_ERROR, "bad configuration",
               "esia_signed needs OTKLIK_ESIA_SIGNER, or OTKLIK_ESIA_CERT_FILE and "
               "OTKLIK_ESIA_KEY_FILE of one key pair");
        return -1;
    }
    if (!esia.v2)
        return 0;
    if (esia.key != NULL && !ok_gost_is_key256(esia.key)) {
        ok_log(OK_LOG_ERROR, "bad configuration",
               "OTKLIK_ESIA_PROTOCOL=v2 signs with a GOST R 34.10-2012 (256) key");
        return -1;
    }
    if (hash != NULL && strlen(hash) < sizeof(esia.certificate_hash))
        strcpy(esia.certificate_hash, hash);
    else if (ok_gost_certificate_hash(esia.certificate, esia.certificate_hash) != 0) {
        ok_log(OK_LOG_ERROR, "bad configuration",
               "OTKLIK_ESIA_PROTOCOL=v2 needs OTKLIK_ESIA_CERT_FILE (or OTKLIK_ESIA_CERT_HASH)");
        return -1;
    }
    if (signing_load_esia_certificates(verify != NULL ? verify : "") != 0) {
        ok_log(OK_LOG_ERROR, "bad configuration",
               "OTKLIK_ESIA_PROTOCOL=v2 needs ESIA's certificates in OTKLIK_ESIA_VERIFY_CERTS");
        return -1;
    }
    return 0;
}

/* The signature of message, base64url without padding (malloc'd), or NULL. */
static char *signing_sign(const char *message)
{
    size_t length = strlen(message);
    if (esia.signer != NULL)
        return ok_signer_sign(esia.signer, message, length, (int)esia.timeout_ms);
    if (esia.v2) {
        unsigned char raw[64];
        return ok_gost_sign_raw(esia.key, message, length, raw) == 0
                   ? ok_oidc_base64url(raw, sizeof(raw))
                   : NULL;
    }
    unsigned char *der = NULL;
    size_t der_length = ok_gost_sign_cms(esia.certificate, esia.key, message, length, &der);
    char *signature = der_length > 0 ? ok_oidc_base64url(der, der_length) : NULL;
    OPENSSL_free(der);
    return signature;
}

const char *esia_client_secret(ok_request *req, const char *timestamp, const char *state,
                               const char *code)
{
    const char *message =
        esia.v2
            ? ok_arena_printf(req->arena, "%s%s%s%s%s%s", esia.client_id, esia.scope, timestamp,
                              state, esia.redirect_uri, code != NULL ? code : "")
            : ok_arena_printf(req->arena, "%s%s%s%s", esia.scope, timestamp, esia.client_id, state);
    char *signature = signing_sign(message);
    if (signature == NULL) {
        ok_log(OK_LOG_ERROR, "signer failed", "the login request could not be signed");
        return NULL;
    }
    const char *copy = ok_arena_strdup(req->arena, signature);
    free(signature);
    return copy;
}
