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

extern const ok_db_statement widget_statements[];
extern const size_t widget_statement_count;

void rubrics_list(ok_request *req);
void widgets_show(ok_request *req);
void widgets_frame(ok_request *req);
int widgets_frame_load(void);
void attachments_create(ok_request *req);
void messages_create(ok_request *req);

#endif
