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
 * (or the receiver's own Retry-After, when it said one).
 *
 * Fairness: a dead receiver's backlog must not starve the others. A round
 * takes its rows in turns per destination (the webhook; each VK or Telegram
 * account; the SMTP server): the first due row of every destination before
 * the second of any, rows never tried before rows that failed, then by
 * next_attempt_at (which a failure pushes back). Once
 * a destination failed in a round, its other rows of that round are not
 * tried: they wait the same backoff, no attempt counted, so a receiver that
 * hangs costs a round one timeout, not a batch of them. The lease of a
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
 * of id, the sender's columns, the destination and attempts last), mark a
 * row delivered ($1 id, $2 the answer or NULL), to retry ($1 id, $2 why, $3
 * seconds) or put it back untried ($1 id, $2 seconds), and its sender. */
typedef struct notifier_queue {
    const char *name;
    const char *claim;
    const char *delivered;
    const char *retry;
    const char *postpone;
    int delivered_params;
    notifier_send_fn *send;
} notifier_queue;

/* The due undelivered rows of table, the oldest one per ordering key column
 * key, in turns per destination (an expression of the row n; within a turn,
 * rows that never failed first): rows of id, the sender's columns, the
 * destination and attempts. */
#define NOTIFIER_CLAIM(table, key, destination, columns)                                           \
    "WITH due AS (SELECT n.id, n.next_attempt_at, " destination " AS destination FROM " table " n" \
    "   WHERE n.delivered_at IS NULL AND n.next_attempt_at <= otklik_now()"                        \
    "     AND NOT EXISTS (SELECT 1 FROM " table " e WHERE e." key " = n." key                      \
    "       AND e.id < n.id AND e.delivered_at IS NULL)),"                                         \
    " turns AS (SELECT id, row_number() OVER (PARTITION BY destination"                            \
    "   ORDER BY next_attempt_at, id) AS turn, next_attempt_at FROM due),"                         \
    " chosen AS (SELECT n.id AS chosen_id FROM " table " n JOIN turns USING (id)"                  \
    "   ORDER BY turns.turn, n.attempts, turns.next_attempt_at, n.id"                              \
    "   LIMIT $2 FOR UPDATE OF n SKIP LOCKED)"                                                     \
    " UPDATE " table " n SET next_attempt_at = otklik_now() + make_interval(secs => $1)"           \
    " FROM chosen WHERE n.id = chosen.chosen_id"                                                   \
    " RETURNING n.id, " columns ", " destination ", n.attempts"

/* Puts a row not tried back ($1 id, $2 seconds), no attempt counted. */
#define NOTIFIER_POSTPONE(table)                                                                   \
    "UPDATE " table " SET next_attempt_at = otklik_now() + make_interval(secs => $2) WHERE id = "  \
    "$1"
#define NOTIFIER_RETRY(table)                                                                      \
    "UPDATE " table " SET attempts = attempts + 1, last_error = $2,"                               \
    " next_attempt_at = otklik_now() + make_interval(secs => $3) WHERE id = $1"

static const notifier_queue notifier_webhook_queue = {
    .name = "notification",
    .claim = NOTIFIER_CLAIM("notifications", "message_id", "'webhook'",
                            "json_build_object('id', id, 'message_id', message_id,"
                            "  'user_id', user_id, 'status', status, 'title', title,"
                            "  'created_at', otklik_rfc3339(created_at))::text"),
    .delivered = "UPDATE notifications SET delivered_at = otklik_now(),"
                 " attempts = attempts + 1 WHERE id = $1",
    .delivered_params = 1, /* the receiver's answer is not kept */
    .retry = NOTIFIER_RETRY("notifications"),
    .postpone = NOTIFIER_POSTPONE("notifications"),
    .send = notifier_webhook_send,
};

static const notifier_queue notifier_networks_queue = {
    .name = "delivery",
    /* e-mail's destination is the one SMTP server */
    .claim = NOTIFIER_CLAIM("deliveries", "ordering_key",
                            "n.channel || ':' || coalesce(n.account_id::text, '')",
                            "channel, account_id, method, params::text"),
    .delivered = "UPDATE deliveries SET delivered_at = otklik_now(), attempts = attempts + 1,"
                 " result = $2::jsonb WHERE id = $1",
    .delivered_params = 2,
    .retry = NOTIFIER_RETRY("deliveries"),
    .postpone = NOTIFIER_POSTPONE("deliveries"),
    .send = notifier_networks_send,
};

/* How long a row waits after a failed attempt (its attempts before it). */
static long notifier_backoff(const notifier *n, const notifier_outcome *outcome, long attempts)
{
    long backoff = attempts >= 20 ? n->max_backoff_seconds : 1L << attempts;
    if (backoff > n->max_backoff_seconds)
        backoff = n->max_backoff_seconds;
    if (outcome->retry_after > backoff)
        backoff = outcome->retry_after < 3600 ? outcome->retry_after : 3600;
    return backoff;
}

/* Runs one of queue's marking statements; 0, or -1 if the database failed. */
static int notifier_exec(notifier *n, const char *statement, int count, const char *const *params)
{
    PGresult *mark = PQexecParams(n->conn, statement, count, NULL, params, NULL, NULL, 0);
    int ok = PQresultStatus(mark) == PGRES_COMMAND_OK;
    PQclear(mark);
    return ok ? 0 : -1;
}

/* Records the outcome of one attempt (a failure waits backoff seconds); 0,
 * or -1 if the database failed. */
static int notifier_mark(notifier *n, const notifier_queue *queue, const char *id,
                         const notifier_outcome *outcome, long backoff)
{
    char backoff_text[24];
    snprintf(backoff_text, sizeof(backoff_text), "%ld", backoff);
    if (outcome->why == NULL) {
        const char *delivered[] = {id, outcome->result};
        return notifier_exec(n, queue->delivered, queue->delivered_params, delivered);
    }
    ok_log_new(OK_LOG_WARN, "delivery failed",
               json_pack("{s:s, s:s, s:s, s:i}", "outbox", queue->name, "id", id, "reason",
                         outcome->why, "retry_in_s", (int)backoff));
    const char *retry[] = {id, outcome->why, backoff_text};
    return notifier_exec(n, queue->retry, 3, retry);
}

/* The backoff of an earlier row of batch (before row) to the same
 * destination that failed in this round, or 0. */
static long notifier_failed_before(PGresult *batch, int row, const long *failed)
{
    int column = PQnfields(batch) - 2;
    for (int j = 0; j < row; j++)
        if (failed[j] > 0 &&
            strcmp(PQgetvalue(batch, j, column), PQgetvalue(batch, row, column)) == 0)
            return failed[j];
    return 0;
}

/* Tries row i of batch, or puts it back if its destination failed earlier
 * in the round (failed[j]: the backoff of row j's failure, or 0); 1 if it
 * was delivered, 0 if not, -1 if the database failed. */
static int notifier_try(notifier *n, const notifier_queue *queue, PGresult *batch, int i,
                        long *failed)
{
    const char *id = PQgetvalue(batch, i, 0);
    long waits = notifier_failed_before(batch, i, failed);
    if (waits > 0) {
        char seconds[24];
        snprintf(seconds, sizeof(seconds), "%ld", waits);
        const char *params[] = {id, seconds};
        return notifier_exec(n, queue->postpone, 2, params);
    }
    notifier_outcome outcome = queue->send(n, batch, i);
    long attempts = strtol(PQgetvalue(batch, i, PQnfields(batch) - 1), NULL, 10);
    long backoff = notifier_backoff(n, &outcome, attempts);
    int marked = notifier_mark(n, queue, id, &outcome, backoff);
    failed[i] = outcome.why == NULL ? 0 : backoff;
    ok_metrics_count(outcome.why == NULL ? OK_METRICS_NOTIFICATIONS_DELIVERED
                                         : OK_METRICS_NOTIFICATIONS_FAILED);
    ok_arena_reset(n->arena);
    return marked != 0 ? -1 : outcome.why == NULL;
}

/* One round of queue: how many were delivered, or -1 if the database failed. */
static int notifier_round(notifier *n, const notifier_queue *queue)
{
    char lease[24], limit[24];
    snprintf(lease, sizeof(lease), "%ld", n->batch * n->timeout_ms / 1000 + 5);
    snprintf(limit, sizeof(limit), "%ld", n->batch);
    const char *params[] = {lease, limit};
    PGresult *batch = PQexecParams(n->conn, queue->claim, 2, NULL, params, NULL, NULL, 0);
    long *failed = calloc((size_t)PQntuples(batch) + 1, sizeof(long));
    if (PQresultStatus(batch) != PGRES_TUPLES_OK || failed == NULL) {
        PQclear(batch);
        free(failed);
        return -1;
    }
    int delivered = 0, done = 0;
    for (int i = 0; i < PQntuples(batch) && done >= 0; i++) {
        done = notifier_try(n, queue, batch, i, failed);
        delivered += done > 0;
    }
    PQclear(batch);
    free(failed);
    return done >= 0 ? delivered : -1;
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
