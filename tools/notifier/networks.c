/*
 * networks.c - the deliveries' senders: VK's method API and Telegram's Bot
 * API, at the base URLs OTKLIK_VK_API_URL and OTKLIK_TELEGRAM_API_URL (and
 * e-mail, email.c).
 *
 * VK: POST <base>/method/<method>, the parameters form-encoded with
 * access_token and v; an answer {"response": ...} is a delivery, {"error":
 * {"error_code": N}} is not (6 and 9, too many requests, are retried like
 * any other). messages.send gets random_id = the delivery's id, so VK itself
 * drops a repeated delivery.
 * Telegram: POST <base>/bot<token>/<method> with the parameters as JSON; {"ok":
 * true} is a delivery; 429's parameters.retry_after is waited for.
 *
 * The tokens are read from <OTKLIK_CHANNELS_SECRETS_DIR>/<network>-<account>.token
 * at each attempt (so they can be replaced without a restart) and never
 * logged: neither the URL (Telegram's holds the token) nor the form is.
 */
#include "notifier.h"
#include "ok_config.h"
#include "ok_curl.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define NOTIFIER_TOKEN_MAX 512

/* The account's token into token; 0, or -1 when it has none. */
static int notifier_token(notifier *n, const char *network, const char *account,
                          char token[NOTIFIER_TOKEN_MAX])
{
    if (n->secrets_dir == NULL)
        return -1;
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s-%s.token", n->secrets_dir, network, account);
    return ok_config_read_secret(path, token, NOTIFIER_TOKEN_MAX, NULL) == 0 && token[0] ? 0 : -1;
}

static void notifier_json_cleanup(void *object)
{
    json_decref(object);
}

/* params (a JSON object text) as an object released with the round, or NULL. */
static json_t *notifier_params(notifier *n, const char *text)
{
    json_t *params = json_loads(text, 0, NULL);
    if (params != NULL)
        ok_arena_cleanup_add(n->arena, notifier_json_cleanup, params);
    return json_is_object(params) ? params : NULL;
}

/* A parameter's value as text: strings as they are, numbers printed. */
static const char *notifier_text(notifier *n, json_t *value)
{
    if (json_is_string(value))
        return json_string_value(value);
    if (json_is_integer(value))
        return ok_arena_printf(n->arena, "%lld", (long long)json_integer_value(value));
    return "";
}

static notifier_outcome notifier_vk(notifier *n, const char *id, const char *account,
                                    const char *method, json_t *params)
{
    notifier_outcome outcome = {0};
    char token[NOTIFIER_TOKEN_MAX];
    if (n->vk_url == NULL || notifier_token(n, "vk", account, token) != 0) {
        outcome.why = "no VK API URL or no access token file for the account";
        return outcome;
    }
    const char *form = "";
    const char *name;
    json_t *value;
    json_object_foreach(params, name, value) form =
        ok_curl_form_add(n->arena, form, name, notifier_text(n, value));
    if (strcmp(method, "messages.send") == 0)
        form = ok_curl_form_add(n->arena, form, "random_id", id);
    form = ok_curl_form_add(n->arena, form, "v", n->vk_version);
    form = ok_curl_form_add(n->arena, form, "access_token", token);
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    long status;
    const char *answer;
    outcome.why =
        notifier_http_post(n, ok_arena_printf(n->arena, "%s/method/%s", n->vk_url, method), headers,
                           form, &status, &answer);
    if (outcome.why != NULL)
        return outcome;
    json_t *reply = json_loads(answer, 0, NULL);
    ok_arena_cleanup_add(n->arena, notifier_json_cleanup, reply);
    if (status == 200 && json_object_get(reply, "response") != NULL) {
        outcome.result = answer;
        return outcome;
    }
    json_t *code = json_object_get(json_object_get(reply, "error"), "error_code");
    outcome.why = json_is_integer(code)
                      ? ok_arena_printf(n->arena, "VK answered error %lld",
                                        (long long)json_integer_value(code))
                      : ok_arena_printf(n->arena, "VK answered status %ld", status);
    return outcome;
}

/* Telegram wants integers where ids are: numeric strings become numbers. */
static void notifier_telegram_numbers(json_t *params)
{
    const char *name;
    json_t *value;
    json_object_foreach(params, name, value)
    {
        const char *text = json_string_value(value);
        if (text == NULL || strcmp(name, "text") == 0 || text[0] == '\0')
            continue;
        char *end;
        long long number = strtoll(text, &end, 10);
        if (*end == '\0')
            json_object_set_new(params, name, json_integer(number));
    }
}

static notifier_outcome notifier_telegram(notifier *n, const char *account, const char *method,
                                          json_t *params)
{
    notifier_outcome outcome = {0};
    char token[NOTIFIER_TOKEN_MAX];
    if (n->telegram_url == NULL || notifier_token(n, "telegram", account, token) != 0) {
        outcome.why = "no Telegram API URL or no bot token file for the account";
        return outcome;
    }
    notifier_telegram_numbers(params);
    char *body = json_dumps(params, JSON_COMPACT);
    const char *headers[] = {"Content-Type: application/json", NULL};
    long status;
    const char *answer;
    outcome.why = notifier_http_post(
        n, ok_arena_printf(n->arena, "%s/bot%s/%s", n->telegram_url, token, method), headers, body,
        &status, &answer);
    free(body);
    if (outcome.why != NULL)
        return outcome;
    json_t *reply = json_loads(answer, 0, NULL);
    ok_arena_cleanup_add(n->arena, notifier_json_cleanup, reply);
    if (status == 200 && json_is_true(json_object_get(reply, "ok"))) {
        outcome.result = answer;
        return outcome;
    }
    json_t *wait = json_object_get(json_object_get(reply, "parameters"), "retry_after");
    if (json_is_integer(wait))
        outcome.retry_after = (long)json_integer_value(wait);
    outcome.why = ok_arena_printf(n->arena, "Telegram answered status %ld", status);
    return outcome;
}

notifier_outcome notifier_networks_send(notifier *n, PGresult *batch, int row)
{
    const char *id = PQgetvalue(batch, row, 0), *channel = PQgetvalue(batch, row, 1);
    const char *account = PQgetvalue(batch, row, 2), *method = PQgetvalue(batch, row, 3);
    json_t *params = notifier_params(n, PQgetvalue(batch, row, 4));
    if (params == NULL)
        return (notifier_outcome){.why = "the delivery's parameters are not an object"};
    if (strcmp(channel, "vk") == 0)
        return notifier_vk(n, id, account, method, params);
    if (strcmp(channel, "telegram") == 0)
        return notifier_telegram(n, account, method, params);
    if (strcmp(channel, "email") == 0)
        return notifier_email_send(n, id, params);
    return (notifier_outcome){.why = "no sender for this channel"};
}
