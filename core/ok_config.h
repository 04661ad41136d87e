/*
 * ok_config.h - configuration from OTKLIK_* environment variables.
 *
 * The one reader of every program's settings (workers, otklikctl, notifier):
 * every variable is a row of one table in ok_config.c (its kind, default and
 * bounds; README.md's "Configuration" table lists the same). ok_config_load
 * checks every variable that is set, whichever program reads it, and stops the
 * program on a bad value with a message naming it; nothing is clamped. Read
 * once in main, before any thread starts. Files are found where make install
 * put them (OK_DATADIR, OK_SYSCONFDIR, compiled in) unless the environment says
 * otherwise; never relative to the binary.
 */
#ifndef OK_CONFIG_H
#define OK_CONFIG_H

#include <stddef.h>
#include <stdio.h>

typedef struct ok_config {
    const char *database_url;     /* OTKLIK_DATABASE_URL: libpq conninfo */
    int threads;                  /* OTKLIK_THREADS: request threads per process */
    const char *token_key_file;   /* OTKLIK_TOKEN_KEY_FILE: HS256 key of session tokens */
    unsigned char token_key[257]; /* up to 256 bytes and a NUL */
    size_t token_key_length;
    const char *token_issuer;    /* OTKLIK_TOKEN_ISSUER */
    long token_ttl_seconds;      /* OTKLIK_TOKEN_TTL_SECONDS */
    const char *public_origin;   /* OTKLIK_PUBLIC_ORIGIN: the platform's own origin */
    size_t max_json_bytes;       /* OTKLIK_MAX_JSON_BYTES */
    size_t max_attachment_bytes; /* OTKLIK_MAX_ATTACHMENT_BYTES */
    long clock_offset_seconds;   /* OTKLIK_CLOCK_OFFSET_SECONDS: test builds move time */
    /* a worker's statements' limit; a module's init may change it (analytics) */
    long statement_timeout_ms; /* OTKLIK_STATEMENT_TIMEOUT_MS */
    /* a citizen's uploads not yet attached to a message, and uploads a minute */
    long upload_quota_bytes;     /* OTKLIK_UPLOAD_QUOTA_BYTES */
    long upload_quota_files;     /* OTKLIK_UPLOAD_QUOTA_FILES */
    long upload_rate_per_minute; /* OTKLIK_UPLOAD_RATE_PER_MINUTE */
    long upload_ttl_seconds;     /* OTKLIK_UPLOAD_TTL_SECONDS: then the scheduler removes them */
} ok_config;

/* The process-wide configuration, filled by ok_config_load. */
extern ok_config ok_config_global;

/* Reads the environment (and the token key file when need_token_key);
 * returns 0, or -1 after printing what is wrong. */
int ok_config_load(int need_token_key);

/* The value of a variable of the table: the environment's (already checked by
 * ok_config_load), else the table's default (NULL when it has none). */
const char *ok_config_text(const char *name);

/* The same for an integer variable (0 for a name not in the table). */
long ok_config_integer(const char *name);

/* Checks every variable of the table that is set, and the rules between them;
 * logs each bad one; returns how many are bad. */
int ok_config_check(void);

/* Prints the effective configuration, one NAME=value line a variable with
 * where it comes from (environment or default), secrets masked; then the
 * OTKLIK_* variables of the environment no program reads. */
void ok_config_print(FILE *out);

/* The environment variable name, or fallback when it is unset or empty. */
const char *ok_config_string(const char *name, const char *fallback);

/* The integer in name (fallback when unset or empty) into *out; returns 0, or
 * -1 after logging when it is not an integer in [min, max]. */
int ok_config_long(const char *name, long fallback, long min, long max, long *out);

/* Reads a secret file into out (size bytes, NUL-terminated, trailing newlines
 * removed) and its length into *length (may be NULL); 0, or -1 (errno set). */
int ok_config_read_secret(const char *path, char *out, size_t size, size_t *length);

/* Current time in seconds, shifted by the configured clock offset. */
long long ok_config_now(void);

#endif
