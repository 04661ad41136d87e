/*
 * cabinet.h - the cabinet worker: the citizen's messages and notifications, the
 * staff workflow, organisations' staff.
 */
#ifndef CABINET_H
#define CABINET_H

#include "ok_db.h"
#include "ok_http.h"

#include <stddef.h>

extern const ok_db_statement cabinet_statements[];
extern const size_t cabinet_statement_count;

void staff_list(ok_request *req);

/* The staff list's search filters (filters.c): query text, NULL when unset. */
typedef struct staff_filters {
    const char *q;               /* full-text, 1..200 characters */
    const char *rubric;          /* a rubric id: it and its descendants */
    const char *territory;       /* a territory code: it and what lies below */
    const char *rubric_ids;      /* once looked up: {id,...} of the rubric's tree */
    const char *territory_ids;   /* and of the territory's */
    const char *due_within_days; /* open, not overdue, due within 1..365 days */
    const char *from, *to;       /* created_at >= from, < to (timestamptz) */
    const char *assignee;        /* a user id: assigned to that person */
    int present;                 /* any of them set */
} staff_filters;

/* Reads the filters from the query; -1 after answering 422 for every bad one. */
int filters_read_or_reply(ok_request *req, staff_filters *filters);
/* Whether a rubric or a territory is to be looked up. */
int filters_need_lookup(const staff_filters *filters);
/* Looks them up (sets rubric_ids, territory_ids); -1 after answering 422 for an unknown
 * one, or 503/500. */
int filters_lookup_or_reply(ok_request *req, staff_filters *filters);

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
