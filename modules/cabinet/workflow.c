/*
 * workflow.c - the state machine table of the SPEC ("Messages") and the one
 * runner every transition uses; see workflow.h.
 */
#include "workflow.h"
#include "ok_auth.h"
#include "ok_authz.h"
#include "ok_problem.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

const workflow_action workflow_actions[] = {
    [WORKFLOW_ACCEPT] = {"accept", "message.moderate", {"moderation"}, "registered"},
    [WORKFLOW_REJECT] = {"reject", "message.moderate", {"moderation"}, "rejected"},
    [WORKFLOW_ASSIGN] = {"assign",
                         "message.assign",
                         {"registered", "in_progress", "returned"},
                         "in_progress",
                         .staff = "assigned",
                         .comment_internal = 1},
    [WORKFLOW_ANSWER] = {"answer",
                         "message.answer",
                         {"in_progress", "returned"},
                         "approval",
                         .internal = 1,
                         .staff = "approval"},
    [WORKFLOW_REDIRECT] = {"redirect",
                           "message.redirect",
                           {"registered", "in_progress", "returned"},
                           "redirect_approval",
                           .internal = 1,
                           .staff = "approval"},
    /* approval -> answered, or back to in_progress; redirect_approval ->
     * registered in the new organisation, or back to the status before */
    /* a manager's comment is for the staff, also when approving */
    [WORKFLOW_APPROVE] = {"approve",
                          "message.approve",
                          {"approval", "redirect_approval"},
                          NULL,
                          .comment_internal = 1},
    [WORKFLOW_REWORK] = {"rework", NULL, {"answered"}, "returned", .staff = "returned"},
    [WORKFLOW_RATE] = {"rate", NULL, {"answered", "closed"}, "closed"},
};

/* The first of the caller's roles in organisation that the permission allows. */
static const char *workflow_role(const ok_user *user, const char *permission,
                                 long long organisation)
{
    for (size_t i = 0; i < user->role_count; i++) {
        ok_user one = {.roles = &user->roles[i], .role_count = 1};
        if (ok_authz_can(&one, permission, organisation))
            return user->roles[i].role;
    }
    return NULL;
}

typedef struct workflow_access {
    int visible;
    int staff;
    const char *role; /* allowed role for the permission, NULL if none */
} workflow_access;

/* What the caller may do with a message: see it (its author, the staff of its
 * organisation, the moderation organisations covering its territory), and act:
 * moderation through a covering organisation, everything else through the
 * message's own organisation. */
static workflow_access workflow_access_of(ok_request *req, const workflow_message *m,
                                          const char *covering_json, const char *permission)
{
    const ok_user *user = req->user;
    workflow_access access = {0};
    access.visible = m->author_id == user->id;
    if (m->organisation_id != 0 && ok_authz_can(user, "message.read", m->organisation_id))
        access.visible = access.staff = 1;
    int moderation = permission != NULL && strcmp(permission, "message.moderate") == 0;
    json_t *covering = json_loads(covering_json, 0, NULL);
    size_t i;
    json_t *item;
    json_array_foreach(covering, i, item)
    {
        long long organisation = json_integer_value(item);
        if (ok_authz_can(user, "message.read", organisation))
            access.visible = access.staff = 1;
        if (moderation && access.role == NULL)
            access.role = workflow_role(user, permission, organisation);
    }
    json_decref(covering);
    if (permission != NULL && !moderation && m->organisation_id != 0)
        access.role = workflow_role(user, permission, m->organisation_id);
    return access;
}

static int workflow_status_allowed(const workflow_action *action, const char *status)
{
    for (int i = 0; i < WORKFLOW_MAX_FROM && action->from[i] != NULL; i++)
        if (strcmp(action->from[i], status) == 0)
            return 1;
    return 0;
}

const char *workflow_message_json(ok_request *req, long long id, int staff)
{
    const char *params[] = {ok_arena_printf(req->arena, "%lld", id), staff ? "true" : "false"};
    PGresult *result = ok_db_exec(req, "messages_show", 2, params);
    return result != NULL && PQntuples(result) == 1 ? PQgetvalue(result, 0, 0) : NULL;
}

typedef struct workflow_run_context {
    workflow_action_id action;
    workflow_apply_fn *apply;
    void *input;
    const char *reply;
} workflow_run_context;

static long long workflow_id(const char *text)
{
    return text != NULL ? strtoll(text, NULL, 10) : 0;
}

/* Reads (and locks, for a transition) message id and what the caller may do
 * with it: 1; 0 when there is none or the caller may not see it; -1 when the
 * statement failed. */
