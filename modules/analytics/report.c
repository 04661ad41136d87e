/*
 * report.c - GET /api/v1/analytics/report.xlsx: the statistics of a period
 * and a slice (the same parameters and rights as /summary, /series and
 * /orgs: slice.c) as an Excel workbook written by Debian's libxlsxwriter:
 * a sheet "summary" (the figures, then the top rubrics), "orgs" (per
 * organisation) and "days" (per day). Text is always written as a string
 * cell (worksheet_write_string), never a formula, so a name such as
 * "=HYPERLINK(...)" stays text. The workbook is small (at most 731 days and
 * the caller's organisations): written to a temporary file, read back and
 * answered whole.
 */
#include "analytics.h"
#include "ok_log.h"
#include "ok_problem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* One JSON value as a cell: a number, text (as a string, never a formula),
 * true/false as text; null left blank. */
static void report_cell(lxw_worksheet *sheet, lxw_row_t row, lxw_col_t col, const json_t *value)
{
    if (json_is_number(value))
        worksheet_write_number(sheet, row, col, json_number_value(value), NULL);
    else if (json_is_string(value))
        worksheet_write_string(sheet, row, col, json_string_value(value), NULL);
    else if (json_is_boolean(value))
        worksheet_write_string(sheet, row, col, json_is_true(value) ? "true" : "false", NULL);
}

/* A header row of names. */
static void report_header(lxw_worksheet *sheet, lxw_row_t row, const char *const *names, int n,
                          lxw_format *bold)
{
    for (int i = 0; i < n; i++)
        worksheet_write_string(sheet, row, (lxw_col_t)i, names[i], bold);
}

/* Rows of objects (items) under a header of their keys. */
static lxw_row_t report_table(lxw_worksheet *sheet, lxw_row_t row, const json_t *items,
                              const char *const *keys, int n, lxw_format *bold)
{
    report_header(sheet, row++, keys, n, bold);
    size_t i;
    const json_t *item;
    json_array_foreach(items, i, item)
    {
        for (int k = 0; k < n; k++)
            report_cell(sheet, row, (lxw_col_t)k, json_object_get(item, keys[k]));
        row++;
    }
    return row;
}

/* name, value: the summary's figures, its nested objects flattened as
 * "object.member", then its top rubrics as a table. */
static void report_summary(lxw_worksheet *sheet, json_t *summary, lxw_format *bold)
{
    static const char *const head[] = {"figure", "value"};
    static const char *const rubrics[] = {"rubric_id", "title",  "received",
                                          "previous",  "change", "change_percent"};
    report_header(sheet, 0, head, 2, bold);
    lxw_row_t row = 1;
    const char *key;
    json_t *value;
    json_object_foreach(summary, key, value)
    {
        if (json_is_array(value))
            continue;
        if (!json_is_object(value)) {
            worksheet_write_string(sheet, row, 0, key, NULL);
            report_cell(sheet, row++, 1, value);
            continue;
        }
        const char *member;
        json_t *inner;
        json_object_foreach(value, member, inner)
        {
            char name[128];
            snprintf(name, sizeof(name), "%s.%s", key, member);
            if (json_is_object(inner)) {
                const char *sub;
                const json_t *leaf;
                json_object_foreach(inner, sub, leaf)
                {
                    char deeper[192];
                    snprintf(deeper, sizeof(deeper), "%s.%s", name, sub);
                    worksheet_write_string(sheet, row, 0, deeper, NULL);
                    report_cell(sheet, row++, 1, leaf);
                }
                continue;
            }
            worksheet_write_string(sheet, row, 0, name, NULL);
            report_cell(sheet, row++, 1, inner);
        }
    }
    report_table(sheet, row + 1, json_object_get(summary, "top_rubrics"), rubrics, 6, bold);
    worksheet_set_column(sheet, 0, 0, 36, NULL);
}

/* The three documents into the workbook at path; 0, or -1. */
static int report_write(const char *path, json_t *summary, const json_t *orgs, const json_t *series)
{
    static const char *const org_keys[] = {
        "org",           "name",     "received",         "open",          "overdue",
        "overdue_share", "answered", "answered_on_time", "on_time_share", "median_minutes",
        "p90_minutes",   "ratings",  "rating_median",    "reworks",       "rework_rate"};
    static const char *const day_keys[] = {"day",      "received", "accepted",
                                           "rejected", "answered", "answered_on_time",
                                           "reworked", "closed",   "ratings"};
    lxw_workbook *book = workbook_new(path);
    if (book == NULL)
        return -1;
    lxw_format *bold = workbook_add_format(book);
    format_set_bold(bold);
    report_summary(workbook_add_worksheet(book, "summary"), summary, bold);
    report_table(workbook_add_worksheet(book, "orgs"), 0, json_object_get(orgs, "items"), org_keys,
                 15, bold);
    report_table(workbook_add_worksheet(book, "days"), 0, json_object_get(series, "days"), day_keys,
                 9, bold);
    return workbook_close(book) == LXW_NO_ERROR ? 0 : -1;
}

/* The statement's JSON document for the slice (NULL: the database failed). */
static json_t *report_read(ok_request *req, const char *statement, const slice *s)
{
    if (s->values[6] != NULL)
        statement = ok_arena_printf(req->arena, "%s_rubrics", statement);
    PGresult *row = ok_db_query(req, statement, SLICE_PARAMS, s->values);
    if (row == NULL || PQntuples(row) != 1)
        return NULL;
    return json_loads(PQgetvalue(row, 0, 0), 0, NULL);
}

/* The file at path, whole, into the arena; NULL on failure. */
static char *report_slurp(ok_request *req, const char *path, size_t *length)
{
    FILE *file = fopen(path, "rb");
    char *bytes = NULL;
    long size = -1;
    if (file != NULL && fseek(file, 0, SEEK_END) == 0 && (size = ftell(file)) > 0 &&
        fseek(file, 0, SEEK_SET) == 0) {
        bytes = ok_arena_alloc(req->arena, (size_t)size);
        if (fread(bytes, 1, (size_t)size, file) != (size_t)size)
            bytes = NULL;
    }
    if (file != NULL)
        fclose(file);
    *length = bytes != NULL ? (size_t)size : 0;
    return bytes;
}

/* The workbook of the three documents answered; -1 when it could not be. */
static int report_reply(ok_request *req, json_t *summary, const json_t *orgs, const json_t *series)
{
    char path[] = "/tmp/otklik-report-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    close(fd);
    size_t length = 0;
    char *bytes =
        report_write(path, summary, orgs, series) == 0 ? report_slurp(req, path, &length) : NULL;
    unlink(path);
    if (bytes == NULL)
        return -1;
    ok_http_respond(req, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    bytes, length);
    ok_http_header(req, "Content-Disposition", "attachment; filename=\"report.xlsx\"");
    ok_http_header(req, "Cache-Control", "private, no-store");
    return 0;
}

void analytics_report_xlsx(ok_request *req)
{
    slice s;
    if (slice_read_or_reply(req, &s) != 0)
        return;
    json_t *summary = report_read(req, "analytics_summary", &s);
    json_t *orgs = summary != NULL ? report_read(req, "analytics_orgs", &s) : NULL;
    json_t *series = orgs != NULL ? report_read(req, "analytics_series", &s) : NULL;
    if (series == NULL)
        ok_db_reply_failure(req);
    else if (report_reply(req, summary, orgs, series) != 0) {
        ok_log(OK_LOG_ERROR, "report.xlsx", "the workbook could not be written");
        ok_problem(req, 500, "The request could not be completed.");
    }
    json_decref(summary);
    json_decref(orgs);
    json_decref(series);
}
