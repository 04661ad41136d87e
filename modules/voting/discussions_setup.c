/*
 * discussions_setup.c - the discussions' catalogue, and discussions created
 * and edited by an organisation's admin or manager ("discussion.manage"): a
 * draft document (text, and files the caller uploaded), the comment period
 * and the territory. Once the comment period has opened, all of that is
 * frozen (409), since comments refer to it; only the title may change.
 */
#include "ok_auth.h"
#include "ok_json.h"
#include "ok_problem.h"
#include "voting.h"

#include <stdlib.h>
#include <string.h>

#define DISCUSSION_DOCUMENT_MAX 100000

static const ok_json_field attachment_id = {"", OK_JSON_INTEGER, .min = 1, .max = 1e15};
static const ok_json_field discussion_fields[] = {
    {"org", OK_JSON_STRING, .required = true, .min = 1, .max = 64},
    {"territory", OK_JSON_STRING, .min = 1, .max = 64},
    {"title", OK_JSON_STRING, .required = true, .min = 1, .max = 300},
    {"document", OK_JSON_STRING, .required = true, .min = 1, .max = DISCUSSION_DOCUMENT_MAX},
    {"attachment_ids", OK_JSON_ARRAY, .max = 20, .item = &attachment_id},
    {"opens_at", OK_JSON_STRING, .required = true, .min = 10, .max = 40},
    {"closes_at", OK_JSON_STRING, .required = true, .min = 10, .max = 40},
    {0},
};
static const ok_json_field discussion_patch_fields[] = {
    {"territory", OK_JSON_STRING, .min = 1, .max = 64},
    {"title", OK_JSON_STRING, .min = 1, .max = 300},
    {"document", OK_JSON_STRING, .min = 1, .max = DISCUSSION_DOCUMENT_MAX},
    {"attachment_ids", OK_JSON_ARRAY, .max = 20, .item = &attachment_id},
    {"opens_at", OK_JSON_STRING, .min = 10, .max = 40},
    {"closes_at", OK_JSON_STRING, .min = 10, .max = 40},
    {0},
};

static const voting_kind discussion_kind = {
    .lock = "discussions_lock",
    .action = "discussion.manage",
    .missing = "There is no such discussion among yours.",
    .forbidden = "Only the organisation's admin or manager may change its discussions.",
    .frozen = "The discussion has opened: its document, period and territory can no longer "
              "change.",
};

void discussions_list(ok_request *req)
{
    voting_catalogue(req, "discussions_list");
}

static int discussions_create_tx(ok_request *req, void *context)
{
    json_t *body = context;
    voting_owner owner;
    const char *opens = json_string_value(json_object_get(body, "opens_at"));
    const char *closes = json_string_value(json_object_get(body, "closes_at"));
    json_t *ids = json_object_get(body, "attachment_ids");
    const char *attachments = ok_json_integer_array(req->arena, ids);
    if (voting_owner_or_reply(req, body, "discussion.manage", &owner) != 0 ||
        voting_dates_or_reply(req, opens, closes) != 0 ||
        voting_files_or_reply(req, "attachment_ids", ids, attachments, 0) != 0)
        return OK_DB_ROLLBACK;
    const char *params[] = {owner.organisation,
                            owner.territory,
                            json_string_value(json_object_get(body, "title")),
                            json_string_value(json_object_get(body, "document")),
                            attachments,
                            opens,
                            closes};
    PGresult *row = ok_db_exec(req, "discussions_insert", 7, params);
    if (row == NULL)
        return OK_DB_ROLLBACK;
    const char *id = ok_arena_strdup(req->arena, PQgetvalue(row, 0, 0));
    if (voting_reply_current(req, "discussions_show", id, 201) != OK_DB_COMMIT)
        return OK_DB_ROLLBACK;
    ok_http_header(req, "Location", ok_arena_printf(req->arena, "/api/v1/discussions/%s", id));
    return OK_DB_COMMIT;
}

void discussions_create(ok_request *req)
{
    voting_write(req, discussion_fields, discussions_create_tx);
}

static int discussions_update_tx(ok_request *req, void *context)
{
    json_t *body = context;
    static const char *const rules[] = {"opens_at", "closes_at",      "territory",
                                        "document", "attachment_ids", NULL};
    PGresult *current =
        voting_lock_or_reply(req, &discussion_kind, voting_rules_touched(body, rules));
    if (current == NULL)
        return OK_DB_ROLLBACK;
    const char *opens, *closes;
    const char *code = json_string_value(json_object_get(body, "territory"));
    json_t *ids = json_object_get(body, "attachment_ids");
    const char *attachments = ok_json_integer_array(req->arena, ids);
    const char *territory = NULL;
    if (voting_period_patch_or_reply(req, body, current, &opens, &closes) != 0 ||
        (code != NULL && voting_territory_or_reply(req, code, &territory) != 0) ||
        voting_files_or_reply(req, "attachment_ids", ids, attachments, 0) != 0)
        return OK_DB_ROLLBACK;
    const char *params[] = {ok_arena_printf(req->arena, "%lld", req->path_ids[0]),
                            json_string_value(json_object_get(body, "title")),
                            json_string_value(json_object_get(body, "document")),
                            attachments,
                            opens,
                            closes,
                            territory};
    if (ok_db_exec(req, "discussions_update", 7, params) == NULL)
        return OK_DB_ROLLBACK;
    return voting_reply_current(req, "discussions_show", params[0], 200);
}

void discussions_update(ok_request *req)
{
    voting_write(req, discussion_patch_fields, discussions_update_tx);
}
