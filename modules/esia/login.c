/*
 * login.c - GET /auth/esia/login and GET /auth/esia/callback: the
 * authorization-code flow with state, nonce and PKCE (S256).
 *
 * DESIGN
 * The login binds its state to the browser with a short-lived HttpOnly cookie
 * (only its hash is stored), so a state captured elsewhere is useless; the state
 * is consumed before the code is exchanged, so neither can be replayed.
 * return_to must be the platform's own origin or an origin a widget allows: the
 * platform's pages get the session cookie and a redirect; a widget on another
 * origin, or the widget's frame asking with mode=popup, gets a popup page that
 * hands a short-lived token to window.opener by postMessage to exactly the
 * return_to origin (third-party cookies are never needed). That token is
 * scoped to what a widget does (ok_auth.h): the page it lands on may be an
 * agency's, where any script can read it.
 */
#include "esia.h"
#include "ok_auth.h"
#include "ok_config.h"
#include "ok_crypto.h"
#include "ok_i18n.h"
#include "ok_curl.h"
#include "ok_oidc.h"
#include "ok_problem.h"
#include "ok_server.h"
#include "ok_token.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOGIN_COOKIE "otklik_login"
#define LOGIN_RETURN_TO_MAX 2048
#define LOGIN_COOKIE_SECONDS 600
#define LOGIN_COOKIE_CLEAR LOGIN_COOKIE "=; Path=/auth/esia/; Max-Age=0; HttpOnly; SameSite=Lax"

/* bytes random bytes as hex (arena memory), or NULL when the generator failed. */
static const char *login_random_hex(ok_request *req, size_t bytes)
{
    char *hex = ok_arena_alloc(req->arena, 2 * bytes + 1);
    return ok_crypto_random_hex(hex, bytes) == 0 ? hex : NULL;
}

static const char *login_sha256_hex(ok_request *req, const char *text)
{
    char *hex = ok_arena_alloc(req->arena, 65);
    ok_crypto_sha256_hex(text, strlen(text), hex);
    return hex;
}

static const char *login_pkce_challenge(ok_request *req, const char *verifier)
{
    unsigned char digest[32];
    unsigned int length = 0;
    EVP_Digest(verifier, strlen(verifier), digest, &length, EVP_sha256(), NULL);
    char *encoded = ok_oidc_base64url(digest, length);
    const char *copy = ok_arena_strdup(req->arena, encoded);
    free(encoded);
    return copy;
}

/* The origin (scheme://host[:port]) of an absolute http(s) URL, or NULL when the
 * URL is not one we would ever redirect to. */
static const char *login_origin_of(ok_request *req, const char *url)
{
    size_t length = strlen(url);
    if (length > LOGIN_RETURN_TO_MAX)
        return NULL;
    for (size_t i = 0; i < length; i++)
        if ((unsigned char)url[i] <= 0x20 || url[i] == 0x7F || url[i] == '\\')
            return NULL;
    size_t scheme = strncmp(url, "https://", 8) == 0 ? 8 : strncmp(url, "http://", 7) == 0 ? 7 : 0;
    if (scheme == 0)
        return NULL;
    size_t authority = strcspn(url + scheme, "/?#");
    if (authority == 0 || memchr(url + scheme, '@', authority) != NULL)
        return NULL;
    return ok_arena_strndup(req->arena, url, scheme + authority);
}

