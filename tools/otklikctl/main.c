/*
 * otklikctl - the operator's command line.
 *
 *   otklikctl migrate                     apply the numbered migrations of sql/
 *   otklikctl seed-demo                   load the SPEC's demo data (idempotent)
 *   otklikctl token --esia-oid OID [--ttl SECONDS]
 *                                         print a bearer token for that user
 *   otklikctl grant --esia-oid OID --org CODE --role ROLE [--revoke]
 *                                         grant (or revoke) a staff role
 *   otklikctl user|territory|org|rubric|widget create ...
 *                                         set the platform up (setup.c)
 *   otklikctl open311 key create|revoke --org CODE
 *                                         an Open311 client's API key (open311.c)
 *   otklikctl sql MODULE NAME             print a worker's prepared statement
 *                                         (make bench runs the same SQL in pgbench)
 *   otklikctl --version                   print the build's version
 *   otklikctl config check                print the effective configuration
 *                                         (secrets masked); 1 if it is not valid
 *   otklikctl tick [--every SECONDS]      the scheduler: close answered messages
 *                                         30 days after the answer with no rework,
 *                                         tell executors of their messages due
 *                                         within 24 hours and overdue, remove
 *                                         uploads never attached to a message
 *                                         (OTKLIK_UPLOAD_TTL_SECONDS)
 *                                         (once, or every SECONDS until stopped)
 *
 * It reads the same OTKLIK_* environment as the workers (README.md).
 */
#include "ok_config.h"
#include "ok_db.h"
#include "ok_token.h"
#include "otklikctl.h"
#include "ok_version.h"

#include <dirent.h>
#include <libpq-fe.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(void)
{
    fputs("usage: otklikctl migrate | seed-demo | token --esia-oid OID [--ttl SECONDS]\n"
          "       | grant --esia-oid OID --org CODE --role ROLE [--revoke]\n"
          "       | tick [--every SECONDS] | sql MODULE NAME | config check | --version\n"
          "       | user create --esia-oid OID --name NAME [--territory CODE]\n"
          "       | territory create --code C --name N --kind KIND [--parent CODE] [--boundary "
          "GEOJSON]\n"
          "       | org create --code C --name N --territory CODE [--kind KIND] [--moderation]\n"
          "       | rubric create --code C --title T --deadline-days N [--parent CODE] "
          "[--accelerated]\n"
          "       | widget create --org CODE [--key KEY] [--title T] [--origins A,B]\n"
          "       | org import FILE --as OID\n"
          "       | open311 key create|revoke --org CODE\n",
          stderr);
}

/* The sql/ directory: OTKLIK_SQL_DIR, else where make install put it. */
static const char *sql_directory(void)
{
    return ok_config_text("OTKLIK_SQL_DIR");
}

/* otklikctl config check: every variable's effective value and where it comes
 * from (secrets masked), then whether they are good (the token key included);
 * 1 when one is not, each bad one named on stderr. */
static int command_config(int argc, char **argv)
{
    if (argc != 3 || strcmp(argv[2], "check") != 0) {
        usage();
        return 2;
    }
    ok_config_print(stdout);
    fflush(stdout);
    if (ok_config_load(1) != 0) {
        fputs("otklikctl: the configuration is not valid\n", stderr);
        return 1;
    }
    puts("# the configuration is valid");
    return 0;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *data = NULL;
    size_t size = 0, used = 0;
    for (;;) {
        if (used + 4096 + 1 > size) {
            size = size * 2 + 8192;
            char *bigger = realloc(data, size);
            if (bigger == NULL) {
                free(data);
                fclose(f);
                return NULL;
            }
            data = bigger;
        }
        size_t n = fread(data + used, 1, 4096, f);
        used += n;
        if (n < 4096)
            break;
    }
    fclose(f);
    data[used] = '\0';
    return data;
}

static PGconn *connect_database(void)
{
    PGconn *conn = ok_db_connect("otklikctl", NULL);
    if (conn == NULL)
        fputs("otklikctl: cannot connect to the database (OTKLIK_DATABASE_URL)\n", stderr);
    return conn;
}

/* Runs a command or script without parameters; prints the error. */
static int run(PGconn *conn, const char *sql, const char *what)
{
    PGresult *result = PQexec(conn, sql);
    int ok =
        PQresultStatus(result) == PGRES_COMMAND_OK || PQresultStatus(result) == PGRES_TUPLES_OK;
    if (!ok)
        fprintf(stderr, "otklikctl: %s: %s", what, PQresultErrorMessage(result));
    PQclear(result);
    return ok ? 0 : -1;
}

