/*
 * ok_thumbnail.h - a small JPEG of an uploaded JPEG or PNG photo, made with
 * bounded memory and time from whatever bytes a citizen sent.
 *
 * DESIGN
 * The image is never held whole: rows are decoded one at a time (JPEG already
 * scaled down by libjpeg's DCT scaling, PNG through libpng's row reader, each
 * interlace pass as its own rows) and summed into the thumbnail's pixels (a
 * box filter), so memory is the thumbnail's plus one row. The header's
 * dimensions are checked before any pixel is decoded (OK_THUMBNAIL_MAX_PIXELS),
 * libjpeg's memory is capped (a progressive JPEG keeps its coefficients) and
 * so are its scans; any decoding error or warning - truncated data, a file
 * that only starts like an image - ends the work through longjmp, never
 * exit(). Transparent pixels are laid over white; a CMYK JPEG is refused.
 */
#ifndef OK_THUMBNAIL_H
#define OK_THUMBNAIL_H

#include "ok_arena.h"

#include <stddef.h>

/* The thumbnail's longest side in pixels; smaller images keep their size. */
#define OK_THUMBNAIL_SIDE 320
/* Images of more pixels than this get no thumbnail. */
#define OK_THUMBNAIL_MAX_PIXELS 40000000LL

typedef enum ok_thumbnail_result {
    OK_THUMBNAIL_MADE = 0,
    OK_THUMBNAIL_NOT_IMAGE, /* neither a JPEG nor a PNG by its first bytes */
    OK_THUMBNAIL_TOO_LARGE, /* more pixels (or memory, or scans) than allowed */
    OK_THUMBNAIL_BROKEN,    /* data libjpeg or libpng could not decode cleanly */
} ok_thumbnail_result;

typedef struct ok_thumbnail {
    const unsigned char *jpeg; /* arena memory */
    size_t length;
    int width;
    int height;
} ok_thumbnail;

/* Makes the thumbnail of a JPEG or PNG file (which one: by its first bytes) as
 * a JPEG in arena memory. Fills *thumbnail only when it returns
 * OK_THUMBNAIL_MADE. */
ok_thumbnail_result ok_thumbnail_make(ok_arena *arena, const unsigned char *data, size_t length,
                                      ok_thumbnail *thumbnail);

#endif
