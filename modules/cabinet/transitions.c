/*
 * transitions.c - the endpoints that move a message through its lifecycle:
 * moderate, assign, answer, redirect, approve, rework, rating. Each parses its
 * body, then hands workflow_run the part that depends on the message.
 */
#include "cabinet.h"
#include "ok_auth.h"
#include "ok_json.h"
#include "ok_problem.h"
#include "workflow.h"

#include <stdlib.h>
#include <string.h>

#define COMMENT_MAX 2000
#define ANSWER_MAX 10000

static const char *transition_id(ok_request *req, long long id)
{
    return ok_arena_printf(req->arena, "%lld", id);
}

/* Runs an UPDATE of the transition; OK_DB_ROLLBACK if it failed. */
static int transition_update(ok_request *req, const char *statement, int count,
                             const char *const *params, PGresult **result)
{
    PGresult *r = ok_db_exec(req, statement, count, params);
    if (result != NULL)
        *result = r;
    return r != NULL ? OK_DB_COMMIT : OK_DB_ROLLBACK;
}

/* An active organisation by code inside the transaction; 0 after answering
 * 422 (unknown or deactivated). */
static long long transition_organisation(ok_request *req, const char *code, const char **name)
{
    PGresult *result = ok_db_exec(req, "organisations_named", 1, &code);
    if (result == NULL)
        return 0;
    if (PQntuples(result) == 0) {
        ok_problem_field(req, "org", "unknown", "There is no organisation with this code.");
        return 0;
    }
    if (name != NULL)
        *name = ok_arena_strdup(req->arena, PQgetvalue(result, 0, 1));
    return strtoll(PQgetvalue(result, 0, 0), NULL, 10);
}

/* ---------------------------------------------------------------- moderate */

static const ok_json_field moderate_fields[] = {
    {"decision", OK_JSON_STRING, .required = true, .min = 1, .max = 16},
    {"org", OK_JSON_STRING, .min = 1, .max = 64},
    {"rubric_id", OK_JSON_INTEGER, .min = 1, .max = 1e15},
    {"reason_code", OK_JSON_INTEGER, .min = 1, .max = 10},
    {"comment", OK_JSON_STRING, .min = 1, .max = COMMENT_MAX},
    {0},
};

typedef struct moderate_input {
    const char *org, *rubric_id, *reason_code, *comment;
} moderate_input;

static int moderate_accept(ok_request *req, const workflow_message *m, void *input,
                           workflow_step *step)
{
    moderate_input *in = input;
    long long organisation = transition_organisation(req, in->org, NULL);
    if (organisation == 0)
        return OK_DB_ROLLBACK;
    if (in->rubric_id != NULL) {
        PGresult *rubric = ok_db_exec(req, "rubrics_active", 1, &in->rubric_id);
        if (rubric == NULL)
            return OK_DB_ROLLBACK;
        if (PQntuples(rubric) == 0) {
            ok_problem_field(req, "rubric_id", "unknown", "There is no such rubric.");
            return OK_DB_ROLLBACK;
        }
    }
    const char *params[] = {transition_id(req, m->id), transition_id(req, organisation),
                            in->rubric_id};
    step->comment = in->comment;
    step->title = ok_arena_printf(req->arena,
                                  "Сообщение № %lld зарегистрировано и передано "
                                  "на рассмотрение",
                                  m->id);
    return transition_update(req, "messages_accept", 3, params, NULL);
}

static int moderate_reject(ok_request *req, const workflow_message *m, void *input,
                           workflow_step *step)
{
    moderate_input *in = input;
    const char *params[] = {transition_id(req, m->id), in->reason_code};
    PGresult *result;
    if (transition_update(req, "messages_reject", 2, params, &result) != OK_DB_COMMIT)
        return OK_DB_ROLLBACK;
    step->comment = in->comment;
    step->title = ok_arena_printf(req->arena, "Сообщение № %lld отклонено модератором: %s", m->id,
                                  PQgetvalue(result, 0, 0));
    return OK_DB_COMMIT;
}

void messages_moderate(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    json_t *body = ok_json_read_object_or_reply(req, moderate_fields);
    if (body == NULL)
        return;
    const char *decision = json_string_value(json_object_get(body, "decision"));
    moderate_input in = {
        .org = json_string_value(json_object_get(body, "org")),
        .comment = json_string_value(json_object_get(body, "comment")),
    };
    json_t *rubric = json_object_get(body, "rubric_id"),
           *reason = json_object_get(body, "reason_code");
    if (json_is_integer(rubric))
        in.rubric_id = ok_arena_printf(req->arena, "%lld", (long long)json_integer_value(rubric));
    if (json_is_integer(reason))
        in.reason_code = ok_arena_printf(req->arena, "%lld", (long long)json_integer_value(reason));
    if (strcmp(decision, "accept") == 0) {
        if (in.org == NULL) {
            ok_problem_field(req, "org", "required", "Choose the organisation to answer.");
            return;
        }
        workflow_run(req, WORKFLOW_ACCEPT, moderate_accept, &in);
    } else if (strcmp(decision, "reject") == 0) {
        json_t *errors = json_array();
        if (in.reason_code == NULL)
            json_array_append_new(
                errors, json_pack("{s:s, s:s}", "field", "reason_code", "code", "required"));
        if (in.comment == NULL)
            json_array_append_new(errors,
                                  json_pack("{s:s, s:s}", "field", "comment", "code", "required"));
        if (json_array_size(errors) > 0) {
            ok_problem_validation_new(req, errors);
            return;
        }
        json_decref(errors);
        workflow_run(req, WORKFLOW_REJECT, moderate_reject, &in);
    } else {
        ok_problem_field(req, "decision", "unknown", "decision must be accept or reject.");
    }
}

