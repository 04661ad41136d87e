/*
 * otklik-notifier - the outbox's one dispatcher: delivers citizens'
 * notifications to an external webhook, and the deliveries to the social
 * networks (answers back where an incident came from, content-plan posts),
 * each through its channel's sender.
 *
 * DESIGN
 * Each outbox table is a queue of the same mechanism: a row written in the
 * transaction of what it tells about is delivered at least once, whatever
 * restarts in between. Each round claims, per queue, the oldest undelivered
 * row of each ordering key (a notification's message; a delivery's
 * ordering_key: message:<id>, post:<id>) with a lease: one short statement
 * moves their next_attempt_at past the time the round may take (SKIP LOCKED
 * lets several notifiers share the work). It then sends them, no transaction
 * open, and marks each delivered or schedules a retry with exponential backoff
 * (or the receiver's own Retry-After, when it said one). The lease of a
 * notifier killed mid-round simply expires and another round delivers again:
 * receivers drop duplicates by the row's id (the webhook's X-Otklik-Delivery;
 * VK's random_id for messages.send).
 *
 * Senders: the webhook (webhook.c; only with OTKLIK_WEBHOOK_URL), VK and
 * Telegram (networks.c; OTKLIK_VK_API_URL, OTKLIK_TELEGRAM_API_URL), e-mail
 * (email.c; OTKLIK_SMTP_URL, OTKLIK_SMTP_FROM, OTKLIK_SMTP_AUTH_FILE,
 * OTKLIK_SMTP_STARTTLS).
 *
 * Settings: OTKLIK_DATABASE_URL, OTKLIK_WEBHOOK_URL, OTKLIK_WEBHOOK_SECRET,
 * OTKLIK_VK_API_URL, OTKLIK_VK_API_VERSION (5.199), OTKLIK_TELEGRAM_API_URL,
 * OTKLIK_CHANNELS_SECRETS_DIR, OTKLIK_WEBHOOK_TIMEOUT_MS (5000, every
 * sender's), OTKLIK_NOTIFIER_POLL_MS (500),
 * OTKLIK_NOTIFIER_MAX_BACKOFF_SECONDS (300), OTKLIK_NOTIFIER_BATCH (10). A
 * round's lease is batch x timeout + 5 s: how long the rows of a killed
 * notifier wait before they are delivered again.
 *
 * Its counters (delivered, failed) go to OTKLIK_METRICS_DIR/notifier.metrics,
 * which the workers' GET /metrics shows (ok_metrics.h).
 */
#include "notifier.h"
#include "ok_config.h"
#include "ok_db.h"
#include "ok_log.h"
#include "ok_metrics.h"
#include "ok_version.h"

#include <libpq-fe.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t notifier_stop;

static void notifier_on_signal(int signal_number)
{
    (void)signal_number;
    notifier_stop = 1;
}

/* An outbox table: how to claim a batch ($1 lease seconds, $2 limit; rows
 * of id, the sender's columns, and attempts last), mark a row delivered ($1
 * id, $2 the answer or NULL) or to retry ($1 id, $2 why, $3 seconds), and
 * its sender. */
typedef struct notifier_queue {
    const char *name;
    const char *claim;
    const char *delivered;
    const char *retry;
    int delivered_params;
    notifier_send_fn *send;
} notifier_queue;

/* The oldest undelivered rows of table, one per ordering key column key. */
#define NOTIFIER_CLAIM(table, key, columns)                                                        \
    "UPDATE " table " SET next_attempt_at = otklik_now() + make_interval(secs => $1)"              \
    " WHERE id IN (SELECT n.id FROM " table " n"                                                   \
    "   WHERE n.delivered_at IS NULL AND n.next_attempt_at <= otklik_now()"                        \
    "     AND NOT EXISTS (SELECT 1 FROM " table " e WHERE e." key " = n." key                      \
    "       AND e.id < n.id AND e.delivered_at IS NULL)"                                           \
    "   ORDER BY n.id LIMIT $2 FOR UPDATE SKIP LOCKED)"                                            \
    " RETURNING id, " columns ", attempts"
