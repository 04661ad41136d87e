/*
 * main.c - the Open311 GeoReport v2 worker: its routes and its SQL. Each
 * resource answers JSON or XML by its suffix; a {file} is "<name>.json" or
 * "<name>.xml" (services/{file}: a service code, requests/{file}: an id,
 * tokens/{file}: a token).
 */
#include "ok_server.h"
#include "open311.h"

static const ok_route open311_routes[] = {
    {"GET", "/healthz", ok_server_healthz},
    {"GET", "/open311/v2/discovery.json", services_discovery},
    {"GET", "/open311/v2/discovery.xml", services_discovery},
    {"GET", "/open311/v2/services.json", services_list},
    {"GET", "/open311/v2/services.xml", services_list},
    {"GET", "/open311/v2/services/{file}", services_show},
    {"GET", "/open311/v2/requests.json", requests_list},
    {"GET", "/open311/v2/requests.xml", requests_list},
    {"POST", "/open311/v2/requests.json", requests_create},
    {"POST", "/open311/v2/requests.xml", requests_create},
    {"GET", "/open311/v2/requests/{file}", requests_show},
    {"GET", "/open311/v2/tokens/{file}", tokens_show},
};

int main(void)
{
    ok_module module = {
        .name = "open311",
        .routes = open311_routes,
        .route_count = sizeof(open311_routes) / sizeof(open311_routes[0]),
        .statements = open311_statements,
        .statement_count = open311_statement_count,
    };
    return ok_server_main(&module);
}
