/*
 * ok_thumbnail.c - the thumbnail of a JPEG or PNG photo (ok_thumbnail.h says
 * how memory and time stay bounded).
 *
 * The decoders report failure through setjmp/longjmp (libjpeg's error_exit and
 * warnings, libpng's error function). Everything they change after setjmp
 * lives in a thumbnail_job reached through a pointer set before it, so nothing
 * read after the jump was a register-held local.
 */
#include "ok_thumbnail.h"

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* jpeglib.h needs stdio.h's FILE first */
#include <jpeglib.h>
#include <png.h>

/* libjpeg's memory for one image (a progressive JPEG keeps every
 * coefficient: about 2 bytes a sample), and its scans (each costs a pass over
 * the image; a hostile file can declare thousands). */
#define THUMBNAIL_JPEG_MAX_MEMORY (64L * 1024 * 1024)
#define THUMBNAIL_JPEG_MAX_SCANS 32
#define THUMBNAIL_JPEG_QUALITY 80
/* libpng refuses wider or taller images before we look at them. */
#define THUMBNAIL_PNG_MAX_SIDE 1000000

/* The thumbnail's pixels as sums of the source pixels that fall on each. */
typedef struct thumbnail_canvas {
    int width, height;                    /* the thumbnail's */
    uint32_t source_width, source_height; /* the rows' (a JPEG's after DCT scaling) */
    uint32_t *sums;                       /* width * height * 3 */
    uint32_t *counts;                     /* width * height */
    uint32_t *column;                     /* source column -> thumbnail column */
} thumbnail_canvas;

typedef struct thumbnail_job {
    ok_arena *arena;
    const unsigned char *data;
    size_t length;
    size_t offset; /* PNG: what libpng has read */
    jmp_buf jump;
    ok_thumbnail_result failure; /* what a jump means */
    thumbnail_canvas canvas;
    struct jpeg_error_mgr jpeg_errors;
    struct jpeg_progress_mgr jpeg_progress;
    struct jpeg_decompress_struct jpeg;
    struct jpeg_compress_struct encoder;
    unsigned char *encoded; /* jpeg_mem_dest's (malloc) */
    unsigned long encoded_length;
} thumbnail_job;

/* The thumbnail's size for an image of width x height: the longest side
 * OK_THUMBNAIL_SIDE, rounded, at least 1. */
static void thumbnail_size(uint32_t width, uint32_t height, int *out_width, int *out_height)
{
    uint32_t longest = width > height ? width : height;
    if (longest <= OK_THUMBNAIL_SIDE) {
        *out_width = (int)width;
        *out_height = (int)height;
        return;
    }
    uint64_t w = ((uint64_t)width * OK_THUMBNAIL_SIDE + longest / 2) / longest;
    uint64_t h = ((uint64_t)height * OK_THUMBNAIL_SIDE + longest / 2) / longest;
    *out_width = w < 1 ? 1 : (int)w;
    *out_height = h < 1 ? 1 : (int)h;
}

static int thumbnail_too_large(uint64_t width, uint64_t height)
{
    return width == 0 || height == 0 || width * height > (uint64_t)OK_THUMBNAIL_MAX_PIXELS;
}

/* Prepares job->canvas for rows of source_width x source_height pixels of an
 * image of width x height (the same, or a JPEG's before DCT scaling). */
static void thumbnail_canvas_start(thumbnail_job *job, uint32_t width, uint32_t height,
                                   uint32_t source_width, uint32_t source_height)
{
    thumbnail_canvas *canvas = &job->canvas;
    thumbnail_size(width, height, &canvas->width, &canvas->height);
    canvas->source_width = source_width;
    canvas->source_height = source_height;
    size_t pixels = (size_t)canvas->width * (size_t)canvas->height;
    canvas->sums = ok_arena_calloc(job->arena, pixels * 3, sizeof(uint32_t));
    canvas->counts = ok_arena_calloc(job->arena, pixels, sizeof(uint32_t));
    canvas->column = ok_arena_calloc(job->arena, source_width, sizeof(uint32_t));
    for (uint32_t x = 0; x < source_width; x++)
        canvas->column[x] = (uint32_t)((uint64_t)x * (uint64_t)canvas->width / source_width);
}

