/*
 * polls.c - polls: questions single-choice, multiple-choice or free text,
 * required or not; one response per citizen; aggregated results kept as
 * counters in the response's transaction.
 */
#include "ok_auth.h"
#include "ok_authz.h"
#include "ok_json.h"
#include "ok_problem.h"
#include "voting.h"

#include <stdlib.h>
#include <string.h>

#define POLL_TEXT_MAX 2000

static const ok_json_field answer_option = {"", OK_JSON_INTEGER, .min = 1, .max = 1e15};
static const ok_json_field answer_fields[] = {
    {"question_id", OK_JSON_INTEGER, .required = true, .min = 1, .max = 1e15},
    {"option_ids", OK_JSON_ARRAY, .max = 50, .item = &answer_option},
    {"text", OK_JSON_STRING, .min = 1, .max = POLL_TEXT_MAX},
    {0},
};
static const ok_json_field answer_item = {"", OK_JSON_OBJECT, .fields = answer_fields};
static const ok_json_field response_fields[] = {
    {"answers", OK_JSON_ARRAY, .required = true, .max = 100, .item = &answer_item},
    {0},
};

void polls_show(ok_request *req)
{
    voting_show_one(req, "polls_show", "There is no such poll.");
}

/* Counts for everyone when the poll's results are live or it has finished;
 * the organisation's staff always, with the free-text answers. */
void polls_results(ok_request *req)
{
    if (ok_auth_optional_user(req) != 0)
        return;
    const char *id = ok_arena_printf(req->arena, "%lld", req->path_ids[0]);
    PGresult *owner = ok_db_query(req, "polls_owner", 1, &id);
    if (owner == NULL) {
        ok_db_reply_failure(req);
        return;
    }
    if (PQntuples(owner) == 0) {
        ok_problem(req, 404, "There is no such poll.");
        return;
    }
    int staff = req->user != NULL &&
                ok_authz_can(req->user, "poll.answers", strtoll(PQgetvalue(owner, 0, 0), NULL, 10));
    const char *params[] = {id, staff ? "true" : "false"};
    PGresult *row = ok_db_query(req, "polls_results", 2, params);
    if (row == NULL || PQntuples(row) != 1) {
        ok_db_reply_failure(req);
        return;
    }
    if (!staff && strcmp(PQgetvalue(row, 0, 1), "t") != 0) {
        ok_problem(req, 403, "The results will be published when the poll ends.");
        return;
    }
    voting_reply_json(req, 200, PQgetvalue(row, 0, 0));
}

static void poll_error(json_t *errors, size_t index, const char *code)
{
    char field[48];
    snprintf(field, sizeof(field), "answers[%zu]", index);
    json_array_append_new(errors, json_pack("{s:s, s:s}", "field", field, "code", code));
}

/* Checks one answer against its question; adds its options to chosen. */
static void poll_check_answer(json_t *question, json_t *answer, size_t index, json_t *errors,
                              json_t *chosen)
{
    const char *kind = json_string_value(json_object_get(question, "kind"));
    json_t *options = json_object_get(answer, "option_ids");
    json_t *text = json_object_get(answer, "text");
    if (strcmp(kind, "text") == 0) {
        if (!json_is_string(text) || options != NULL)
            poll_error(errors, index, "text_expected");
        return;
    }
    size_t count = json_array_size(options);
    if (text != NULL || count == 0 || (strcmp(kind, "single") == 0 && count != 1)) {
        poll_error(errors, index, strcmp(kind, "single") == 0 ? "one_option" : "options_expected");
        return;
    }
    for (size_t i = 0; i < count; i++) {
        json_int_t id = json_integer_value(json_array_get(options, i));
        int known = 0, repeated = 0;
        size_t k;
        json_t *option;
        json_array_foreach(json_object_get(question, "options"), k, option)
        {
            known |= json_integer_value(json_object_get(option, "id")) == id;
        }
        for (size_t j = 0; j < i; j++)
            repeated |= json_integer_value(json_array_get(options, j)) == id;
        if (!known || repeated) {
            poll_error(errors, index, known ? "duplicate" : "unknown_option");
            return;
        }
        json_array_append_new(chosen, json_integer(id));
    }
}

