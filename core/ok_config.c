/*
 * ok_config.c - OTKLIK_* environment variables; see ok_config.h and README.md.
 */
#include "ok_config.h"
#include "ok_log.h"

#include <errno.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* where make install puts the shared files and the configuration (Makefile) */
#ifndef OK_DATADIR
#define OK_DATADIR "/usr/local/share/otklik"
#endif
#ifndef OK_SYSCONFDIR
#define OK_SYSCONFDIR "/usr/local/etc"
#endif

ok_config ok_config_global;

typedef enum ok_config_kind {
    OK_CONFIG_TEXT,     /* anything */
    OK_CONFIG_SECRET,   /* anything, never printed */
    OK_CONFIG_PATH,     /* a file or directory */
    OK_CONFIG_INTEGER,  /* decimal, in [min, max] */
    OK_CONFIG_URL,      /* http:// or https:// */
    OK_CONFIG_ORIGIN,   /* http(s)://host[:port], nothing after */
    OK_CONFIG_CHOICE,   /* one of choices, separated by | */
    OK_CONFIG_CONNINFO, /* a libpq connection string or URI; its password never printed */
} ok_config_kind;

typedef struct ok_config_variable {
    const char *name;
    ok_config_kind kind;
    const char *fallback; /* the default, as text; NULL: none */
    long min, max;        /* OK_CONFIG_INTEGER */
    const char *choices;  /* OK_CONFIG_CHOICE */
} ok_config_variable;

#define OK_LOCAL_IDP "http://127.0.0.1:8090"

