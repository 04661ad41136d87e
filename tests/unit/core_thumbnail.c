/* Unit tests of core/ok_thumbnail.c: JPEG and PNG photos (plain, interlaced,
 * transparent, small) become JPEGs of the right size and colours; a header
 * that claims too many pixels, a truncated file, a file that only starts
 * like an image and a JPEG that needs too much memory fail cleanly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ok_thumbnail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>

typedef struct image {
    unsigned char *data;
    size_t length;
} image;

/* The colour of pixel x of a width-wide test image: red on the left half,
 * blue on the right. */
static void test_colour(uint32_t x, uint32_t width, unsigned char *rgb)
{
    int left = x < width / 2;
    rgb[0] = left ? 255 : 0;
    rgb[1] = 0;
    rgb[2] = left ? 0 : 255;
}

static image make_jpeg(uint32_t width, uint32_t height, int progressive, int full_chroma)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr errors;
    c.err = jpeg_std_error(&errors);
    jpeg_create_compress(&c);
    image out = {0};
    unsigned long length = 0;
    jpeg_mem_dest(&c, &out.data, &length);
    c.image_width = width;
    c.image_height = height;
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    if (progressive)
        jpeg_simple_progression(&c);
    if (full_chroma)
        c.comp_info[0].h_samp_factor = c.comp_info[0].v_samp_factor = 1;
    jpeg_start_compress(&c, TRUE);
    unsigned char *row = malloc((size_t)width * 3);
    for (uint32_t x = 0; x < width; x++)
        test_colour(x, width, row + x * 3);
    while (c.next_scanline < height)
        jpeg_write_scanlines(&c, &row, 1);
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(row);
    out.length = length;
    return out;
}

typedef struct png_buffer {
    unsigned char *data;
    size_t length, capacity;
} png_buffer;

static void png_buffer_write(png_structp png, png_bytep data, size_t length)
{
    png_buffer *b = png_get_io_ptr(png);
    if (b->length + length > b->capacity) {
        b->capacity = (b->length + length) * 2;
        b->data = realloc(b->data, b->capacity);
    }
    memcpy(b->data + b->length, data, length);
    b->length += length;
}

static void png_buffer_flush(png_structp png)
{
    (void)png;
}

/* An RGBA PNG: red and blue halves, alpha as given. */
static image make_png(uint32_t width, uint32_t height, int interlaced, unsigned char alpha)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    png_buffer buffer = {0};
    png_set_write_fn(png, &buffer, png_buffer_write, png_buffer_flush);
    png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_RGBA,
                 interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    unsigned char *row = malloc((size_t)width * 4);
    for (uint32_t x = 0; x < width; x++) {
        test_colour(x, width, row + x * 4);
        row[x * 4 + 3] = alpha;
    }
    int passes = interlaced ? png_set_interlace_handling(png) : 1;
    for (int pass = 0; pass < passes; pass++)
        for (uint32_t y = 0; y < height; y++)
            png_write_row(png, row);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(row);
    return (image){buffer.data, buffer.length};
}

/* The thumbnail decoded: its size and the colour of pixel (x, y). */
static void decode(const ok_thumbnail *t, int *width, int *height, int x, int y, unsigned char *rgb)
{
    struct jpeg_decompress_struct d;
    struct jpeg_error_mgr errors;
    d.err = jpeg_std_error(&errors);
    jpeg_create_decompress(&d);
    jpeg_mem_src(&d, t->jpeg, (unsigned long)t->length);
    assert_int_equal(jpeg_read_header(&d, TRUE), JPEG_HEADER_OK);
    d.out_color_space = JCS_RGB;
    jpeg_start_decompress(&d);
    *width = (int)d.output_width;
    *height = (int)d.output_height;
    unsigned char *row = malloc((size_t)d.output_width * 3);
    while (d.output_scanline < d.output_height) {
        int at = (int)d.output_scanline;
        jpeg_read_scanlines(&d, &row, 1);
        if (at == y)
            memcpy(rgb, row + x * 3, 3);
    }
    jpeg_finish_decompress(&d);
    jpeg_destroy_decompress(&d);
    free(row);
}

/* Makes the thumbnail of img (freed), expects width x height, a red left
 * and a blue right (or grey-free colours mixed with white when translucent). */
