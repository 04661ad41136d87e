/* Unit tests of core/ok_db.c's ok_db_transaction when the connection breaks:
 * before COMMIT nothing was written, so the body runs again on a new
 * connection (a PostgreSQL failover the request never notices); during COMMIT
 * the outcome is unknown, so the answer is 503 and nothing runs again (the
 * client's retry decides, by its Idempotency-Key or the row's primary key).
 * libpq's connection calls are replaced (linked with -Wl,--wrap=...): a fake
 * connection whose BEGIN or COMMIT loses it, as a killed primary would. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ok_arena.h"
#include "ok_db.h"
#include "ok_http.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

/* the fake connection: which command loses it, and what happened */
static const char *lose_on; /* "BEGIN READ WRITE" or "COMMIT": the first such command fails */
static int connections;     /* PQconnectdbParams calls */
static int broken;          /* the current connection is lost */
static int commands[3];     /* BEGIN, COMMIT, ROLLBACK sent */
static int fake_connection; /* its address stands for the PGconn */
static int bodies;          /* the transaction's body runs */

PGconn *__wrap_PQconnectdbParams(const char *const *keys, const char *const *values, int expand);
PGconn *__wrap_PQconnectdbParams(const char *const *keys, const char *const *values, int expand)
{
    (void)keys, (void)values, (void)expand;
    connections++;
    broken = 0;
    return (PGconn *)&fake_connection;
}

ConnStatusType __wrap_PQstatus(const PGconn *conn);
ConnStatusType __wrap_PQstatus(const PGconn *conn)
{
    (void)conn;
    return broken ? CONNECTION_BAD : CONNECTION_OK;
}

void __wrap_PQfinish(PGconn *conn);
void __wrap_PQfinish(PGconn *conn)
{
    (void)conn;
}

PQnoticeProcessor __wrap_PQsetNoticeProcessor(PGconn *conn, PQnoticeProcessor p, void *arg);
PQnoticeProcessor __wrap_PQsetNoticeProcessor(PGconn *conn, PQnoticeProcessor p, void *arg)
{
    (void)conn, (void)p, (void)arg;
    return NULL;
}

PGresult *__wrap_PQexec(PGconn *conn, const char *sql);
PGresult *__wrap_PQexec(PGconn *conn, const char *sql)
{
    (void)conn;
    commands[strcmp(sql, "BEGIN READ WRITE") == 0 ? 0 : strcmp(sql, "COMMIT") == 0 ? 1 : 2]++;
    if (lose_on != NULL && strcmp(sql, lose_on) == 0) {
        lose_on = NULL;
        broken = 1;
        return NULL; /* what libpq answers when the server is gone */
    }
    return PQmakeEmptyPGresult(NULL, PGRES_COMMAND_OK);
}

static int body_commit(ok_request *req, void *context)
{
    (void)req, (void)context;
    bodies++;
    return OK_DB_COMMIT;
}

static int setup(void **state)
{
    ok_request *req = calloc(1, sizeof(*req));
    req->arena = ok_arena_new();
    req->db = ok_db_new("test", NULL, 0);
    req->language = "en";
    *state = req;
    lose_on = NULL;
    connections = broken = bodies = 0;
    memset(commands, 0, sizeof(commands));
    return 0;
}

static int teardown(void **state)
{
    ok_request *req = *state;
    ok_db_free(req->db);
    ok_arena_free(req->arena);
    free(req);
    return 0;
}

static void test_committed(void **state)
{
    ok_request *req = *state;
    assert_int_equal(ok_db_transaction(req, body_commit, NULL), 0);
    assert_int_equal(bodies, 1);
    assert_int_equal(commands[1], 1);
    assert_int_equal(req->status, 0);
}

static void test_lost_before_commit_runs_again(void **state)
{
    ok_request *req = *state;
    assert_int_equal(ok_db_transaction(req, body_commit, NULL), 0);
    assert_int_equal(connections, 1);
    lose_on = "BEGIN READ WRITE"; /* the primary died since the last request */
    assert_int_equal(ok_db_transaction(req, body_commit, NULL), 0);
    assert_int_equal(connections, 2); /* a new connection: the new primary */
    assert_int_equal(bodies, 2);
    assert_int_equal(commands[0], 3);
    assert_int_equal(commands[1], 2);
    assert_int_equal(req->status, 0);
}

static void test_lost_during_commit_answers_503(void **state)
{
    ok_request *req = *state;
    lose_on = "COMMIT"; /* did the primary (and its standby) apply it? nobody knows */
    assert_int_equal(ok_db_transaction(req, body_commit, NULL), -1);
    assert_int_equal(req->status, 503);
    assert_non_null(strstr(req->content_type, "problem+json"));
    assert_int_equal(bodies, 1); /* never applied a second time here */
    assert_int_equal(commands[0], 1);
    assert_int_equal(connections, 1);
    /* the next request reconnects and works */
    assert_int_equal(ok_db_transaction(req, body_commit, NULL), 0);
    assert_int_equal(connections, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_committed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lost_before_commit_runs_again, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lost_during_commit_answers_503, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
