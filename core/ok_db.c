/*
 * ok_db.c - connections, lazily prepared statements and the transaction helper;
 * see ok_db.h.
 */
#include "ok_db.h"
#include "ok_config.h"
#include "ok_log.h"
#include "ok_metrics.h"
#include "ok_problem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OK_DB_MAX_ATTEMPTS 4
#define OK_DB_BATCH_MAX 8

/* Statements every module can use. */
static const ok_db_statement ok_db_core_statements[] = {
    {"ok_ping", "SELECT 1"},
    /* ok_auth: the live session of a token, its user, the user's staff roles
     * and the session's kind */
    {"ok_session",
     "SELECT u.id, u.esia_oid, u.name,"
     "  (SELECT coalesce(json_agg(json_build_array(o.id, o.code, r.role) ORDER BY o.code, r.role),"
     "     '[]') FROM staff_roles r JOIN organisations o ON o.id = r.organisation_id"
     "   WHERE r.user_id = u.id), s.kind"
     " FROM sessions s JOIN users u ON u.id = s.user_id"
     " WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL"
     "   AND s.expires_at > otklik_now()"},
    /* how the next statements of this implicit transaction are planned, by
     * OK_DB_PLAN_* (ok_db_batch) */
    {"ok_plan_auto", "SELECT set_config('plan_cache_mode', 'auto', true)"},
    {"ok_plan_generic", "SELECT set_config('plan_cache_mode', 'force_generic_plan', true)"},
    {"ok_plan_custom", "SELECT set_config('plan_cache_mode', 'force_custom_plan', true)"},
    /* ok_org */
    {"ok_organisation", "SELECT id FROM organisations WHERE code = $1"},
    /* the admin audit's actor (sql/020_admin.sql), for this transaction only */
    {"ok_actor", "SELECT set_config('otklik.actor_id', $1, true)"},
    /* whether operator $1 covers organisation $2's territory (sql/020_admin.sql) */
    {"ok_org_operated",
     "SELECT operator_covers($1, territory_id) FROM organisations WHERE id = $2"},
    /* ok_filters: a rubric with its descendants, and a territory with those
     * below it, as arrays of ids; NULL for an unknown one. */
    {"ok_filters_lookup",
     "WITH RECURSIVE rubric_tree AS (SELECT id FROM rubrics WHERE id = $1"
     "   UNION ALL SELECT r.id FROM rubrics r JOIN rubric_tree t ON r.parent_id = t.id),"
     " territory_tree AS (SELECT id FROM territories WHERE code = $2"
     "   UNION ALL SELECT c.id FROM territories c JOIN territory_tree t ON c.parent_id = t.id)"
     " SELECT (SELECT array_agg(id) FROM rubric_tree), (SELECT array_agg(id) FROM territory_tree)"},
    /* CORS: every origin some widget may be embedded on */
    /* ok_metrics: the outbox (undelivered notifications), bounded */
    {"ok_metrics_outbox",
     "SELECT count(*), coalesce(round(extract(epoch FROM otklik_now() - min(created_at)), 3), 0)"
     " FROM (SELECT created_at FROM notifications WHERE delivered_at IS NULL LIMIT 100000) o"},
    {"ok_cors_origins", "SELECT DISTINCT o COLLATE \"C\" FROM widgets, unnest(allowed_origins) o"
                        " ORDER BY 1"},
};
static const size_t OK_DB_CORE_COUNT =
    sizeof(ok_db_core_statements) / sizeof(ok_db_core_statements[0]);

typedef enum {
    OK_DB_FINE,
    OK_DB_RETRYABLE,  /* serialization failure, deadlock */
    OK_DB_CONNECTION, /* lost connection or server shutting down */
    OK_DB_OTHER
} ok_db_failure;

struct ok_db {
    PGconn *conn;
    const char *application_name;
    const ok_db_statement *statements;
    size_t count;
    unsigned char *prepared; /* per statement: prepared on this connection */
    ok_db_failure failure;   /* of the current transaction */
    int in_transaction;
    int connected_before; /* a later connection is a reconnect (ok_metrics) */
    char sqlstate[6];
};

ok_db *ok_db_new(const char *application_name, const ok_db_statement *statements, size_t count)
{
    ok_db *db = calloc(1, sizeof(*db));
    unsigned char *prepared = calloc(count + OK_DB_CORE_COUNT, 1);
    if (db == NULL || prepared == NULL)
        abort();
    db->application_name = application_name;
    db->statements = statements;
    db->count = count;
    db->prepared = prepared;
    return db;
}

