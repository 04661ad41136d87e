/*
 * main.c - the channels worker: its routes, settings and SQL. Its webhooks
 * are public (the networks call them): each checks its own credential.
 *
 * Settings: OTKLIK_CHANNELS_SECRETS_DIR (the accounts' secret files),
 * OTKLIK_MONITORING_SECRET_FILE (the monitoring webhook's HMAC key).
 */
#include "channels.h"
#include "ok_config.h"
#include "ok_log.h"
#include "ok_server.h"

channels_settings channels_config;

static int channels_init(void)
{
    channels_config.secrets_dir = ok_config_string("OTKLIK_CHANNELS_SECRETS_DIR", NULL);
    const char *key = ok_config_string("OTKLIK_MONITORING_SECRET_FILE", NULL);
    if (key != NULL && ok_config_read_secret(key, channels_config.monitoring_key,
                                             sizeof(channels_config.monitoring_key), NULL) != 0) {
        ok_log(OK_LOG_ERROR, "bad configuration", "OTKLIK_MONITORING_SECRET_FILE is unreadable");
        return -1;
    }
    return 0;
}

static const ok_route channels_routes[] = {
    {"GET", "/healthz", ok_server_healthz},
    {"POST", "/hooks/vk/{account_id}", hooks_vk},
    {"POST", "/hooks/telegram/{account_id}", hooks_telegram},
    {"POST", "/hooks/monitoring", hooks_monitoring},
    {"GET", "/api/v1/incidents", incidents_list},
    {"POST", "/api/v1/incidents/{id}/accept", incidents_accept},
    {"POST", "/api/v1/incidents/{id}/dismiss", incidents_dismiss},
    {"GET", "/api/v1/orgs/{code}/accounts", accounts_list},
    {"POST", "/api/v1/orgs/{code}/accounts", accounts_create},
    {"GET", "/api/v1/accounts/{id}/posts", posts_list},
    {"POST", "/api/v1/accounts/{id}/posts", posts_create},
    {"POST", "/api/v1/posts/{id}/approve", posts_approve},
    {"POST", "/api/v1/intake/messages", intake_create},
    /* the link in citizens' e-mails (tools/notifier/email.c): no login */
    {"GET", "/api/v1/intake/unsubscribe", intake_unsubscribe_page_show},
    {"POST", "/api/v1/intake/unsubscribe", intake_unsubscribe},
};

int main(void)
{
    ok_module module = {
        .name = "channels",
        .routes = channels_routes,
        .route_count = sizeof(channels_routes) / sizeof(channels_routes[0]),
        .statements = channels_statements,
        .statement_count = channels_statement_count,
        .init = channels_init,
    };
    return ok_server_main(&module);
}
