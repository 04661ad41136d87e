/*
 * main.c - the widget intake worker: its routes and its SQL, handed to the
 * shared FastCGI server loop.
 */
#include "ok_server.h"
#include "widget.h"

static const ok_route widget_routes[] = {
    {"GET", "/healthz", ok_server_healthz},
    {"GET", "/api/v1/rubrics", rubrics_list},
    {"GET", "/api/v1/widgets/{key}", widgets_show},
    {"PATCH", "/api/v1/widgets/{key}", widgets_admin_update},
    {"POST", "/api/v1/widgets", widgets_admin_create},
    {"POST", "/api/v1/attachments", attachments_create, OK_ROUTE_WIDGET},
    {"POST", "/api/v1/messages", messages_create, OK_ROUTE_WIDGET},
    {"GET", "/widget/frame/{key}", widgets_frame},
};

int main(void)
{
    static const ok_module widget = {
        .name = "widget",
        .routes = widget_routes,
        .route_count = sizeof(widget_routes) / sizeof(widget_routes[0]),
        .statements = widget_statements,
        .statement_count = 0,
        .init = widgets_frame_load,
    };
    ok_module module = widget;
    module.statement_count = widget_statement_count;
    return ok_server_main(&module);
}
