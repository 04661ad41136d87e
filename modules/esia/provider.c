/*
 * provider.c - what the login worker asks of the identity provider: the code
 * exchange (libcurl: timeouts, TLS verification on, no redirects, a size cap)
 * and its signing keys (JWKS, cached for the process and fetched again when a
 * token names a key we do not know).
 */
#include "esia.h"
#include "ok_config.h"
#include "ok_crypto.h"
#include "ok_curl.h"
#include "ok_log.h"
#include "ok_oidc.h"
#include "ok_signer.h"

#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PROVIDER_MAX_RESPONSE (1024 * 1024)
#define PROVIDER_JWKS_MAX_AGE 3600  /* seconds: refresh at least hourly */
#define PROVIDER_JWKS_MIN_REFETCH 5 /* seconds between fetches for unknown kids */

typedef struct provider_buffer {
    char *data;
    size_t length;
} provider_buffer;

static size_t provider_write(char *chunk, size_t size, size_t count, void *context)
{
    provider_buffer *buffer = context;
    size_t n = size * count;
    if (buffer->length + n > PROVIDER_MAX_RESPONSE)
        return 0; /* aborts the transfer */
    char *bigger = realloc(buffer->data, buffer->length + n + 1);
    if (bigger == NULL)
        return 0;
    memcpy(bigger + buffer->length, chunk, n);
    buffer->data = bigger;
    buffer->length += n;
    buffer->data[buffer->length] = '\0';
    return n;
}

/* GET (form == NULL) or POST a form, with a bearer token when given; returns
 * the HTTP status, or 0 when the provider could not be reached in time. The
 * body is malloc'd into out. */
static long provider_request(const char *url, const char *form, const char *bearer,
                             provider_buffer *out)
{
    out->data = NULL; /* the caller frees it whatever happens */
    out->length = 0;
    CURL *curl = ok_curl_new(url, esia.timeout_ms);
    if (curl == NULL)
        return 0;
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, provider_write);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, out);
    struct curl_slist *headers = curl_slist_append(NULL, "Accept: application/json");
    char authorization[8192];
    if (bearer != NULL && snprintf(authorization, sizeof(authorization), "Authorization: Bearer %s",
                                   bearer) < (int)sizeof(authorization))
        headers = curl_slist_append(headers, authorization);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    if (form != NULL)
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, form);
    if (form != NULL && strcmp(esia.client_auth, "client_secret_basic") == 0) {
        curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
        curl_easy_setopt(curl, CURLOPT_USERNAME, esia.client_id);
        curl_easy_setopt(curl, CURLOPT_PASSWORD, esia.client_secret);
    }
    long status = 0;
    CURLcode rc = curl_easy_perform(curl);
    if (rc == CURLE_OK)
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    else
        ok_log(OK_LOG_WARN, "identity provider unreachable", "%s", curl_easy_strerror(rc));
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return status;
}

const char *esia_timestamp(ok_request *req)
{
    time_t now = (time_t)ok_config_now();
    struct tm tm;
    char text[32];
    gmtime_r(&now, &tm);
    strftime(text, sizeof(text), "%Y.%m.%d %H:%M:%S +0000", &tm);
    return ok_arena_strdup(req->arena, text);
}

json_t *esia_get_json(const char *url, const char *bearer)
{
    provider_buffer answer;
    long status = provider_request(url, NULL, bearer, &answer);
    json_t *body = status == 200 && answer.data != NULL
                       ? json_loadb(answer.data, answer.length, 0, NULL)
                       : NULL;
    free(answer.data);
    if (status != 200)
        ok_log_new(OK_LOG_WARN, "person data unavailable",
                   json_pack("{s:i}", "status", (int)status));
    if (!json_is_object(body)) {
        json_decref(body);
        return NULL;
    }
    return body;
}

esia_exchange esia_exchange_code(ok_request *req, const char *code, const char *code_verifier,
                                 const char **id_token, const char **access_token)
{
    ok_arena *arena = req->arena;
    const char *form = "";
    form = ok_curl_form_add(arena, form, "grant_type", "authorization_code");
    form = ok_curl_form_add(arena, form, "code", code);
    form = ok_curl_form_add(arena, form, "redirect_uri", esia.redirect_uri);
    form = ok_curl_form_add(arena, form, "code_verifier", code_verifier);
    if (strcmp(esia.client_auth, "client_secret_post") == 0) {
        form = ok_curl_form_add(arena, form, "client_id", esia.client_id);
        form = ok_curl_form_add(arena, form, "client_secret", esia.client_secret);
    } else if (strcmp(esia.client_auth, "esia_signed") == 0) {
        /* ESIA's token request carries a fresh state and a new signature */
        char state[37];
        if (ok_crypto_uuid(state) != 0)
            return ESIA_EXCHANGE_UNREACHABLE;
        const char *timestamp = esia_timestamp(req);
        const char *secret = esia_client_secret(req, timestamp, state, code);
        if (secret == NULL)
            return ESIA_EXCHANGE_UNREACHABLE;
        form = ok_curl_form_add(arena, form, "client_id", esia.client_id);
        form = ok_curl_form_add(arena, form, "client_secret", secret);
        form = ok_curl_form_add(arena, form, "state", state);
        form = ok_curl_form_add(arena, form, "scope", esia.scope);
        form = ok_curl_form_add(arena, form, "timestamp", timestamp);
        form = ok_curl_form_add(arena, form, "token_type", "Bearer");
        if (esia.v2)
            form = ok_curl_form_add(arena, form, "client_certificate_hash", esia.certificate_hash);
    }
    provider_buffer answer;
    long status = provider_request(esia.token_url, form, NULL, &answer);
    json_t *body = answer.data != NULL ? json_loadb(answer.data, answer.length, 0, NULL) : NULL;
    free(answer.data);
    const char *token = json_string_value(json_object_get(body, "id_token"));
    const char *access = json_string_value(json_object_get(body, "access_token"));
    esia_exchange result = ESIA_EXCHANGE_OK;
    if (status == 0 || status >= 500)
        result = ESIA_EXCHANGE_UNREACHABLE;
    else if (status != 200 || token == NULL || (esia.v2 && access == NULL))
        result = ESIA_EXCHANGE_REFUSED;
    else {
        *id_token = ok_arena_strdup(req->arena, token);
        *access_token = access != NULL ? ok_arena_strdup(req->arena, access) : NULL;
    }
    if (result == ESIA_EXCHANGE_REFUSED)
        ok_log_new(OK_LOG_WARN, "code refused",
                   json_pack("{s:i, s:s?}", "status", (int)status, "error",
                             json_string_value(json_object_get(body, "error"))));
    json_decref(body);
    return result;
}

