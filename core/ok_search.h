/*
 * ok_search.h - the ?q= of a search by name (people, organisations): checked
 * once, and turned into a LIKE literal for the statement.
 */
#ifndef OK_SEARCH_H
#define OK_SEARCH_H

#include "ok_http.h"

/* Answers a search: ?q= (2..100 characters, else 422 {field: q}) as a LIKE
 * literal ($1: its % _ and \ taken literally) to statement, whose one row's
 * JSON is answered. */
void ok_search_reply(ok_request *req, const char *statement);

#endif