static int is_migration(const struct dirent *entry)
{
    const char *n = entry->d_name;
    size_t length = strlen(n);
    return length > 8 && n[0] >= '0' && n[0] <= '9' && n[1] >= '0' && n[1] <= '9' && n[2] >= '0' &&
           n[2] <= '9' && n[3] == '_' && strcmp(n + length - 4, ".sql") == 0;
}

/* Applies one migration file in its own transaction unless already recorded. */
static int migrate_one(PGconn *conn, const char *directory, const char *name)
{
    if (run(conn, "BEGIN", name) != 0)
        return -1;
    /* one migrator at a time, even from several machines */
    if (run(conn, "SELECT pg_advisory_xact_lock(7306813)", name) != 0)
        goto fail;
    const char *params[] = {name};
    PGresult *seen = PQexecParams(conn, "SELECT 1 FROM schema_migrations WHERE version = $1", 1,
                                  NULL, params, NULL, NULL, 0);
    int applied = PQresultStatus(seen) == PGRES_TUPLES_OK && PQntuples(seen) > 0;
    int failed = PQresultStatus(seen) != PGRES_TUPLES_OK;
    PQclear(seen);
    if (failed)
        goto fail;
    if (!applied) {
        char path[PATH_MAX];
        snprintf(path, sizeof(path), "%s/%s", directory, name);
        char *sql = read_file(path);
        if (sql == NULL) {
            fprintf(stderr, "otklikctl: cannot read %s\n", path);
            goto fail;
        }
        int rc = run(conn, sql, name);
        free(sql);
        PGresult *record = rc == 0 ? PQexecParams(conn,
                                                  "INSERT INTO schema_migrations (version) "
                                                  "VALUES ($1)",
                                                  1, NULL, params, NULL, NULL, 0)
                                   : NULL;
        rc = record != NULL && PQresultStatus(record) == PGRES_COMMAND_OK ? 0 : -1;
        PQclear(record);
        if (rc != 0)
            goto fail;
        printf("applied %s\n", name);
    }
    return run(conn, "COMMIT", name);
fail:
    run(conn, "ROLLBACK", name);
    return -1;
}

static int command_migrate(PGconn *conn)
{
    if (run(conn,
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
            "schema_migrations") != 0)
        return 1;
    const char *directory = sql_directory();
    struct dirent **entries;
    int count = scandir(directory, &entries, is_migration, alphasort);
    if (count < 0) {
        fprintf(stderr, "otklikctl: cannot list %s\n", directory);
        return 1;
    }
    int rc = 0;
    for (int i = 0; i < count; i++) {
        if (rc == 0 && migrate_one(conn, directory, entries[i]->d_name) != 0)
            rc = 1;
        free(entries[i]);
    }
    free(entries);
    return rc;
}

static int command_seed_demo(PGconn *conn)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/demo/demo.sql", sql_directory());
    char *sql = read_file(path);
    if (sql == NULL) {
        fprintf(stderr, "otklikctl: cannot read %s\n", path);
        return 1;
    }
    int rc = run(conn, "BEGIN", "seed-demo") == 0 && run(conn, sql, "seed-demo") == 0 &&
                     run(conn, "COMMIT", "seed-demo") == 0
                 ? 0
                 : 1;
    free(sql);
    if (rc == 0)
        puts("demo data loaded");
    return rc;
}

/* The value after --name in argv, or NULL. */
const char *option(int argc, char **argv, const char *name)
{
    for (int i = 2; i + 1 < argc; i++)
        if (strcmp(argv[i], name) == 0)
            return argv[i + 1];
    return NULL;
}

int flag(int argc, char **argv, const char *name)
{
    for (int i = 2; i < argc; i++)
        if (strcmp(argv[i], name) == 0)
            return 1;
    return 0;
}

