/*
 * email.c - the e-mail sender of deliveries (channel email): a plain-text
 * UTF-8 message through SMTP with libcurl to OTKLIK_SMTP_URL
 * (smtp://host:587 or smtps://host:465), from OTKLIK_SMTP_FROM, with STARTTLS
 * when the server offers it (OTKLIK_SMTP_STARTTLS=required: only with it), and
 * authentication from OTKLIK_SMTP_AUTH_FILE ("user:password", never logged).
 * The Message-ID is the delivery's, so a message sent twice (at least once)
 * is recognisably the same. Each carries its unsubscribe link (in the text,
 * and List-Unsubscribe with one-click, RFC 8058).
 */
#include "notifier.h"
#include "ok_config.h"
#include "ok_curl.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

typedef struct email_source {
    const char *data;
    size_t left;
} email_source;

static size_t email_read(char *buffer, size_t size, size_t count, void *context)
{
    email_source *source = context;
    size_t n = size * count < source->left ? size * count : source->left;
    memcpy(buffer, source->data, n);
    source->data += n;
    source->left -= n;
    return n;
}

/* text as base64 in lines of 76 characters ending with CRLF (arena). */
static const char *email_base64(notifier *n, const char *text, int folded)
{
    size_t length = strlen(text);
    unsigned char *encoded = ok_arena_alloc(n->arena, 4 * ((length + 2) / 3) + 1);
    int written = EVP_EncodeBlock(encoded, (const unsigned char *)text, (int)length);
    if (!folded)
        return (const char *)encoded;
    char *lines = ok_arena_alloc(n->arena, (size_t)written + (size_t)written / 76 * 2 + 3);
    size_t used = 0;
    for (int i = 0; i < written; i += 76) {
        int chunk = written - i < 76 ? written - i : 76;
        memcpy(lines + used, encoded + i, (size_t)chunk);
        used += (size_t)chunk;
        lines[used++] = '\r';
        lines[used++] = '\n';
    }
    lines[used] = '\0';
    return lines;
}

/* Whether an address can go into a header and an SMTP command as it is. */
static int email_address_safe(const char *address)
{
    for (const unsigned char *p = (const unsigned char *)address; *p; p++)
        if (*p <= 0x20 || *p == 0x7F || *p == '<' || *p == '>')
            return 0;
    return address[0] != '\0' && strchr(address, '@') != NULL;
}

notifier_outcome notifier_email_send(notifier *n, const char *id, json_t *params)
{
    notifier_outcome outcome = {0};
    const char *to = json_string_value(json_object_get(params, "to"));
    const char *subject = json_string_value(json_object_get(params, "subject"));
    const char *text = json_string_value(json_object_get(params, "text"));
    const char *key = json_string_value(json_object_get(params, "unsubscribe_key"));
    /* the recipient's language (sql/071): en, or Russian */
    const char *language = json_string_value(json_object_get(params, "language"));
    int english = language != NULL && strcmp(language, "en") == 0;
    if (n->smtp_url == NULL || n->smtp_from == NULL) {
        outcome.why = "no OTKLIK_SMTP_URL or OTKLIK_SMTP_FROM";
        return outcome;
    }
    if (to == NULL || subject == NULL || text == NULL || !email_address_safe(to)) {
        outcome.why = "the e-mail's address, subject or text is missing or unusable";
        return outcome;
    }
    char date[64];
    time_t now = time(NULL);
    struct tm tm;
    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", gmtime_r(&now, &tm));
    const char *domain = strchr(n->smtp_from, '@') + 1;
    const char *unsubscribe = "";
    if (key != NULL) {
        const char *link = ok_arena_printf(n->arena, "%s/api/v1/intake/unsubscribe?key=%s",
                                           ok_config_global.public_origin, key);
        text = ok_arena_printf(n->arena,
                               english ? "%s\n\n--\nUnsubscribe from these e-mails: %s\n"
                                       : "%s\n\n--\nОтписаться от писем: %s\n",
                               text, link);
        unsubscribe = ok_arena_printf(
            n->arena,
            "List-Unsubscribe: <%s>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n",
            link);
    }
    const char *message = ok_arena_printf(
        n->arena,
        "From: <%s>\r\nTo: <%s>\r\nSubject: =?UTF-8?B?%s?=\r\nDate: %s\r\n"
        "Message-ID: <delivery-%s@%s>\r\n%sContent-Language: %s\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n%s",
        n->smtp_from, to, email_base64(n, subject, 0), date, id, domain, unsubscribe,
        english ? "en" : "ru", email_base64(n, text, 1));
    email_source source = {message, strlen(message)};
    struct curl_slist *recipients = curl_slist_append(NULL, ok_arena_printf(n->arena, "<%s>", to));
    CURL *curl = n->curl;
    ok_curl_setup_smtp(curl, n->smtp_url, n->timeout_ms);
    curl_easy_setopt(curl, CURLOPT_USE_SSL,
                     n->smtp_tls_required ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, ok_arena_printf(n->arena, "<%s>", n->smtp_from));
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, email_read);
    curl_easy_setopt(curl, CURLOPT_READDATA, &source);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    char auth[512];
    if (n->smtp_auth_file != NULL &&
        ok_config_read_secret(n->smtp_auth_file, auth, sizeof(auth), NULL) == 0 &&
        strchr(auth, ':') != NULL) {
        *strchr(auth, ':') = '\0';
        curl_easy_setopt(curl, CURLOPT_USERNAME, auth);
        curl_easy_setopt(curl, CURLOPT_PASSWORD, auth + strlen(auth) + 1);
    }
    CURLcode rc = curl_easy_perform(curl);
    OPENSSL_cleanse(auth, sizeof(auth));
    curl_slist_free_all(recipients);
    if (rc != CURLE_OK)
        outcome.why = curl_easy_strerror(rc);
    else
        outcome.result = "{\"sent\": true}";
    return outcome;
}
