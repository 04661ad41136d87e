/* Unit tests of core/ok_authz.c: each staff role's rights (the SPEC's "Who uses
 * it"), unknown actions, roles held in other organisations, the role lists
 * given to SQL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ok_authz.h"

#include <string.h>

static const char *const actions[] = {
    "message.read",      "message.moderate",  "message.assign", "message.answer",
    "message.redirect",  "message.approve",   "staff.read",     "staff.manage",
    "widget.manage",     "voting.manage",     "poll.manage",    "poll.answers",
    "discussion.manage", "incident.moderate", "account.read",   "account.manage",
    "post.write",        "post.approve",      "message.intake", "platform.operate",
    "platform.root",
};

/* For each role, the actions it allows (space-separated, each followed by a space). */
static const struct {
    const char *role, *allowed;
} rights[] = {
    {"moderator", "message.read message.moderate staff.read poll.answers incident.moderate "
                  "account.read "},
    {"coordinator", "message.read message.assign message.redirect staff.read poll.answers "
                    "account.read post.write "},
    {"executor", "message.read message.answer message.redirect staff.read poll.answers "
                 "account.read post.write "},
    {"manager", "message.read message.approve staff.read voting.manage poll.manage poll.answers "
                "discussion.manage account.read account.manage post.write post.approve "},
    {"curator", "message.read staff.read poll.answers account.read "},
    {"admin", "message.read staff.read staff.manage widget.manage voting.manage poll.manage "
              "poll.answers discussion.manage account.read account.manage post.write "},
    /* enters messages taken by phone or in person; reads nothing of the organisation's */
    {"intake_operator", "message.intake "},
    {"operator", "voting.manage poll.manage poll.answers discussion.manage platform.operate "},
    {"root_operator", "platform.operate platform.root "},
};

static int listed(const char *list, const char *action)
{
    size_t n = strlen(action);
    for (const char *p = strstr(list, action); p != NULL; p = strstr(p + 1, action))
        if ((p == list || p[-1] == ' ') && p[n] == ' ')
            return 1;
    return 0;
}

static void test_each_role_has_its_rights(void **state)
{
    (void)state;
    for (size_t r = 0; r < sizeof(rights) / sizeof(rights[0]); r++) {
        ok_role role = {.organisation_id = 7, .organisation = "org7", .role = rights[r].role};
        ok_user user = {.id = 1, .roles = &role, .role_count = 1};
        assert_true(ok_authz_role_exists(rights[r].role));
        assert_true(ok_authz_is_staff(&user, 7));
        for (size_t a = 0; a < sizeof(actions) / sizeof(actions[0]); a++) {
            int expected = listed(rights[r].allowed, actions[a]);
            if (ok_authz_can(&user, actions[a], 7) != expected)
                fail_msg("%s: %s should be %s", rights[r].role, actions[a],
                         expected ? "allowed" : "refused");
        }
    }
}

static void test_unknown_actions_and_roles_never_allow(void **state)
{
    (void)state;
    ok_role roles[] = {
        {7, "org7", "admin"},   {7, "org7", "manager"},  {7, "org7", "moderator"},
        {7, "org7", "curator"}, {7, "org7", "executor"}, {7, "org7", "coordinator"},
    };
    ok_user everything = {.id = 1, .roles = roles, .role_count = 6};
    static const char *const unknown[] = {"",
                                          "message",
                                          "message.",
                                          "message.read ",
                                          "MESSAGE.READ",
                                          "staff.manage.all",
                                          "message.delete"};
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
        assert_false(ok_authz_can(&everything, unknown[i], 7));
    ok_role odd[] = {{7, "org7", "superuser"}, {7, "org7", "Admin"}, {7, "org7", ""}};
    ok_user nobody = {.id = 2, .roles = odd, .role_count = 3};
    for (size_t a = 0; a < sizeof(actions) / sizeof(actions[0]); a++)
        assert_false(ok_authz_can(&nobody, actions[a], 7));
    assert_false(ok_authz_is_staff(&nobody, 7));
    assert_false(ok_authz_role_exists("superuser"));
    assert_false(ok_authz_role_exists(NULL));
    assert_false(ok_authz_can(NULL, "message.read", 7));
}

