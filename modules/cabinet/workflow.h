/*
 * workflow.h - the message state machine: which action, by whom, from which
 * statuses, to which. Every transition endpoint goes through workflow_run,
 * which locks the message row, so of two conflicting actions at once one
 * succeeds and the other finds the new status (409).
 */
#ifndef WORKFLOW_H
#define WORKFLOW_H

#include "ok_db.h"
#include "ok_http.h"

#define WORKFLOW_MAX_FROM 3

typedef enum {
    WORKFLOW_ACCEPT,
    WORKFLOW_REJECT,
    WORKFLOW_ASSIGN,
    WORKFLOW_ANSWER,
    WORKFLOW_REDIRECT,
    WORKFLOW_APPROVE, /* an answer or a redirect, approved or sent back */
    WORKFLOW_REWORK,
    WORKFLOW_RATE
} workflow_action_id;

typedef struct workflow_action {
    const char *name;
    const char *permission; /* ok_authz action; NULL: only the message's author */
    const char *from[WORKFLOW_MAX_FROM];
    const char *to; /* NULL: decided by the action from the message */
    int internal;   /* staff-only event, no notification (the default) */
    /* what the staff are told (staff_notifications.kind; NULL: nothing, the
     * default): "approval" goes to the managers of the message's
     * organisation, any other kind to its assignee; never to the actor */
    const char *staff;
    int comment_internal; /* the citizen sees the event but not its comment */
} workflow_action;

extern const workflow_action workflow_actions[];

/* The locked message, as the runner read it. */
typedef struct workflow_message {
    long long id;
    const char *status;
    long long organisation_id; /* 0 before acceptance */
    long long author_id;
    long long assignee_id; /* 0 if none */
    long long rubric_id;
    long long proposer_id; /* who brought it to its status (0: the scheduler) */
    const char *role;      /* the caller's role that allows the action */
} workflow_message;

/* The action's own work inside the transaction, after every generic check:
 * validate what depends on the data (answer 422), update the row, and say the
 * new status, the event's comment, the citizen's notification title (NULL:
 * none) and the staff's notification kind (the action's by default). Returns
 * OK_DB_COMMIT or OK_DB_ROLLBACK (after answering). */
typedef struct workflow_step {
    const char *to;
    const char *comment;
    const char *title;
    int internal;
    const char *staff;
} workflow_step;
typedef int workflow_apply_fn(ok_request *req, const workflow_message *message, void *input,
                              workflow_step *step);

/* Runs action on the path's message: 404 if the caller may not see it, 403
 * without the right, 409 from a wrong status; then apply; then the audit event
 * and notification; answers 200 with the message. */
void workflow_run(ok_request *req, workflow_action_id action, workflow_apply_fn *apply,
                  void *input);

/* GET /api/v1/messages/{id}: the message and its history as the caller may
 * see it (staff: internal comments too), 404 to anyone else. */
void workflow_show(ok_request *req);

/* Whether the caller may see message id (GET /api/v1/messages/{id}'s rule),
 * inside a transaction; _FAILED when the statement failed (the transaction
 * answers). */
typedef enum {
    WORKFLOW_VISIBLE_FAILED = -1,
    WORKFLOW_VISIBLE_NOT,    /* no such message, or not the caller's to see */
    WORKFLOW_VISIBLE_AUTHOR, /* its author, as a citizen */
    WORKFLOW_VISIBLE_STAFF   /* staff who may read it (internal parts too) */
} workflow_visibility;
workflow_visibility workflow_visible(ok_request *req, long long id);

/* The message as the caller may see it (JSON text), inside a transaction. */
const char *workflow_message_json(ok_request *req, long long id, int staff);

#endif
