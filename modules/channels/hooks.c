/*
 * hooks.c - the webhooks that bring incidents in: VK's Callback API, the
 * Telegram Bot API's webhook, and a generic signed webhook for monitoring
 * systems. Each checks its credential before anything is stored (401 when
 * missing, 403 when wrong), and stores each post once: a replay of the same
 * (source, external id) is acknowledged and changes nothing.
 *
 * Credentials are files, never columns nor log lines: an account's
 * <network>-<id>.secret in OTKLIK_CHANNELS_SECRETS_DIR (VK's secret key, the
 * Telegram webhook's secret token), and OTKLIK_MONITORING_SECRET_FILE, the key
 * of the monitoring webhook's HMAC-SHA256 signature. Every comparison with a
 * secret takes the same time whatever the guess.
 *
 * Posts written by the account itself (a community's own posts and replies,
 * a bot's messages) are not incidents: that is the platform talking.
 */
#include "channels.h"
#include "ok_config.h"
#include "ok_crypto.h"
#include "ok_json.h"
#include "ok_precheck.h"
#include "ok_problem.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define HOOKS_SECRET_MAX 256

/* Whether secret equals guess, in time independent of where they differ. */
static int hooks_same_secret(const char *secret, const char *guess)
{
    size_t length = strlen(secret);
    return length > 0 && guess != NULL && strlen(guess) == length &&
           CRYPTO_memcmp(secret, guess, length) == 0;
}

/* The account's secret file into out ("" when absent). */
static void hooks_account_secret(const char *network, long long account, char *out)
{
    out[0] = '\0';
    if (channels_config.secrets_dir == NULL)
        return;
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s-%lld.secret", channels_config.secrets_dir, network,
             account);
    if (ok_config_read_secret(path, out, HOOKS_SECRET_MAX, NULL) != 0)
        out[0] = '\0';
}

static void hooks_json_cleanup(void *object)
{
    json_decref(object);
}

/* The body, at most OTKLIK_MAX_JSON_BYTES (413 beyond); NULL after answering. */
static const char *hooks_body_or_reply(ok_request *req, size_t *length)
{
    const char *body;
    if (ok_http_read_body(req, ok_config_global.max_json_bytes, &body, length) != 0)
        return NULL;
    return body;
}

/* The body parsed as a JSON object; NULL after answering 400. */
static json_t *hooks_object_or_reply(ok_request *req, const char *body, size_t length)
{
    json_error_t error;
    json_t *object = json_loadb(body, length, JSON_REJECT_DUPLICATES, &error);
    if (object == NULL) {
        ok_problemf(req, 400, "The body is not valid JSON: %s.", error.text);
        return NULL;
    }
    ok_arena_cleanup_add(req->arena, hooks_json_cleanup, object);
    if (!json_is_object(object)) {
        ok_problem(req, 400, "The body must be a JSON object.");
        return NULL;
    }
    return object;
}

/* The account's external id and VK confirmation code (columns 0, 1); NULL
 * after answering 404 (unknown, or of another network) or 503. */
static PGresult *hooks_account_or_reply(ok_request *req, const char *network)
{
    const char *params[] = {ok_arena_printf(req->arena, "%lld", req->path_ids[0]), network};
    PGresult *row = ok_db_query(req, "accounts_for_hook", 2, params);
    if (row == NULL) {
        ok_db_reply_failure(req);
        return NULL;
    }
    if (PQntuples(row) == 0) {
        ok_problem(req, 404, "There is no such account.");
        return NULL;
    }
    return row;
}

static const char *hooks_integer(ok_request *req, json_t *object, const char *name)
{
    json_t *value = json_object_get(object, name);
    return json_is_integer(value)
               ? ok_arena_printf(req->arena, "%lld", (long long)json_integer_value(value))
               : NULL;
}

static const char *hooks_string(json_t *object, const char *name)
{
    return json_string_value(json_object_get(object, name));
}

