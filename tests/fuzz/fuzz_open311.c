/*
 * fuzz_open311.c - libFuzzer harness of what Open311 requests' parameters go
 * through (modules/open311/params.c) and of the form body's decoding
 * (ok_http_form_value): the input is tried as each.
 *
 * Beyond crashes it checks: an accepted date has the fixed shape; an id list
 * is "{" digits and commas "}" with no leading zero; a status list is one of
 * three literals; a decoded form value is valid UTF-8 text.
 */
#include "ok_http.h"
#include "ok_utf8.h"
#include "open311.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_fail(const char *what, const char *input)
{
    fprintf(stderr, "fuzz_open311: %s for \"%s\"\n", what, input);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ok_arena *arena = ok_arena_new();
    const char *s = ok_arena_strndup(arena, (const char *)data, size);
    if (open311_is_datetime(s) && (strlen(s) < 20 || s[10] != 'T'))
        fuzz_fail("a malformed date accepted", s);
    const char *ids = open311_id_list(arena, s, 1000);
    if (ids != NULL &&
        (ids[0] != '{' || ids[strlen(ids) - 1] != '}' || strstr(ids, ",,") || strstr(ids, "{0") ||
         strstr(ids, ",0") || strspn(ids + 1, "0123456789,") != strlen(ids) - 2))
        fuzz_fail("a malformed id list accepted", s);
    const char *statuses = open311_status_list(s);
    if (statuses != NULL && strcmp(statuses, "{open}") != 0 && strcmp(statuses, "{closed}") != 0 &&
        strcmp(statuses, "{open,closed}") != 0)
        fuzz_fail("an unknown status list", s);
    const char *name;
    open311_format format;
    if (open311_split_format(arena, s, &name, &format) == 0 && name[0] == '\0')
        fuzz_fail("an empty name", s);
    const char *value;
    if (ok_http_form_value(arena, s, "description", &value) == 0 && value != NULL &&
        !ok_utf8_valid_text(value, strlen(value)))
        fuzz_fail("a value that is not text", s);
    ok_arena_free(arena);
    return 0;
}