static void test_roles_in_other_organisations_do_not_count(void **state)
{
    (void)state;
    ok_role roles[] = {{8, "org8", "admin"}, {9, "org9", "manager"}, {7, "org7", "curator"}};
    ok_user user = {.id = 1, .roles = roles, .role_count = 3};
    assert_true(ok_authz_can(&user, "staff.manage", 8));
    assert_false(ok_authz_can(&user, "staff.manage", 7));
    assert_false(ok_authz_can(&user, "staff.manage", 9));
    assert_true(ok_authz_can(&user, "message.approve", 9));
    assert_false(ok_authz_can(&user, "message.approve", 7));
    assert_true(ok_authz_can(&user, "message.read", 7));
    assert_false(ok_authz_is_staff(&user, 10));
    assert_false(ok_authz_can(&user, "message.read", 10));
}

/* An organisation's admin grants its staff roles and intake_operator, never
 * the operators' (they reach beyond the organisation); "anywhere" looks at
 * every organisation the user holds a role in. */
static void test_grantable_roles_and_anywhere(void **state)
{
    (void)state;
    static const char *const grantable[] = {"moderator", "coordinator", "executor",       "manager",
                                            "curator",   "admin",       "intake_operator"};
    for (size_t i = 0; i < sizeof(grantable) / sizeof(grantable[0]); i++)
        assert_true(ok_authz_role_grantable(grantable[i]));
    assert_false(ok_authz_role_grantable("operator"));
    assert_false(ok_authz_role_grantable("root_operator"));
    assert_false(ok_authz_role_grantable("superuser"));
    assert_false(ok_authz_role_grantable(NULL));
    ok_role roles[] = {{7, "org7", "admin"}, {9, "org9", "operator"}};
    ok_user user = {.id = 1, .roles = roles, .role_count = 2};
    assert_true(ok_authz_can_anywhere(&user, "platform.operate"));
    assert_false(ok_authz_can(&user, "platform.operate", 7));
    assert_false(ok_authz_can_anywhere(&user, "message.intake"));
    user.role_count = 1;
    assert_false(ok_authz_can_anywhere(&user, "platform.operate"));
    assert_false(ok_authz_can_anywhere(NULL, "platform.operate"));
}

static void test_roles_allowed_literals(void **state)
{
    (void)state;
    ok_arena *arena = ok_arena_new();
    assert_string_equal(ok_authz_roles_allowed(arena, "message.read"),
                        "{moderator,coordinator,executor,manager,curator,admin}");
    assert_string_equal(ok_authz_roles_allowed(arena, "message.redirect"),
                        "{coordinator,executor}");
    assert_string_equal(ok_authz_roles_allowed(arena, "message.approve"), "{manager}");
    assert_string_equal(ok_authz_roles_allowed(arena, "voting.manage"), "{manager,admin,operator}");
    assert_string_equal(ok_authz_roles_allowed(arena, "message.delete"), "{}");
    assert_string_equal(ok_authz_roles_allowed(arena, ""), "{}");
    /* the literal and ok_authz_can agree for every role and action */
    for (size_t r = 0; r < sizeof(rights) / sizeof(rights[0]); r++)
        for (size_t a = 0; a < sizeof(actions) / sizeof(actions[0]); a++) {
            const char *literal = ok_authz_roles_allowed(arena, actions[a]);
            char *list = ok_arena_printf(arena, "%.*s,", (int)strlen(literal) - 2, literal + 1);
            char *needle = ok_arena_printf(arena, "%s,", rights[r].role);
            int in_literal = strncmp(list, needle, strlen(needle)) == 0 ||
                             strstr(list, ok_arena_printf(arena, ",%s", needle)) != NULL;
            assert_int_equal(in_literal, listed(rights[r].allowed, actions[a]));
        }
    ok_arena_free(arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_role_has_its_rights),
        cmocka_unit_test(test_unknown_actions_and_roles_never_allow),
        cmocka_unit_test(test_roles_in_other_organisations_do_not_count),
        cmocka_unit_test(test_grantable_roles_and_anywhere),
        cmocka_unit_test(test_roles_allowed_literals),
    };
    return cmocka_run_group_tests_name("core_authz", tests, NULL, NULL);
}
