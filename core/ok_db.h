/*
 * ok_db.h - PostgreSQL through libpq: one connection per thread, prepared
 * statements, one transaction per request.
 *
 * DESIGN
 * Each module lists its SQL once, as a static table of {name, sql}. A statement
 * is prepared on its connection the first time it is used, and again after a
 * reconnect. Handlers never build SQL: values travel as parameters.
 *
 * ok_db_transaction runs a handler's body between BEGIN and COMMIT. It retries
 * the body on serialization failures and deadlocks, reconnects when the
 * connection was lost before COMMIT was sent, and answers 503 with Retry-After
 * while PostgreSQL cannot be reached. The body only reports "commit" or
 * "roll back"; the first failed statement decides the answer unless the body
 * chose one itself (e.g. 409 on a unique violation it expected).
 *
 * SQL reads the time from otklik_now(), which honours OTKLIK_CLOCK_OFFSET_SECONDS
 * through the session setting otklik.clock_offset_seconds.
 */
#ifndef OK_DB_H
#define OK_DB_H

#include "ok_http.h"

#include <libpq-fe.h>
#include <stddef.h>

/* How PostgreSQL plans a statement (plan_cache_mode, set for that statement
 * alone when it runs through ok_db_query or ok_db_query_batch, outside a
 * transaction: the setting lasts until the transaction ends, so within
 * ok_db_transaction - where ok_db_exec ignores it - it would outlive the
 * statement):
 * OK_DB_PLAN_AUTO: PostgreSQL's choice - custom plans for the first five
 *   runs, then the generic plan if it does not look worse.
 * OK_DB_PLAN_GENERIC: always the generic plan - for a statement whose generic
 *   plan is right whatever the values, but which PostgreSQL would re-plan on
 *   every run because the generic plan's estimate looks worse; planning can
 *   cost as much as running.
 * OK_DB_PLAN_CUSTOM: planned for its values every time - for a statement
 *   whose best index depends on which filters are set, where any one generic
 *   plan reads the whole table for some of them. */
enum { OK_DB_PLAN_AUTO, OK_DB_PLAN_GENERIC, OK_DB_PLAN_CUSTOM };

typedef struct ok_db_statement {
    const char *name;
    const char *sql;
    int plan; /* OK_DB_PLAN_* */
} ok_db_statement;

/* Connects to OTKLIK_DATABASE_URL as application_name with the platform's
 * clock (otklik.clock_offset_seconds) and further options ("-c name=value ...",
 * may be NULL). Returns the connection, or NULL after logging why not. For the
 * tools; workers connect through ok_db_new's handles. */
PGconn *ok_db_connect(const char *application_name, const char *options);

/* Creates an unconnected handle to OTKLIK_DATABASE_URL; statements must
 * outlive it. */
ok_db *ok_db_new(const char *application_name, const ok_db_statement *statements, size_t count);
void ok_db_free(ok_db *db);

/* The raw connection, connecting first if needed; NULL while unreachable. */
PGconn *ok_db_connection(ok_db *db);

/* Executes a prepared statement with text parameters (NULL = SQL NULL). Returns
 * a result released with the request, or NULL on failure (remembered for
 * ok_db_transaction). */
PGresult *ok_db_exec(ok_request *req, const char *name, int count, const char *const *values);

/* Like ok_db_exec, with explicit lengths and formats (1 = binary) per parameter. */
PGresult *ok_db_exec_binary(ok_request *req, const char *name, int count, const char *const *values,
                            const int *lengths, const int *formats);

/* Like ok_db_exec, with every column of the result in PostgreSQL's binary
 * format: a bytea's bytes as they are (PQgetlength), text as its bytes, but
 * numbers in network byte order - select only bytea and text this way. */
PGresult *ok_db_exec_binary_result(ok_request *req, const char *name, int count,
                                   const char *const *values);

/* Runs one statement on its own (autocommit), connecting first; NULL if the
 * database is unreachable or the statement failed. For reads outside a request's
 * transaction (health, caches, sessions). After a lost connection it reconnects
 * and runs the statement once more, so it is only for reads: the connection's
 * transactions are READ ONLY unless ok_db_transaction began them, so a write
 * run through here fails (SQLSTATE 25006) instead of being stored twice. */
PGresult *ok_db_query(ok_request *req, const char *name, int count, const char *const *values);

/* Runs one writing statement in a transaction of its own (ok_db_transaction:
 * never run again once COMMIT was sent). Returns its result, or NULL having
 * answered (503 while the database is away, else 500). Inside a transaction
 * body it is ok_db_exec (that transaction's statement). */
PGresult *ok_db_write(ok_request *req, const char *name, int count, const char *const *values);

/* A statement of a batch: name and text parameters in; its result out (NULL
 * when the batch failed). */
typedef struct ok_db_call {
    const char *name;
    int count;
    const char *const *values;
    PGresult *result;
} ok_db_call;

/* Runs independent statements in one round trip (libpq pipeline mode), in one
 * implicit transaction of their own, like ok_db_query: a lost connection is
 * replaced and the batch run once more, so only for reads (read only, as
 * ok_db_query's). Returns 0, or -1
 * with every result NULL (answer with ok_db_reply_failure). */
int ok_db_query_batch(ok_request *req, ok_db_call *calls, int n);

/* The SQL of a statement core itself prepares (ok_session...), or NULL. */
const char *ok_db_core_sql(const char *name);

/* ok_db_exec inside a transaction body, ok_db_query outside: for helpers used
 * in both places. */
PGresult *ok_db_run(ok_request *req, const char *name, int count, const char *const *values);

/* Runs a read (ok_db_query) whose one row's first column is a JSON document,
 * and answers 200 with it. Returns 0, or -1 having answered its failure. */
int ok_db_reply_json(ok_request *req, const char *name, int count, const char *const *values);

/* Answers the failure of ok_db_query: 503 (with Retry-After) while the database
 * is unreachable, else 500. */
void ok_db_reply_failure(ok_request *req);

/* The SQLSTATE of the last failed statement, "" if none. */
const char *ok_db_sqlstate(ok_request *req);

/* Names the caller (req->user) as the actor of this transaction's changes in
 * the admin audit (admin_events, sql/020_admin.sql): 0, or -1 when it failed. */
int ok_db_actor(ok_request *req);

enum { OK_DB_COMMIT = 0, OK_DB_ROLLBACK = -1 };
typedef int ok_db_body_fn(ok_request *req, void *context);

/* Runs body in a transaction; returns 0 when committed, -1 when not (the
 * response is then set: the body's, or 503/500). */
int ok_db_transaction(ok_request *req, ok_db_body_fn *body, void *context);

/* Receives a piece of a COPY's data (a row); 0 to go on, -1 to stop. */
typedef int ok_db_sink_fn(ok_request *req, const char *data, size_t length, void *context);

/* Streams a COPY (...) TO STDOUT, the statement copy_name of the module's
 * table (run as it is: COPY takes no parameters), after the prepared
 * statement name with values in the same read-only transaction - which
 * passes the values on, as settings the COPY reads (set_config(..., true)).
 * Each row goes to sink as it arrives; nothing is held. Returns 0 when all
 * was copied; -1 when nothing was (answer with ok_db_reply_failure); 1 when
 * cut short after some rows (by sink, or a failure: logged). Outside a
 * transaction; the connection's statement_timeout applies. */
int ok_db_copy_out(ok_request *req, const char *name, int count, const char *const *values,
                   const char *copy_name, ok_db_sink_fn *sink, void *context);

/* A value of a result row, or NULL for SQL NULL. */
const char *ok_db_value(const PGresult *result, int row, int column);

#endif