static void expect_thumbnail(image img, int width, int height, int translucent)
{
    ok_arena *arena = ok_arena_new();
    ok_thumbnail t = {0};
    assert_int_equal(ok_thumbnail_make(arena, img.data, img.length, &t), OK_THUMBNAIL_MADE);
    assert_int_equal(t.width, width);
    assert_int_equal(t.height, height);
    assert_true(t.length > 0 && t.length < img.length + 4096);
    int w = 0, h = 0;
    unsigned char left[3], right[3];
    decode(&t, &w, &h, 2, height / 2, left);
    decode(&t, &w, &h, width - 3, height / 2, right);
    assert_int_equal(w, width);
    assert_int_equal(h, height);
    int white = translucent ? 127 : 0; /* half alpha over white */
    assert_true(left[0] > 230 && abs(left[1] - white) < 25 && abs(left[2] - white) < 25);
    assert_true(right[2] > 230 && abs(right[0] - white) < 25 && abs(right[1] - white) < 25);
    ok_arena_free(arena);
    free(img.data);
}

static ok_thumbnail_result thumbnail_of(const unsigned char *data, size_t length)
{
    ok_arena *arena = ok_arena_new();
    ok_thumbnail t = {0};
    ok_thumbnail_result result = ok_thumbnail_make(arena, data, length, &t);
    ok_arena_free(arena);
    return result;
}

static void test_jpeg_landscape(void **state)
{
    (void)state;
    expect_thumbnail(make_jpeg(1000, 600, 0, 0), 320, 192, 0);
}

static void test_jpeg_progressive_portrait(void **state)
{
    (void)state;
    expect_thumbnail(make_jpeg(600, 1000, 1, 0), 192, 320, 0);
}

static void test_jpeg_small_keeps_size(void **state)
{
    (void)state;
    expect_thumbnail(make_jpeg(100, 40, 0, 0), 100, 40, 0);
}

static void test_png_portrait(void **state)
{
    (void)state;
    expect_thumbnail(make_png(480, 800, 0, 255), 192, 320, 0);
}

static void test_png_interlaced(void **state)
{
    (void)state;
    expect_thumbnail(make_png(643, 321, 1, 255), 320, 160, 0);
}

static void test_png_translucent_over_white(void **state)
{
    (void)state;
    expect_thumbnail(make_png(64, 32, 0, 128), 64, 32, 1);
}

/* PNG's CRC-32 (ISO 3309) of n bytes. */
static uint32_t png_crc(const unsigned char *bytes, size_t n)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        crc ^= bytes[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return crc ^ 0xFFFFFFFFu;
}

/* Appends a PNG chunk (length, type, data, CRC) at out; returns its end. */
static unsigned char *png_chunk(unsigned char *out, const char *type, const unsigned char *data,
                                uint32_t length)
{
    out[0] = (unsigned char)(length >> 24);
    out[1] = (unsigned char)(length >> 16);
    out[2] = (unsigned char)(length >> 8);
    out[3] = (unsigned char)length;
    memcpy(out + 4, type, 4);
    if (length > 0)
        memcpy(out + 8, data, length);
    uint32_t crc = png_crc(out + 4, length + 4);
    unsigned char *end = out + 8 + length;
    end[0] = (unsigned char)(crc >> 24);
    end[1] = (unsigned char)(crc >> 16);
    end[2] = (unsigned char)(crc >> 8);
    end[3] = (unsigned char)crc;
    return end + 4;
}

/* A PNG that claims 50000 x 50000 RGBA pixels (10 GB) over a few bytes of
 * zeros that would inflate to all of them. */
static void test_png_bomb_header(void **state)
{
    (void)state;
    static const unsigned char header[13] = {0, 0, 0xC3, 0x50, 0, 0, 0xC3, 0x50, 8, 6, 0, 0, 0};
    static const unsigned char zeros[] = {0x78, 0xDA, 0xED, 0xC1, 0x01, 0x0D, 0, 0, 0};
    unsigned char data[128] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    unsigned char *end = png_chunk(data + 8, "IHDR", header, sizeof(header));
    end = png_chunk(end, "IDAT", zeros, sizeof(zeros));
    end = png_chunk(end, "IEND", NULL, 0);
    assert_int_equal(thumbnail_of(data, (size_t)(end - data)), OK_THUMBNAIL_TOO_LARGE);
}

