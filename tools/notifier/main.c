/*
 * otklik-notifier - delivers citizens' notifications to an external webhook.
 *
 * DESIGN
 * The notifications table is the outbox: a row written in the transaction of
 * the transition it tells about is delivered at least once, whatever restarts
 * in between. Each round claims the oldest undelivered notification of each
 * message (so a message's notifications arrive in order) with a lease: one
 * short statement moves their next_attempt_at past the time the round may take
 * (SKIP LOCKED lets several notifiers share the work). It then POSTs them as
 * JSON with libcurl, no transaction open, and marks each delivered or schedules
 * a retry with exponential backoff. The lease of a notifier killed mid-round
 * simply expires and another round delivers again: the receiver drops
 * duplicates by the notification's id (also the X-Otklik-Delivery header). With
 * OTKLIK_WEBHOOK_SECRET the body is signed: X-Otklik-Signature: sha256=<hex HMAC-SHA256 of the
 * body>.
 *
 * Settings: OTKLIK_DATABASE_URL, OTKLIK_WEBHOOK_URL, OTKLIK_WEBHOOK_SECRET,
 * OTKLIK_WEBHOOK_TIMEOUT_MS (5000), OTKLIK_NOTIFIER_POLL_MS (500),
 * OTKLIK_NOTIFIER_MAX_BACKOFF_SECONDS (300), OTKLIK_NOTIFIER_BATCH (10). A
 * round's lease is batch x timeout + 5 s: how long the notifications of a
 * killed notifier wait before they are delivered again.
 *
 * Its counters (delivered, failed) go to OTKLIK_METRICS_DIR/notifier.metrics,
 * which the workers' GET /metrics shows (ok_metrics.h).
 */
#include "ok_config.h"
#include "ok_crypto.h"
#include "ok_curl.h"
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

typedef struct notifier {
    const char *url;
    const char *secret;
    long timeout_ms;
    long poll_ms;
    long max_backoff_seconds;
    long batch;
    PGconn *conn;
    CURL *curl;
} notifier;

static void notifier_on_signal(int signal_number)
{
    (void)signal_number;
    notifier_stop = 1;
}

static size_t notifier_discard(char *data, size_t size, size_t count, void *context)
{
    (void)data;
    (void)context;
    return size * count;
}

/* POSTs one notification; returns NULL when the receiver took it (2xx), else
 * why not (static text). */
static const char *notifier_post(notifier *n, const char *id, const char *body)
{
    char delivery[64], signature[96];
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    snprintf(delivery, sizeof(delivery), "X-Otklik-Delivery: %s", id);
    headers = curl_slist_append(headers, delivery);
    if (n->secret != NULL) {
        char mac[65];
        ok_crypto_hmac_sha256_hex(n->secret, body, strlen(body), mac);
        snprintf(signature, sizeof(signature), "X-Otklik-Signature: sha256=%s", mac);
        headers = curl_slist_append(headers, signature);
    }
    CURL *curl = n->curl;
    ok_curl_setup(curl, n->url, n->timeout_ms);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, notifier_discard);
    CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    if (rc == CURLE_OK)
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    if (rc != CURLE_OK)
        return curl_easy_strerror(rc);
    return status >= 200 && status < 300 ? NULL : "the receiver answered an error status";
}

static const char notifier_claim_sql[] =
    "UPDATE notifications SET next_attempt_at = otklik_now() + make_interval(secs => $1)"
    " WHERE id IN (SELECT n.id FROM notifications n"
    "   WHERE n.delivered_at IS NULL AND n.next_attempt_at <= otklik_now()"
    "     AND NOT EXISTS (SELECT 1 FROM notifications e WHERE e.message_id = n.message_id"
    "       AND e.id < n.id AND e.delivered_at IS NULL)"
    "   ORDER BY n.id LIMIT $2 FOR UPDATE SKIP LOCKED)"
    " RETURNING id, json_build_object('id', id, 'message_id', message_id,"
    "  'user_id', user_id, 'status', status, 'title', title,"
    "  'created_at', otklik_rfc3339(created_at))::text, attempts";