/* Adds count pixels of source row y, at columns x0, x0 + step, ...; channels
 * 3 (RGB) or 4 (RGBA, laid over white). */
static void thumbnail_canvas_add(thumbnail_canvas *canvas, uint32_t y, uint32_t x0, uint32_t step,
                                 const unsigned char *pixels, uint32_t count, int channels)
{
    if (y >= canvas->source_height)
        return;
    uint32_t row = (uint32_t)((uint64_t)y * (uint64_t)canvas->height / canvas->source_height);
    for (uint32_t i = 0, x = x0; i < count && x < canvas->source_width; i++, x += step) {
        const unsigned char *p = pixels + (size_t)i * (size_t)channels;
        size_t at = (size_t)row * (size_t)canvas->width + canvas->column[x];
        unsigned alpha = channels == 4 ? p[3] : 255;
        for (int c = 0; c < 3; c++)
            canvas->sums[at * 3 + (size_t)c] += (p[c] * alpha + 255 * (255 - alpha) + 127) / 255;
        canvas->counts[at]++;
    }
}

static void thumbnail_jpeg_fail(j_common_ptr info)
{
    thumbnail_job *job = info->client_data;
    longjmp(job->jump, 1);
}

/* Traces are ignored; a warning (corrupt or truncated data, which libjpeg
 * would paper over with grey) fails the image. */
static void thumbnail_jpeg_message(j_common_ptr info, int level)
{
    if (level < 0)
        thumbnail_jpeg_fail(info);
}

static void thumbnail_jpeg_silent(j_common_ptr info)
{
    (void)info;
}

static void thumbnail_jpeg_progress(j_common_ptr info)
{
    thumbnail_job *job = info->client_data;
    if (info->is_decompressor &&
        ((j_decompress_ptr)info)->input_scan_number > THUMBNAIL_JPEG_MAX_SCANS) {
        job->failure = OK_THUMBNAIL_TOO_LARGE;
        longjmp(job->jump, 1);
    }
}

static struct jpeg_error_mgr *thumbnail_jpeg_errors(thumbnail_job *job)
{
    struct jpeg_error_mgr *errors = jpeg_std_error(&job->jpeg_errors);
    errors->error_exit = thumbnail_jpeg_fail;
    errors->emit_message = thumbnail_jpeg_message;
    errors->output_message = thumbnail_jpeg_silent;
    return errors;
}

/* The smallest DCT scaling n/8 that keeps the image at least as large as its
 * thumbnail. */
static unsigned thumbnail_jpeg_scale(const thumbnail_job *job,
                                     const struct jpeg_decompress_struct *jpeg)
{
    for (unsigned n = 1; n < 8; n++)
        if ((jpeg->image_width * n + 7) / 8 >= (unsigned)job->canvas.width &&
            (jpeg->image_height * n + 7) / 8 >= (unsigned)job->canvas.height)
            return n;
    return 8;
}

static ok_thumbnail_result thumbnail_jpeg_decode(thumbnail_job *job)
{
    struct jpeg_decompress_struct *jpeg = &job->jpeg;
    jpeg->err = thumbnail_jpeg_errors(job);
    jpeg->client_data = job;
    if (setjmp(job->jump) != 0) {
        jpeg_destroy_decompress(jpeg);
        return job->failure;
    }
    jpeg_create_decompress(jpeg);
    jpeg->mem->max_memory_to_use = THUMBNAIL_JPEG_MAX_MEMORY;
    job->jpeg_progress.progress_monitor = thumbnail_jpeg_progress;
    jpeg->progress = &job->jpeg_progress;
    jpeg_mem_src(jpeg, job->data, (unsigned long)job->length);
    jpeg_read_header(jpeg, TRUE);
    if (thumbnail_too_large(jpeg->image_width, jpeg->image_height)) {
        jpeg_destroy_decompress(jpeg);
        return OK_THUMBNAIL_TOO_LARGE;
    }
    thumbnail_size(jpeg->image_width, jpeg->image_height, &job->canvas.width, &job->canvas.height);
    jpeg->out_color_space = JCS_RGB;
    jpeg->scale_num = thumbnail_jpeg_scale(job, jpeg);
    jpeg->scale_denom = 8;
    jpeg_start_decompress(jpeg);
    if (jpeg->output_components != 3)
        thumbnail_jpeg_fail((j_common_ptr)jpeg);
    thumbnail_canvas_start(job, jpeg->image_width, jpeg->image_height, jpeg->output_width,
                           jpeg->output_height);
    JSAMPROW row = ok_arena_alloc(job->arena, (size_t)jpeg->output_width * 3);
    while (jpeg->output_scanline < jpeg->output_height) {
        JDIMENSION y = jpeg->output_scanline;
        if (jpeg_read_scanlines(jpeg, &row, 1) != 1)
            thumbnail_jpeg_fail((j_common_ptr)jpeg);
        thumbnail_canvas_add(&job->canvas, y, 0, 1, row, jpeg->output_width, 3);
    }
    /* the rest of the file (markers after the image) is not read */
    jpeg_destroy_decompress(jpeg);
    return OK_THUMBNAIL_MADE;
}

