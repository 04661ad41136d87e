/*
 * admin.h - the setting-up worker (modules/admin): territories, organisations
 * and the audit of administrative changes, for the platform's operators.
 *
 * Who: an operator (a role held in an active moderation organisation) sets up
 * that organisation's territory and everything below it; a root operator the
 * whole installation (ok_authz "platform.operate"; the territory is checked in
 * SQL by operator_covers, sql/020_admin.sql). Objects outside the caller's
 * territory answer 404, as another organisation's do elsewhere.
 *
 * Every write runs in one transaction that first names the caller as the
 * actor (otklik.actor_id): the tables' triggers write admin_events in the
 * same transaction, so no change escapes the audit and none is half-written.
 */
#ifndef ADMIN_H
#define ADMIN_H

#include "ok_db.h"
#include "ok_http.h"

#include <jansson.h>
#include <stddef.h>

extern const ok_db_statement admin_statements[];
extern const size_t admin_statement_count;

/* access.c */
/* ok_auth_require_user, then 403 unless the caller is an operator somewhere;
 * 0, or -1 having answered. */
int admin_operator_or_reply(ok_request *req);
/* The caller's id as text (arena memory). */
const char *admin_user_id(ok_request *req);
/* Inside a transaction: names the caller as the actor of the audit; 0 or -1. */
int admin_actor(ok_request *req);
/* Whether a code is an organisation's or territory's: [a-z0-9][a-z0-9-]*, 1..63. */
int admin_code_valid(const char *code, size_t min_length);
/* Appends {field, code} to errors. */
void admin_error(json_t *errors, const char *field, const char *code);
/* Answers 422 with errors and returns -1 when it holds any; else frees it, 0. */
int admin_errors_or_reply(ok_request *req, json_t *errors);
/* Answers the failure of a lookup made before a transaction, errors freed. */
void admin_db_failure(ok_request *req, json_t *errors);
/* Lists' ?limit= when absent, and its most. */
#define ADMIN_PAGE_DEFAULT 50
#define ADMIN_PAGE_MAX 200
/* Runs a list statement (rows of item JSON, id) and answers its page. */
void admin_page_reply(ok_request *req, const char *statement, int count, const char *const *params,
                      long limit);
/* The JSON of the first column of a one-row result, answered with status. */
void admin_reply_row(ok_request *req, int status, const PGresult *row);

/* territories.c */
void territories_list(ok_request *req);
void territories_show(ok_request *req);
void territories_create(ok_request *req);
void territories_update(ok_request *req);

/* orgs.c */
/* An organisation's name: characters at most. */
#define ADMIN_ORG_NAME_MAX 300
/* Whether kind is one the SPEC names (authority, municipality, school, ...). */
int admin_org_kind_valid(const char *kind);
void orgs_list(ok_request *req);
void orgs_show(ok_request *req);
void orgs_create(ok_request *req);
void orgs_update(ok_request *req);

/* import.c */
void orgs_import(ok_request *req);
void staff_import(ok_request *req);

/* rubrics.c */
void rubrics_tree(ok_request *req);
void rubrics_create(ok_request *req);
void rubrics_update(ok_request *req);

/* routing.c */
void routing_list(ok_request *req);
void routing_create(ok_request *req);
void routing_update(ok_request *req);
void routing_delete(ok_request *req);

/* events.c */
void events_list(ok_request *req);

#endif
