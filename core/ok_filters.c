/*
 * ok_filters.c - the search filters of the staff's list: ?q= (full-text),
 * rubric (with its descendants), territory (with what lies below it),
 * assignee (a person's id; "me", or neither, is lists.c's), due_within_days
 * and from/to (created_at). Read from the query and checked
 * here, every problem at once as 422 errors [{field, code}]; the rubric and
 * the territory are then looked up with what lies below them (unknown: 422
 * too). Any of them set makes
 * the staff list (modules/cabinet) run its search statement, planned for the
 * values, instead of the hot ones; the CSV export (modules/analytics) reads
 * the same filters.
 */
#include "ok_filters.h"
#include "ok_db.h"
#include "ok_problem.h"
#include "ok_utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Characters of ?q=: a search box's worth. */
enum { FILTERS_QUERY_MAX = 200 };

/* A decimal of at most 18 digits, or -1. */
static long long filters_number(const char *text)
{
    size_t n = strlen(text);
    if (n == 0 || n > 18 || strspn(text, "0123456789") != n)
        return -1;
    long long value = 0;
    for (size_t i = 0; i < n; i++)
        value = value * 10 + (text[i] - '0');
    return value;
}

/* The n digits at s as a number, or -1. */
static int filters_digits(const char *s, int n)
{
    int value = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        value = value * 10 + (s[i] - '0');
    }
    return value;
}

static int filters_month_days(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return days[month - 1] + (month == 2 && leap);
}

/* YYYY-MM-DD at s, a day that exists; -1 if not. */
static int filters_date(const char *s, int *year, int *month, int *day)
{
    *year = filters_digits(s, 4);
    *month = filters_digits(s + 5, 2);
    *day = filters_digits(s + 8, 2);
    if (s[4] != '-' || s[7] != '-' || *year < 1 || *month < 1 || *month > 12 || *day < 1 ||
        *day > filters_month_days(*year, *month))
        return -1;
    return 0;
}

/* hh:mm:ss[.frac](Z|+hh:mm|-hh:mm) at s, to its end; -1 if not. */
static int filters_clock(const char *s)
{
    if (filters_digits(s, 2) < 0 || filters_digits(s, 2) > 23 || s[2] != ':' ||
        filters_digits(s + 3, 2) < 0 || filters_digits(s + 3, 2) > 59 || s[5] != ':' ||
        filters_digits(s + 6, 2) < 0 || filters_digits(s + 6, 2) > 60)
        return -1;
    s += 8;
    if (*s == '.') {
        size_t digits = strspn(s + 1, "0123456789");
        if (digits == 0)
            return -1;
        s += 1 + digits;
    }
    if ((*s == 'Z' || *s == 'z') && s[1] == '\0')
        return 0;
    return (*s == '+' || *s == '-') && filters_digits(s + 1, 2) >= 0 &&
                   filters_digits(s + 1, 2) <= 23 && s[3] == ':' && filters_digits(s + 4, 2) >= 0 &&
                   filters_digits(s + 4, 2) <= 59 && s[6] == '\0'
               ? 0
               : -1;
}

/* An RFC 3339 date-time, or a full date, as timestamptz text PostgreSQL reads
 * whatever its TimeZone: a date is midnight UTC of that day, or for the end
 * of a range (end) of the next, so that the day is included. NULL if text is
 * neither. */
static const char *filters_time(ok_request *req, const char *text, int end)
{
    int year, month, day;
    size_t n = strlen(text);
    if (n < 10 || n > 64 || filters_date(text, &year, &month, &day) != 0)
        return NULL;
    if (n > 10) {
        if ((text[10] != 'T' && text[10] != 't' && text[10] != ' ') ||
            filters_clock(text + 11) != 0)
            return NULL;
        char *copy = ok_arena_strdup(req->arena, text);
        copy[10] = 'T';
        if (copy[n - 1] == 'z')
            copy[n - 1] = 'Z';
        return copy;
    }
    if (end && ++day > filters_month_days(year, month)) {
        day = 1;
        if (++month > 12) {
            month = 1;
            if (++year > 9999)
                return "infinity";
        }
    }
    return ok_arena_printf(req->arena, "%04d-%02d-%02dT00:00:00Z", year, month, day);
}

int ok_filters_day(const char *text)
{
    int year, month, day;
    return strlen(text) == 10 && filters_date(text, &year, &month, &day) == 0 ? 0 : -1;
}

static void filters_error(json_t *errors, const char *field, const char *code)
{
    json_array_append_new(errors, json_pack("{s:s, s:s}", "field", field, "code", code));
}

static void filters_read_query(ok_request *req, ok_filters *filters, json_t *errors)
{
    const char *q = ok_http_query(req, "q");
    if (q == NULL)
        return;
    size_t characters = ok_utf8_length(q, strlen(q));
    if (characters == 0)
        filters_error(errors, "q", "too_short");
    else if (characters > FILTERS_QUERY_MAX)
        filters_error(errors, "q", "too_long");
    else
        filters->q = q;
}

