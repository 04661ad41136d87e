/*
 * fuzz_thumbnail.c - libFuzzer harness of ok_thumbnail_make: the input is an
 * uploaded file, whatever it claims to be (seeds: small JPEGs and PNGs of
 * each kind the decoders take).
 *
 * Beyond crashes, leaks and hangs it checks: a thumbnail that was made is a
 * JPEG of 1..OK_THUMBNAIL_SIDE pixels a side; anything else is one of the
 * refusals.
 */
#include "ok_thumbnail.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ok_arena *arena = ok_arena_new();
    ok_thumbnail thumbnail = {0};
    ok_thumbnail_result result = ok_thumbnail_make(arena, data, size, &thumbnail);
    int made_well = thumbnail.length > 3 && thumbnail.jpeg[0] == 0xFF &&
                    thumbnail.jpeg[1] == 0xD8 && thumbnail.width >= 1 &&
                    thumbnail.width <= OK_THUMBNAIL_SIDE && thumbnail.height >= 1 &&
                    thumbnail.height <= OK_THUMBNAIL_SIDE;
    if (result == OK_THUMBNAIL_MADE
            ? !made_well
            : result != OK_THUMBNAIL_NOT_IMAGE && result != OK_THUMBNAIL_TOO_LARGE &&
                  result != OK_THUMBNAIL_BROKEN) {
        fprintf(stderr, "fuzz_thumbnail: result %d, %dx%d, %zu bytes\n", (int)result,
                thumbnail.width, thumbnail.height, thumbnail.length);
        abort();
    }
    ok_arena_free(arena);
    return 0;
}