char *token_issue(PGconn *conn, const char *oid, long ttl)
{
    const char *params[] = {oid};
    PGresult *result = PQexecParams(conn, "SELECT id FROM users WHERE esia_oid = $1", 1, NULL,
                                    params, NULL, NULL, 0);
    if (PQresultStatus(result) != PGRES_TUPLES_OK || PQntuples(result) != 1) {
        fprintf(stderr, "otklikctl: no user with ESIA oid %s\n", oid);
        PQclear(result);
        return NULL;
    }
    long long id = strtoll(PQgetvalue(result, 0, 0), NULL, 10);
    PQclear(result);
    const ok_config *c = &ok_config_global;
    char session_id[33];
    long long now = ok_config_now();
    char *token = ok_token_issue(c->token_key, c->token_key_length, c->token_issuer, id,
                                 OK_TOKEN_SCOPE_FULL, now, ttl, session_id);
    if (token == NULL) {
        fputs("otklikctl: cannot sign the token\n", stderr);
        return NULL;
    }
    /* the token is valid only while its session is: record it */
    char user[24], expires[24];
    snprintf(user, sizeof(user), "%lld", id);
    snprintf(expires, sizeof(expires), "%lld", now + ttl);
    const char *session[] = {session_id, user, expires};
    PGresult *stored = PQexecParams(conn,
                                    "INSERT INTO sessions (id, user_id, kind, expires_at)"
                                    " VALUES ($1, $2, 'operator', to_timestamp($3::bigint))",
                                    3, NULL, session, NULL, NULL, 0);
    int recorded = PQresultStatus(stored) == PGRES_COMMAND_OK;
    if (!recorded) {
        fprintf(stderr, "otklikctl: cannot record the session: %s", PQresultErrorMessage(stored));
        free(token);
        token = NULL;
    }
    PQclear(stored);
    return token;
}

static int command_token(PGconn *conn, int argc, char **argv)
{
    const char *oid = option(argc, argv, "--esia-oid");
    const char *ttl_text = option(argc, argv, "--ttl");
    long ttl = ttl_text != NULL ? strtol(ttl_text, NULL, 10) : ok_config_global.token_ttl_seconds;
    if (oid == NULL || ttl <= 0) {
        usage();
        return 2;
    }
    char *token = token_issue(conn, oid, ttl);
    if (token == NULL)
        return 1;
    puts(token);
    free(token);
    return 0;
}

static int command_grant(PGconn *conn, int argc, char **argv)
{
    const char *params[] = {option(argc, argv, "--esia-oid"), option(argc, argv, "--org"),
                            option(argc, argv, "--role")};
    if (params[0] == NULL || params[1] == NULL || params[2] == NULL) {
        usage();
        return 2;
    }
    int revoke = flag(argc, argv, "--revoke");
    /* one statement that tells an unknown user or organisation from a no-op */
    const char *sql =
        revoke ? "WITH target AS (SELECT u.id AS user_id, o.id AS organisation_id"
                 "  FROM users u, organisations o WHERE u.esia_oid = $1 AND o.code = $2),"
                 " gone AS (DELETE FROM staff_roles s USING target t"
                 "  WHERE s.user_id = t.user_id AND s.organisation_id = t.organisation_id"
                 "  AND s.role = $3 RETURNING 1)"
                 " SELECT (SELECT count(*) FROM target), (SELECT count(*) FROM gone)"
               : "WITH target AS (SELECT u.id AS user_id, o.id AS organisation_id"
                 "  FROM users u, organisations o WHERE u.esia_oid = $1 AND o.code = $2),"
                 " added AS (INSERT INTO staff_roles (user_id, organisation_id, role)"
                 "  SELECT user_id, organisation_id, $3 FROM target ON CONFLICT DO NOTHING"
                 "  RETURNING 1)"
                 " SELECT (SELECT count(*) FROM target), (SELECT count(*) FROM added)";
    PGresult *result = PQexecParams(conn, sql, 3, NULL, params, NULL, NULL, 0);
    int rc = 0;
    if (PQresultStatus(result) != PGRES_TUPLES_OK) {
        fprintf(stderr, "otklikctl: %s", PQresultErrorMessage(result));
        rc = 1;
    } else if (strcmp(PQgetvalue(result, 0, 0), "0") == 0) {
        fprintf(stderr, "otklikctl: no user %s or no organisation %s\n", params[0], params[1]);
        rc = 1;
    } else {
        printf("%s %s: %s in %s%s\n", revoke ? "revoked" : "granted", params[0], params[2],
               params[1], strcmp(PQgetvalue(result, 0, 1), "0") == 0 ? " (no change)" : "");
    }
    PQclear(result);
    return rc;
}

/* Closes answered messages whose answer is 30 days old with no rework: the
 * event (by "system") and the citizen's notification come in the same statement. */