/* The process's copy of the provider's keys. */
static pthread_mutex_t provider_jwks_lock = PTHREAD_MUTEX_INITIALIZER;
static ok_oidc_jwks *provider_jwks;
static long long provider_jwks_fetched_at;

/* Fetches the JWKS again; call with the lock held. */
static void provider_jwks_fetch(void)
{
    provider_buffer answer;
    long status = provider_request(esia.jwks_url, NULL, NULL, &answer);
    provider_jwks_fetched_at = ok_config_now();
    ok_oidc_jwks *fresh = status == 200 && answer.data != NULL
                              ? ok_oidc_jwks_parse(answer.data, answer.length)
                              : NULL;
    free(answer.data);
    if (fresh == NULL) {
        ok_log(OK_LOG_WARN, "jwks unavailable", "the provider's JWKS could not be read");
        return;
    }
    ok_oidc_jwks_free(provider_jwks);
    provider_jwks = fresh;
}

/* RS256: the id_token against the provider's JWKS, fetched when stale or
 * when the token names a key we do not know. */
static ok_oidc_result provider_verify_rs256(const char *id_token, const ok_oidc_expect *expect,
                                            ok_oidc_identity *identity)
{
    char *kid = ok_oidc_token_kid(id_token);
    pthread_mutex_lock(&provider_jwks_lock);
    long long age = expect->now - provider_jwks_fetched_at;
    if (provider_jwks == NULL || age >= PROVIDER_JWKS_MAX_AGE ||
        (!ok_oidc_jwks_has(provider_jwks, kid) && age >= PROVIDER_JWKS_MIN_REFETCH))
        provider_jwks_fetch();
    ok_oidc_result result = ok_oidc_verify(provider_jwks, id_token, expect, identity);
    pthread_mutex_unlock(&provider_jwks_lock);
    free(kid);
    return result;
}

/* v2: both tokens by ESIA's GOST key; the person is the access token's subject
 * (urn:esia:sbj_id), and the id_token's sub, when it has one, must be the same. */
static ok_oidc_result provider_verify_gost(const char *id_token, const char *access_token,
                                           ok_oidc_expect *expect, ok_oidc_identity *identity)
{
    ok_oidc_identity id_identity;
    expect->alg = OK_OIDC_GOST256;
    const char *subject_claim = expect->subject_claim;
    expect->subject_claim = "sub";
    ok_oidc_result result = ok_oidc_verify(esia.esia_keys, id_token, expect, &id_identity);
    if (result != OK_OIDC_VALID)
        return result;
    expect->subject_claim = subject_claim;
    expect->no_nonce = 1;
    result = ok_oidc_verify(esia.esia_keys, access_token, expect, identity);
    if (result == OK_OIDC_VALID && strcmp(id_identity.subject, identity->subject) != 0)
        result = OK_OIDC_NO_SUBJECT;
    if (result == OK_OIDC_VALID) { /* names and address come with the id_token, if at all */
        memcpy(identity->name, id_identity.name, sizeof(identity->name));
        memcpy(identity->address, id_identity.address, sizeof(identity->address));
    }
    return result;
}

int esia_verify_tokens(ok_request *req, const char *id_token, const char *access_token,
                       const char *nonce, ok_oidc_identity *identity, const char **why)
{
    (void)req;
    ok_oidc_expect expect = {.issuer = esia.issuer,
                             .audience = esia.client_id,
                             .nonce = nonce,
                             .subject_claim = esia.subject_claim,
                             .now = ok_config_now()};
    ok_oidc_result result = esia.v2
                                ? provider_verify_gost(id_token, access_token, &expect, identity)
                                : provider_verify_rs256(id_token, &expect, identity);
    if (result != OK_OIDC_VALID) {
        *why = ok_oidc_result_text(result);
        ok_log(OK_LOG_WARN, "id_token refused", "%s", *why);
        return -1;
    }
    return 0;
}
