/*
 * ok_authz.h - the one place that answers "may this user do this action in this
 * organisation", from the staff roles of the SPEC.
 *
 * Actions are named by resource and verb ("message.assign", "staff.manage").
 * Citizens' rights over their own objects (author of a message) are checked by
 * the handlers' SQL, since they depend on the object, not on a role.
 */
#ifndef OK_AUTHZ_H
#define OK_AUTHZ_H

#include "ok_http.h"

/* Whether user holds a role in organisation_id that allows action. Unknown
 * actions are never allowed. */
int ok_authz_can(const ok_user *user, const char *action, long long organisation_id);

/* Whether user holds any role in organisation_id (may see it at all). */
int ok_authz_is_staff(const ok_user *user, long long organisation_id);

/* The roles that allow action, as a PostgreSQL array literal ("{moderator,…}";
 * "{}" for an unknown action), for statements that pick organisations by role
 * in SQL. Allocated in arena. */
const char *ok_authz_roles_allowed(ok_arena *arena, const char *action);

/* Whether name is one of the SPEC's staff roles. */
int ok_authz_role_exists(const char *name);

/* Whether an organisation's admin may grant role name: the staff roles and
 * intake_operator, not operator or root_operator (their reach is territories,
 * not the organisation: granted by otklikctl grant). */
int ok_authz_role_grantable(const char *name);

/* Whether user may do action in some organisation ("platform.operate": is an
 * operator somewhere; where exactly, the SQL of modules/admin decides). */
int ok_authz_can_anywhere(const ok_user *user, const char *action);

/* Whether an operator may take action in any organisation within its territory
 * (operator_covers, sql/020_admin.sql), though it holds no role there: read its
 * staff, grant and revoke their roles, manage its widgets. NULL (reading the
 * organisation at all) is such an action. */
int ok_authz_territorial(const char *action);

#endif