static const char tick_sql[] =
    "WITH closed AS (UPDATE messages SET status = 'closed', closed_at = otklik_now(),"
    "   updated_at = otklik_now()"
    "  WHERE status = 'answered' AND answered_at <= otklik_now() - interval '30 days'"
    "  RETURNING id, author_id),"
    " events AS (INSERT INTO message_events (message_id, actor_role, from_status, to_status, "
    "comment)"
    "  SELECT id, 'system', 'answered', 'closed',"
    "   'Закрыто автоматически: за 30 дней ответ не вернули на доработку' FROM closed"
    "  RETURNING id, message_id)"
    " INSERT INTO notifications (user_id, message_id, event_id, status, title)"
    " SELECT c.author_id, e.message_id, e.id, 'closed', 'Сообщение № ' || e.message_id || ' "
    "закрыто'"
    " FROM events e JOIN closed c ON c.id = e.message_id";

/* Tells the assignee of a message in work (in_progress, returned) that it is
 * due within 24 hours, or overdue: once per person, message, kind and
 * deadline (a rework sets a new one). NOT EXISTS skips what was told along
 * the unique index staff_notifications_deadline (sql/012), which also keeps
 * two schedulers at once from telling twice. */
static const char tick_deadlines_sql[] =
    "INSERT INTO staff_notifications (user_id, message_id, kind, due_at)"
    " SELECT m.assignee_id, m.id, d.kind, m.due_at FROM messages m,"
    "  LATERAL (SELECT CASE WHEN m.due_at <= otklik_now() THEN 'overdue'"
    "   ELSE 'due_soon' END AS kind) d"
    " WHERE m.status IN ('in_progress', 'returned') AND m.assignee_id IS NOT NULL"
    "  AND m.due_at <= otklik_now() + interval '24 hours'"
    "  AND NOT EXISTS (SELECT 1 FROM staff_notifications n WHERE n.message_id = m.id"
    "   AND n.kind = d.kind AND n.user_id = m.assignee_id AND n.due_at = m.due_at)"
    " ON CONFLICT DO NOTHING";

/* Removes uploads never attached to a message, OTKLIK_UPLOAD_TTL_SECONDS ($1)
 * after the upload, a batch ($2) at a time so no transaction runs long. A file
 * a message is taking right now is locked by that message's UPDATE (a project
 * or discussion naming it, by its check of the file): SKIP LOCKED leaves it,
 * and "message_id IS NULL" is checked again on the row as locked, so an
 * attached file is never removed. Files a project or discussion shows are
 * kept (sql/031). */
static const char tick_uploads_sql[] =
    "DELETE FROM attachments WHERE id IN (SELECT id FROM attachments"
    "  WHERE message_id IS NULL AND created_at <= otklik_now() - make_interval(secs => $1)"
    "  AND NOT attachment_is_public(id)"
    "  ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)"
    " AND message_id IS NULL";
#define TICK_UPLOADS_BATCH 100

/* Folds the analytics' deltas into their daily facts (sql/040): the deltas
 * stay a tick's worth, so reading facts and deltas together stays cheap. */
static const char tick_analytics_sql[] = "SELECT analytics_rollup()";

/* Recomputes the region rating of this month and the previous one (and one
 * missing month before: sql/045) from the folded facts. */
static const char tick_rating_sql[] = "SELECT rating_refresh()";

/* Staff digests (sql/070): to each person with an e-mail address and unread,
 * unmailed staff notifications, whose last digest is an hour old, one e-mail
 * listing them, in the deliveries outbox (tools/notifier sends it); they are
 * marked mailed in the same statement, written in the person's language
 * (sql/071) ($1: the platform's origin, for the cabinet's link). SKIP
 * LOCKED: two schedulers at once never write two. */