#define NOTIFIER_RETRY(table)                                                                      \
    "UPDATE " table " SET attempts = attempts + 1, last_error = $2,"                               \
    " next_attempt_at = otklik_now() + make_interval(secs => $3) WHERE id = $1"

static const notifier_queue notifier_webhook_queue = {
    .name = "notification",
    .claim = NOTIFIER_CLAIM("notifications", "message_id",
                            "json_build_object('id', id, 'message_id', message_id,"
                            "  'user_id', user_id, 'status', status, 'title', title,"
                            "  'created_at', otklik_rfc3339(created_at))::text"),
    .delivered = "UPDATE notifications SET delivered_at = otklik_now(),"
                 " attempts = attempts + 1 WHERE id = $1",
    .delivered_params = 1, /* the receiver's answer is not kept */
    .retry = NOTIFIER_RETRY("notifications"),
    .send = notifier_webhook_send,
};

static const notifier_queue notifier_networks_queue = {
    .name = "delivery",
    .claim =
        NOTIFIER_CLAIM("deliveries", "ordering_key", "channel, account_id, method, params::text"),
    .delivered = "UPDATE deliveries SET delivered_at = otklik_now(), attempts = attempts + 1,"
                 " result = $2::jsonb WHERE id = $1",
    .delivered_params = 2,
    .retry = NOTIFIER_RETRY("deliveries"),
    .send = notifier_networks_send,
};

/* Records the outcome of one attempt; 0, or -1 if the database failed. */
static int notifier_mark(notifier *n, const notifier_queue *queue, const char *id,
                         const notifier_outcome *outcome, long attempts)
{
    long backoff = attempts >= 20 ? n->max_backoff_seconds : 1L << attempts;
    if (backoff > n->max_backoff_seconds)
        backoff = n->max_backoff_seconds;
    if (outcome->retry_after > backoff)
        backoff = outcome->retry_after < 3600 ? outcome->retry_after : 3600;
    char backoff_text[24];
    snprintf(backoff_text, sizeof(backoff_text), "%ld", backoff);
    const char *delivered[] = {id, outcome->result};
    const char *retry[] = {id, outcome->why, backoff_text};
    PGresult *mark = outcome->why == NULL
                         ? PQexecParams(n->conn, queue->delivered, queue->delivered_params, NULL,
                                        delivered, NULL, NULL, 0)
                         : PQexecParams(n->conn, queue->retry, 3, NULL, retry, NULL, NULL, 0);
    int ok = PQresultStatus(mark) == PGRES_COMMAND_OK;
    PQclear(mark);
    if (outcome->why != NULL)
        ok_log_new(OK_LOG_WARN, "delivery failed",
                   json_pack("{s:s, s:s, s:s, s:i}", "outbox", queue->name, "id", id, "reason",
                             outcome->why, "retry_in_s", (int)backoff));
    return ok ? 0 : -1;
}

/* One round of queue: how many were delivered, or -1 if the database failed. */
static int notifier_round(notifier *n, const notifier_queue *queue)
{
    char lease[24], limit[24];
    snprintf(lease, sizeof(lease), "%ld", n->batch * n->timeout_ms / 1000 + 5);
    snprintf(limit, sizeof(limit), "%ld", n->batch);
    const char *params[] = {lease, limit};
    PGresult *batch = PQexecParams(n->conn, queue->claim, 2, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(batch) != PGRES_TUPLES_OK) {
        PQclear(batch);
        return -1;
    }
    int delivered = 0, ok = 1, last = PQnfields(batch) - 1;
    for (int i = 0; i < PQntuples(batch) && ok; i++) {
        notifier_outcome outcome = queue->send(n, batch, i);
        ok = notifier_mark(n, queue, PQgetvalue(batch, i, 0), &outcome,
                           strtol(PQgetvalue(batch, i, last), NULL, 10)) == 0;
        delivered += outcome.why == NULL;
        ok_metrics_count(outcome.why == NULL ? OK_METRICS_NOTIFICATIONS_DELIVERED
                                             : OK_METRICS_NOTIFICATIONS_FAILED);
        ok_arena_reset(n->arena);
    }
    PQclear(batch);
    return ok ? delivered : -1;
}

static void notifier_sleep_ms(long ms)
{
    for (long slept = 0; slept < ms && !notifier_stop; slept += 50)
        usleep(50000);
}