/* A real JPEG whose frame header is changed to claim 60000 x 60000. */
static void test_jpeg_bomb_header(void **state)
{
    (void)state;
    image img = make_jpeg(16, 16, 0, 0);
    size_t sof = 0;
    for (size_t i = 2; i + 9 < img.length && sof == 0; i++)
        if (img.data[i] == 0xFF && img.data[i + 1] == 0xC0)
            sof = i;
    assert_true(sof > 0);
    img.data[sof + 5] = img.data[sof + 7] = 0xEA; /* height, width: 0xEA60 */
    img.data[sof + 6] = img.data[sof + 8] = 0x60;
    assert_int_equal(thumbnail_of(img.data, img.length), OK_THUMBNAIL_TOO_LARGE);
    free(img.data);
}

static void test_truncated_files_fail(void **state)
{
    (void)state;
    image jpeg = make_jpeg(400, 300, 0, 0);
    image progressive = make_jpeg(400, 300, 1, 0);
    image png = make_png(400, 300, 0, 255);
    image interlaced = make_png(400, 300, 1, 255);
    assert_int_equal(thumbnail_of(jpeg.data, jpeg.length / 2), OK_THUMBNAIL_BROKEN);
    assert_int_equal(thumbnail_of(progressive.data, progressive.length / 2), OK_THUMBNAIL_BROKEN);
    assert_int_equal(thumbnail_of(png.data, png.length / 2), OK_THUMBNAIL_BROKEN);
    assert_int_equal(thumbnail_of(interlaced.data, interlaced.length - 20), OK_THUMBNAIL_BROKEN);
    assert_int_equal(thumbnail_of(jpeg.data, 3), OK_THUMBNAIL_BROKEN);
    assert_int_equal(thumbnail_of(png.data, 8), OK_THUMBNAIL_BROKEN);
    free(jpeg.data);
    free(progressive.data);
    free(png.data);
    free(interlaced.data);
}

static void test_pretenders_fail(void **state)
{
    (void)state;
    static const char svg[] = "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>";
    static const char png_svg[] = "\x89PNG\r\n\x1A\n<svg onload='alert(1)'/>";
    static const char jpeg_html[] = "\xFF\xD8\xFF<html><script>alert(1)</script></html>";
    assert_int_equal(thumbnail_of((const unsigned char *)svg, sizeof(svg) - 1),
                     OK_THUMBNAIL_NOT_IMAGE);
    assert_int_equal(thumbnail_of((const unsigned char *)png_svg, sizeof(png_svg) - 1),
                     OK_THUMBNAIL_BROKEN);
    assert_int_equal(thumbnail_of((const unsigned char *)jpeg_html, sizeof(jpeg_html) - 1),
                     OK_THUMBNAIL_BROKEN);
    assert_int_equal(thumbnail_of((const unsigned char *)"", 0), OK_THUMBNAIL_NOT_IMAGE);
}

/* A progressive JPEG keeps all its coefficients: 5000 x 5000 in full colour
 * needs 150 MB, over the limit though within the pixel count; 2000 x 2000
 * (24 MB) is within it. */
static void test_jpeg_over_memory_limit_fails(void **state)
{
    (void)state;
    image img = make_jpeg(5000, 5000, 1, 1);
    assert_int_equal(thumbnail_of(img.data, img.length), OK_THUMBNAIL_BROKEN);
    free(img.data);
    expect_thumbnail(make_jpeg(2000, 2000, 1, 1), 320, 320, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jpeg_landscape),
        cmocka_unit_test(test_jpeg_progressive_portrait),
        cmocka_unit_test(test_jpeg_small_keeps_size),
        cmocka_unit_test(test_png_portrait),
        cmocka_unit_test(test_png_interlaced),
        cmocka_unit_test(test_png_translucent_over_white),
        cmocka_unit_test(test_png_bomb_header),
        cmocka_unit_test(test_jpeg_bomb_header),
        cmocka_unit_test(test_truncated_files_fail),
        cmocka_unit_test(test_pretenders_fail),
        cmocka_unit_test(test_jpeg_over_memory_limit_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