/* Answers an HTML page (browsers) or a problem (API clients) for a failed login. */
static void login_fail(ok_request *req, int status, const char *detail)
{
    const char *accept = ok_http_param(req, "HTTP_ACCEPT");
    if (accept == NULL || strstr(accept, "text/html") == NULL) {
        ok_problem(req, status, detail);
        return;
    }
    const char *page = ok_arena_printf(
        req->arena,
        "<!doctype html><html lang=\"ru\"><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width\"><title>Вход не выполнен</title>"
        "<main><h1>Не удалось войти через Госуслуги</h1>"
        "<p>Попробуйте ещё раз. Если ошибка повторится, повторите попытку позже.</p>"
        "<p lang=\"%s\"><small>%s</small></p></main></html>",
        ok_i18n_language(req), ok_i18n_text(ok_i18n_language(req), detail));
    ok_http_respond(req, status, "text/html; charset=utf-8", page, strlen(page));
    ok_http_header(req, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
}

static int origin_is_own(const char *origin)
{
    return strcmp(origin, ok_config_global.public_origin) == 0;
}

void login_start(ok_request *req)
{
    const char *return_to = ok_http_query(req, "return_to");
    if (return_to == NULL || return_to[0] == '\0')
        return_to = ok_arena_printf(req->arena, "%s/", ok_config_global.public_origin);
    const char *origin = login_origin_of(req, return_to);
    if (origin == NULL || !ok_server_origin_allowed(req, origin)) {
        login_fail(req, 400,
                   "return_to must be a page of this platform or of a site that "
                   "embeds one of its widgets.");
        return;
    }
    char state[37]; /* a version 4 UUID, the format ESIA requires */
    const char *nonce = login_random_hex(req, 16);
    const char *browser = login_random_hex(req, 32);
    unsigned char random[32];
    if (ok_crypto_uuid(state) != 0 || nonce == NULL || browser == NULL ||
        ok_crypto_random(random, sizeof(random)) != 0) {
        ok_problem(req, 503, "The login is unavailable; please try again shortly.");
        return;
    }
    char *encoded = ok_oidc_base64url(random, sizeof(random));
    const char *verifier = ok_arena_strdup(req->arena, encoded);
    free(encoded);
    const char *mode = ok_http_query(req, "mode");
    if (mode != NULL && strcmp(mode, "popup") != 0 && strcmp(mode, "page") != 0) {
        login_fail(req, 400, "mode must be popup or page.");
        return;
    }
    const char *hand_off =
        origin_is_own(origin) && (mode == NULL || strcmp(mode, "page") == 0) ? "false" : "true";
    const char *names[] = {
        "client_id",   "response_type", "redirect_uri",   "scope",
        "state",       "nonce",         "code_challenge", "code_challenge_method",
        "access_type", "timestamp",     "client_secret",  "client_certificate_hash"};
    const char *values[12] = {esia.client_id,
                              "code",
                              esia.redirect_uri,
                              esia.scope,
                              state,
                              nonce,
                              login_pkce_challenge(req, verifier),
                              "S256"};
    size_t count = 8;
    if (strcmp(esia.client_auth, "esia_signed") == 0) {
        values[8] = "online";
        values[9] = esia_timestamp(req);
        values[10] = esia_client_secret(req, values[9], state, NULL);
        values[11] = esia.certificate_hash;
        count = esia.v2 ? 12 : 11;
        if (values[10] == NULL) {
            login_fail(req, 503, "The login cannot be signed now; please try again later.");
            return;
        }
    }
    const char *query = "";
    for (size_t i = 0; i < count; i++)
        query = ok_curl_form_add(req->arena, query, names[i], values[i]);
    const char *location = ok_arena_printf(req->arena, "%s%s%s", esia.authorize_url,
                                           strchr(esia.authorize_url, '?') ? "&" : "?", query);
    const char *params[] = {state,   login_sha256_hex(req, browser), nonce, verifier, return_to,
                            hand_off};
    if (ok_db_write(req, "login_insert", 6, params) == NULL)
        return; /* answered */
    ok_http_respond(req, 302, NULL, NULL, 0);
    ok_http_header(req, "Location", location);
    ok_http_header(req, "Cache-Control", "no-store");
    ok_http_header_add(req, "Set-Cookie",
                       ok_arena_printf(req->arena,
                                       LOGIN_COOKIE "=%s; Path=/auth/esia/; Max-Age=%d; HttpOnly; "
                                                    "SameSite=Lax%s",
                                       browser, LOGIN_COOKIE_SECONDS,
                                       strncmp(ok_config_global.public_origin, "https:", 6) == 0
                                           ? "; Secure"
                                           : ""));
}

typedef struct login_result {
    const char *subject;
    const char *name;
    const char *address; /* "" when the provider gave none */
    const char *kind;    /* cookie or widget */
    ok_token_scope scope;
    long ttl_seconds;
    char *token; /* malloc'd */
    long long expires_at;
} login_result;

static int login_store(ok_request *req, void *context)
{
    login_result *login = context;
    const char *user_params[] = {login->subject, login->name, login->address};
    PGresult *user = ok_db_exec(req, "users_upsert", 3, user_params);
    if (user == NULL)
        return OK_DB_ROLLBACK;
    long long user_id = strtoll(PQgetvalue(user, 0, 0), NULL, 10);
    char session_id[33];
    const ok_config *c = &ok_config_global;
    long long now = ok_config_now();
    free(login->token);
    login->token = ok_token_issue(c->token_key, c->token_key_length, c->token_issuer, user_id,
                                  login->scope, now, login->ttl_seconds, session_id);
    if (login->token == NULL)
        return OK_DB_ROLLBACK;
    login->expires_at = now + login->ttl_seconds;
    const char *session_params[] = {session_id, PQgetvalue(user, 0, 0), login->kind,
                                    ok_arena_printf(req->arena, "%lld", login->expires_at)};
    return ok_db_exec(req, "sessions_insert", 4, session_params) != NULL ? OK_DB_COMMIT
                                                                         : OK_DB_ROLLBACK;
}

/* The popup page that hands the token to the widget's window, at one origin. */
static void login_hand_off(ok_request *req, const char *origin, const login_result *login)
{
    const char *nonce = login_random_hex(req, 16);
    if (nonce == NULL) {
        ok_problem(req, 503, "The login is unavailable; please try again shortly.");
        return;
    }
    json_t *message = json_pack("{s:s, s:s, s:I}", "type", "otklik:login", "token", login->token,
                                "expires_at", (json_int_t)login->expires_at);
    json_t *target = json_string(origin);
    char *message_js = json_dumps(message, JSON_COMPACT | JSON_ESCAPE_SLASH | JSON_ENSURE_ASCII);
    char *target_js = json_dumps(target, JSON_ENCODE_ANY | JSON_ESCAPE_SLASH | JSON_ENSURE_ASCII);
    json_decref(message);
    json_decref(target);
    const char *page = ok_arena_printf(
        req->arena,
        "<!doctype html><html lang=\"ru\"><meta charset=\"utf-8\"><title>Вход выполнен</title>"
        "<p>Вход выполнен. Это окно можно закрыть.</p>"
        "<script nonce=\"%s\">(function(){var "
        "m=%s;if(window.opener){window.opener.postMessage(m,%s);}"
        "window.close();})();</script></html>",
        nonce, message_js, target_js);
    free(message_js);
    free(target_js);
    ok_http_respond(req, 200, "text/html; charset=utf-8", page, strlen(page));
    ok_http_header(req, "Content-Security-Policy",
                   ok_arena_printf(
                       req->arena,
                       "default-src 'none'; script-src 'nonce-%s'; frame-ancestors 'none'", nonce));
    ok_http_header(req, "Cache-Control", "no-store");
}

void login_callback(ok_request *req)
{
    const char *state = ok_http_query(req, "state");
    const char *code = ok_http_query(req, "code");
    const char *browser = ok_http_cookie(req, LOGIN_COOKIE);
    if (state == NULL || state[0] == '\0' || strlen(state) > 128) {
        login_fail(req, 400, "The login request has no state; start the login again.");
        return;
    }
    const char *consume[] = {state, login_sha256_hex(req, browser != NULL ? browser : "")};
    PGresult *attempt = ok_db_write(req, "login_consume", 2, consume);
    if (attempt == NULL)
        return; /* answered */
    ok_http_header_add(req, "Set-Cookie", LOGIN_COOKIE_CLEAR);
    if (PQntuples(attempt) == 0) {
        login_fail(req, 400,
                   "This login is unknown, expired, already used or was started in "
                   "another browser; start the login again.");
        return;
    }
    const char *nonce = ok_arena_strdup(req->arena, PQgetvalue(attempt, 0, 0));
    const char *verifier = ok_arena_strdup(req->arena, PQgetvalue(attempt, 0, 1));
    const char *return_to = ok_arena_strdup(req->arena, PQgetvalue(attempt, 0, 2));
    int hand_off = strcmp(PQgetvalue(attempt, 0, 3), "t") == 0;
    if (ok_http_query(req, "error") != NULL || code == NULL || code[0] == '\0' ||
        strlen(code) > 2048) {
        login_fail(req, 401, "The identity provider did not let you in.");
        return;
    }
    const char *id_token = NULL, *access_token = NULL;
    switch (esia_exchange_code(req, code, verifier, &id_token, &access_token)) {
    case ESIA_EXCHANGE_OK: break;
    case ESIA_EXCHANGE_REFUSED:
        login_fail(req, 401, "The identity provider refused the login code.");
        return;
    case ESIA_EXCHANGE_UNREACHABLE:
        login_fail(req, 502, "The identity provider does not answer; please try again later.");
        return;
    }
    ok_oidc_identity identity;
    const char *why = NULL;
    if (esia_verify_tokens(req, id_token, access_token, nonce, &identity, &why) != 0) {
        login_fail(req, 401, ok_i18n_printf(req, "The login was refused: %s.", why));
        return;
    }
    esia_person_read(req, access_token, &identity);
    const char *origin = login_origin_of(req, return_to);
    int own = origin != NULL && origin_is_own(origin) && !hand_off;
    login_result login = {.subject = identity.subject,
                          .name = identity.name,
                          .address = identity.address,
                          .kind = own ? "cookie" : "widget",
                          .scope = own ? OK_TOKEN_SCOPE_FULL : OK_TOKEN_SCOPE_WIDGET,
                          .ttl_seconds = own ? ok_config_global.token_ttl_seconds
                                             : esia.widget_token_ttl_seconds};
    if (ok_db_transaction(req, login_store, &login) != 0) {
        free(login.token);
        return;
    }
    ok_http_header_add(req, "Set-Cookie", LOGIN_COOKIE_CLEAR);
    if (own) {
        ok_http_respond(req, 303, NULL, NULL, 0);
        ok_http_header(req, "Location", return_to);
        ok_http_header_add(req, "Set-Cookie",
                           ok_arena_printf(req->arena,
                                           OK_AUTH_COOKIE
                                           "=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=Lax%s",
                                           login.token, login.ttl_seconds,
                                           strncmp(return_to, "https:", 6) == 0 ? "; Secure" : ""));
    } else {
        login_hand_off(req, origin, &login);
    }
    free(login.token);
}
