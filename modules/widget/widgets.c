/*
 * widgets.c - GET /api/v1/widgets/{key}: what an embedded widget shows: its
 * organisation, the rubrics it offers, its texts and the intake limits; and
 * the form page the widget frames. Its admin's changes: widgets_admin.c.
 */
#include "ok_auth.h"
#include "ok_org.h"
#include "ok_config.h"
#include "ok_problem.h"
#include "widget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char **widgets_show_params(ok_request *req, const char *key)
{
    const char **params = ok_arena_alloc(req->arena, 4 * sizeof(*params));
    params[0] = ok_arena_printf(req->arena, "%d", WIDGET_TEXT_MAX);
    params[1] = ok_arena_printf(req->arena, "%d", WIDGET_ADDRESS_MAX);
    params[2] = ok_arena_printf(req->arena, "%zu", ok_config_global.max_attachment_bytes);
    params[3] = key;
    return params;
}

/* The same answer for everyone, but to the owning organisation's admin (or an
 * operator of its territory, ok_org_can), who gets the settings too
 * (widgets_admin_reply). */
void widgets_show(ok_request *req)
{
    if (ok_auth_optional_user(req) != 0)
        return;
    PGresult *result =
        ok_db_query(req, "widgets_show", 4, widgets_show_params(req, req->path_strings[0]));
    if (result == NULL) {
        ok_db_reply_failure(req);
        return;
    }
    if (PQntuples(result) == 0) {
        ok_problem(req, 404, "There is no widget with this key.");
        return;
    }
    /* its organisation's admin, or an operator of its territory, sees the settings */
    int admin = ok_org_can(req, strtoll(PQgetvalue(result, 0, 1), NULL, 10), "widget.manage");
    if (admin < 0) {
        ok_db_reply_failure(req);
        return;
    }
    if (admin) {
        widgets_admin_reply(req, 200, result);
        return;
    }
    const char *body = PQgetvalue(result, 0, 0);
    ok_http_respond(req, 200, "application/json; charset=utf-8", body, strlen(body));
    ok_http_header(req, "Cache-Control", "public, max-age=60");
}

/* The form page (widget-js/dist/frame.html), read once at start. */
static char *widgets_frame_page;
static size_t widgets_frame_length;

int widgets_frame_load(void)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/frame.html", ok_config_text("OTKLIK_WIDGET_DIR"));
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return 0; /* served as 503 until the widget is built */
    static char page[64 * 1024];
    widgets_frame_length = fread(page, 1, sizeof(page) - 1, f);
    fclose(f);
    page[widgets_frame_length] = '\0';
    widgets_frame_page = page;
    return 0;
}

/* Whether a stored origin is safe to put in a header as it is. */
static int widgets_origins_clean(const char *origins)
{
    for (const char *p = origins; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr(".:/- ", *p) != NULL))
            return 0;
    return 1;
}

/* GET /widget/frame/{key}: the form that the loader puts in an iframe, framable
 * only by the pages the widget allows. */
void widgets_frame(ok_request *req)
{
    if (widgets_frame_page == NULL) {
        ok_problem(req, 503, "The widget is not built on this server.");
        return;
    }
    const char *key = req->path_strings[0];
    PGresult *result = ok_db_query(req, "widgets_origins", 1, &key);
    if (result == NULL) {
        ok_db_reply_failure(req);
        return;
    }
    if (PQntuples(result) == 0 || !widgets_origins_clean(PQgetvalue(result, 0, 0))) {
        ok_problem(req, 404, "There is no widget with this key.");
        return;
    }
    const char *ancestors = PQgetvalue(result, 0, 0);
    ok_http_respond(req, 200, "text/html; charset=utf-8", widgets_frame_page, widgets_frame_length);
    ok_http_header(req, "Content-Security-Policy",
                   ok_arena_printf(req->arena,
                                   "default-src 'none'; script-src 'self'; style-src 'self'; "
                                   "img-src 'self' blob: data:; connect-src 'self'; "
                                   "form-action 'none'; base-uri 'none'; frame-ancestors %s",
                                   ancestors[0] != '\0' ? ancestors : "'none'"));
    ok_http_header(req, "Cache-Control", "no-cache");
    ok_http_header(req, "Referrer-Policy", "no-referrer");
}