/* A Unix time as RFC 3339 UTC, NULL when absent. */
static const char *hooks_unix_time(ok_request *req, json_t *object, const char *name)
{
    json_t *value = json_object_get(object, name);
    if (!json_is_integer(value))
        return NULL;
    time_t at = (time_t)json_integer_value(value);
    struct tm tm;
    if (gmtime_r(&at, &tm) == NULL)
        return NULL;
    char *text = ok_arena_alloc(req->arena, 32);
    if (strftime(text, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0 || tm.tm_year > 8000)
        return NULL;
    return text;
}

static void hooks_reply_ok(ok_request *req)
{
    ok_http_respond(req, 200, "text/plain; charset=utf-8", "ok", 2);
}

int channels_incident_store_or_reply(ok_request *req, const channels_post *post)
{
    json_t *flags = ok_precheck_text(post->text);
    char *flags_text = json_dumps(flags, JSON_COMPACT);
    json_decref(flags);
    char *reply_text = post->reply_to != NULL ? json_dumps(post->reply_to, JSON_COMPACT) : NULL;
    const char *params[] = {post->source,
                            post->external_id,
                            post->channel,
                            post->account_id,
                            post->kind,
                            post->url,
                            post->author_external_id,
                            post->author_name,
                            post->text,
                            post->published_at,
                            post->latitude,
                            post->longitude,
                            reply_text != NULL ? ok_arena_strdup(req->arena, reply_text) : "{}",
                            ok_arena_strdup(req->arena, flags_text)};
    free(flags_text);
    free(reply_text);
    return ok_db_write(req, "incidents_insert", 14, params) != NULL ? 0 : -1;
}

/* ------------------------------------------------------------------ VK */

/* VK's post, comment or private message as a found post; 0 when it is not
 * one (the community's own, or without text). */
static int hooks_vk_post(ok_request *req, const char *type, json_t *object, long long group,
                         channels_post *post)
{
    const char *account = ok_arena_printf(req->arena, "%lld", req->path_ids[0]);
    json_t *item = object;
    if (strcmp(type, "message_new") == 0 && json_is_object(json_object_get(object, "message")))
        item = json_object_get(object, "message"); /* API 5.103 and later */
    json_t *from = json_object_get(item, "from_id");
    const char *text = hooks_string(item, "text");
    if (!json_is_integer(from) || json_integer_value(from) == -group || text == NULL ||
        text[0] == '\0')
        return 0;
    const char *id = hooks_integer(req, item, "id");
    const char *owner = hooks_integer(req, item, "owner_id");
    *post = (channels_post){.source = "vk",
                            .channel = "vk",
                            .account_id = account,
                            .kind = type,
                            .author_external_id = hooks_integer(req, item, "from_id"),
                            .text = text,
                            .published_at = hooks_unix_time(req, item, "date")};
    const char *group_text = ok_arena_printf(req->arena, "%lld", group);
    if (strcmp(type, "wall_post_new") == 0 && id != NULL && owner != NULL) {
        post->external_id = ok_arena_printf(req->arena, "wall%s_%s", owner, id);
        post->url = ok_arena_printf(req->arena, "https://vk.com/wall%s_%s", owner, id);
        post->reply_to = json_pack("{s:s, s:{s:s, s:s, s:s}, s:s}", "method", "wall.createComment",
                                   "params", "owner_id", owner, "post_id", id, "from_group",
                                   group_text, "text_param", "message");
    } else if (strcmp(type, "wall_reply_new") == 0 && id != NULL && owner != NULL &&
               hooks_integer(req, item, "post_id") != NULL) {
        const char *on = hooks_integer(req, item, "post_id");
        post->external_id = ok_arena_printf(req->arena, "wall%s_%s?reply=%s", owner, on, id);
        post->url = ok_arena_printf(req->arena, "https://vk.com/wall%s_%s?reply=%s", owner, on, id);
        post->reply_to =
            json_pack("{s:s, s:{s:s, s:s, s:s, s:s}, s:s}", "method", "wall.createComment",
                      "params", "owner_id", owner, "post_id", on, "reply_to_comment", id,
                      "from_group", group_text, "text_param", "message");
    } else if (strcmp(type, "message_new") == 0 && id != NULL &&
               hooks_integer(req, item, "peer_id") != NULL) {
        const char *peer = hooks_integer(req, item, "peer_id");
        post->external_id = ok_arena_printf(req->arena, "club%lld_message%s", group, id);
        post->reply_to = json_pack("{s:s, s:{s:s}, s:s}", "method", "messages.send", "params",
                                   "peer_id", peer, "text_param", "message");
    } else
        return 0;
    ok_arena_cleanup_add(req->arena, hooks_json_cleanup, post->reply_to);
    return 1;
}

void hooks_vk(ok_request *req)
{
    size_t length;
    const char *body = hooks_body_or_reply(req, &length);
    json_t *event = body != NULL ? hooks_object_or_reply(req, body, length) : NULL;
    PGresult *account = event != NULL ? hooks_account_or_reply(req, "vk") : NULL;
    if (account == NULL)
        return;
    const char *type = hooks_string(event, "type");
    json_t *group = json_object_get(event, "group_id");
    long long expected = strtoll(PQgetvalue(account, 0, 0), NULL, 10);
    if (type == NULL || !json_is_integer(group) || json_integer_value(group) != expected) {
        ok_problem(req, 403, "The callback is not for this account's community.");
        return;
    }
    if (strcmp(type, "confirmation") == 0) {
        const char *code = ok_db_value(account, 0, 1);
        if (code == NULL) {
            ok_problem(req, 409, "This account has no confirmation code yet.");
            return;
        }
        ok_http_respond(req, 200, "text/plain; charset=utf-8", code, strlen(code));
        return;
    }
    char secret[HOOKS_SECRET_MAX];
    hooks_account_secret("vk", req->path_ids[0], secret);
    if (!hooks_same_secret(secret, hooks_string(event, "secret"))) {
        ok_problem(req, 403, "The callback's secret key is wrong.");
        return;
    }
    channels_post post;
    json_t *object = json_object_get(event, "object");
    if (json_is_object(object) && hooks_vk_post(req, type, object, expected, &post) &&
        channels_incident_store_or_reply(req, &post) != 0)
        return;
    hooks_reply_ok(req); /* VK wants "ok" for every event, known or not */
}

/* ------------------------------------------------------------ Telegram */

/* A chat message of an update as a found post; 0 when it is not one. */
static int hooks_telegram_post(ok_request *req, json_t *update, channels_post *post)
{
    json_t *message = json_object_get(update, "message");
    json_t *from = json_object_get(message, "from");
    json_t *chat = json_object_get(message, "chat");
    const char *text = hooks_string(message, "text") ?: hooks_string(message, "caption");
    const char *id = hooks_integer(req, message, "message_id");
    const char *chat_id = hooks_integer(req, chat, "id");
    if (text == NULL || text[0] == '\0' || id == NULL || chat_id == NULL ||
        json_is_true(json_object_get(from, "is_bot")))
        return 0;
    const char *first = hooks_string(from, "first_name"), *last = hooks_string(from, "last_name");
    const char *username = hooks_string(chat, "username");
    *post = (channels_post){
        .source = "telegram",
        .channel = "telegram",
        .account_id = ok_arena_printf(req->arena, "%lld", req->path_ids[0]),
        .kind = "telegram_message",
        .external_id = ok_arena_printf(req->arena, "%s:%s", chat_id, id),
        .url = username != NULL ? ok_arena_printf(req->arena, "https://t.me/%s/%s", username, id)
                                : NULL,
        .author_external_id = hooks_integer(req, from, "id"),
        .author_name = first == NULL  ? NULL
                       : last == NULL ? first
                                      : ok_arena_printf(req->arena, "%s %s", first, last),
        .text = text,
        .published_at = hooks_unix_time(req, message, "date"),
        .reply_to = json_pack("{s:s, s:{s:s, s:s}, s:s}", "method", "sendMessage", "params",
                              "chat_id", chat_id, "reply_to_message_id", id, "text_param", "text"),
    };
    ok_arena_cleanup_add(req->arena, hooks_json_cleanup, post->reply_to);
    return 1;
}

void hooks_telegram(ok_request *req)
{
    const char *token = ok_http_param(req, "HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN");
    if (token == NULL) {
        ok_problem(req, 401, "The X-Telegram-Bot-Api-Secret-Token header is missing.");
        return;
    }
    if (hooks_account_or_reply(req, "telegram") == NULL)
        return;
    char secret[HOOKS_SECRET_MAX];
    hooks_account_secret("telegram", req->path_ids[0], secret);
    if (!hooks_same_secret(secret, token)) {
        ok_problem(req, 403, "The webhook's secret token is wrong.");
        return;
    }
    size_t length;
    const char *body = hooks_body_or_reply(req, &length);
    json_t *update = body != NULL ? hooks_object_or_reply(req, body, length) : NULL;
    if (update == NULL)
        return;
    channels_post post;
    if (hooks_telegram_post(req, update, &post) &&
        channels_incident_store_or_reply(req, &post) != 0)
        return;
    ok_http_respond(req, 200, "application/json", "{}", 2);
}

/* ---------------------------------------------------------- monitoring */

static const ok_json_field hooks_location_fields[] = {
    {"lat", OK_JSON_NUMBER, .required = true, .min = -90, .max = 90},
    {"lon", OK_JSON_NUMBER, .required = true, .min = -180, .max = 180},
    {0},
};

static const ok_json_field hooks_monitoring_fields[] = {
    {"source", OK_JSON_STRING, .required = true, .min = 1, .max = 40},
    {"external_id", OK_JSON_STRING, .required = true, .min = 1, .max = 200},
    {"url", OK_JSON_STRING, .max = 2000},
    {"author", OK_JSON_STRING, .max = 300},
    {"text", OK_JSON_STRING, .required = true, .min = 1, .max = 20000},
    {"published_at", OK_JSON_STRING, .max = 40},
    {"location", OK_JSON_OBJECT, .fields = hooks_location_fields},
    {0},
};

/* Whether source is a lower-case name (sql/070's check). */
static int hooks_source_valid(const char *source)
{
    for (const char *p = source; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              (p > source && (*p == '_' || *p == '.' || *p == '-'))))
            return 0;
    return 1;
}

