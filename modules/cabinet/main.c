/*
 * main.c - the cabinet worker: its routes and its SQL.
 */
#include "cabinet.h"
#include "ok_server.h"

static const ok_route cabinet_routes[] = {
    {"GET", "/healthz", ok_server_healthz},
    {"GET", "/api/v1/orgs/{code}/staff", staff_list},
    {"POST", "/api/v1/orgs/{code}/staff", staff_grant},
    {"DELETE", "/api/v1/orgs/{code}/staff", staff_revoke},
};

int main(void)
{
    ok_module module = {
        .name = "cabinet",
        .routes = cabinet_routes,
        .route_count = sizeof(cabinet_routes) / sizeof(cabinet_routes[0]),
        .statements = cabinet_statements,
        .statement_count = cabinet_statement_count,
    };
    return ok_server_main(&module);
}
