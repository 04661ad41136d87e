/*
 * ok_csv.h - a CSV document (RFC 4180: commas, double quotes, CRLF or LF) read
 * whole into records of fields, through Debian's libcsv in strict mode.
 *
 * For bulk imports: the document is small enough to hold (the caller caps
 * its bytes), records and fields are capped too, and every field is checked
 * to be UTF-8 text (ok_utf8_valid_text) so no handler sees anything else.
 */
#ifndef OK_CSV_H
#define OK_CSV_H

#include "ok_arena.h"

#include <stddef.h>

/* Caps: records of a document, fields of a record. */
#define OK_CSV_MAX_RECORDS 50000
#define OK_CSV_MAX_FIELDS 32

typedef struct ok_csv_record {
    const char **fields; /* NUL-terminated copies, in the arena */
    size_t field_count;
} ok_csv_record;

typedef struct ok_csv_table {
    ok_csv_record *records; /* the first is the header, when there is one */
    size_t record_count;
} ok_csv_table;

typedef enum {
    OK_CSV_OK = 0,
    OK_CSV_MALFORMED, /* a stray quote, an unterminated quoted field */
    OK_CSV_NOT_TEXT,  /* a field that is not UTF-8 text */
    OK_CSV_TOO_MANY,  /* more than the caps */
    OK_CSV_OUT_OF_MEMORY
} ok_csv_status;

/* Reads text (length bytes; a UTF-8 byte order mark at its start is skipped)
 * into table, in arena memory. On failure *bad_record is the 1-based number
 * of the record where reading stopped. */
ok_csv_status ok_csv_parse(ok_arena *arena, const char *text, size_t length, ok_csv_table *table,
                           size_t *bad_record);

#endif
