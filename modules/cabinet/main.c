/*
 * main.c - the cabinet worker: its routes and its SQL.
 */
#include "cabinet.h"
#include "ok_server.h"
#include "workflow.h"

static const ok_route cabinet_routes[] = {
    {"GET", "/healthz", ok_server_healthz},
    {"GET", "/api/v1/orgs/{code}/staff", staff_list},
    {"POST", "/api/v1/orgs/{code}/staff", staff_grant},
    {"DELETE", "/api/v1/orgs/{code}/staff", staff_revoke},
    {"GET", "/api/v1/orgs/{code}/widgets", org_widgets_list},
    {"GET", "/api/v1/users", users_search},
    {"GET", "/api/v1/my/messages", my_messages, OK_ROUTE_WIDGET},
    {"GET", "/api/v1/my/notifications", my_notifications},
    {"POST", "/api/v1/my/notifications/{id}/read", my_notifications_read},
    {"POST", "/api/v1/my/notifications/read-all", my_notifications_read_all},
    {"GET", "/api/v1/staff/messages", staff_messages},
    {"GET", "/api/v1/staff/counts", counts_staff},
    {"GET", "/api/v1/staff/notifications", staff_notifications},
    {"POST", "/api/v1/staff/notifications/{id}/read", staff_notifications_read},
    {"POST", "/api/v1/staff/notifications/read-all", staff_notifications_read_all},
    {"GET", "/api/v1/messages/{id}", workflow_show, OK_ROUTE_WIDGET},
    {"GET", "/api/v1/attachments/{id}", attachments_show},
    {"GET", "/api/v1/attachments/{id}/thumbnail", attachments_thumbnail},
    {"POST", "/api/v1/messages/{id}/moderate", messages_moderate},
    {"POST", "/api/v1/messages/{id}/assign", messages_assign},
    {"POST", "/api/v1/messages/{id}/answer", messages_answer},
    {"POST", "/api/v1/messages/{id}/redirect", messages_redirect},
    {"POST", "/api/v1/messages/{id}/approve", messages_approve},
    {"POST", "/api/v1/messages/{id}/rework", messages_rework, OK_ROUTE_WIDGET},
    {"POST", "/api/v1/messages/{id}/rating", messages_rate, OK_ROUTE_WIDGET},
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