static void filters_read_ids(ok_request *req, ok_filters *filters, json_t *errors)
{
    const char *rubric = ok_http_query(req, "rubric");
    if (rubric != NULL && filters_number(rubric) < 0)
        filters_error(errors, "rubric", "type");
    else
        filters->rubric = rubric;
    const char *assignee = ok_http_query(req, "assignee");
    if (assignee != NULL && strcmp(assignee, "me") != 0) {
        if (filters_number(assignee) < 1)
            filters_error(errors, "assignee", "out_of_range");
        else
            filters->assignee = assignee;
    }
    const char *territory = ok_http_query(req, "territory");
    if (territory != NULL && (territory[0] == '\0' || strlen(territory) > 64))
        filters_error(errors, "territory", "unknown");
    else
        filters->territory = territory;
}

static void filters_read_dates(ok_request *req, ok_filters *filters, json_t *errors)
{
    const char *due = ok_http_query(req, "due_within_days");
    if (due != NULL) {
        long long days = filters_number(due);
        if (days < 0)
            filters_error(errors, "due_within_days", "type");
        else if (days < 1 || days > 365)
            filters_error(errors, "due_within_days", "out_of_range");
        else
            filters->due_within_days = ok_arena_printf(req->arena, "%lld", days);
    }
    static const char *const names[] = {"from", "to"};
    const char **bounds[] = {&filters->from, &filters->to};
    for (int i = 0; i < 2; i++) {
        const char *text = ok_http_query(req, names[i]);
        if (text != NULL && (*bounds[i] = filters_time(req, text, i)) == NULL)
            filters_error(errors, names[i], "type");
    }
}

static const char *const filters_statuses[] = {
    "moderation",        "registered", "rejected", "in_progress", "approval",
    "redirect_approval", "answered",   "returned", "closed",
};

/* ?status=, if any, when it is one of the SPEC's; -1 after answering 400. */
int ok_filters_status_or_reply(ok_request *req, const char **status)
{
    *status = ok_http_query(req, "status");
    if (*status == NULL)
        return 0;
    for (size_t i = 0; i < sizeof(filters_statuses) / sizeof(filters_statuses[0]); i++)
        if (strcmp(filters_statuses[i], *status) == 0)
            return 0;
    ok_problem(req, 400, "status must be one of the message statuses of the SPEC.");
    return -1;
}

int ok_filters_staff_or_reply(ok_request *req, const char **status, int *overdue, int *mine)
{
    if (ok_filters_status_or_reply(req, status) != 0)
        return -1;
    const char *only_overdue = ok_http_query(req, "overdue");
    const char *assignee = ok_http_query(req, "assignee");
    if ((only_overdue != NULL && strcmp(only_overdue, "true") != 0 &&
         strcmp(only_overdue, "false") != 0) ||
        (assignee != NULL && strcmp(assignee, "me") != 0 &&
         strspn(assignee, "0123456789") != strlen(assignee))) {
        ok_problem(req, 400, "overdue must be true or false, and assignee me or a person's id.");
        return -1;
    }
    *overdue = only_overdue != NULL && strcmp(only_overdue, "true") == 0;
    /* assignee=me here; a person's id is a search filter (filters_read_ids) */
    *mine = assignee != NULL && strcmp(assignee, "me") == 0;
    return 0;
}

int ok_filters_read_or_reply(ok_request *req, ok_filters *filters)
{
    memset(filters, 0, sizeof(*filters));
    json_t *errors = json_array();
    filters_read_query(req, filters, errors);
    filters_read_ids(req, filters, errors);
    filters_read_dates(req, filters, errors);
    if (json_array_size(errors) > 0) {
        ok_problem_validation_new(req, errors);
        return -1;
    }
    json_decref(errors);
    filters->present = filters->q != NULL || filters->rubric != NULL ||
                       filters->territory != NULL || filters->due_within_days != NULL ||
                       filters->from != NULL || filters->to != NULL || filters->assignee != NULL;
    return 0;
}

int ok_filters_need_lookup(const ok_filters *filters)
{
    return filters->rubric != NULL || filters->territory != NULL;
}

int ok_filters_lookup_or_reply(ok_request *req, ok_filters *filters)
{
    const char *params[] = {filters->rubric, filters->territory};
    PGresult *found = ok_db_query(req, "ok_filters_lookup", 2, params);
    if (found == NULL) {
        ok_db_reply_failure(req);
        return -1;
    }
    json_t *errors = json_array();
    filters->rubric_ids = ok_db_value(found, 0, 0);
    if (filters->rubric != NULL && filters->rubric_ids == NULL)
        filters_error(errors, "rubric", "unknown");
    filters->territory_ids = ok_db_value(found, 0, 1);
    if (filters->territory != NULL && filters->territory_ids == NULL)
        filters_error(errors, "territory", "unknown");
    if (json_array_size(errors) > 0) {
        ok_problem_validation_new(req, errors);
        return -1;
    }
    json_decref(errors);
    return 0;
}
