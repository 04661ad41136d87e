/*
 * polls_setup.c - the polls' catalogue, and polls created and edited by an
 * organisation's admin or manager ("poll.manage"). Questions are single- or
 * multiple-choice (with 2..POLL_OPTIONS_MAX options) or free text (none),
 * required or not, at most POLL_QUESTIONS_MAX. Once a poll has opened its
 * rules (period, territory, results setting, questions) are frozen (409);
 * its title and description may still change.
 */
#include "ok_auth.h"
#include "ok_json.h"
#include "ok_problem.h"
#include "voting.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POLL_QUESTIONS_MAX 50
#define POLL_OPTIONS_MAX 30

static const ok_json_field option_text = {"", OK_JSON_STRING, .min = 1, .max = 300};
static const ok_json_field question_fields[] = {
    {"text", OK_JSON_STRING, .required = true, .min = 1, .max = 1000},
    {"kind", OK_JSON_STRING, .required = true, .min = 1, .max = 16},
    {"required", OK_JSON_BOOLEAN},
    {"options", OK_JSON_ARRAY, .max = POLL_OPTIONS_MAX, .item = &option_text},
    {0},
};
static const ok_json_field question_item = {"", OK_JSON_OBJECT, .fields = question_fields};

static const ok_json_field poll_fields[] = {
    {"org", OK_JSON_STRING, .required = true, .min = 1, .max = 64},
    {"title", OK_JSON_STRING, .required = true, .min = 1, .max = 300},
    {"description", OK_JSON_STRING, .max = 10000},
    {"opens_at", OK_JSON_STRING, .required = true, .min = 10, .max = 40},
    {"closes_at", OK_JSON_STRING, .required = true, .min = 10, .max = 40},
    {"territory", OK_JSON_STRING, .min = 1, .max = 64},
    {"results", OK_JSON_STRING, .min = 1, .max = 16},
    {"questions", OK_JSON_ARRAY, .required = true, .min = 1, .max = POLL_QUESTIONS_MAX,
     .item = &question_item},
    {0},
};
static const ok_json_field poll_patch_fields[] = {
    {"title", OK_JSON_STRING, .min = 1, .max = 300},
    {"description", OK_JSON_STRING, .max = 10000},
    {"opens_at", OK_JSON_STRING, .min = 10, .max = 40},
    {"closes_at", OK_JSON_STRING, .min = 10, .max = 40},
    {"territory", OK_JSON_STRING, .min = 1, .max = 64},
    {"results", OK_JSON_STRING, .min = 1, .max = 16},
    {"questions", OK_JSON_ARRAY, .min = 1, .max = POLL_QUESTIONS_MAX, .item = &question_item},
    {0},
};

static const voting_kind poll_kind = {
    .lock = "polls_lock",
    .action = "poll.manage",
    .missing = "There is no such poll among yours.",
    .forbidden = "Only the organisation's admin or manager may change its polls.",
    .frozen = "The poll has opened: its period, territory, results and questions can no "
              "longer change.",
};

void polls_list(ok_request *req)
{
    voting_catalogue(req, "polls_list");
}

/* The error of question i, if any: a known kind; options for a choice
 * (at least two), none for free text. */
static void poll_question_check(json_t *question, size_t i, json_t *errors)
{
    const char *kind = json_string_value(json_object_get(question, "kind"));
    size_t options = json_array_size(json_object_get(question, "options"));
    int choice = strcmp(kind, "single") == 0 || strcmp(kind, "multiple") == 0;
    const char *member = "options", *code = NULL;
    if (!choice && strcmp(kind, "text") != 0)
        member = "kind", code = "unknown";
    else if (choice && options < 2)
        code = "too_short";
    else if (!choice && json_object_get(question, "options") != NULL)
        code = "unexpected";
    if (code == NULL)
        return;
    char field[64];
    snprintf(field, sizeof(field), "questions[%zu].%s", i, member);
    json_array_append_new(errors, json_pack("{s:s, s:s}", "field", field, "code", code));
}

