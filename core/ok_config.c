/*
 * ok_config.c - OTKLIK_* environment variables; see ok_config.h and README.md.
 */
#include "ok_config.h"
#include "ok_log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

ok_config ok_config_global;

const char *ok_config_string(const char *name, const char *fallback)
{
    const char *value = getenv(name);
    return value != NULL && value[0] != '\0' ? value : fallback;
}

int ok_config_long(const char *name, long fallback, long min, long max, long *out)
{
    const char *value = getenv(name);
    if (value == NULL || value[0] == '\0') {
        *out = fallback;
        return 0;
    }
    char *end;
    errno = 0;
    long n = strtol(value, &end, 10);
    if (errno != 0 || *end != '\0' || n < min || n > max) {
        ok_log(OK_LOG_ERROR, "bad configuration", "%s must be an integer in [%ld, %ld]", name, min,
               max);
        return -1;
    }
    *out = n;
    return 0;
}

int ok_config_read_secret(const char *path, char *out, size_t size, size_t *length)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    size_t n = fread(out, 1, size - 1, f);
    fclose(f);
    while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
        n--;
    out[n] = '\0';
    if (length != NULL)
        *length = n;
    return 0;
}

static int ok_config_read_key(ok_config *c)
{
    size_t n = 0;
    if (ok_config_read_secret(c->token_key_file, (char *)c->token_key, sizeof(c->token_key), &n) !=
        0) {
        ok_log(OK_LOG_ERROR, "bad configuration", "cannot open OTKLIK_TOKEN_KEY_FILE: %s",
               strerror(errno));
        return -1;
    }
    if (n < 32) {
        ok_log(OK_LOG_ERROR, "bad configuration",
               "OTKLIK_TOKEN_KEY_FILE must hold at least 32 bytes");
        return -1;
    }
    c->token_key_length = n;
    return 0;
}

/* The upload quota and rate (modules/widget/attachments.c) and how long an
 * unattached upload is kept (otklikctl tick). A quota smaller than one
 * allowed file would refuse that file forever, so it is refused here. */
static int ok_config_uploads(ok_config *c)
{
    if (ok_config_long("OTKLIK_UPLOAD_QUOTA_BYTES", 50L << 20, 1024, 1L << 40,
                       &c->upload_quota_bytes) != 0 ||
        ok_config_long("OTKLIK_UPLOAD_QUOTA_FILES", 20, 1, 100000, &c->upload_quota_files) != 0 ||
        ok_config_long("OTKLIK_UPLOAD_RATE_PER_MINUTE", 30, 1, 100000,
                       &c->upload_rate_per_minute) != 0 ||
        ok_config_long("OTKLIK_UPLOAD_TTL_SECONDS", 86400, 60, 365L * 86400,
                       &c->upload_ttl_seconds) != 0)
        return -1;
    if ((size_t)c->upload_quota_bytes < c->max_attachment_bytes) {
        ok_log(OK_LOG_ERROR, "bad configuration",
               "OTKLIK_UPLOAD_QUOTA_BYTES must be at least OTKLIK_MAX_ATTACHMENT_BYTES");
        return -1;
    }
    return 0;
}

int ok_config_load(int need_token_key)
{
    ok_config *c = &ok_config_global;
    long threads, ttl, max_json, max_attachment, offset, timeout;
    c->database_url = ok_config_string("OTKLIK_DATABASE_URL", "dbname=otklik");
    c->token_key_file = ok_config_string("OTKLIK_TOKEN_KEY_FILE", "var/secrets/token.key");
    c->token_issuer = ok_config_string("OTKLIK_TOKEN_ISSUER", "otklik");
    c->public_origin = ok_config_string("OTKLIK_PUBLIC_ORIGIN", "http://127.0.0.1:8080");
    ok_log_set_level(ok_config_string("OTKLIK_LOG_LEVEL", "info"));
    if (ok_config_long("OTKLIK_THREADS", 4, 1, 256, &threads) != 0 ||
        ok_config_long("OTKLIK_TOKEN_TTL_SECONDS", 86400, 60, 30L * 86400, &ttl) != 0 ||
        ok_config_long("OTKLIK_MAX_JSON_BYTES", 256 * 1024, 1024, 16L << 20, &max_json) != 0 ||
        ok_config_long("OTKLIK_MAX_ATTACHMENT_BYTES", 5L << 20, 1024, 64L << 20, &max_attachment) !=
            0 ||
        ok_config_long("OTKLIK_CLOCK_OFFSET_SECONDS", 0, -(100L * 365 * 86400), 100L * 365 * 86400,
                       &offset) != 0 ||
        ok_config_long("OTKLIK_STATEMENT_TIMEOUT_MS", 10000, 100, 3600000, &timeout) != 0)
        return -1;
    c->statement_timeout_ms = timeout;
    c->threads = (int)threads;
    c->token_ttl_seconds = ttl;
    c->max_json_bytes = (size_t)max_json;
    c->max_attachment_bytes = (size_t)max_attachment;
    c->clock_offset_seconds = offset;
    if (ok_config_uploads(c) != 0)
        return -1;
    if (need_token_key && ok_config_read_key(c) != 0)
        return -1;
    return 0;
}

long long ok_config_now(void)
{
    return (long long)time(NULL) + ok_config_global.clock_offset_seconds;
}
