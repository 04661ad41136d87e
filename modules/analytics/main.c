/*
 * main.c - the analytics worker: its routes and its SQL.
 */
#include "analytics.h"
#include "ok_config.h"
#include "ok_server.h"

/* Its statements may run longer than the other workers' 10 s (a year's
 * figures of a region, an export of a million rows), but end before nginx's
 * fastcgi_read_timeout (30 s) gives up waiting. */
static int analytics_init(void)
{
    return ok_config_long("OTKLIK_ANALYTICS_STATEMENT_TIMEOUT_MS", 25000, 1000, 3600000,
                          &ok_config_global.statement_timeout_ms);
}

static const ok_route analytics_routes[] = {
    {"GET", "/healthz", ok_server_healthz},
    {"GET", "/api/v1/analytics/summary", analytics_summary},
    {"GET", "/api/v1/analytics/series", analytics_series},
    {"GET", "/api/v1/analytics/orgs", analytics_orgs},
    {"GET", "/api/v1/analytics/heatmap", analytics_heatmap},
    {"GET", "/api/v1/public/heatmap", public_heatmap},
    {"GET", "/api/v1/public/map", public_map},
    {"GET", "/api/v1/analytics/boundaries", analytics_boundaries},
    {"GET", "/api/v1/staff/messages.csv", export_messages_csv},
    {"GET", "/api/v1/analytics/report.xlsx", analytics_report_xlsx},
    {"GET", "/api/v1/rating", rating_list},
    {"GET", "/api/v1/rating/{territory}", rating_territory},
};

int main(void)
{
    ok_module module = {
        .name = "analytics",
        .routes = analytics_routes,
        .route_count = sizeof(analytics_routes) / sizeof(analytics_routes[0]),
        .statements = analytics_statements,
        .statement_count = analytics_statement_count,
        .init = analytics_init,
    };
    return ok_server_main(&module);
}
