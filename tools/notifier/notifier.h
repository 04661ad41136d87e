/*
 * notifier.h - the outbox's dispatcher (tools/notifier): one lease, retry and
 * ordering mechanism over the outbox tables, and a sender per channel.
 */
#ifndef NOTIFIER_H
#define NOTIFIER_H

#include "ok_arena.h"

#include <curl/curl.h>
#include <jansson.h>
#include <libpq-fe.h>

typedef struct notifier {
    const char *webhook_url;
    const char *webhook_secret;
    const char *vk_url;         /* OTKLIK_VK_API_URL: https://api.vk.com */
    const char *vk_version;     /* OTKLIK_VK_API_VERSION */
    const char *telegram_url;   /* OTKLIK_TELEGRAM_API_URL: https://api.telegram.org */
    const char *secrets_dir;    /* OTKLIK_CHANNELS_SECRETS_DIR: <network>-<account>.token */
    const char *smtp_url;       /* OTKLIK_SMTP_URL: smtp://host:587 */
    const char *smtp_from;      /* OTKLIK_SMTP_FROM: the sender's address */
    const char *smtp_auth_file; /* OTKLIK_SMTP_AUTH_FILE: "user:password" */
    int smtp_tls_required;      /* OTKLIK_SMTP_STARTTLS=required */
    long timeout_ms;
    long poll_ms;
    long max_backoff_seconds;
    long batch;
    PGconn *conn;
    CURL *curl;
    ok_arena *arena; /* reset after each round */
} notifier;

/* What one attempt came to: why it failed (static or arena text; NULL when
 * delivered), how long the receiver asked to wait (seconds, 0: not said), and
 * what it answered (JSON text or NULL, kept for deliveries). */
typedef struct notifier_outcome {
    const char *why;
    long retry_after;
    const char *result;
} notifier_outcome;

/* A sender: delivers row of a claimed batch (its columns as the queue's claim
 * returns them). */
typedef notifier_outcome notifier_send_fn(notifier *n, PGresult *batch, int row);

/* webhook.c: citizens' notifications to OTKLIK_WEBHOOK_URL */
notifier_outcome notifier_webhook_send(notifier *n, PGresult *batch, int row);

/* networks.c: deliveries (channel, account, method, params) to VK's method
 * API and Telegram's Bot API */
notifier_outcome notifier_networks_send(notifier *n, PGresult *batch, int row);

/* email.c: a delivery of channel email ({to, subject, text}) through SMTP */
notifier_outcome notifier_email_send(notifier *n, const char *id, json_t *params);

/* http.c: POSTs body (content_type) to url; the answer's status and body
 * (arena, at most 1 MiB) into *status and *answer. NULL, or why not. */
const char *notifier_http_post(notifier *n, const char *url, const char *const *headers,
                               const char *body, long *status, const char **answer);

#endif