/* Checks the questions beyond their shape: 0, or -1 having answered 422. */
static int poll_questions_or_reply(ok_request *req, json_t *questions)
{
    json_t *errors = json_array();
    size_t i;
    json_t *question;
    json_array_foreach(questions, i, question)
    {
        poll_question_check(question, i, errors);
    }
    if (json_array_size(errors) == 0) {
        json_decref(errors);
        return 0;
    }
    ok_problem_validation_new(req, errors);
    return -1;
}

/* Stores questions (when given) as the poll's, replacing its old ones. */
static int poll_questions_store(ok_request *req, const char *id, json_t *questions)
{
    if (questions == NULL)
        return OK_DB_COMMIT;
    char *text = json_dumps(questions, JSON_COMPACT);
    const char *params[] = {id, ok_arena_strdup(req->arena, text)};
    free(text);
    return ok_db_exec(req, "polls_questions_replace", 2, params) != NULL ? OK_DB_COMMIT
                                                                         : OK_DB_ROLLBACK;
}

static int polls_create_tx(ok_request *req, void *context)
{
    json_t *body = context;
    voting_owner owner;
    const char *opens = json_string_value(json_object_get(body, "opens_at"));
    const char *closes = json_string_value(json_object_get(body, "closes_at"));
    const char *results = json_string_value(json_object_get(body, "results"));
    if (poll_questions_or_reply(req, json_object_get(body, "questions")) != 0 ||
        voting_owner_or_reply(req, body, "poll.manage", &owner) != 0 ||
        voting_dates_or_reply(req, opens, closes) != 0 ||
        voting_results_or_reply(req, results) != 0)
        return OK_DB_ROLLBACK;
    const char *params[] = {owner.organisation,
                            owner.territory,
                            json_string_value(json_object_get(body, "title")),
                            json_string_value(json_object_get(body, "description")),
                            opens,
                            closes,
                            results != NULL ? results : "live"};
    PGresult *poll = ok_db_exec(req, "polls_insert", 7, params);
    if (poll == NULL)
        return OK_DB_ROLLBACK;
    const char *id = ok_arena_strdup(req->arena, PQgetvalue(poll, 0, 0));
    if (poll_questions_store(req, id, json_object_get(body, "questions")) != OK_DB_COMMIT ||
        voting_reply_current(req, "polls_show", id, 201) != OK_DB_COMMIT)
        return OK_DB_ROLLBACK;
    ok_http_header(req, "Location", ok_arena_printf(req->arena, "/api/v1/polls/%s", id));
    return OK_DB_COMMIT;
}

void polls_create(ok_request *req)
{
    voting_write(req, poll_fields, polls_create_tx);
}

static int polls_update_tx(ok_request *req, void *context)
{
    json_t *body = context;
    static const char *const rules[] = {"opens_at", "closes_at", "territory",
                                        "results",  "questions", NULL};
    PGresult *current = voting_lock_or_reply(req, &poll_kind, voting_rules_touched(body, rules));
    if (current == NULL)
        return OK_DB_ROLLBACK;
    const char *opens, *closes;
    const char *results = json_string_value(json_object_get(body, "results"));
    const char *code = json_string_value(json_object_get(body, "territory"));
    const char *territory = NULL;
    if (voting_period_patch_or_reply(req, body, current, &opens, &closes) != 0 ||
        voting_results_or_reply(req, results) != 0 ||
        (code != NULL && voting_territory_or_reply(req, code, &territory) != 0))
        return OK_DB_ROLLBACK;
    const char *params[] = {ok_arena_printf(req->arena, "%lld", req->path_ids[0]),
                            json_string_value(json_object_get(body, "title")),
                            json_string_value(json_object_get(body, "description")),
                            opens,
                            closes,
                            results,
                            territory};
    if (ok_db_exec(req, "polls_update", 7, params) == NULL ||
        poll_questions_store(req, params[0], json_object_get(body, "questions")) != OK_DB_COMMIT)
        return OK_DB_ROLLBACK;
    return voting_reply_current(req, "polls_show", params[0], 200);
}

void polls_update(ok_request *req)
{
    voting_write(req, poll_patch_fields, polls_update_tx);
}
