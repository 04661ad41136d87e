/*
 * cabinet.h - the cabinet worker: the citizen's messages and notifications, the
 * staff workflow, organisations' staff.
 */
#ifndef CABINET_H
#define CABINET_H

#include "ok_db.h"
#include "ok_filters.h"
#include "ok_http.h"

#include <stddef.h>

extern const ok_db_statement cabinet_statements[];
extern const size_t cabinet_statement_count;

void staff_list(ok_request *req);

/* attachments.c */
void attachments_show(ok_request *req);
void attachments_thumbnail(ok_request *req);

/* lists.c */
void my_messages(ok_request *req);
void staff_messages(ok_request *req);

/* notifications.c */
void my_notifications(ok_request *req);
void my_notifications_read(ok_request *req);
void my_notifications_read_all(ok_request *req);
void staff_notifications(ok_request *req);
void staff_notifications_read(ok_request *req);
void staff_notifications_read_all(ok_request *req);

/* counts.c */
void counts_staff(ok_request *req);

/* users.c */
void users_search(ok_request *req);

/* widgets.c: GET /api/v1/orgs/{code}/widgets, for the organisation's admin. */
void org_widgets_list(ok_request *req);

/* transitions.c */
void messages_moderate(ok_request *req);
void messages_assign(ok_request *req);
void messages_answer(ok_request *req);
void messages_redirect(ok_request *req);
void messages_approve(ok_request *req);
void messages_rework(ok_request *req);
void messages_rate(ok_request *req);
void staff_grant(ok_request *req);
void staff_revoke(ok_request *req);

#endif
