/* Unit tests of core/ok_org.c's ok_org_can and core/ok_authz.c's
 * ok_authz_territorial: which actions an operator takes in organisations of
 * its territory without a role there, a staff member's own rights, and when
 * the territory is asked of the database at all. ok_db_run is replaced
 * (linked with -Wl,--wrap=ok_db_run): it answers whether the operator's
 * territory covers the organisation, or fails, and records its parameters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ok_arena.h"
#include "ok_authz.h"
#include "ok_org.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the replaced ok_db_run answers: covered "t"/"f", or NULL (a failure). */
static const char *covered;
static int queries;
static char asked_user[32], asked_org[32];
static PGresult *answered;

PGresult *__wrap_ok_db_run(ok_request *req, const char *name, int count, const char *const *values);
PGresult *__wrap_ok_db_run(ok_request *req, const char *name, int count, const char *const *values)
{
    (void)req;
    queries++;
    assert_string_equal(name, "ok_org_operated");
    assert_int_equal(count, 2);
    snprintf(asked_user, sizeof(asked_user), "%s", values[0]);
    snprintf(asked_org, sizeof(asked_org), "%s", values[1]);
    if (covered == NULL)
        return NULL;
    PGresult *result = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
    PGresAttDesc column = {
        .name = "covers", .format = 0, .typid = 16, .typlen = 1, .atttypmod = -1};
    assert_true(PQsetResultAttrs(result, 1, &column));
    char value[2] = {covered[0], '\0'};
    assert_true(PQsetvalue(result, 0, 0, value, 1));
    PQclear(answered);
    answered = result;
    return result;
}

/* Makes the caller user id holding role in organisation org. */
static ok_role held;
static ok_user caller;
static void as(ok_request *req, long long id, long long org, const char *role)
{
    held = (ok_role){org, "org", role};
    caller = (ok_user){.id = id, .roles = &held, .role_count = 1};
    req->user = &caller;
}

static int setup(void **state)
{
    ok_request *req = calloc(1, sizeof(*req));
    req->arena = ok_arena_new();
    *state = req;
    covered = "t";
    queries = 0;
    asked_user[0] = asked_org[0] = '\0';
    return 0;
}

static int teardown(void **state)
{
    ok_request *req = *state;
    ok_arena_free(req->arena);
    free(req);
    PQclear(answered);
    answered = NULL;
    return 0;
}

static void test_territorial_actions(void **state)
{
    (void)state;
    /* reading an organisation, its staff, granting roles, its widgets */
    assert_true(ok_authz_territorial(NULL));
    assert_true(ok_authz_territorial("staff.read"));
    assert_true(ok_authz_territorial("staff.manage"));
    assert_true(ok_authz_territorial("widget.manage"));
    /* the work on messages stays with the organisation's own staff */
    static const char *const not_territorial[] = {"message.read",
                                                  "message.moderate",
                                                  "message.assign",
                                                  "message.answer",
                                                  "message.redirect",
                                                  "message.approve",
                                                  "poll.answers",
                                                  "message.intake",
                                                  "platform.operate",
                                                  "platform.root",
                                                  "",
                                                  "staff",
                                                  "staff.read ",
                                                  "STAFF.READ",
                                                  "widget.manage.all"};
    for (size_t i = 0; i < sizeof(not_territorial) / sizeof(not_territorial[0]); i++)
        if (ok_authz_territorial(not_territorial[i]))
            fail_msg("%s should not be territorial", not_territorial[i]);
}

static void test_nobody_and_no_organisation(void **state)
{
    ok_request *req = *state;
    assert_int_equal(ok_org_can(req, 7, NULL), 0); /* no caller */
    as(req, 1, 7, "root_operator");
    assert_int_equal(ok_org_can(req, 0, NULL), 0); /* an unknown organisation */
    assert_int_equal(queries, 0);
}

static void test_staff_by_their_roles(void **state)
{
    ok_request *req = *state;
    as(req, 3, 7, "executor");
    assert_int_equal(ok_org_can(req, 7, NULL), 1);
    assert_int_equal(ok_org_can(req, 7, "message.answer"), 1);
    /* a right the role lacks; another organisation: no operator, no query */
    assert_int_equal(ok_org_can(req, 7, "staff.manage"), 0);
    assert_int_equal(ok_org_can(req, 8, NULL), 0);
    assert_int_equal(ok_org_can(req, 8, "message.read"), 0);
    assert_int_equal(queries, 0);
}

static void test_operator_within_its_territory(void **state)
{
    ok_request *req = *state;
    as(req, 42, 5, "operator");
    assert_int_equal(ok_org_can(req, 9, "staff.manage"), 1);
    assert_string_equal(asked_user, "42");
    assert_string_equal(asked_org, "9");
    assert_int_equal(ok_org_can(req, 9, NULL), 1);
    assert_int_equal(ok_org_can(req, 9, "widget.manage"), 1);
    assert_int_equal(queries, 3);
    /* outside its territory */
    covered = "f";
    assert_int_equal(ok_org_can(req, 10, "staff.read"), 0);
    /* the database failed */
    covered = NULL;
    assert_int_equal(ok_org_can(req, 10, "staff.read"), -1);
    assert_int_equal(queries, 5);
}

static void test_operator_takes_no_staff_work(void **state)
{
    ok_request *req = *state;
    as(req, 42, 5, "root_operator");
    /* messages of an organisation are its staff's, even within the territory */
    assert_int_equal(ok_org_can(req, 9, "message.read"), 0);
    assert_int_equal(ok_org_can(req, 9, "message.answer"), 0);
    assert_int_equal(queries, 0);
}

static void test_territorial_action_without_operator_role(void **state)
{
    ok_request *req = *state;
    /* an admin elsewhere is no operator: its territory is never asked */
    as(req, 42, 5, "admin");
    assert_int_equal(ok_org_can(req, 5, "staff.manage"), 1);
    assert_int_equal(ok_org_can(req, 9, "staff.manage"), 0);
    assert_int_equal(ok_org_can(req, 9, NULL), 0);
    assert_int_equal(queries, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_territorial_actions),
        cmocka_unit_test_setup_teardown(test_nobody_and_no_organisation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_staff_by_their_roles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_operator_within_its_territory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_operator_takes_no_staff_work, setup, teardown),
        cmocka_unit_test_setup_teardown(test_territorial_action_without_operator_role, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