static void thumbnail_png_fail(png_structp png, png_const_charp message)
{
    (void)message;
    png_longjmp(png, 1);
}

static void thumbnail_png_warn(png_structp png, png_const_charp message)
{
    (void)png;
    (void)message;
}

static void thumbnail_png_read(png_structp png, png_bytep into, size_t length)
{
    thumbnail_job *job = png_get_io_ptr(png);
    if (length > job->length - job->offset)
        png_error(png, "truncated");
    memcpy(into, job->data + job->offset, length);
    job->offset += length;
}

/* Ancillary chunks that would cost work (zTXt, iTXt, iCCP inflate) and change
 * nothing in a thumbnail: skipped unread. */
static const png_byte thumbnail_png_ignored[] = "bKGD\0cHRM\0eXIf\0gAMA\0hIST\0iCCP\0iTXt\0"
                                                "oFFs\0pCAL\0pHYs\0sBIT\0sCAL\0sPLT\0sRGB\0"
                                                "tEXt\0tIME\0zTXt";

/* Reads every row of the image as RGBA into the canvas: an interlaced
 * image's passes as their own smaller rows, each pixel put at its place. */
static void thumbnail_png_rows(thumbnail_job *job, png_structp png, png_uint_32 width,
                               png_uint_32 height, int interlaced)
{
    png_bytep row = ok_arena_alloc(job->arena, (size_t)width * 4);
    for (int pass = 0; pass < (interlaced ? 7 : 1); pass++) {
        png_uint_32 columns = interlaced ? PNG_PASS_COLS(width, pass) : width;
        png_uint_32 rows = interlaced ? PNG_PASS_ROWS(height, pass) : height;
        if (columns == 0 || rows == 0)
            continue; /* libpng skips an empty pass too */
        for (png_uint_32 r = 0; r < rows; r++) {
            png_read_row(png, row, NULL);
            png_uint_32 y = interlaced ? PNG_ROW_FROM_PASS_ROW(r, pass) : r;
            png_uint_32 x0 = interlaced ? PNG_COL_FROM_PASS_COL(0, pass) : 0;
            png_uint_32 step = interlaced ? 1u << PNG_PASS_COL_SHIFT(pass) : 1;
            thumbnail_canvas_add(&job->canvas, y, x0, step, row, columns, 4);
        }
    }
}

static ok_thumbnail_result thumbnail_png_decode(thumbnail_job *job)
{
    png_structp png =
        png_create_read_struct(PNG_LIBPNG_VER_STRING, job, thumbnail_png_fail, thumbnail_png_warn);
    if (png == NULL)
        return OK_THUMBNAIL_BROKEN;
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        return OK_THUMBNAIL_BROKEN;
    }
    if (setjmp(png_jmpbuf(png)) != 0) {
        png_destroy_read_struct(&png, &info, NULL);
        return job->failure;
    }
    png_set_read_fn(png, job, thumbnail_png_read);
    png_set_user_limits(png, THUMBNAIL_PNG_MAX_SIDE, THUMBNAIL_PNG_MAX_SIDE);
    png_set_chunk_malloc_max(png, 1024 * 1024);
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, NULL, 0);
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, thumbnail_png_ignored,
                                (int)(sizeof(thumbnail_png_ignored) / 5));
    png_read_info(png, info);
    png_uint_32 width = png_get_image_width(png, info);
    png_uint_32 height = png_get_image_height(png, info);
    if (thumbnail_too_large(width, height)) {
        job->failure = OK_THUMBNAIL_TOO_LARGE;
        png_longjmp(png, 1);
    }
    png_set_expand(png); /* palette and low bit depths to 8 bits, tRNS to alpha */
    png_set_strip_16(png);
    png_set_gray_to_rgb(png);
    png_set_add_alpha(png, 0xFF, PNG_FILLER_AFTER);
    png_read_update_info(png, info);
    if (png_get_rowbytes(png, info) != (size_t)width * 4)
        png_error(png, "unexpected row layout");
    thumbnail_canvas_start(job, width, height, width, height);
    thumbnail_png_rows(job, png, width, height,
                       png_get_interlace_type(png, info) != PNG_INTERLACE_NONE);
    png_destroy_read_struct(&png, &info, NULL);
    return OK_THUMBNAIL_MADE;
}

