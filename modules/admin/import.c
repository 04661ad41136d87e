/*
 * import.c - POST /api/v1/orgs/import: organisations in bulk from a CSV file
 * (text/csv, UTF-8, comma-separated, a header row naming the columns code,
 * name, kind, territory and optionally is_moderation, in any order).
 *
 * All or nothing: every row is checked first (the same rules as POST
 * /api/v1/orgs, plus: a code twice in the file, a territory outside the
 * operator's, an existing organisation outside it), and any bad row answers
 * 422 with errors [{line, field, code}] (the header is line 1; at most
 * IMPORT_ERRORS_MAX listed) and nothing written. Otherwise one transaction
 * writes every row, by code: a new code creates, a known one updates (so a
 * second import of the same file changes nothing and duplicates nothing).
 * Without the is_moderation column, existing organisations keep theirs.
 * Answers {created, updated}. Every change is in the admin audit.
 */
#include "admin.h"
#include "ok_csv.h"
#include "ok_problem.h"
#include "ok_utf8.h"

#include <stdlib.h>
#include <string.h>

/* The body's bytes: 10,000 organisations with long names fit several times. */
#define IMPORT_MAX_BYTES (8u << 20)
/* Errors listed in one answer. */
#define IMPORT_ERRORS_MAX 1000

enum { IMPORT_CODE, IMPORT_NAME, IMPORT_KIND, IMPORT_TERRITORY, IMPORT_MODERATION, IMPORT_COLUMNS };
static const char *const import_columns[IMPORT_COLUMNS] = {"code", "name", "kind", "territory",
                                                           "is_moderation"};

typedef struct import_file {
    ok_csv_table table;
    int column[IMPORT_COLUMNS]; /* the position of each column, -1 if absent */
    json_t *errors;
    json_t *rows; /* [[code, name, kind, territory code, is_moderation | null], ...] */
    PGresult *written;
} import_file;

static void import_error(import_file *file, size_t line, const char *field, const char *code)
{
    if (json_array_size(file->errors) < IMPORT_ERRORS_MAX)
        json_array_append_new(file->errors, json_pack("{s:I, s:s, s:s}", "line", (json_int_t)line,
                                                      "field", field, "code", code));
}

/* The header: each known column once, the required ones present. */
static void import_header(import_file *file)
{
    const ok_csv_record *header = &file->table.records[0];
    for (int c = 0; c < IMPORT_COLUMNS; c++)
        file->column[c] = -1;
    for (size_t f = 0; f < header->field_count; f++) {
        int c = 0;
        while (c < IMPORT_COLUMNS && strcmp(import_columns[c], header->fields[f]) != 0)
            c++;
        if (c == IMPORT_COLUMNS)
            import_error(file, 1, header->fields[f], "unknown_field");
        else if (file->column[c] >= 0)
            import_error(file, 1, header->fields[f], "duplicate");
        else
            file->column[c] = (int)f;
    }
    for (int c = 0; c < IMPORT_MODERATION; c++)
        if (file->column[c] < 0)
            import_error(file, 1, import_columns[c], "required");
}

static const char *import_field(const import_file *file, const ok_csv_record *record, int column)
{
    return file->column[column] >= 0 ? record->fields[file->column[column]] : "";
}

/* One data row (line) checked by itself; appended to rows. */
static void import_row(import_file *file, size_t line)
{
    const ok_csv_record *record = &file->table.records[line - 1];
    if (record->field_count != file->table.records[0].field_count) {
        import_error(file, line, "row", "columns");
        json_array_append_new(file->rows, json_null()); /* keeps rows in step with lines */
        return;
    }
    const char *code = import_field(file, record, IMPORT_CODE);
    const char *name = import_field(file, record, IMPORT_NAME);
    const char *kind = import_field(file, record, IMPORT_KIND);
    const char *territory = import_field(file, record, IMPORT_TERRITORY);
    const char *moderation = import_field(file, record, IMPORT_MODERATION);
    if (!admin_code_valid(code, 2))
        import_error(file, line, "code", code[0] ? "invalid" : "required");
    size_t name_length = ok_utf8_length(name, strlen(name));
    if (name_length == 0 || name_length > ADMIN_ORG_NAME_MAX)
        import_error(file, line, "name", name_length == 0 ? "required" : "too_long");
    if (!admin_org_kind_valid(kind))
        import_error(file, line, "kind", kind[0] ? "invalid" : "required");
    if (territory[0] == '\0')
        import_error(file, line, "territory", "required");
    int is_true = strcmp(moderation, "true") == 0, is_false = strcmp(moderation, "false") == 0;
    if (moderation[0] != '\0' && !is_true && !is_false)
        import_error(file, line, "is_moderation", "type");
    json_array_append_new(file->rows,
                          json_pack("[s, s, s, s, o]", code, name, kind, territory,
                                    moderation[0] ? json_boolean(is_true) : json_null()));
}

typedef struct import_ordered {
    json_t *error;
    json_int_t line;
    size_t index;
} import_ordered;