/* Checks X-Otklik-Signature: sha256=<hex HMAC-SHA256 of body>; 0, or -1
 * having answered 401 (missing, or no key configured) or 403 (wrong). */
static int hooks_signature_or_reply(ok_request *req, const char *body, size_t length)
{
    const char *signature = ok_http_param(req, "HTTP_X_OTKLIK_SIGNATURE");
    if (signature == NULL || channels_config.monitoring_key[0] == '\0') {
        ok_problem(req, 401, "The X-Otklik-Signature header is missing.");
        return -1;
    }
    char expected[72] = "sha256=";
    ok_crypto_hmac_sha256_hex(channels_config.monitoring_key, body, length, expected + 7);
    if (!hooks_same_secret(expected, signature)) {
        ok_problem(req, 403, "The body's signature is wrong.");
        return -1;
    }
    return 0;
}

void hooks_monitoring(ok_request *req)
{
    size_t length;
    const char *body = hooks_body_or_reply(req, &length);
    if (body == NULL || hooks_signature_or_reply(req, body, length) != 0)
        return;
    json_t *found = hooks_object_or_reply(req, body, length);
    if (found == NULL)
        return;
    json_t *errors = json_array();
    if (ok_json_validate(found, hooks_monitoring_fields, "", errors) > 0) {
        ok_problem_validation_new(req, errors);
        return;
    }
    json_decref(errors);
    const char *source = hooks_string(found, "source");
    if (!hooks_source_valid(source)) {
        ok_problem_field(
            req, "source", "invalid",
            "The source is a lower-case name of Latin letters, digits and the signs _ . -.");
        return;
    }
    json_t *location = json_object_get(found, "location");
    channels_post post = {
        .source = source,
        .channel = "monitoring",
        .kind = "monitoring",
        .external_id = hooks_string(found, "external_id"),
        .url = hooks_string(found, "url"),
        .author_name = hooks_string(found, "author"),
        .author_external_id = hooks_string(found, "author"),
        .text = hooks_string(found, "text"),
        .published_at = hooks_string(found, "published_at"),
    };
    if (json_is_object(location)) {
        post.latitude = ok_arena_printf(req->arena, "%.17g",
                                        json_number_value(json_object_get(location, "lat")));
        post.longitude = ok_arena_printf(req->arena, "%.17g",
                                         json_number_value(json_object_get(location, "lon")));
    }
    if (channels_incident_store_or_reply(req, &post) == 0)
        ok_http_respond(req, 202, "application/json", "{}", 2);
}
