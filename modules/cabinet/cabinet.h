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

/* The organisation named by the path's {code} if the caller may see it (any
 * staff role there); otherwise answers 404 and returns -1. */
long long cabinet_organisation_or_reply(ok_request *req, const char *code);

/* ?limit= (1..max, default fallback) and ?cursor= (a positive id, 0 when absent);
 * -1 after answering 400. */
int cabinet_page_or_reply(ok_request *req, long fallback, long max, long *limit, long long *cursor);

void staff_list(ok_request *req);

/* lists.c */
void my_messages(ok_request *req);
void my_notifications(ok_request *req);
void staff_messages(ok_request *req);

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
