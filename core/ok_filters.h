/*
 * ok_filters.h - the search filters of the staff's message list, read from
 * the query: the list itself (modules/cabinet) and its CSV export
 * (modules/analytics) read them the same way.
 */
#ifndef OK_FILTERS_H
#define OK_FILTERS_H

#include "ok_http.h"

/* The filters: query text, NULL when unset. */
typedef struct ok_filters {
    const char *q;               /* full-text, 1..200 characters */
    const char *rubric;          /* a rubric id: it and its descendants */
    const char *territory;       /* a territory code: it and what lies below */
    const char *rubric_ids;      /* once looked up: {id,...} of the rubric's tree */
    const char *territory_ids;   /* and of the territory's */
    const char *due_within_days; /* open, not overdue, due within 1..365 days */
    const char *from, *to;       /* created_at >= from, < to (timestamptz) */
    const char *assignee;        /* a user id: assigned to that person */
    int present;                 /* any of them set */
} ok_filters;

/* Reads the filters from the query; -1 after answering 422 for every bad one. */
int ok_filters_read_or_reply(ok_request *req, ok_filters *filters);
/* Whether a rubric or a territory is to be looked up. */
int ok_filters_need_lookup(const ok_filters *filters);
/* Looks them up (sets rubric_ids, territory_ids); -1 after answering 422 for an unknown
 * one, or 503/500. Outside a transaction. */
int ok_filters_lookup_or_reply(ok_request *req, ok_filters *filters);

/* ?status=, if any, when it is one of the SPEC's message statuses; -1
 * after answering 400. */
int ok_filters_status_or_reply(ok_request *req, const char **status);

/* The staff list's own filters: ?status=, ?overdue=true|false and
 * ?assignee=me (mine; a person's id is a search filter, ok_filters). -1
 * after answering 400. */
int ok_filters_staff_or_reply(ok_request *req, const char **status, int *overdue, int *mine);

/* Whether text is a date YYYY-MM-DD that exists: 0, else -1. */
int ok_filters_day(const char *text);

#endif