void ok_db_free(ok_db *db)
{
    if (db == NULL)
        return;
    PQfinish(db->conn);
    free(db->prepared);
    free(db);
}

static void ok_db_disconnect(ok_db *db)
{
    PQfinish(db->conn);
    db->conn = NULL;
    memset(db->prepared, 0, db->count + OK_DB_CORE_COUNT);
}

PGconn *ok_db_connect(const char *application_name, const char *options)
{
    /* the same clock everywhere (OTKLIK_CLOCK_OFFSET_SECONDS, otklik_now()) */
    char all[512];
    snprintf(all, sizeof(all), "-c otklik.clock_offset_seconds=%ld %s",
             ok_config_global.clock_offset_seconds, options != NULL ? options : "");
    const char *keys[] = {"dbname", "application_name", "connect_timeout", "options", NULL};
    const char *values[] = {ok_config_global.database_url, application_name, "3", all, NULL};
    PGconn *conn = PQconnectdbParams(keys, values, 1);
    if (PQstatus(conn) != CONNECTION_OK) {
        ok_log(OK_LOG_WARN, "database unreachable", "%s", PQerrorMessage(conn));
        PQfinish(conn);
        return NULL;
    }
    PQsetNoticeProcessor(conn, NULL, NULL);
    return conn;
}

PGconn *ok_db_connection(ok_db *db)
{
    if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK)
        return db->conn;
    ok_db_disconnect(db);
    /* read only by default: the statements ok_db_query may run again after a
     * reconnect fail if they write; ok_db_transaction begins READ WRITE.
     * jit off: the generic plans of the lists cost more than jit_above_cost
     * (they assume ten organisations, say), and compiling them took 30 ms of
     * every 1 ms query */
    char options[160];
    snprintf(options, sizeof(options),
             "-c statement_timeout=%ld -c idle_in_transaction_session_timeout=30000"
             " -c jit=off -c default_transaction_read_only=on",
             ok_config_global.statement_timeout_ms > 0 ? ok_config_global.statement_timeout_ms
                                                       : 10000);
    db->conn = ok_db_connect(db->application_name, options);
    if (db->conn != NULL && db->connected_before++ > 0)
        ok_metrics_count(OK_METRICS_DB_RECONNECTS);
    return db->conn;
}

/* Finds a statement by name: the module's first, then the core's; -1 if unknown. */
static long ok_db_find(ok_db *db, const char *name, const ok_db_statement **statement)
{
    for (size_t i = 0; i < db->count; i++)
        if (strcmp(db->statements[i].name, name) == 0) {
            *statement = &db->statements[i];
            return (long)i;
        }
    for (size_t i = 0; i < OK_DB_CORE_COUNT; i++)
        if (strcmp(ok_db_core_statements[i].name, name) == 0) {
            *statement = &ok_db_core_statements[i];
            return (long)(db->count + i);
        }
    return -1;
}

static void ok_db_result_cleanup(void *result)
{
    PQclear(result);
}

/* Records why result (maybe NULL) failed. */
static void ok_db_note_failure(ok_db *db, const PGresult *result, const char *name)
{
    const char *state = result != NULL ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : NULL;
    snprintf(db->sqlstate, sizeof(db->sqlstate), "%s", state != NULL ? state : "");
    ok_metrics_count(OK_METRICS_DB_ERRORS);
    if (PQstatus(db->conn) != CONNECTION_OK || state == NULL || strncmp(state, "08", 2) == 0 ||
        strncmp(state, "57P", 3) == 0)
        db->failure = OK_DB_CONNECTION;
    else if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
        db->failure = OK_DB_RETRYABLE;
    else if (db->failure == OK_DB_FINE)
        db->failure = OK_DB_OTHER;
    ok_log_new(OK_LOG_WARN, "statement failed",
               json_pack("{s:s, s:s}", "statement", name, "sqlstate", db->sqlstate));
}

/* Prepares statement number index on this connection unless it already is. */
static int ok_db_prepare(ok_db *db, long index, const ok_db_statement *statement)
{
    if (db->prepared[index])
        return 0;
    PGresult *result = PQprepare(db->conn, statement->name, statement->sql, 0, NULL);
    int ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    if (!ok)
        ok_db_note_failure(db, result, statement->name);
    PQclear(result);
    db->prepared[index] = ok;
    return ok ? 0 : -1;
}

