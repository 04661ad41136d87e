/*
 * ok_csv.c - CSV documents through libcsv; see ok_csv.h.
 *
 * libcsv calls back once per field and once per record end; the fields of
 * the record being read are gathered in a fixed array, then copied into the
 * arena as the record ends. Records grow the table by doubling.
 */
#include "ok_csv.h"
#include "ok_utf8.h"

#include <csv.h>
#include <string.h>

typedef struct ok_csv_reader {
    ok_arena *arena;
    ok_csv_table *table;
    size_t capacity;
    const char *fields[OK_CSV_MAX_FIELDS];
    size_t field_count;
    ok_csv_status status;
} ok_csv_reader;

static void ok_csv_field(void *data, size_t length, void *context)
{
    ok_csv_reader *reader = context;
    if (reader->status != OK_CSV_OK)
        return;
    if (reader->field_count == OK_CSV_MAX_FIELDS) {
        reader->status = OK_CSV_TOO_MANY;
        return;
    }
    const char *bytes = data != NULL ? data : "";
    if (data == NULL)
        length = 0;
    if (!ok_utf8_valid_text(bytes, length)) {
        reader->status = OK_CSV_NOT_TEXT;
        return;
    }
    char *copy = ok_arena_alloc(reader->arena, length + 1);
    memcpy(copy, bytes, length);
    copy[length] = '\0';
    reader->fields[reader->field_count++] = copy;
}

static void ok_csv_record_end(int terminator, void *context)
{
    (void)terminator;
    ok_csv_reader *reader = context;
    if (reader->status != OK_CSV_OK)
        return;
    ok_csv_table *table = reader->table;
    if (table->record_count == OK_CSV_MAX_RECORDS) {
        reader->status = OK_CSV_TOO_MANY;
        return;
    }
    if (table->record_count == reader->capacity) {
        size_t capacity = reader->capacity ? 2 * reader->capacity : 64;
        ok_csv_record *grown = ok_arena_alloc(reader->arena, capacity * sizeof(*grown));
        if (table->record_count > 0)
            memcpy(grown, table->records, table->record_count * sizeof(*grown));
        table->records = grown;
        reader->capacity = capacity;
    }
    const char **fields =
        ok_arena_alloc(reader->arena, (reader->field_count + 1) * sizeof(*fields));
    memcpy(fields, reader->fields, reader->field_count * sizeof(*fields));
    table->records[table->record_count++] =
        (ok_csv_record){.fields = fields, .field_count = reader->field_count};
    reader->field_count = 0;
}

ok_csv_status ok_csv_parse(ok_arena *arena, const char *text, size_t length, ok_csv_table *table,
                           size_t *bad_record)
{
    *table = (ok_csv_table){0};
    *bad_record = 0;
    if (length >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        length -= 3;
    }
    struct csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return OK_CSV_OUT_OF_MEMORY;
    ok_csv_reader reader = {.arena = arena, .table = table};
    size_t read = csv_parse(&parser, text, length, ok_csv_field, ok_csv_record_end, &reader);
    int failed = read != length || csv_fini(&parser, ok_csv_field, ok_csv_record_end, &reader) != 0;
    int error = csv_error(&parser);
    csv_free(&parser);
    if (reader.status == OK_CSV_OK && failed)
        reader.status =
            error == CSV_ENOMEM || error == CSV_ETOOBIG ? OK_CSV_OUT_OF_MEMORY : OK_CSV_MALFORMED;
    if (reader.status != OK_CSV_OK)
        *bad_record = table->record_count + 1;
    return reader.status;
}