/* ------------------------------------------------------------------ assign */

static const ok_json_field assign_fields[] = {
    {"executor_id", OK_JSON_INTEGER, .required = true, .min = 1, .max = 1e15},
    {"comment", OK_JSON_STRING, .min = 1, .max = COMMENT_MAX},
    {0},
};

static int assign_apply(ok_request *req, const workflow_message *m, void *input,
                        workflow_step *step)
{
    json_t *body = input;
    const char *executor =
        transition_id(req, json_integer_value(json_object_get(body, "executor_id")));
    const char *check[] = {executor, transition_id(req, m->organisation_id), "executor"};
    PGresult *holds = ok_db_exec(req, "staff_holds", 3, check);
    if (holds == NULL)
        return OK_DB_ROLLBACK;
    if (PQntuples(holds) == 0) {
        ok_problem_field(req, "executor_id", "unknown",
                         "This person is not an executor of the message's organisation.");
        return OK_DB_ROLLBACK;
    }
    const char *params[] = {transition_id(req, m->id), executor};
    step->comment = json_string_value(json_object_get(body, "comment"));
    step->title = ok_arena_printf(req->arena, "Сообщение № %lld передано исполнителю", m->id);
    return transition_update(req, "messages_assign", 2, params, NULL);
}

void messages_assign(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    json_t *body = ok_json_read_object_or_reply(req, assign_fields);
    if (body != NULL)
        workflow_run(req, WORKFLOW_ASSIGN, assign_apply, body);
}

/* ------------------------------------------------------------------ answer */

static const ok_json_field answer_attachment = {"", OK_JSON_INTEGER, .min = 1, .max = 1e15};
static const ok_json_field answer_fields[] = {
    {"text", OK_JSON_STRING, .required = true, .min = 1, .max = ANSWER_MAX},
    {"attachment_ids", OK_JSON_ARRAY, .max = 10, .item = &answer_attachment},
    {0},
};

static int answer_apply(ok_request *req, const workflow_message *m, void *input,
                        workflow_step *step)
{
    json_t *body = input;
    if (m->assignee_id != req->user->id) {
        ok_problem(req, 403, "Only the executor the message is assigned to may answer it.");
        return OK_DB_ROLLBACK;
    }
    json_t *ids = json_object_get(body, "attachment_ids");
    size_t count = json_array_size(ids);
    const char *literal = json_is_array(ids) ? ok_json_integer_array(req->arena, ids) : "{}";
    const char *params[] = {transition_id(req, m->id),
                            json_string_value(json_object_get(body, "text")), literal,
                            transition_id(req, req->user->id)};
    PGresult *result;
    if (transition_update(req, "messages_answer", 4, params, &result) != OK_DB_COMMIT)
        return OK_DB_ROLLBACK;
    if (strtoull(PQgetvalue(result, 0, 0), NULL, 10) != count) {
        ok_problem_field(req, "attachment_ids", "unknown",
                         "An attachment does not exist, is not yours or is already used.");
        return OK_DB_ROLLBACK;
    }
    (void)step;
    return OK_DB_COMMIT;
}

void messages_answer(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    json_t *body = ok_json_read_object_or_reply(req, answer_fields);
    if (body != NULL)
        workflow_run(req, WORKFLOW_ANSWER, answer_apply, body);
}

/* ---------------------------------------------------------------- redirect */

static const ok_json_field redirect_fields[] = {
    {"org", OK_JSON_STRING, .required = true, .min = 1, .max = 64},
    {"comment", OK_JSON_STRING, .required = true, .min = 1, .max = COMMENT_MAX},
    {0},
};

static int redirect_apply(ok_request *req, const workflow_message *m, void *input,
                          workflow_step *step)
{
    json_t *body = input;
    if (strcmp(m->role, "executor") == 0 && m->assignee_id != req->user->id) {
        ok_problem(req, 403, "Only the executor the message is assigned to may propose this.");
        return OK_DB_ROLLBACK;
    }
    long long target =
        transition_organisation(req, json_string_value(json_object_get(body, "org")), NULL);
    if (target == 0)
        return OK_DB_ROLLBACK;
    if (target == m->organisation_id) {
        ok_problem_field(req, "org", "same", "The message is already in this organisation.");
        return OK_DB_ROLLBACK;
    }
    const char *params[] = {transition_id(req, m->id), transition_id(req, target)};
    step->comment = json_string_value(json_object_get(body, "comment"));
    return transition_update(req, "messages_redirect", 2, params, NULL);
}

