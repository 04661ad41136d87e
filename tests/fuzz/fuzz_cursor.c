/*
 * fuzz_cursor.c - libFuzzer harness of the list parameters (?limit=N&cursor=C)
 * read by ok_page_or_reply: the input is the query string.
 *
 * Beyond crashes it checks: accepted parameters are in range (limit 1..max,
 * cursor 0 or a positive id); refused ones get a 400 problem.
 */
#include "ok_page.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ok_arena *arena = ok_arena_new();
    ok_request req = {.arena = arena, .method = "GET", .path = "/", .request_id = "fuzz"};
    req.query = ok_arena_strndup(arena, (const char *)data, size);
    long limit = 0;
    long long cursor = 0;
    int accepted = ok_page_or_reply(&req, 20, 100, &limit, &cursor) == 0;
    if (accepted ? limit < 1 || limit > 100 || cursor < 0 || req.status != 0
                 : req.status != 400 || req.body == NULL) {
        fprintf(stderr, "fuzz_cursor: ?%s gave limit %ld, cursor %lld, status %d\n", req.query,
                limit, cursor, req.status);
        abort();
    }
    ok_arena_free(arena);
    return 0;
}
