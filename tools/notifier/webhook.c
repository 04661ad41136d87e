/*
 * webhook.c - the notifications' sender: each one POSTed as JSON to
 * OTKLIK_WEBHOOK_URL, its id in X-Otklik-Delivery (the receiver's key for
 * dropping duplicates) and, with OTKLIK_WEBHOOK_SECRET, the body signed:
 * X-Otklik-Signature: sha256=<hex HMAC-SHA256 of the body>.
 */
#include "notifier.h"
#include "ok_crypto.h"

#include <string.h>

notifier_outcome notifier_webhook_send(notifier *n, PGresult *batch, int row)
{
    const char *id = PQgetvalue(batch, row, 0), *body = PQgetvalue(batch, row, 1);
    const char *headers[4] = {"Content-Type: application/json",
                              ok_arena_printf(n->arena, "X-Otklik-Delivery: %s", id)};
    if (n->webhook_secret != NULL) {
        char mac[65];
        ok_crypto_hmac_sha256_hex(n->webhook_secret, body, strlen(body), mac);
        headers[2] = ok_arena_printf(n->arena, "X-Otklik-Signature: sha256=%s", mac);
    }
    long status;
    const char *answer;
    notifier_outcome outcome = {0};
    outcome.why = notifier_http_post(n, n->webhook_url, headers, body, &status, &answer);
    if (outcome.why == NULL && (status < 200 || status >= 300))
        outcome.why = "the receiver answered an error status";
    return outcome;
}
