/*
 * import.c - bulk imports from CSV (text/csv, UTF-8, comma-separated, a
 * header row naming the columns, in any order):
 *
 * POST /api/v1/orgs/import - organisations: code, name, kind, territory and
 * optionally is_moderation. By code: a new code creates, a known one updates
 * (so a second import of the same file changes nothing and duplicates
 * nothing); without is_moderation, existing organisations keep theirs. An
 * existing organisation outside the operator's territory is "duplicate".
 * Answers {created, updated}.
 *
 * POST /api/v1/admin/staff/import - people and their roles: esia_oid, name,
 * org, role. A person unknown by ESIA oid is created (name required then;
 * a known one keeps the name ESIA gave); the role is granted unless held. The
 * organisation must be active and within the operator's territory; the role
 * one an organisation's admin may grant (not an operator's). Answers
 * {users_created, roles_granted}.
 *
 * Both are all or nothing: every row is checked first (by itself, then what
 * only the database knows: a key twice in the file, unknown references), and
 * any bad row answers 422 with errors [{line, field, code}] (the header is
 * line 1; at most IMPORT_ERRORS_MAX listed, in line order) and nothing is
 * written. Otherwise one transaction writes every row. Every change is in
 * the admin audit.
 */
#include "admin.h"
#include "ok_authz.h"
#include "ok_csv.h"
#include "ok_problem.h"
#include "ok_utf8.h"

#include <stdlib.h>
#include <string.h>

/* The body's bytes: 10,000 organisations with long names fit several times. */
#define IMPORT_MAX_BYTES (8u << 20)
/* Errors listed in one answer. */
#define IMPORT_ERRORS_MAX 1000

/* Columns an import reads (the first `required` must be in the header). */
#define IMPORT_COLUMNS_MAX 5

typedef struct import_file import_file;

/* One kind of import. */
typedef struct import_kind {
    const char *columns[IMPORT_COLUMNS_MAX];
    int column_count, required;
    /* checks one data row by itself into errors; appends its JSON array to rows */
    void (*row)(import_file *file, const char *const *values, size_t line);
    const char *check_statement; /* ($1 user, $2 rows): (row, field, code) */
    const char *write_statement; /* ($1 user, $2 rows, $3 optional column given) */
    const char *answer[2];       /* the names of the write's two counts */
} import_kind;

struct import_file {
    const import_kind *kind;
    ok_csv_table table;
    int column[IMPORT_COLUMNS_MAX]; /* the position of each column, -1 if absent */
    json_t *errors;
    json_t *rows; /* the rows' values as the statements read them */
    PGresult *written;
};

static void import_error(import_file *file, size_t line, const char *field, const char *code)
{
    if (json_array_size(file->errors) < IMPORT_ERRORS_MAX)
        json_array_append_new(file->errors, json_pack("{s:I, s:s, s:s}", "line", (json_int_t)line,
                                                      "field", field, "code", code));
}

/* The header: each known column once, the required ones present. */
static void import_header(import_file *file)
{
    const import_kind *kind = file->kind;
    const ok_csv_record *header = &file->table.records[0];
    for (int c = 0; c < IMPORT_COLUMNS_MAX; c++)
        file->column[c] = -1;
    for (size_t f = 0; f < header->field_count; f++) {
        int c = 0;
        while (c < kind->column_count && strcmp(kind->columns[c], header->fields[f]) != 0)
            c++;
        if (c == kind->column_count)
            import_error(file, 1, header->fields[f], "unknown_field");
        else if (file->column[c] >= 0)
            import_error(file, 1, header->fields[f], "duplicate");
        else
            file->column[c] = (int)f;
    }
    for (int c = 0; c < kind->required; c++)
        if (file->column[c] < 0)
            import_error(file, 1, kind->columns[c], "required");
}

/* One data row: its values in the kind's column order ("" when a column is
 * absent), checked by the kind. */
static void import_row(import_file *file, size_t line)
{
    const ok_csv_record *record = &file->table.records[line - 1];
    if (record->field_count != file->table.records[0].field_count) {
        import_error(file, line, "row", "columns");
        json_array_append_new(file->rows, json_null()); /* keeps rows in step with lines */
        return;
    }
    const char *values[IMPORT_COLUMNS_MAX];
    for (int c = 0; c < IMPORT_COLUMNS_MAX; c++)
        values[c] = file->column[c] >= 0 ? record->fields[file->column[c]] : "";
    file->kind->row(file, values, line);
}

/* An organisation's row: [code, name, kind, territory, is_moderation | null]. */
static void import_org_row(import_file *file, const char *const *values, size_t line)
{
    const char *code = values[0], *name = values[1], *kind = values[2], *territory = values[3],
               *moderation = values[4];
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

/* A person's role: [esia_oid, name, org, role]. */
static void import_staff_row(import_file *file, const char *const *values, size_t line)
{
    const char *oid = values[0], *name = values[1], *org = values[2], *role = values[3];
    size_t oid_length = strlen(oid), name_length = ok_utf8_length(name, strlen(name));
    if (oid_length == 0 || oid_length > 64)
        import_error(file, line, "esia_oid", oid_length == 0 ? "required" : "too_long");
    if (name_length > ADMIN_ORG_NAME_MAX)
        import_error(file, line, "name", "too_long");
    if (org[0] == '\0')
        import_error(file, line, "org", "required");
    if (!ok_authz_role_grantable(role))
        import_error(file, line, "role", role[0] ? "invalid" : "required");
    json_array_append_new(file->rows, json_pack("[s, s, s, s]", oid, name, org, role));
}

static const import_kind import_orgs = {
    .columns = {"code", "name", "kind", "territory", "is_moderation"},
    .column_count = 5,
    .required = 4,
    .row = import_org_row,
    .check_statement = "import_problems",
    .write_statement = "import_write",
    .answer = {"created", "updated"},
};

static const import_kind import_staff = {
    .columns = {"esia_oid", "name", "org", "role"},
    .column_count = 4,
    .required = 4,
    .row = import_staff_row,
    .check_statement = "staff_import_problems",
    .write_statement = "staff_import_write",
    .answer = {"users_created", "roles_granted"},
};

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
    PGresult *problems = ok_db_query(req, file->kind->check_statement, 2, params);
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
                            file->column[file->kind->column_count - 1] >= 0 ? "true" : "false"};
    free(rows);
    file->written = ok_db_exec(req, file->kind->write_statement, 3, params);
    if (file->written == NULL)
        return OK_DB_ROLLBACK;
    /* a row left out: its object left the caller's territory meanwhile */
    if (strcmp(PQgetvalue(file->written, 0, 2), "t") != 0) {
        ok_problem(req, 409, "Objects changed during the import; please try again.");
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

/* Runs an import of kind. */
static void import_run(ok_request *req, const import_kind *kind)
{
    if (admin_operator_or_reply(req) != 0)
        return;
    import_file file = {.kind = kind, .errors = json_array(), .rows = json_array()};
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
    json_t *answer =
        json_pack("{s:I, s:I}", kind->answer[0],
                  (json_int_t)strtoll(PQgetvalue(file.written, 0, 0), NULL, 10), kind->answer[1],
                  (json_int_t)strtoll(PQgetvalue(file.written, 0, 1), NULL, 10));
    ok_http_respond_json_new(req, 200, answer);
    ok_http_header(req, "Cache-Control", "private, no-store");
}

void orgs_import(ok_request *req)
{
    import_run(req, &import_orgs);
}

void staff_import(ok_request *req)
{
    import_run(req, &import_staff);
}