/* ok_db_exec_binary with the result's format (0 text, 1 binary). */
static PGresult *ok_db_exec_format(ok_request *req, const char *name, int count,
                                   const char *const *values, const int *lengths,
                                   const int *formats, int result_format)
{
    ok_db *db = req->db;
    const ok_db_statement *statement = NULL;
    long index = ok_db_find(db, name, &statement);
    if (index < 0) {
        ok_log(OK_LOG_ERROR, "unknown statement", "%s", name);
        db->failure = OK_DB_OTHER;
        return NULL;
    }
    if (db->conn == NULL || db->failure != OK_DB_FINE)
        return NULL; /* the transaction is already lost */
    if (ok_db_prepare(db, index, statement) != 0)
        return NULL;
    PGresult *result =
        PQexecPrepared(db->conn, name, count, values, lengths, formats, result_format);
    ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        ok_db_note_failure(db, result, name);
        PQclear(result);
        return NULL;
    }
    ok_arena_cleanup_add(req->arena, ok_db_result_cleanup, result);
    return result;
}

PGresult *ok_db_exec_binary(ok_request *req, const char *name, int count, const char *const *values,
                            const int *lengths, const int *formats)
{
    return ok_db_exec_format(req, name, count, values, lengths, formats, 0);
}

PGresult *ok_db_exec(ok_request *req, const char *name, int count, const char *const *values)
{
    return ok_db_exec_format(req, name, count, values, NULL, NULL, 0);
}

PGresult *ok_db_exec_binary_result(ok_request *req, const char *name, int count,
                                   const char *const *values)
{
    return ok_db_exec_format(req, name, count, values, NULL, NULL, 1);
}

/* One attempt of ok_db_query_batch; failures are noted in db->failure. */
static void ok_db_batch(ok_request *req, ok_db_call *calls, int n)
{
    ok_db *db = req->db;
    /* what goes down the pipeline: the calls, and before each one planned
     * otherwise than the one before, an ok_plan_* setting (sent[k] < 0: whose
     * result is dropped); the setting ends with the implicit transaction */
    static const char *const settings[] = {"ok_plan_auto", "ok_plan_generic", "ok_plan_custom"};
    const char *names[2 * OK_DB_BATCH_MAX];
    int sent[2 * OK_DB_BATCH_MAX], total = 0, plan = OK_DB_PLAN_AUTO;
    if (n > OK_DB_BATCH_MAX) {
        ok_log(OK_LOG_ERROR, "batch too long", "%d statements", n);
        db->failure = OK_DB_OTHER;
        return;
    }
    for (int i = 0; i < n; i++) {
        const ok_db_statement *statement = NULL;
        long index = ok_db_find(db, calls[i].name, &statement);
        calls[i].result = NULL;
        if (index < 0) {
            ok_log(OK_LOG_ERROR, "unknown statement", "%s", calls[i].name);
            db->failure = OK_DB_OTHER;
            return;
        }
        if (ok_db_prepare(db, index, statement) != 0)
            return;
        if (statement->plan != plan) {
            const ok_db_statement *setting = NULL;
            plan = statement->plan;
            long setting_index = ok_db_find(db, settings[plan], &setting);
            if (ok_db_prepare(db, setting_index, setting) != 0)
                return;
            names[total] = settings[plan];
            sent[total++] = -1;
        }
        names[total] = calls[i].name;
        sent[total++] = i;
    }
    /* any trouble with the pipeline itself: the connection is given up */
    if (PQenterPipelineMode(db->conn) != 1) {
        ok_db_note_failure(db, NULL, "pipeline");
        return;
    }
    for (int k = 0; k < total; k++) {
        int i = sent[k];
        if (PQsendQueryPrepared(db->conn, names[k], i < 0 ? 0 : calls[i].count,
                                i < 0 ? NULL : calls[i].values, NULL, NULL, 0) != 1) {
            ok_db_note_failure(db, NULL, names[k]);
            return;
        }
    }
    if (PQpipelineSync(db->conn) != 1) {
        ok_db_note_failure(db, NULL, "pipeline");
        return;
    }
    /* each statement's result, then NULL; after an error the rest come back
     * PGRES_PIPELINE_ABORTED; then the sync */
    for (int k = 0; k < total; k++) {
        int i = sent[k];
        PGresult *result = PQgetResult(db->conn);
        ExecStatusType status = PQresultStatus(result);
        if (result == NULL) {
            ok_db_note_failure(db, NULL, names[k]);
            return;
        }
        if ((status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) &&
            db->failure == OK_DB_FINE && i >= 0) {
            calls[i].result = result;
            ok_arena_cleanup_add(req->arena, ok_db_result_cleanup, result);
        } else {
            if (status != PGRES_PIPELINE_ABORTED && status != PGRES_TUPLES_OK &&
                status != PGRES_COMMAND_OK)
                ok_db_note_failure(db, result, names[k]);
            PQclear(result);
        }
        PGresult *end = PQgetResult(db->conn);
        if (end != NULL) {
            PQclear(end);
            ok_db_note_failure(db, NULL, names[k]);
            return;
        }
    }
    PGresult *sync = PQgetResult(db->conn);
    int synced = PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
    PQclear(sync);
    if (!synced || PQexitPipelineMode(db->conn) != 1) {
        ok_db_note_failure(db, NULL, "pipeline");
        db->failure = OK_DB_CONNECTION;
    }
}