static int workflow_read(ok_request *req, const char *statement, long long id,
                         const char *permission, workflow_message *m, workflow_access *access)
{
    const char *id_text = ok_arena_printf(req->arena, "%lld", id);
    PGresult *row = ok_db_exec(req, statement, 1, &id_text);
    if (row == NULL)
        return -1;
    if (PQntuples(row) == 0)
        return 0;
    *m = (workflow_message){
        .id = id,
        .status = ok_arena_strdup(req->arena, PQgetvalue(row, 0, 0)),
        .organisation_id = workflow_id(ok_db_value(row, 0, 1)),
        .author_id = workflow_id(ok_db_value(row, 0, 2)),
        .assignee_id = workflow_id(ok_db_value(row, 0, 3)),
        .rubric_id = workflow_id(ok_db_value(row, 0, 4)),
        .proposer_id = workflow_id(ok_db_value(row, 0, 7)),
    };
    *access = workflow_access_of(req, m, PQgetvalue(row, 0, 5), permission);
    return access->visible ? 1 : 0;
}

/* workflow_read of the path's message; -1 after answering (404 if the caller
 * may not see it). */
static int workflow_load(ok_request *req, const char *statement, const char *permission,
                         workflow_message *m, workflow_access *access)
{
    int found = workflow_read(req, statement, req->path_ids[0], permission, m, access);
    if (found == 0)
        ok_problem(req, 404, "There is no such message among yours.");
    return found == 1 ? 0 : -1;
}

workflow_visibility workflow_visible(ok_request *req, long long id)
{
    workflow_message m;
    workflow_access access;
    int found = workflow_read(req, "messages_access", id, NULL, &m, &access);
    if (found <= 0)
        return found < 0 ? WORKFLOW_VISIBLE_FAILED : WORKFLOW_VISIBLE_NOT;
    return access.staff ? WORKFLOW_VISIBLE_STAFF : WORKFLOW_VISIBLE_AUTHOR;
}

static int workflow_show_tx(ok_request *req, void *context)
{
    const char **reply = context;
    workflow_message m;
    workflow_access access;
    if (workflow_load(req, "messages_access", NULL, &m, &access) != 0)
        return OK_DB_ROLLBACK;
    *reply = workflow_message_json(req, m.id, access.staff);
    return *reply != NULL ? OK_DB_COMMIT : OK_DB_ROLLBACK;
}

void workflow_show(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    const char *reply = NULL;
    if (ok_db_transaction(req, workflow_show_tx, &reply) != 0)
        return;
    ok_http_respond(req, 200, "application/json; charset=utf-8", reply, strlen(reply));
    ok_http_header(req, "Cache-Control", "no-store");
}

static int workflow_tx(ok_request *req, void *context)
{
    workflow_run_context *run = context;
    const workflow_action *action = &workflow_actions[run->action];
    const char *id_text = ok_arena_printf(req->arena, "%lld", req->path_ids[0]);
    workflow_message m;
    workflow_access access;
    if (workflow_load(req, "messages_lock", action->permission, &m, &access) != 0)
        return OK_DB_ROLLBACK;
    if (action->permission == NULL ? m.author_id != req->user->id : access.role == NULL) {
        ok_problem(req, 403, "Your role does not allow this action on this message.");
        return OK_DB_ROLLBACK;
    }
    m.role = action->permission == NULL ? "citizen" : access.role;
    if (!workflow_status_allowed(action, m.status)) {
        ok_problemf(req, 409, "The message is %s; it cannot be sent to %s now.", m.status,
                    action->name);
        return OK_DB_ROLLBACK;
    }
    workflow_step step = {.to = action->to, .internal = action->internal, .staff = action->staff};
    if (run->apply(req, &m, run->input, &step) != OK_DB_COMMIT)
        return OK_DB_ROLLBACK;
    const char *event[] = {id_text,
                           ok_arena_printf(req->arena, "%lld", req->user->id),
                           m.role,
                           m.status,
                           step.to,
                           step.comment,
                           step.internal ? "true" : "false",
                           step.internal ? NULL : step.title,
                           action->comment_internal ? "true" : "false",
                           step.staff};
    if (ok_db_exec(req, "events_add", 10, event) == NULL)
        return OK_DB_ROLLBACK;
    run->reply = workflow_message_json(req, m.id, access.staff);
    return run->reply != NULL ? OK_DB_COMMIT : OK_DB_ROLLBACK;
}

void workflow_run(ok_request *req, workflow_action_id action, workflow_apply_fn *apply, void *input)
{
    workflow_run_context run = {.action = action, .apply = apply, .input = input};
    if (ok_db_transaction(req, workflow_tx, &run) != 0)
        return;
    ok_http_respond(req, 200, "application/json; charset=utf-8", run.reply, strlen(run.reply));
}
