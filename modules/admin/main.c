/*
 * main.c - the setting-up worker: its routes and its SQL.
 */
#include "admin.h"
#include "ok_server.h"

static const ok_route admin_routes[] = {
    {"GET", "/healthz", ok_server_healthz},
    {"GET", "/api/v1/territories", territories_list},
    {"POST", "/api/v1/territories", territories_create},
    {"GET", "/api/v1/territories/{code}", territories_show},
    {"PATCH", "/api/v1/territories/{code}", territories_update},
    {"GET", "/api/v1/orgs", orgs_list},
    {"POST", "/api/v1/orgs", orgs_create},
    {"POST", "/api/v1/orgs/import", orgs_import},
    {"GET", "/api/v1/orgs/{code}", orgs_show},
    {"PATCH", "/api/v1/orgs/{code}", orgs_update},
    {"GET", "/api/v1/rubrics", rubrics_tree},
    {"POST", "/api/v1/rubrics", rubrics_create},
    {"PATCH", "/api/v1/rubrics/{id}", rubrics_update},
    {"GET", "/api/v1/routing-rules", routing_list},
    {"POST", "/api/v1/routing-rules", routing_create},
    {"PATCH", "/api/v1/routing-rules/{id}", routing_update},
    {"DELETE", "/api/v1/routing-rules/{id}", routing_delete},
    {"GET", "/api/v1/admin/events", events_list},
    {"POST", "/api/v1/admin/staff/import", staff_import},
};

int main(void)
{
    ok_module module = {
        .name = "admin",
        .routes = admin_routes,
        .route_count = sizeof(admin_routes) / sizeof(admin_routes[0]),
        .statements = admin_statements,
        .statement_count = admin_statement_count,
    };
    return ok_server_main(&module);
}