static const char tick_digests_sql[] =
    "WITH due AS (SELECT c.user_id, c.email, u.name, u.language = 'en' AS en FROM staff_contacts c"
    "  JOIN users u ON u.id = c.user_id"
    "  WHERE c.digest AND (c.last_digest_at IS NULL"
    "    OR c.last_digest_at <= otklik_now() - interval '1 hour')"
    "   AND EXISTS (SELECT 1 FROM staff_notifications n WHERE n.user_id = c.user_id"
    "    AND n.mailed_at IS NULL AND n.read_at IS NULL)"
    "  FOR UPDATE OF c SKIP LOCKED),"
    " stamped AS (UPDATE staff_contacts SET last_digest_at = otklik_now()"
    "  WHERE user_id IN (SELECT user_id FROM due)),"
    " items AS (UPDATE staff_notifications n SET mailed_at = otklik_now() FROM due"
    "  WHERE n.user_id = due.user_id AND n.mailed_at IS NULL AND n.read_at IS NULL"
    "  RETURNING n.user_id, n.id, CASE WHEN due.en"
    "   THEN staff_notification_title_en(n.kind, n.message_id)"
    "   ELSE staff_notification_title(n.kind, n.message_id) END AS title)"
    " INSERT INTO deliveries (channel, ordering_key, method, params)"
    " SELECT 'email', 'staff:' || due.user_id, 'digest', CASE WHEN due.en"
    "  THEN jsonb_build_object('to', due.email, 'language', 'en',"
    "   'subject', 'Otklik: new notifications - ' || count(*),"
    "   'text', 'Hello, ' || due.name || E'!\\n\\n'"
    "    || string_agg('- ' || items.title, E'\\n' ORDER BY items.id)"
    "    || E'\\n\\nThe organisation\\'s cabinet: ' || $1::text || '/cabinet/')"
    "  ELSE jsonb_build_object('to', due.email,"
    "   'subject', 'Отклик: новых уведомлений - ' || count(*),"
    "   'text', 'Здравствуйте, ' || due.name || E'!\\n\\n'"
    "    || string_agg('- ' || items.title, E'\\n' ORDER BY items.id)"
    "    || E'\\n\\nЛичный кабинет организации: ' || $1::text || '/cabinet/') END"
    " FROM due JOIN items ON items.user_id = due.user_id"
    " GROUP BY due.user_id, due.email, due.name, due.en";

static volatile sig_atomic_t tick_stop;

static void tick_on_signal(int signal_number)
{
    (void)signal_number;
    tick_stop = 1;
}

/* Runs one of the scheduler's statements; the rows it changed, or -1 after
 * printing the error. */
static long tick_run(PGconn *conn, const char *sql, int count, const char *const *params)
{
    PGresult *result = PQexecParams(conn, sql, count, NULL, params, NULL, NULL, 0);
    long changed = -1;
    if (PQresultStatus(result) == PGRES_COMMAND_OK)
        changed = strtol(PQcmdTuples(result), NULL, 10);
    else
        fprintf(stderr, "otklikctl: tick: %s", PQresultErrorMessage(result));
    PQclear(result);
    return changed;
}

/* Removes every expired upload, batch by batch; how many, or -1. */
static long tick_remove_uploads(PGconn *conn)
{
    char ttl[32], batch[32];
    snprintf(ttl, sizeof(ttl), "%ld", ok_config_global.upload_ttl_seconds);
    snprintf(batch, sizeof(batch), "%d", TICK_UPLOADS_BATCH);
    const char *params[] = {ttl, batch};
    long total = 0, removed;
    do {
        removed = tick_run(conn, tick_uploads_sql, 2, params);
        if (removed < 0)
            return -1;
        total += removed;
    } while (removed == TICK_UPLOADS_BATCH && !tick_stop);
    return total;
}

/* Runs a job answering one number (the analytics' fold, the rating); it,
 * or -1 after printing the error. */
static long tick_count(PGconn *conn, const char *sql)
{
    PGresult *result = PQexec(conn, sql);
    long folded = -1;
    if (PQresultStatus(result) == PGRES_TUPLES_OK)
        folded = strtol(PQgetvalue(result, 0, 0), NULL, 10);
    else
        fprintf(stderr, "otklikctl: tick: %s", PQresultErrorMessage(result));
    PQclear(result);
    return folded;
}

/* One pass of the scheduler, each job whatever the other's fate; 0, or -1
 * after printing an error. */
static int tick_once(PGconn *conn)
{
    if (PQstatus(conn) != CONNECTION_OK)
        PQreset(conn);
    long closed = tick_run(conn, tick_sql, 0, NULL);
    long told = tick_run(conn, tick_deadlines_sql, 0, NULL);
    long removed = tick_remove_uploads(conn);
    long folded = tick_count(conn, tick_analytics_sql); /* after the jobs above: they append */
    long rated = tick_count(conn, tick_rating_sql);
    const char *origin[] = {ok_config_global.public_origin};
    long digests = tick_run(conn, tick_digests_sql, 1, origin);
    if (closed > 0 || told > 0 || removed > 0 || folded > 0 || digests > 0)
        printf("{\"msg\":\"tick\",\"closed\":%ld,\"deadlines_told\":%ld,"
               "\"uploads_removed\":%ld,\"analytics_folded\":%ld,\"rated\":%ld,"
               "\"digests\":%ld}\n",
               closed < 0 ? 0 : closed, told < 0 ? 0 : told, removed < 0 ? 0 : removed,
               folded < 0 ? 0 : folded, rated < 0 ? 0 : rated, digests < 0 ? 0 : digests);
    fflush(stdout);
    return closed < 0 || told < 0 || removed < 0 || folded < 0 || rated < 0 || digests < 0 ? -1 : 0;
}