/* Every variable any program reads: README.md's "Configuration" table. */
static const ok_config_variable ok_config_variables[] = {
    {"OTKLIK_DATABASE_URL", OK_CONFIG_CONNINFO, "dbname=otklik", 0, 0, NULL},
    {"OTKLIK_THREADS", OK_CONFIG_INTEGER, "4", 1, 256, NULL},
    {"OTKLIK_TOKEN_KEY_FILE", OK_CONFIG_PATH, OK_SYSCONFDIR "/otklik/token.key", 0, 0, NULL},
    {"OTKLIK_TOKEN_ISSUER", OK_CONFIG_TEXT, "otklik", 0, 0, NULL},
    {"OTKLIK_TOKEN_TTL_SECONDS", OK_CONFIG_INTEGER, "86400", 60, 30L * 86400, NULL},
    {"OTKLIK_PUBLIC_ORIGIN", OK_CONFIG_ORIGIN, "http://127.0.0.1:8080", 0, 0, NULL},
    {"OTKLIK_MAX_JSON_BYTES", OK_CONFIG_INTEGER, "262144", 1024, 16L << 20, NULL},
    {"OTKLIK_MAX_ATTACHMENT_BYTES", OK_CONFIG_INTEGER, "5242880", 1024, 64L << 20, NULL},
    {"OTKLIK_UPLOAD_QUOTA_FILES", OK_CONFIG_INTEGER, "20", 1, 100000, NULL},
    {"OTKLIK_UPLOAD_QUOTA_BYTES", OK_CONFIG_INTEGER, "52428800", 1024, 1L << 40, NULL},
    {"OTKLIK_UPLOAD_RATE_PER_MINUTE", OK_CONFIG_INTEGER, "30", 1, 100000, NULL},
    {"OTKLIK_UPLOAD_TTL_SECONDS", OK_CONFIG_INTEGER, "86400", 60, 365L * 86400, NULL},
    {"OTKLIK_CLOCK_OFFSET_SECONDS", OK_CONFIG_INTEGER, "0", -(100L * 365 * 86400),
     100L * 365 * 86400, NULL},
    {"OTKLIK_STATEMENT_TIMEOUT_MS", OK_CONFIG_INTEGER, "10000", 100, 3600000, NULL},
    {"OTKLIK_ANALYTICS_STATEMENT_TIMEOUT_MS", OK_CONFIG_INTEGER, "25000", 1000, 3600000, NULL},
    {"OTKLIK_MAP_TILES_URL", OK_CONFIG_URL, NULL, 0, 0, NULL},
    {"OTKLIK_LOG_LEVEL", OK_CONFIG_CHOICE, "info", 0, 0, "debug|info|warn|error"},
    {"OTKLIK_LISTEN", OK_CONFIG_PATH, NULL, 0, 0, NULL},
    {"OTKLIK_SQL_DIR", OK_CONFIG_PATH, OK_DATADIR "/sql", 0, 0, NULL},
    {"OTKLIK_WIDGET_DIR", OK_CONFIG_PATH, OK_DATADIR "/widget-js/dist", 0, 0, NULL},
    {"OTKLIK_METRICS_DIR", OK_CONFIG_PATH, NULL, 0, 0, NULL},
    {"OTKLIK_ESIA_ISSUER", OK_CONFIG_URL, OK_LOCAL_IDP, 0, 0, NULL},
    {"OTKLIK_ESIA_AUTHORIZE_URL", OK_CONFIG_URL, OK_LOCAL_IDP "/auth", 0, 0, NULL},
    {"OTKLIK_ESIA_TOKEN_URL", OK_CONFIG_URL, OK_LOCAL_IDP "/token", 0, 0, NULL},
    {"OTKLIK_ESIA_JWKS_URL", OK_CONFIG_URL, OK_LOCAL_IDP "/jwks", 0, 0, NULL},
    {"OTKLIK_ESIA_CLIENT_ID", OK_CONFIG_TEXT, "otklik", 0, 0, NULL},
    {"OTKLIK_ESIA_CLIENT_SECRET_FILE", OK_CONFIG_PATH, NULL, 0, 0, NULL},
    {"OTKLIK_ESIA_CLIENT_SECRET", OK_CONFIG_SECRET, NULL, 0, 0, NULL},
    {"OTKLIK_ESIA_PROTOCOL", OK_CONFIG_CHOICE, "v1", 0, 0, "v1|v2"},
    {"OTKLIK_ESIA_PERSON_URL", OK_CONFIG_URL, NULL, 0, 0, NULL},
    {"OTKLIK_ESIA_CERT_FILE", OK_CONFIG_PATH, NULL, 0, 0, NULL},
    {"OTKLIK_ESIA_KEY_FILE", OK_CONFIG_PATH, NULL, 0, 0, NULL},
    {"OTKLIK_ESIA_CERT_HASH", OK_CONFIG_TEXT, NULL, 0, 0, NULL},
    {"OTKLIK_ESIA_VERIFY_CERTS", OK_CONFIG_TEXT, NULL, 0, 0, NULL},
    {"OTKLIK_ESIA_CLIENT_AUTH", OK_CONFIG_CHOICE, "client_secret_post", 0, 0,
     "client_secret_post|client_secret_basic|esia_signed"},
    {"OTKLIK_ESIA_SIGNER", OK_CONFIG_TEXT, NULL, 0, 0, NULL},
    {"OTKLIK_ESIA_SCOPE", OK_CONFIG_TEXT, "openid fullname", 0, 0, NULL},
    {"OTKLIK_ESIA_SUBJECT_CLAIM", OK_CONFIG_TEXT, "sub", 0, 0, NULL},
    {"OTKLIK_ESIA_REDIRECT_URI", OK_CONFIG_URL, NULL, 0, 0, NULL}, /* ok_config_derived */
    {"OTKLIK_ESIA_TIMEOUT_MS", OK_CONFIG_INTEGER, "5000", 100, 60000, NULL},
    {"OTKLIK_WIDGET_TOKEN_TTL_SECONDS", OK_CONFIG_INTEGER, "3600", 60, 30L * 86400, NULL},
    {"OTKLIK_WEBHOOK_URL", OK_CONFIG_URL, NULL, 0, 0, NULL},
    {"OTKLIK_WEBHOOK_SECRET", OK_CONFIG_SECRET, NULL, 0, 0, NULL},
    {"OTKLIK_WEBHOOK_TIMEOUT_MS", OK_CONFIG_INTEGER, "5000", 100, 60000, NULL},
    {"OTKLIK_NOTIFIER_POLL_MS", OK_CONFIG_INTEGER, "500", 10, 60000, NULL},
    {"OTKLIK_NOTIFIER_MAX_BACKOFF_SECONDS", OK_CONFIG_INTEGER, "300", 1, 86400, NULL},
    {"OTKLIK_NOTIFIER_BATCH", OK_CONFIG_INTEGER, "10", 1, 1000, NULL},
    {"OTKLIK_VK_API_URL", OK_CONFIG_URL, NULL, 0, 0, NULL},
    {"OTKLIK_VK_API_VERSION", OK_CONFIG_TEXT, "5.199", 0, 0, NULL},
    {"OTKLIK_TELEGRAM_API_URL", OK_CONFIG_URL, NULL, 0, 0, NULL},
    {"OTKLIK_CHANNELS_SECRETS_DIR", OK_CONFIG_PATH, NULL, 0, 0, NULL},
    {"OTKLIK_MONITORING_SECRET_FILE", OK_CONFIG_PATH, NULL, 0, 0, NULL},
    {"OTKLIK_SMTP_URL", OK_CONFIG_TEXT, NULL, 0, 0, NULL},
    {"OTKLIK_SMTP_FROM", OK_CONFIG_TEXT, NULL, 0, 0, NULL},
    {"OTKLIK_SMTP_AUTH_FILE", OK_CONFIG_PATH, NULL, 0, 0, NULL},
    {"OTKLIK_SMTP_STARTTLS", OK_CONFIG_CHOICE, "try", 0, 0, "try|required"},
};
#define OK_CONFIG_COUNT (sizeof(ok_config_variables) / sizeof(ok_config_variables[0]))