/* Validates answers against the poll's questions; fills the chosen options.
 * Returns the errors (new reference; empty when all is well). */
static json_t *poll_validate(json_t *poll, json_t *answers, json_t *chosen)
{
    json_t *errors = json_array();
    json_t *questions = json_object_get(poll, "questions");
    size_t i, q;
    json_t *answer, *question;
    json_array_foreach(answers, i, answer)
    {
        json_int_t id = json_integer_value(json_object_get(answer, "question_id"));
        json_t *found = NULL;
        json_array_foreach(questions, q, question)
        {
            if (json_integer_value(json_object_get(question, "id")) == id)
                found = question;
        }
        int repeated = 0;
        for (size_t j = 0; j < i; j++)
            repeated |= json_integer_value(
                            json_object_get(json_array_get(answers, j), "question_id")) == id;
        if (repeated)
            poll_error(errors, i, "duplicate");
        else if (found == NULL)
            poll_error(errors, i, "unknown_question");
        else
            poll_check_answer(found, answer, i, errors, chosen);
    }
    json_array_foreach(questions, q, question)
    {
        if (!json_is_true(json_object_get(question, "required")))
            continue;
        int answered = 0;
        json_array_foreach(answers, i, answer)
        {
            answered |= json_integer_value(json_object_get(answer, "question_id")) ==
                        json_integer_value(json_object_get(question, "id"));
        }
        if (!answered) {
            char field[48];
            snprintf(field, sizeof(field), "question %lld",
                     (long long)json_integer_value(json_object_get(question, "id")));
            json_array_append_new(errors,
                                  json_pack("{s:s, s:s}", "field", field, "code", "required"));
        }
    }
    return errors;
}

typedef struct poll_input {
    json_t *answers;
} poll_input;

static int polls_respond_tx(ok_request *req, void *context)
{
    poll_input *in = context;
    const char *id = ok_arena_printf(req->arena, "%lld", req->path_ids[0]);
    PGresult *row = ok_db_exec(req, "polls_show", 1, &id);
    if (row == NULL)
        return OK_DB_ROLLBACK;
    if (PQntuples(row) == 0) {
        ok_problem(req, 404, "There is no such poll.");
        return OK_DB_ROLLBACK;
    }
    if (strcmp(PQgetvalue(row, 0, 1), "t") != 0) {
        ok_problem(req, 409, "The poll is not open.");
        return OK_DB_ROLLBACK;
    }
    json_t *poll = json_loads(PQgetvalue(row, 0, 0), 0, NULL);
    json_t *chosen = json_array();
    json_t *errors = poll_validate(poll, in->answers, chosen);
    json_decref(poll);
    if (json_array_size(errors) > 0) {
        json_decref(chosen);
        ok_problem_validation_new(req, errors);
        return OK_DB_ROLLBACK;
    }
    json_decref(errors);
    const char *options = ok_json_integer_array(req->arena, chosen);
    json_decref(chosen);
    char *answers = json_dumps(in->answers, JSON_COMPACT);
    const char *params[] = {id, ok_arena_printf(req->arena, "%lld", req->user->id),
                            ok_arena_strdup(req->arena, answers), options};
    free(answers);
    PGresult *stored = ok_db_exec(req, "polls_respond", 4, params);
    if (stored == NULL)
        return OK_DB_ROLLBACK;
    if (strcmp(PQgetvalue(stored, 0, 0), "0") == 0) {
        ok_problem(req, 409, "You have already answered this poll.");
        return OK_DB_ROLLBACK;
    }
    return OK_DB_COMMIT;
}

void polls_respond(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    json_t *body = ok_json_read_object_or_reply(req, response_fields);
    if (body == NULL)
        return;
    poll_input in = {json_object_get(body, "answers")};
    if (ok_db_transaction(req, polls_respond_tx, &in) != 0)
        return;
    ok_http_respond_json_new(
        req, 201,
        json_pack("{s:I, s:s}", "poll_id", (json_int_t)req->path_ids[0], "status", "accepted"));
}
