/*
 * main.c - the login worker: its settings, routes and SQL.
 */
#include "esia.h"
#include "ok_config.h"
#include "ok_log.h"
#include "ok_server.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

esia_config esia;

/* The client secret: OTKLIK_ESIA_CLIENT_SECRET_FILE (kept out of the environment
 * of child processes and of `ps`), else OTKLIK_ESIA_CLIENT_SECRET. */
static const char *esia_secret(void)
{
    const char *file = ok_config_text("OTKLIK_ESIA_CLIENT_SECRET_FILE");
    if (file == NULL) {
        const char *secret = ok_config_text("OTKLIK_ESIA_CLIENT_SECRET");
        return secret != NULL ? secret : "";
    }
    static char secret[512];
    return ok_config_read_secret(file, secret, sizeof(secret), NULL) == 0 ? secret : NULL;
}

/* The settings (checked by ok_config_load, defaults in core/ok_config.c). */
int esia_config_load(void)
{
    esia.issuer = ok_config_text("OTKLIK_ESIA_ISSUER");
    esia.authorize_url = ok_config_text("OTKLIK_ESIA_AUTHORIZE_URL");
    esia.token_url = ok_config_text("OTKLIK_ESIA_TOKEN_URL");
    esia.jwks_url = ok_config_text("OTKLIK_ESIA_JWKS_URL");
    esia.client_id = ok_config_text("OTKLIK_ESIA_CLIENT_ID");
    esia.client_secret = esia_secret();
    const char *protocol = ok_config_text("OTKLIK_ESIA_PROTOCOL");
    esia.v2 = strcmp(protocol, "v2") == 0;
    /* v2 is ESIA's own: always its signed client authentication */
    esia.client_auth = esia.v2 ? "esia_signed" : ok_config_text("OTKLIK_ESIA_CLIENT_AUTH");
    esia.signer = ok_config_text("OTKLIK_ESIA_SIGNER");
    esia.scope = ok_config_text("OTKLIK_ESIA_SCOPE");
    esia.subject_claim =
        ok_config_string("OTKLIK_ESIA_SUBJECT_CLAIM", esia.v2 ? "urn:esia:sbj_id" : "sub");
    esia.person_url = ok_config_text("OTKLIK_ESIA_PERSON_URL");
    esia.redirect_uri = ok_config_text("OTKLIK_ESIA_REDIRECT_URI");
    esia.timeout_ms = ok_config_integer("OTKLIK_ESIA_TIMEOUT_MS");
    esia.widget_token_ttl_seconds = ok_config_integer("OTKLIK_WIDGET_TOKEN_TTL_SECONDS");
    if (esia.client_secret == NULL) {
        ok_log(OK_LOG_ERROR, "bad configuration", "cannot read OTKLIK_ESIA_CLIENT_SECRET_FILE");
        return -1;
    }
    return esia_signing_load();
}

static const ok_route esia_routes[] = {
    {"GET", "/healthz", ok_server_healthz},
    {"GET", "/auth/esia/login", login_start},
    {"GET", "/auth/esia/callback", login_callback},
    {"POST", "/auth/logout", session_logout, OK_ROUTE_WIDGET},
    {"GET", "/api/v1/me", session_me, OK_ROUTE_WIDGET},
    {"PATCH", "/api/v1/me", session_me_update},
};

int main(void)
{
    ok_module module = {
        .name = "esia",
        .routes = esia_routes,
        .route_count = sizeof(esia_routes) / sizeof(esia_routes[0]),
        .statements = esia_statements,
        .statement_count = esia_statement_count,
        .init = esia_config_load,
    };
    /* before any thread: curl_easy_init would otherwise run it, unsafely */
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int status = ok_server_main(&module);
    curl_global_cleanup();
    return status;
}