static const ok_config_variable *ok_config_find(const char *name)
{
    for (size_t i = 0; i < OK_CONFIG_COUNT; i++)
        if (strcmp(ok_config_variables[i].name, name) == 0)
            return &ok_config_variables[i];
    ok_log(OK_LOG_ERROR, "bad configuration", "%s is not in core/ok_config.c's table", name);
    return NULL;
}

const char *ok_config_string(const char *name, const char *fallback)
{
    const char *value = getenv(name);
    return value != NULL && value[0] != '\0' ? value : fallback;
}

/* A default made of another variable: the login callback on the public origin. */
static const char *ok_config_derived(const char *name)
{
    static char redirect[512];
    if (strcmp(name, "OTKLIK_ESIA_REDIRECT_URI") != 0)
        return NULL;
    snprintf(redirect, sizeof(redirect), "%s/auth/esia/callback",
             ok_config_text("OTKLIK_PUBLIC_ORIGIN"));
    return redirect;
}

const char *ok_config_text(const char *name)
{
    const ok_config_variable *v = ok_config_find(name);
    const char *fallback = v == NULL             ? NULL
                           : v->fallback != NULL ? v->fallback
                                                 : ok_config_derived(name);
    return ok_config_string(name, fallback);
}

long ok_config_integer(const char *name)
{
    const char *text = ok_config_text(name);
    return text != NULL ? strtol(text, NULL, 10) : 0;
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

/* An http(s) URL without spaces or control characters; origin_only: nothing
 * after the host and port. */
static int ok_config_url_ok(const char *value, int origin_only)
{
    const char *host = strncmp(value, "https://", 8) == 0  ? value + 8
                       : strncmp(value, "http://", 7) == 0 ? value + 7
                                                           : NULL;
    if (host == NULL || host[0] == '\0' || host[0] == '/')
        return 0;
    for (const char *c = value; *c != '\0'; c++)
        if ((unsigned char)*c <= ' ' || *c == 0x7f)
            return 0;
    return !origin_only || strpbrk(host, "/?#@") == NULL;
}

static int ok_config_choice_ok(const char *value, const char *choices)
{
    size_t n = strlen(value);
    for (const char *c = choices; c != NULL; c = strchr(c, '|'), c = c != NULL ? c + 1 : NULL)
        if (strncmp(c, value, n) == 0 && (c[n] == '|' || c[n] == '\0'))
            return 1;
    return 0;
}

/* Whether one set value is good for its kind; else logs what it must be. */
static int ok_config_value_ok(const ok_config_variable *v, const char *value)
{
    const char *must = NULL;
    switch (v->kind) {
    case OK_CONFIG_INTEGER: {
        long n;
        if (ok_config_long(v->name, 0, v->min, v->max, &n) != 0)
            return 0;
        break;
    }
    case OK_CONFIG_URL:
        must = ok_config_url_ok(value, 0) ? NULL : "an http:// or https:// URL";
        break;
    case OK_CONFIG_ORIGIN:
        must = ok_config_url_ok(value, 1) ? NULL
                                          : "an origin: http(s)://host[:port], no path or slash";
        break;
    case OK_CONFIG_CHOICE:
        if (!ok_config_choice_ok(value, v->choices)) {
            ok_log(OK_LOG_ERROR, "bad configuration", "%s must be one of %s", v->name, v->choices);
            return 0;
        }
        break;
    case OK_CONFIG_CONNINFO: {
        char *error = NULL;
        PQconninfoOption *options = PQconninfoParse(value, &error);
        PQconninfoFree(options);
        if (options == NULL) {
            ok_log(OK_LOG_ERROR, "bad configuration", "%s is not a libpq connection string: %s",
                   v->name, error != NULL ? error : "out of memory");
            PQfreemem(error);
            return 0;
        }
        break;
    }
    default: break;
    }
    if (must != NULL) {
        ok_log(OK_LOG_ERROR, "bad configuration", "%s must be %s", v->name, must);
        return 0;
    }
    return 1;
}

int ok_config_check(void)
{
    int bad = 0;
    for (size_t i = 0; i < OK_CONFIG_COUNT; i++) {
        const char *value = ok_config_string(ok_config_variables[i].name, NULL);
        if (value != NULL && !ok_config_value_ok(&ok_config_variables[i], value))
            bad++;
    }
    if (bad > 0)
        return bad;
    /* the rules between variables */
    if (ok_config_integer("OTKLIK_UPLOAD_QUOTA_BYTES") <
        ok_config_integer("OTKLIK_MAX_ATTACHMENT_BYTES")) {
        ok_log(OK_LOG_ERROR, "bad configuration",
               "OTKLIK_UPLOAD_QUOTA_BYTES must be at least OTKLIK_MAX_ATTACHMENT_BYTES");
        bad++;
    }
    if (strcmp(ok_config_text("OTKLIK_ESIA_CLIENT_AUTH"), "esia_signed") == 0 &&
        ok_config_text("OTKLIK_ESIA_SIGNER") == NULL &&
        ok_config_text("OTKLIK_ESIA_KEY_FILE") == NULL) {
        ok_log(
            OK_LOG_ERROR, "bad configuration",
            "OTKLIK_ESIA_CLIENT_AUTH=esia_signed needs OTKLIK_ESIA_SIGNER or OTKLIK_ESIA_KEY_FILE");
        bad++;
    }
    return bad;
}

/* A connection string as keyword=value pairs, its password masked. */
static void ok_config_print_conninfo(FILE *out, const char *value)
{
    PQconninfoOption *options = PQconninfoParse(value, NULL);
    if (options == NULL) {
        fputs("(not a connection string)", out);
        return;
    }
    const char *space = "";
    for (PQconninfoOption *o = options; o->keyword != NULL; o++) {
        if (o->val == NULL)
            continue;
        fprintf(out, "%s%s=%s", space, o->keyword,
                strcmp(o->keyword, "password") == 0 ? "********" : o->val);
        space = " ";
    }
    PQconninfoFree(options);
}

extern char **environ;

/* OTKLIK_* variables of the environment no program reads: a misspelt name
 * would otherwise leave its setting at the default unnoticed (the scripts'
 * own variables, README.md, are listed too). */
static void ok_config_print_unread(FILE *out)
{
    for (char **e = environ; *e != NULL; e++) {
        size_t n = strcspn(*e, "=");
        if (strncmp(*e, "OTKLIK_", 7) != 0)
            continue;
        size_t i = 0;
        while (i < OK_CONFIG_COUNT && (strlen(ok_config_variables[i].name) != n ||
                                       strncmp(ok_config_variables[i].name, *e, n) != 0))
            i++;
        if (i == OK_CONFIG_COUNT)
            fprintf(out, "# not read by the programs: %.*s\n", (int)n, *e);
    }
}

void ok_config_print(FILE *out)
{
    for (size_t i = 0; i < OK_CONFIG_COUNT; i++) {
        const ok_config_variable *v = &ok_config_variables[i];
        const char *set = ok_config_string(v->name, NULL);
        const char *value = ok_config_text(v->name);
        fprintf(out, "%s=", v->name);
        if (value != NULL && v->kind == OK_CONFIG_SECRET)
            fputs("********", out);
        else if (value != NULL && v->kind == OK_CONFIG_CONNINFO)
            ok_config_print_conninfo(out, value);
        else if (value != NULL)
            fputs(value, out);
        fprintf(out, "  # %s\n", set != NULL ? "environment" : value != NULL ? "default" : "unset");
    }
    ok_config_print_unread(out);
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

int ok_config_load(int need_token_key)
{
    ok_config *c = &ok_config_global;
    if (ok_config_check() != 0)
        return -1;
    c->database_url = ok_config_text("OTKLIK_DATABASE_URL");
    c->token_key_file = ok_config_text("OTKLIK_TOKEN_KEY_FILE");
    c->token_issuer = ok_config_text("OTKLIK_TOKEN_ISSUER");
    c->public_origin = ok_config_text("OTKLIK_PUBLIC_ORIGIN");
    ok_log_set_level(ok_config_text("OTKLIK_LOG_LEVEL"));
    c->threads = (int)ok_config_integer("OTKLIK_THREADS");
    c->token_ttl_seconds = ok_config_integer("OTKLIK_TOKEN_TTL_SECONDS");
    c->max_json_bytes = (size_t)ok_config_integer("OTKLIK_MAX_JSON_BYTES");
    c->max_attachment_bytes = (size_t)ok_config_integer("OTKLIK_MAX_ATTACHMENT_BYTES");
    c->clock_offset_seconds = ok_config_integer("OTKLIK_CLOCK_OFFSET_SECONDS");
    c->statement_timeout_ms = ok_config_integer("OTKLIK_STATEMENT_TIMEOUT_MS");
    /* a citizen's uploads not yet attached, and uploads a minute
     * (modules/widget/attachments.c); how long an unattached one is kept */
    c->upload_quota_bytes = ok_config_integer("OTKLIK_UPLOAD_QUOTA_BYTES");
    c->upload_quota_files = ok_config_integer("OTKLIK_UPLOAD_QUOTA_FILES");
    c->upload_rate_per_minute = ok_config_integer("OTKLIK_UPLOAD_RATE_PER_MINUTE");
    c->upload_ttl_seconds = ok_config_integer("OTKLIK_UPLOAD_TTL_SECONDS");
    if (need_token_key && ok_config_read_key(c) != 0)
        return -1;
    return 0;
}

long long ok_config_now(void)
{
    return (long long)time(NULL) + ok_config_global.clock_offset_seconds;
}
