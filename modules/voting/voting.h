/*
 * voting.h - the participation worker: budget votings and ballots, polls,
 * public discussions.
 */
#ifndef VOTING_H
#define VOTING_H

#include "ok_db.h"
#include "ok_http.h"

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

#endif