void messages_redirect(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    json_t *body = ok_json_read_object_or_reply(req, redirect_fields);
    if (body != NULL)
        workflow_run(req, WORKFLOW_REDIRECT, redirect_apply, body);
}

/* ----------------------------------------------------------------- approve */

static const ok_json_field approve_fields[] = {
    {"approve", OK_JSON_BOOLEAN, .required = true},
    {"comment", OK_JSON_STRING, .min = 1, .max = COMMENT_MAX},
    {0},
};

typedef struct approve_input {
    int approve;
    const char *comment;
} approve_input;

/* Approval covers both an answer and a redirect: the status says which. A
 * decision sending something back is internal to the staff; an answer sent
 * back is returned to its executor. */
static int approve_apply(ok_request *req, const workflow_message *m, void *input,
                         workflow_step *step)
{
    approve_input *in = input;
    const char *id = transition_id(req, m->id);
    PGresult *result;
    if (in->approve && m->proposer_id == req->user->id) {
        ok_problem(req, 403,
                   strcmp(m->status, "approval") == 0
                       ? "You wrote this answer: another manager must approve it."
                       : "You proposed this redirect: another manager must approve it.");
        return OK_DB_ROLLBACK;
    }
    step->comment = in->comment;
    step->internal = !in->approve;
    if (strcmp(m->status, "approval") == 0) {
        step->to = in->approve ? "answered" : "in_progress";
        step->staff = in->approve ? NULL : "returned";
        step->title = ok_arena_printf(req->arena, "На сообщение № %lld дан ответ", m->id);
        return transition_update(
            req, in->approve ? "messages_approve_answer" : "messages_send_back_answer", 1, &id,
            NULL);
    }
    if (!in->approve) {
        if (transition_update(req, "messages_send_back_redirect", 1, &id, &result) != OK_DB_COMMIT)
            return OK_DB_ROLLBACK;
        step->to = ok_arena_strdup(req->arena, PQgetvalue(result, 0, 0));
        return OK_DB_COMMIT;
    }
    if (transition_update(req, "messages_approve_redirect", 1, &id, &result) != OK_DB_COMMIT)
        return OK_DB_ROLLBACK;
    step->to = "registered";
    step->title = ok_arena_printf(req->arena, "Сообщение № %lld перенаправлено: %s", m->id,
                                  PQgetvalue(result, 0, 0));
    return OK_DB_COMMIT;
}

void messages_approve(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    json_t *body = ok_json_read_object_or_reply(req, approve_fields);
    if (body == NULL)
        return;
    approve_input in = {json_is_true(json_object_get(body, "approve")),
                        json_string_value(json_object_get(body, "comment"))};
    if (!in.approve && in.comment == NULL) {
        ok_problem_field(req, "comment", "required", "Say why it goes back.");
        return;
    }
    workflow_run(req, WORKFLOW_APPROVE, approve_apply, &in);
}

/* --------------------------------------------------- rework and rating */

static const ok_json_field rework_fields[] = {
    {"comment", OK_JSON_STRING, .required = true, .min = 1, .max = COMMENT_MAX},
    {0},
};

static int rework_apply(ok_request *req, const workflow_message *m, void *input,
                        workflow_step *step)
{
    const char *id = transition_id(req, m->id);
    step->comment = json_string_value(json_object_get(input, "comment"));
    return transition_update(req, "messages_rework", 1, &id, NULL);
}

void messages_rework(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    json_t *body = ok_json_read_object_or_reply(req, rework_fields);
    if (body != NULL)
        workflow_run(req, WORKFLOW_REWORK, rework_apply, body);
}

static const ok_json_field rating_fields[] = {
    {"score", OK_JSON_INTEGER, .required = true, .min = 1, .max = 5},
    {"comment", OK_JSON_STRING, .min = 1, .max = COMMENT_MAX},
    {0},
};

static int rate_apply(ok_request *req, const workflow_message *m, void *input, workflow_step *step)
{
    json_t *body = input;
    const char *comment = json_string_value(json_object_get(body, "comment"));
    const char *params[] = {transition_id(req, m->id), transition_id(req, req->user->id),
                            transition_id(req, json_integer_value(json_object_get(body, "score"))),
                            comment};
    PGresult *result;
    if (transition_update(req, "messages_rate", 4, params, &result) != OK_DB_COMMIT)
        return OK_DB_ROLLBACK;
    if (PQntuples(result) == 0) {
        ok_problem(req, 409, "This answer has already been rated.");
        return OK_DB_ROLLBACK;
    }
    step->comment = comment;
    return OK_DB_COMMIT;
}

void messages_rate(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    json_t *body = ok_json_read_object_or_reply(req, rating_fields);
    if (body != NULL)
        workflow_run(req, WORKFLOW_RATE, rate_apply, body);
}