static int command_tick(PGconn *conn, int argc, char **argv)
{
    const char *every_text = option(argc, argv, "--every");
    long every = every_text != NULL ? strtol(every_text, NULL, 10) : 0;
    if (every_text != NULL && (every < 1 || every > 86400)) {
        usage();
        return 2;
    }
    signal(SIGTERM, tick_on_signal);
    signal(SIGINT, tick_on_signal);
    signal(SIGQUIT, tick_on_signal);
    do {
        if (tick_once(conn) != 0 && every == 0)
            return 1;
        for (long waited = 0; every > 0 && waited < every && !tick_stop; waited++)
            sleep(1);
    } while (every > 0 && !tick_stop);
    return 0;
}

/* The statement tables of the workers (their statements.c, linked in). */
extern const ok_db_statement widget_statements[], cabinet_statements[], voting_statements[],
    esia_statements[], admin_statements[], analytics_statements[], open311_statements[];
extern const size_t widget_statement_count, cabinet_statement_count, voting_statement_count,
    esia_statement_count, admin_statement_count, analytics_statement_count, open311_statement_count;

static int command_sql(int argc, char **argv)
{
    static const struct {
        const char *module;
        const ok_db_statement *table;
        const size_t *count;
    } modules[] = {
        {"widget", widget_statements, &widget_statement_count},
        {"cabinet", cabinet_statements, &cabinet_statement_count},
        {"voting", voting_statements, &voting_statement_count},
        {"esia", esia_statements, &esia_statement_count},
        {"admin", admin_statements, &admin_statement_count},
        {"analytics", analytics_statements, &analytics_statement_count},
        {"open311", open311_statements, &open311_statement_count},
    };
    if (argc != 4) {
        usage();
        return 2;
    }
    if (strcmp(argv[2], "core") == 0 && ok_db_core_sql(argv[3]) != NULL) {
        puts(ok_db_core_sql(argv[3]));
        return 0;
    }
    for (size_t m = 0; m < sizeof(modules) / sizeof(modules[0]); m++) {
        if (strcmp(modules[m].module, argv[2]) != 0)
            continue;
        for (size_t i = 0; i < *modules[m].count; i++)
            if (strcmp(modules[m].table[i].name, argv[3]) == 0) {
                puts(modules[m].table[i].sql);
                return 0;
            }
    }
    fprintf(stderr, "otklikctl: no statement %s in %s\n", argv[3], argv[2]);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage();
        return 2;
    }
    if (ok_version_printed())
        return 0;
    const char *command = argv[1];
    if (strcmp(command, "sql") == 0)
        return command_sql(argc, argv);
    if (strcmp(command, "config") == 0)
        return command_config(argc, argv);
    int need_key = strcmp(command, "token") == 0 ||
                   (strcmp(command, "org") == 0 && argc > 2 && strcmp(argv[2], "import") == 0);
    if (ok_config_load(need_key) != 0)
        return 1;
    if (strcmp(command, "migrate") != 0 && strcmp(command, "seed-demo") != 0 &&
        strcmp(command, "token") != 0 && strcmp(command, "grant") != 0 &&
        strcmp(command, "tick") != 0 && strcmp(command, "open311") != 0 &&
        !setup_is_command(command)) {
        usage();
        return 2;
    }
    PGconn *conn = connect_database();
    if (conn == NULL)
        return 1;
    int rc;
    if (strcmp(command, "migrate") == 0)
        rc = command_migrate(conn);
    else if (strcmp(command, "seed-demo") == 0)
        rc = command_seed_demo(conn);
    else if (strcmp(command, "token") == 0)
        rc = command_token(conn, argc, argv);
    else if (strcmp(command, "tick") == 0)
        rc = command_tick(conn, argc, argv);
    else if (strcmp(command, "open311") == 0) {
        rc = open311_command(conn, argc, argv);
        if (rc == 2)
            usage();
    } else if (setup_is_command(command)) {
        rc = setup_command(conn, argc, argv);
        if (rc == 2)
            usage();
    } else
        rc = command_grant(conn, argc, argv);
    PQfinish(conn);
    return rc;
}