/* A connection found dead (PostgreSQL restarted) is replaced once and the
 * statements run again: statements run this way are reads (the connection is
 * read-only outside ok_db_transaction), so a second run cannot do harm. */
int ok_db_query_batch(ok_request *req, ok_db_call *calls, int n)
{
    for (int attempt = 1; attempt <= 2; attempt++) {
        req->db->failure = OK_DB_FINE;
        if (ok_db_connection(req->db) == NULL) {
            req->db->failure = OK_DB_CONNECTION;
            return -1;
        }
        ok_db_batch(req, calls, n);
        if (req->db->failure == OK_DB_FINE)
            return 0;
        for (int i = 0; i < n; i++)
            calls[i].result = NULL;
        if (req->db->failure != OK_DB_CONNECTION)
            return -1;
        ok_db_disconnect(req->db);
    }
    return -1;
}

/* A batch of one: the same retry, and the statement's plan mode applies. */
PGresult *ok_db_query(ok_request *req, const char *name, int count, const char *const *values)
{
    ok_db_call call = {name, count, values, NULL};
    return ok_db_query_batch(req, &call, 1) == 0 ? call.result : NULL;
}

int ok_db_reply_json(ok_request *req, const char *name, int count, const char *const *values)
{
    PGresult *row = ok_db_query(req, name, count, values);
    if (row == NULL || PQntuples(row) != 1) {
        ok_db_reply_failure(req);
        return -1;
    }
    const char *json = PQgetvalue(row, 0, 0);
    ok_http_respond(req, 200, "application/json; charset=utf-8", json, strlen(json));
    return 0;
}

void ok_db_reply_failure(ok_request *req)
{
    if (req->db->failure == OK_DB_OTHER)
        ok_problem(req, 500, "The request could not be completed.");
    else
        ok_problem(req, 503, "The database is unavailable; please try again shortly.");
}

const char *ok_db_core_sql(const char *name)
{
    for (size_t i = 0; i < OK_DB_CORE_COUNT; i++)
        if (strcmp(ok_db_core_statements[i].name, name) == 0)
            return ok_db_core_statements[i].sql;
    return NULL;
}

static int ok_db_write_body(ok_request *req, void *context)
{
    ok_db_call *call = context;
    call->result = ok_db_exec(req, call->name, call->count, call->values);
    return call->result != NULL ? OK_DB_COMMIT : OK_DB_ROLLBACK;
}

PGresult *ok_db_write(ok_request *req, const char *name, int count, const char *const *values)
{
    if (req->db->in_transaction) /* a transaction of its own would commit the caller's half */
        return ok_db_exec(req, name, count, values);
    ok_db_call call = {name, count, values, NULL};
    return ok_db_transaction(req, ok_db_write_body, &call) == 0 ? call.result : NULL;
}

PGresult *ok_db_run(ok_request *req, const char *name, int count, const char *const *values)
{
    return req->db->in_transaction ? ok_db_exec(req, name, count, values)
                                   : ok_db_query(req, name, count, values);
}

const char *ok_db_sqlstate(ok_request *req)
{
    return req->db->sqlstate;
}

const char *ok_db_value(const PGresult *result, int row, int column)
{
    return PQgetisnull(result, row, column) ? NULL : PQgetvalue(result, row, column);
}

/* Runs a command outside the prepared set (BEGIN, COMMIT, ROLLBACK). */
static int ok_db_command(ok_db *db, const char *sql)
{
    PGresult *result = PQexec(db->conn, sql);
    int ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    if (!ok)
        ok_db_note_failure(db, result, sql);
    PQclear(result);
    return ok ? 0 : -1;
}

int ok_db_actor(ok_request *req)
{
    const char *id = ok_arena_printf(req->arena, "%lld", req->user->id);
    return ok_db_exec(req, "ok_actor", 1, &id) != NULL ? 0 : -1;
}