static int import_by_line(const void *a, const void *b)
{
    const import_ordered *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* The errors in line order (the file's own checks and the database's
 * merged), those of one line in the order they were found. */
static void import_sort_errors(import_file *file)
{
    size_t n = json_array_size(file->errors);
    import_ordered *items = malloc(n * sizeof(*items) + 1);
    if (items == NULL)
        return; /* unsorted, still complete */
    for (size_t i = 0; i < n; i++) {
        json_t *error = json_array_get(file->errors, i);
        items[i] = (import_ordered){json_incref(error),
                                    json_integer_value(json_object_get(error, "line")), i};
    }
    qsort(items, n, sizeof(*items), import_by_line);
    json_array_clear(file->errors);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(file->errors, items[i].error);
    free(items);
}

/* What only the database knows, for the rows as a whole: a code twice in the
 * file, a territory unknown or outside the caller's, an existing organisation
 * outside it. Returns -1 when the statement failed. */
static int import_check_known(ok_request *req, import_file *file)
{
    char *rows = json_dumps(file->rows, JSON_COMPACT);
    if (rows == NULL)
        return -1;
    const char *params[] = {admin_user_id(req), ok_arena_strdup(req->arena, rows)};
    free(rows);
    PGresult *problems = ok_db_query(req, "import_problems", 2, params);
    if (problems == NULL)
        return -1;
    for (int i = 0; i < PQntuples(problems); i++)
        import_error(file, strtoull(PQgetvalue(problems, i, 0), NULL, 10) + 1,
                     PQgetvalue(problems, i, 1), PQgetvalue(problems, i, 2));
    import_sort_errors(file);
    return 0;
}

static int import_tx(ok_request *req, void *context)
{
    import_file *file = context;
    if (admin_actor(req) != 0)
        return OK_DB_ROLLBACK;
    char *rows = json_dumps(file->rows, JSON_COMPACT);
    if (rows == NULL)
        return OK_DB_ROLLBACK;
    const char *params[] = {admin_user_id(req), ok_arena_strdup(req->arena, rows),
                            file->column[IMPORT_MODERATION] >= 0 ? "true" : "false"};
    free(rows);
    file->written = ok_db_exec(req, "import_write", 3, params);
    if (file->written == NULL)
        return OK_DB_ROLLBACK;
    /* a row left out: its organisation left the caller's territory meanwhile */
    if (strcmp(PQgetvalue(file->written, 0, 2), "t") != 0) {
        ok_problem(req, 409, "Organisations changed during the import; please try again.");
        return OK_DB_ROLLBACK;
    }
    return OK_DB_COMMIT;
}

/* Reads and checks the file into file: 0 with its rows read (errors may
 * hold their problems), 1 when the file or its header is wrong (errors say
 * how), -1 having answered. */
static int import_read_or_reply(ok_request *req, import_file *file)
{
    if (strcmp(ok_http_media_type(req), "text/csv") != 0) {
        ok_problem(req, 415, "The body must be a CSV file (Content-Type: text/csv).");
        return -1;
    }
    const char *body;
    size_t length, bad;
    if (ok_http_read_body(req, IMPORT_MAX_BYTES, &body, &length) != 0)
        return -1;
    ok_csv_status status = ok_csv_parse(req->arena, body, length, &file->table, &bad);
    if (status == OK_CSV_OUT_OF_MEMORY) {
        ok_problem(req, 503, "The server is out of memory; please try again shortly.");
        return -1;
    }
    if (status != OK_CSV_OK) {
        import_error(file, bad, "file",
                     status == OK_CSV_NOT_TEXT   ? "not_text"
                     : status == OK_CSV_TOO_MANY ? "too_long"
                                                 : "malformed");
        return 1;
    }
    if (file->table.record_count < 2) {
        import_error(file, 1, "file", "empty");
        return 1;
    }
    import_header(file);
    if (json_array_size(file->errors) > 0)
        return 1;
    for (size_t line = 2; line <= file->table.record_count; line++)
        import_row(file, line);
    return 0;
}

void orgs_import(ok_request *req)
{
    if (admin_operator_or_reply(req) != 0)
        return;
    import_file file = {.errors = json_array(), .rows = json_array()};
    json_t *rows = file.rows;
    int read = import_read_or_reply(req, &file);
    if (read < 0 || (read == 0 && import_check_known(req, &file) != 0)) {
        json_decref(rows);
        if (read < 0)
            json_decref(file.errors);
        else
            admin_db_failure(req, file.errors);
        return;
    }
    if (admin_errors_or_reply(req, file.errors) != 0) {
        json_decref(rows);
        return;
    }
    int committed = ok_db_transaction(req, import_tx, &file);
    json_decref(rows);
    if (committed != 0)
        return;
    json_t *answer = json_pack(
        "{s:I, s:I}", "created", (json_int_t)strtoll(PQgetvalue(file.written, 0, 0), NULL, 10),
        "updated", (json_int_t)strtoll(PQgetvalue(file.written, 0, 1), NULL, 10));
    ok_http_respond_json_new(req, 200, answer);
    ok_http_header(req, "Cache-Control", "private, no-store");
}
