/*
 * ok_authz.c - roles to rights; see ok_authz.h. The table mirrors the SPEC's
 * "Who uses it" section.
 */
#include "ok_authz.h"

#include <string.h>

enum {
    OK_ROLE_MODERATOR = 1 << 0,
    OK_ROLE_COORDINATOR = 1 << 1,
    OK_ROLE_EXECUTOR = 1 << 2,
    OK_ROLE_MANAGER = 1 << 3,
    OK_ROLE_CURATOR = 1 << 4,
    OK_ROLE_ADMIN = 1 << 5,
    OK_ROLE_INTAKE_OPERATOR = 1 << 6,
    OK_ROLE_OPERATOR = 1 << 7,
    OK_ROLE_ROOT_OPERATOR = 1 << 8,
    /* the organisation's own staff, who read its messages and people */
    OK_ROLE_STAFF = (1 << 6) - 1,
    /* the roles an organisation's admin may grant: not the operators', which
     * reach beyond the organisation (otklikctl grant) */
    OK_ROLE_GRANTABLE = (1 << 7) - 1
};

static const struct {
    const char *name;
    unsigned bit;
} ok_authz_roles[] = {
    {"moderator", OK_ROLE_MODERATOR},
    {"coordinator", OK_ROLE_COORDINATOR},
    {"executor", OK_ROLE_EXECUTOR},
    {"manager", OK_ROLE_MANAGER},
    {"curator", OK_ROLE_CURATOR},
    {"admin", OK_ROLE_ADMIN},
    {"intake_operator", OK_ROLE_INTAKE_OPERATOR},
    {"operator", OK_ROLE_OPERATOR},
    {"root_operator", OK_ROLE_ROOT_OPERATOR},
};

static const struct {
    const char *action;
    unsigned roles;
} ok_authz_rules[] = {
    {"message.read", OK_ROLE_STAFF},
    {"message.moderate", OK_ROLE_MODERATOR},
    {"message.assign", OK_ROLE_COORDINATOR},
    {"message.answer", OK_ROLE_EXECUTOR},
    {"message.redirect", OK_ROLE_COORDINATOR | OK_ROLE_EXECUTOR},
    {"message.approve", OK_ROLE_MANAGER},
    {"staff.read", OK_ROLE_STAFF},
    {"staff.manage", OK_ROLE_ADMIN},
    {"widget.manage", OK_ROLE_ADMIN},
    {"voting.manage", OK_ROLE_ADMIN | OK_ROLE_MANAGER | OK_ROLE_OPERATOR},
    {"poll.manage", OK_ROLE_ADMIN | OK_ROLE_MANAGER | OK_ROLE_OPERATOR},
    {"poll.answers", OK_ROLE_STAFF | OK_ROLE_OPERATOR}, /* a poll's free-text answers */
    {"discussion.manage", OK_ROLE_ADMIN | OK_ROLE_MANAGER | OK_ROLE_OPERATOR},
    {"message.intake", OK_ROLE_INTAKE_OPERATOR},
    /* setting the platform up (modules/admin); the territory is checked in SQL */
    {"platform.operate", OK_ROLE_OPERATOR | OK_ROLE_ROOT_OPERATOR},
    /* the whole installation: new regions, the rubricator */
    {"platform.root", OK_ROLE_ROOT_OPERATOR},
    /* statistics (modules/analytics): of the organisation, or of the
     * territory of a moderation organisation, or an operator's */
    {"analytics.read", OK_ROLE_CURATOR | OK_ROLE_MANAGER | OK_ROLE_MODERATOR | OK_ROLE_OPERATOR},
    /* modules/channels: incidents, official accounts and their content plan */
    {"incident.moderate", OK_ROLE_MODERATOR},
    {"account.read", OK_ROLE_STAFF},
    {"account.manage", OK_ROLE_ADMIN | OK_ROLE_MANAGER},
    {"post.write", OK_ROLE_ADMIN | OK_ROLE_MANAGER | OK_ROLE_EXECUTOR | OK_ROLE_COORDINATOR},
    {"post.approve", OK_ROLE_MANAGER},
};

/* What operators may do in the organisations of their territory (ok_org.c). */
static const char *const ok_authz_territorial_actions[] = {"staff.read", "staff.manage",
                                                           "widget.manage"};

int ok_authz_territorial(const char *action)
{
    if (action == NULL)
        return 1;
    for (size_t i = 0;
         i < sizeof(ok_authz_territorial_actions) / sizeof(ok_authz_territorial_actions[0]); i++)
        if (strcmp(ok_authz_territorial_actions[i], action) == 0)
            return 1;
    return 0;
}

static unsigned ok_authz_role_bit(const char *name)
{
    for (size_t i = 0; i < sizeof(ok_authz_roles) / sizeof(ok_authz_roles[0]); i++)
        if (strcmp(ok_authz_roles[i].name, name) == 0)
            return ok_authz_roles[i].bit;
    return 0;
}

int ok_authz_role_exists(const char *name)
{
    return name != NULL && ok_authz_role_bit(name) != 0;
}

/* The roles user holds in organisation_id, as bits. */
static unsigned ok_authz_held(const ok_user *user, long long organisation_id)
{
    unsigned held = 0;
    for (size_t i = 0; user != NULL && i < user->role_count; i++)
        if (user->roles[i].organisation_id == organisation_id)
            held |= ok_authz_role_bit(user->roles[i].role);
    return held;
}

int ok_authz_role_grantable(const char *name)
{
    return name != NULL && (ok_authz_role_bit(name) & OK_ROLE_GRANTABLE) != 0;
}

int ok_authz_can_anywhere(const ok_user *user, const char *action)
{
    for (size_t i = 0; user != NULL && i < user->role_count; i++)
        if (ok_authz_can(user, action, user->roles[i].organisation_id))
            return 1;
    return 0;
}

int ok_authz_can(const ok_user *user, const char *action, long long organisation_id)
{
    for (size_t i = 0; i < sizeof(ok_authz_rules) / sizeof(ok_authz_rules[0]); i++)
        if (strcmp(ok_authz_rules[i].action, action) == 0)
            return (ok_authz_held(user, organisation_id) & ok_authz_rules[i].roles) != 0;
    return 0;
}

int ok_authz_is_staff(const ok_user *user, long long organisation_id)
{
    return ok_authz_held(user, organisation_id) != 0;
}

const char *ok_authz_roles_allowed(ok_arena *arena, const char *action)
{
    unsigned allowed = 0;
    for (size_t i = 0; i < sizeof(ok_authz_rules) / sizeof(ok_authz_rules[0]); i++)
        if (strcmp(ok_authz_rules[i].action, action) == 0)
            allowed = ok_authz_rules[i].roles;
    const char *list = "";
    for (size_t i = 0; i < sizeof(ok_authz_roles) / sizeof(ok_authz_roles[0]); i++)
        if (allowed & ok_authz_roles[i].bit)
            list =
                ok_arena_printf(arena, "%s%s%s", list, list[0] ? "," : "", ok_authz_roles[i].name);
    return ok_arena_printf(arena, "{%s}", list);
}