int ok_db_transaction(ok_request *req, ok_db_body_fn *body, void *context)
{
    ok_db *db = req->db;
    for (int attempt = 1;; attempt++) {
        ok_http_response_clear(req);
        db->failure = OK_DB_FINE;
        db->sqlstate[0] = '\0';
        int commit_sent = 0;
        if (ok_db_connection(db) == NULL) {
            ok_problem(req, 503, "The database is unavailable; please try again shortly.");
            return -1;
        }
        if (ok_db_command(db, "BEGIN READ WRITE") == 0) {
            db->in_transaction = 1;
            int decision = body(req, context);
            db->in_transaction = 0;
            if (db->failure == OK_DB_FINE && decision == OK_DB_COMMIT) {
                commit_sent = 1;
                if (ok_db_command(db, "COMMIT") == 0)
                    return 0;
            } else if (db->failure != OK_DB_CONNECTION) {
                ok_db_command(db, "ROLLBACK");
                if (db->failure == OK_DB_FINE || (db->failure == OK_DB_OTHER && req->status != 0))
                    return -1; /* the body's own answer */
            }
        }
        if (db->failure == OK_DB_CONNECTION) {
            ok_db_disconnect(db);
            if (commit_sent || attempt >= 2) {
                ok_problem(req, 503, "The database is unavailable; please try again shortly.");
                return -1;
            }
            ok_metrics_count(OK_METRICS_DB_RETRIES);
            continue; /* nothing was committed: reconnect and run the body again */
        }
        if (db->failure == OK_DB_RETRYABLE && attempt < OK_DB_MAX_ATTEMPTS) {
            ok_metrics_count(OK_METRICS_DB_RETRIES);
            continue;
        }
        ok_http_response_clear(req);
        if (db->failure == OK_DB_RETRYABLE)
            ok_problem(req, 409, "The request conflicted with a concurrent one; please retry.");
        else
            ok_problem(req, 500, "The request could not be completed.");
        return -1;
    }
}

/* The end of a COPY's transaction: drains the results, commits (or, when
 * the COPY failed, rolls back); a connection left mid-COPY is dropped. */
static int ok_db_copy_end(ok_db *db, int copied)
{
    PGresult *result;
    while ((result = PQgetResult(db->conn)) != NULL) {
        if (PQresultStatus(result) != PGRES_COMMAND_OK && copied == 0) {
            ok_db_note_failure(db, result, "copy");
            copied = -1;
        }
        PQclear(result);
    }
    result = PQexec(db->conn, copied == 0 ? "COMMIT" : "ROLLBACK");
    if (PQresultStatus(result) != PGRES_COMMAND_OK)
        ok_db_disconnect(db);
    PQclear(result);
    return copied;
}

int ok_db_copy_out(ok_request *req, const char *name, int count, const char *const *values,
                   const char *copy_name, ok_db_sink_fn *sink, void *context)
{
    ok_db *db = req->db;
    const ok_db_statement *copy = NULL;
    db->failure = OK_DB_FINE;
    if (ok_db_find(db, copy_name, &copy) < 0 || ok_db_connection(db) == NULL) {
        db->failure = copy == NULL ? OK_DB_OTHER : OK_DB_CONNECTION;
        return -1;
    }
    PGresult *begin = PQexec(db->conn, "BEGIN READ ONLY");
    int began = PQresultStatus(begin) == PGRES_COMMAND_OK;
    PQclear(begin);
    if (!began)
        ok_db_note_failure(db, NULL, "BEGIN");
    if (!began || ok_db_exec(req, name, count, values) == NULL) {
        ok_db_disconnect(db);
        return -1;
    }
    PGresult *started = PQexec(db->conn, copy->sql);
    if (PQresultStatus(started) != PGRES_COPY_OUT) {
        ok_db_note_failure(db, started, copy_name);
        PQclear(started);
        return ok_db_copy_end(db, -1);
    }
    PQclear(started);
    long rows = 0;
    char *data;
    int length;
    while ((length = PQgetCopyData(db->conn, &data, 0)) > 0) {
        int kept = sink(req, data, (size_t)length, context);
        PQfreemem(data);
        rows++;
        if (kept != 0) {
            ok_db_disconnect(db); /* mid-COPY: the server stops when the connection goes */
            return 1;
        }
    }
    int copied = ok_db_copy_end(db, length == -1 ? 0 : -1);
    return copied == 0 ? 0 : rows > 0 ? 1 : -1;
}