/* Records the outcome of one delivery; 0, or -1 if the database failed. */
static int notifier_mark(notifier *n, const char *id, const char *why, long attempts)
{
    long backoff = attempts >= 20 ? n->max_backoff_seconds : 1L << attempts;
    if (backoff > n->max_backoff_seconds)
        backoff = n->max_backoff_seconds;
    char backoff_text[24];
    snprintf(backoff_text, sizeof(backoff_text), "%ld", backoff);
    const char *params[] = {id, why, backoff_text};
    PGresult *mark =
        why == NULL ? PQexecParams(n->conn,
                                   "UPDATE notifications SET delivered_at = otklik_now(),"
                                   " attempts = attempts + 1 WHERE id = $1",
                                   1, NULL, params, NULL, NULL, 0)
                    : PQexecParams(n->conn,
                                   "UPDATE notifications SET attempts = attempts + 1,"
                                   " last_error = $2,"
                                   " next_attempt_at = otklik_now() + make_interval(secs => $3)"
                                   " WHERE id = $1",
                                   3, NULL, params, NULL, NULL, 0);
    int ok = PQresultStatus(mark) == PGRES_COMMAND_OK;
    PQclear(mark);
    if (why != NULL)
        ok_log_new(OK_LOG_WARN, "delivery failed",
                   json_pack("{s:s, s:s, s:i}", "notification", id, "reason", why, "retry_in_s",
                             (int)backoff));
    return ok ? 0 : -1;
}

/* One round: returns how many were delivered, or -1 if the database failed. */
static int notifier_round(notifier *n)
{
    char lease[24], limit[24];
    snprintf(lease, sizeof(lease), "%ld", n->batch * n->timeout_ms / 1000 + 5);
    snprintf(limit, sizeof(limit), "%ld", n->batch);
    const char *params[] = {lease, limit};
    PGresult *batch = PQexecParams(n->conn, notifier_claim_sql, 2, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(batch) != PGRES_TUPLES_OK) {
        PQclear(batch);
        return -1;
    }
    int delivered = 0, ok = 1;
    for (int i = 0; i < PQntuples(batch) && ok; i++) {
        const char *why = notifier_post(n, PQgetvalue(batch, i, 0), PQgetvalue(batch, i, 1));
        ok = notifier_mark(n, PQgetvalue(batch, i, 0), why,
                           strtol(PQgetvalue(batch, i, 2), NULL, 10)) == 0;
        delivered += why == NULL;
        ok_metrics_count(why == NULL ? OK_METRICS_NOTIFICATIONS_DELIVERED
                                     : OK_METRICS_NOTIFICATIONS_FAILED);
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
        .url = ok_config_text("OTKLIK_WEBHOOK_URL"),
        .secret = ok_config_text("OTKLIK_WEBHOOK_SECRET"),
        .timeout_ms = ok_config_integer("OTKLIK_WEBHOOK_TIMEOUT_MS"),
        .poll_ms = ok_config_integer("OTKLIK_NOTIFIER_POLL_MS"),
        .max_backoff_seconds = ok_config_integer("OTKLIK_NOTIFIER_MAX_BACKOFF_SECONDS"),
        .batch = ok_config_integer("OTKLIK_NOTIFIER_BATCH"),
    };
    if (n.url == NULL) {
        ok_log(OK_LOG_ERROR, "bad configuration", "OTKLIK_WEBHOOK_URL is not set");
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
    if (n.curl == NULL) {
        ok_log(OK_LOG_ERROR, "cannot start", "libcurl could not be initialised");
        return 1;
    }
    ok_log(OK_LOG_INFO, "started", "notifier delivering to the configured webhook");
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
        int delivered = notifier_round(&n);
        if (delivered <= 0)
            notifier_sleep_ms(n.poll_ms);
    }
    PQfinish(n.conn);
    curl_easy_cleanup(n.curl);
    curl_global_cleanup();
    ok_log(OK_LOG_INFO, "stopped", "notifier");
    return 0;
}
