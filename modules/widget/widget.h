/*
 * widget.h - the widget intake worker: rubricator, widget configuration,
 * attachments and messages coming in.
 */
#ifndef WIDGET_H
#define WIDGET_H

#include "ok_db.h"
#include "ok_http.h"

#include <stddef.h>

/* Text limits of a message, in characters (published in the widget's config). */
#define WIDGET_TEXT_MAX 5000
#define WIDGET_ADDRESS_MAX 500

/* An allowed origin's length, and how many one widget may have. */
#define WIDGET_ORIGIN_MAX 255
#define WIDGET_ORIGINS_MAX 20

extern const ok_db_statement widget_statements[];
extern const size_t widget_statement_count;

void rubrics_list(ok_request *req);
void widgets_show(ok_request *req);
void widgets_admin_create(ok_request *req);
void widgets_admin_update(ok_request *req);
/* Answers status with the organisation admin's view of a widget: view is a
 * row of the statement widgets_show (widgets_admin.c). */
void widgets_admin_reply(ok_request *req, int status, const PGresult *view);
/* The parameters of the statement widgets_show for widget key (4, arena memory). */
const char **widgets_show_params(ok_request *req, const char *key);
/* Why origin cannot be an allowed origin (an errors[] code: too_long, scheme,
 * path, userinfo, host, port), or NULL when it can (origins.c). */
const char *origins_problem(const char *origin);
void widgets_frame(ok_request *req);
int widgets_frame_load(void);
void attachments_create(ok_request *req);
void messages_create(ok_request *req);

#endif