int main(void)
{
    if (ok_version_printed())
        return 0;
    if (ok_config_load(0) != 0)
        return 1;
    ok_metrics_attach("notifier", NULL, 0);
    notifier n = {
        .webhook_url = ok_config_string("OTKLIK_WEBHOOK_URL", NULL),
        .webhook_secret = ok_config_string("OTKLIK_WEBHOOK_SECRET", NULL),
        .vk_url = ok_config_string("OTKLIK_VK_API_URL", NULL),
        .vk_version = ok_config_string("OTKLIK_VK_API_VERSION", "5.199"),
        .telegram_url = ok_config_string("OTKLIK_TELEGRAM_API_URL", NULL),
        .secrets_dir = ok_config_string("OTKLIK_CHANNELS_SECRETS_DIR", NULL),
        .smtp_url = ok_config_string("OTKLIK_SMTP_URL", NULL),
        .smtp_from = ok_config_string("OTKLIK_SMTP_FROM", NULL),
        .smtp_auth_file = ok_config_string("OTKLIK_SMTP_AUTH_FILE", NULL),
    };
    n.smtp_tls_required = strcmp(ok_config_string("OTKLIK_SMTP_STARTTLS", "try"), "required") == 0;
    if (n.smtp_from != NULL && strchr(n.smtp_from, '@') == NULL) {
        ok_log(OK_LOG_ERROR, "bad configuration", "OTKLIK_SMTP_FROM is not an address");
        return 1;
    }
    if (ok_config_long("OTKLIK_WEBHOOK_TIMEOUT_MS", 5000, 100, 60000, &n.timeout_ms) != 0 ||
        ok_config_long("OTKLIK_NOTIFIER_POLL_MS", 500, 10, 60000, &n.poll_ms) != 0 ||
        ok_config_long("OTKLIK_NOTIFIER_MAX_BACKOFF_SECONDS", 300, 1, 86400,
                       &n.max_backoff_seconds) != 0 ||
        ok_config_long("OTKLIK_NOTIFIER_BATCH", 10, 1, 1000, &n.batch) != 0)
        return 1;
    if (n.webhook_url == NULL && n.vk_url == NULL && n.telegram_url == NULL && n.smtp_url == NULL) {
        ok_log(OK_LOG_ERROR, "bad configuration",
               "none of OTKLIK_WEBHOOK_URL, OTKLIK_VK_API_URL, OTKLIK_TELEGRAM_API_URL, "
               "OTKLIK_SMTP_URL is set");
        return 1;
    }
    /* with CURLOPT_NOSIGNAL, a write to a connection the receiver closed would
     * otherwise kill the process */
    signal(SIGPIPE, SIG_IGN);
    signal(SIGTERM, notifier_on_signal);
    signal(SIGINT, notifier_on_signal);
    signal(SIGQUIT, notifier_on_signal);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    n.curl = curl_easy_init();
    n.arena = ok_arena_new();
    if (n.curl == NULL || n.arena == NULL) {
        ok_log(OK_LOG_ERROR, "cannot start", "libcurl could not be initialised");
        return 1;
    }
    ok_log(OK_LOG_INFO, "started", "notifier delivering the outbox");
    while (!notifier_stop) {
        if (n.conn == NULL || PQstatus(n.conn) != CONNECTION_OK) {
            PQfinish(n.conn);
            n.conn = ok_db_connect("otklik-notifier", NULL);
            if (n.conn == NULL) {
                ok_log(OK_LOG_WARN, "database unreachable", "retrying in a second");
                notifier_sleep_ms(1000);
                continue;
            }
        }
        int delivered = n.webhook_url != NULL ? notifier_round(&n, &notifier_webhook_queue) : 0;
        int sent = delivered >= 0 ? notifier_round(&n, &notifier_networks_queue) : -1;
        if (delivered <= 0 && sent <= 0)
            notifier_sleep_ms(n.poll_ms);
    }
    PQfinish(n.conn);
    curl_easy_cleanup(n.curl);
    ok_arena_free(n.arena);
    curl_global_cleanup();
    ok_log(OK_LOG_INFO, "stopped", "notifier");
    return 0;
}
