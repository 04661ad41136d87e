/*
 * voting.h - the participation worker: budget votings and ballots, polls,
 * public discussions.
 */
#ifndef VOTING_H
#define VOTING_H

#include "ok_db.h"
#include "ok_http.h"
#include "ok_json.h"

#include <jansson.h>

#include <stddef.h>

extern const ok_db_statement voting_statements[];
extern const size_t voting_statement_count;

/* votings.c */
void votings_list(ok_request *req);
void votings_show(ok_request *req);
void votings_create(ok_request *req);
void votings_update(ok_request *req);
void projects_create(ok_request *req);
void projects_update(ok_request *req);

/* polls_setup.c */
void polls_list(ok_request *req);
void polls_create(ok_request *req);
void polls_update(ok_request *req);

/* discussions_setup.c */
void discussions_list(ok_request *req);
void discussions_create(ok_request *req);
void discussions_update(ok_request *req);

/* mine.c: the citizen's own participation */
void my_ballots(ok_request *req);
void my_poll_responses(ok_request *req);
void my_comments(ok_request *req);
/* territories.c: the public territory tree */
void territories_public(ok_request *req);

/* ballots.c */
void ballots_cast(ok_request *req);
void ballots_mine(ok_request *req);
void results_show(ok_request *req);
void results_csv(ok_request *req);

/* polls.c */
void polls_show(ok_request *req);
void polls_respond(ok_request *req);
void polls_results(ok_request *req);

/* discussions.c */
void discussions_show(ok_request *req);
void comments_list(ok_request *req);
void comments_create(ok_request *req);
void comments_moderate(ok_request *req);
void discussions_report(ok_request *req);

/* Answers the one JSON object statement returns for the path's id, or 404
 * with missing. */
void voting_show_one(ok_request *req, const char *statement, const char *missing);

/* Answers a JSON text from SQL as it is. */
void voting_reply_json(ok_request *req, int status, const char *json);

/* Whether text is an RFC 3339 date-time with a zone ("2026-12-01T10:00:00Z"). */
int voting_is_rfc3339(const char *text);

/* ---- shared by votings, polls and discussions (votings.c) */

/* Answers a catalogue: statement takes $1 territory code (the territory and
 * every territory above it) or NULL, $2 state or NULL, $3 cursor, $4 limit. */
void voting_catalogue(ok_request *req, const char *statement);

/* A body's integer or boolean as a parameter, NULL when absent. */
const char *voting_integer(ok_request *req, json_t *body, const char *name);
const char *voting_boolean(json_t *body, const char *name);

/* Checks a period (RFC 3339, existing dates, end after start): 0, or -1
 * having answered 422 (or after a failed statement). Inside a transaction. */
int voting_dates_or_reply(ok_request *req, const char *opens, const char *closes);

/* Checks a results setting (live or after_close, NULL: absent): 0, or -1
 * having answered 422. */
int voting_results_or_reply(ok_request *req, const char *results);

/* The id of territory code: 0, or -1 having answered 422 (or after a failed
 * statement). Inside a transaction. */
int voting_territory_or_reply(ok_request *req, const char *code, const char **territory);

/* The files a project or discussion shows (field's ids as an array literal,
 * NULL: absent): the caller's own uploads, no file twice, only images when
 * images_only. 0, or -1 having answered 422 (or after a failed statement). A
 * file a project or discussion names is public (sql/031) and kept by the
 * scheduler's clean-up of unsent uploads. */
int voting_files_or_reply(ok_request *req, const char *field, json_t *ids, const char *literal,
                          int images_only);

/* Who owns a new voting, poll or discussion: body's "org" (the caller may do
 * action there) and "territory" (default: the organisation's). */
typedef struct voting_owner {
    const char *organisation;
    const char *territory;
} voting_owner;
int voting_owner_or_reply(ok_request *req, json_t *body, const char *action, voting_owner *owner);

/* What locking one kind of object for a change needs: its lock statement
 * (path id -> organisation_id, opened, opens_at, closes_at; FOR UPDATE), the
 * action, and the answers. */
typedef struct voting_kind {
    const char *lock;
    const char *action;
    const char *missing;   /* 404: unknown or another organisation's */
    const char *forbidden; /* 403: staff without the right */
    const char *frozen;    /* 409: a rule changed after opening */
} voting_kind;

/* Locks the path's object and checks the caller may manage it; with rules
 * set, also that it has not opened. NULL after answering. */
PGresult *voting_lock_or_reply(ok_request *req, const voting_kind *kind, int rules);

/* The period of a PATCH (opens_at, closes_at; NULL when absent) checked
 * with the current values of what it leaves out (a lock row's columns 2, 3):
 * 0, or -1 having answered. */
int voting_period_patch_or_reply(ok_request *req, json_t *body, PGresult *current,
                                 const char **opens, const char **closes);

/* A write's whole handler: a logged-in caller, a body valid against fields,
 * and body_fn run in a transaction with that body. */
void voting_write(ok_request *req, const ok_json_field *fields, ok_db_body_fn *body_fn);

/* Whether body has any of fields (NULL-terminated). */
int voting_rules_touched(json_t *body, const char *const *fields);

/* Answers status with statement's JSON for id, read in the transaction that
 * changed it; OK_DB_COMMIT, or OK_DB_ROLLBACK. */
int voting_reply_current(ok_request *req, const char *statement, const char *id, int status);

#endif
