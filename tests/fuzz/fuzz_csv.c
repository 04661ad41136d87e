/*
 * fuzz_csv.c - libFuzzer harness of ok_csv_parse (core/ok_csv.c, libcsv in
 * strict mode): the input is a CSV document.
 *
 * Beyond crashes it checks: a document read is within the caps and every
 * field is UTF-8 text; a refused one names the record where reading stopped.
 */
#include "ok_csv.h"
#include "ok_utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ok_arena *arena = ok_arena_new();
    ok_csv_table table;
    size_t bad = 0;
    ok_csv_status status = ok_csv_parse(arena, (const char *)data, size, &table, &bad);
    if (status == OK_CSV_OK) {
        if (bad != 0 || table.record_count > OK_CSV_MAX_RECORDS)
            abort();
        for (size_t r = 0; r < table.record_count; r++) {
            if (table.records[r].field_count > OK_CSV_MAX_FIELDS)
                abort();
            for (size_t f = 0; f < table.records[r].field_count; f++) {
                const char *field = table.records[r].fields[f];
                if (!ok_utf8_valid_text(field, strlen(field))) {
                    fprintf(stderr, "fuzz_csv: record %zu field %zu is not text\n", r, f);
                    abort();
                }
            }
        }
    } else if (bad == 0) {
        abort();
    }
    ok_arena_free(arena);
    return 0;
}