/* The canvas's averages as a JPEG into job->encoded. */
static ok_thumbnail_result thumbnail_encode(thumbnail_job *job)
{
    struct jpeg_compress_struct *encoder = &job->encoder;
    const thumbnail_canvas *canvas = &job->canvas;
    encoder->err = thumbnail_jpeg_errors(job);
    encoder->client_data = job;
    if (setjmp(job->jump) != 0) {
        jpeg_destroy_compress(encoder);
        free(job->encoded);
        job->encoded = NULL;
        return OK_THUMBNAIL_BROKEN;
    }
    jpeg_create_compress(encoder);
    jpeg_mem_dest(encoder, &job->encoded, &job->encoded_length);
    encoder->image_width = (JDIMENSION)canvas->width;
    encoder->image_height = (JDIMENSION)canvas->height;
    encoder->input_components = 3;
    encoder->in_color_space = JCS_RGB;
    jpeg_set_defaults(encoder);
    jpeg_set_quality(encoder, THUMBNAIL_JPEG_QUALITY, TRUE);
    jpeg_start_compress(encoder, TRUE);
    JSAMPROW row = ok_arena_alloc(job->arena, (size_t)canvas->width * 3);
    for (int y = 0; y < canvas->height; y++) {
        for (int x = 0; x < canvas->width; x++) {
            size_t at = (size_t)y * (size_t)canvas->width + (size_t)x;
            uint32_t count = canvas->counts[at] ? canvas->counts[at] : 1;
            for (int c = 0; c < 3; c++)
                row[x * 3 + c] = (JSAMPLE)((canvas->sums[at * 3 + (size_t)c] + count / 2) / count);
        }
        jpeg_write_scanlines(encoder, &row, 1);
    }
    jpeg_finish_compress(encoder);
    jpeg_destroy_compress(encoder);
    return OK_THUMBNAIL_MADE;
}

ok_thumbnail_result ok_thumbnail_make(ok_arena *arena, const unsigned char *data, size_t length,
                                      ok_thumbnail *thumbnail)
{
    static const unsigned char jpeg_magic[] = {0xFF, 0xD8, 0xFF};
    static const unsigned char png_magic[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    thumbnail_job *job = ok_arena_calloc(arena, 1, sizeof(*job));
    job->arena = arena;
    job->data = data;
    job->length = length;
    job->failure = OK_THUMBNAIL_BROKEN;
    ok_thumbnail_result result;
    if (length >= sizeof(jpeg_magic) && memcmp(data, jpeg_magic, sizeof(jpeg_magic)) == 0)
        result = thumbnail_jpeg_decode(job);
    else if (length >= sizeof(png_magic) && memcmp(data, png_magic, sizeof(png_magic)) == 0)
        result = thumbnail_png_decode(job);
    else
        return OK_THUMBNAIL_NOT_IMAGE;
    if (result != OK_THUMBNAIL_MADE || (result = thumbnail_encode(job)) != OK_THUMBNAIL_MADE)
        return result;
    unsigned char *copy = ok_arena_alloc(arena, job->encoded_length);
    memcpy(copy, job->encoded, job->encoded_length);
    free(job->encoded);
    thumbnail->jpeg = copy;
    thumbnail->length = job->encoded_length;
    thumbnail->width = job->canvas.width;
    thumbnail->height = job->canvas.height;
    return OK_THUMBNAIL_MADE;
}
