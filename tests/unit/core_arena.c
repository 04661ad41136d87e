/* Unit tests of core/ok_arena.c. The sanitizer build sends every allocation to
 * malloc (OK_ARENA_MALLOC); this test compiles the arena itself without it, so
 * the blocks, the large list and reset are what is tested, as workers run them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#undef OK_ARENA_MALLOC
#include "../../core/ok_arena.c"

static void test_alloc_is_aligned_and_kept(void **state)
{
    (void)state;
    ok_arena *arena = ok_arena_new();
    unsigned char *previous[3000];
    /* enough small allocations to need several blocks; each keeps its bytes */
    for (size_t i = 0; i < 3000; i++) {
        size_t size = 1 + i % 37;
        previous[i] = ok_arena_alloc(arena, size);
        assert_int_equal((uintptr_t)previous[i] % _Alignof(max_align_t), 0);
        memset(previous[i], (int)(i & 0xFF), size);
    }
    for (size_t i = 0; i < 3000; i++)
        for (size_t j = 0; j < 1 + i % 37; j++)
            assert_int_equal(previous[i][j], i & 0xFF);
    assert_non_null(ok_arena_alloc(arena, 0));
    ok_arena_free(arena);
}

static void test_calloc_zeroes(void **state)
{
    (void)state;
    ok_arena *arena = ok_arena_new();
    unsigned char *dirty = ok_arena_alloc(arena, 64);
    memset(dirty, 0xAB, 64);
    ok_arena_reset(arena); /* the same memory comes back */
    unsigned char *zeroed = ok_arena_calloc(arena, 16, 4);
    for (size_t i = 0; i < 64; i++)
        assert_int_equal(zeroed[i], 0);
    ok_arena_free(arena);
}

static void test_strings(void **state)
{
    (void)state;
    ok_arena *arena = ok_arena_new();
    const char *source = "abc";
    char *copy = ok_arena_strdup(arena, source);
    assert_string_equal(copy, "abc");
    assert_ptr_not_equal(copy, source);
    assert_null(ok_arena_strdup(arena, NULL));
    assert_string_equal(ok_arena_strndup(arena, "abcdef", 3), "abc");
    assert_string_equal(ok_arena_strndup(arena, "a\0b", 3), "a");
    assert_string_equal(ok_arena_printf(arena, "%s-%d-%05.1f", "x", 42, 3.14159), "x-42-003.1");
    assert_string_equal(ok_arena_printf(arena, "%s", ""), "");
    /* longer than a block */
    char *big = ok_arena_printf(arena, "%40000d", 7);
    assert_int_equal(strlen(big), 40000);
    assert_int_equal(big[39999], '7');
    ok_arena_free(arena);
}

static int order[8];
static size_t ran;

static void record(void *object)
{
    order[ran++] = *(int *)object;
}

static void test_cleanups_run_on_reset_and_free(void **state)
{
    (void)state;
    static int one = 1, two = 2, three = 3;
    ok_arena *arena = ok_arena_new();
    ok_arena_cleanup_add(arena, record, &one);
    ok_arena_cleanup_add(arena, record, &two);
    ran = 0;
    ok_arena_reset(arena);
    assert_int_equal(ran, 2);
    assert_int_equal(order[0], 2); /* last registered first */
    assert_int_equal(order[1], 1);
    ok_arena_reset(arena); /* each runs once */
    assert_int_equal(ran, 2);
    ok_arena_cleanup_add(arena, record, &three);
    ok_arena_free(arena);
    assert_int_equal(ran, 3);
    assert_int_equal(order[2], 3);
    ok_arena_free(NULL);
}

static void test_large_allocations(void **state)
{
    (void)state;
    ok_arena *arena = ok_arena_new();
    /* a quarter block and more go to their own list; small ones continue */
    size_t sizes[] = {OK_ARENA_BLOCK_SIZE / 4 + 1, OK_ARENA_BLOCK_SIZE, 10 * 1024 * 1024};
    for (int round = 0; round < 3; round++) {
        char *small = ok_arena_strdup(arena, "small");
        for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
            unsigned char *p = ok_arena_alloc(arena, sizes[i]);
            assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
            memset(p, 0x5A, sizes[i]);
            assert_int_equal(p[sizes[i] - 1], 0x5A);
        }
        assert_string_equal(small, "small");
        ok_arena_reset(arena); /* the large ones are released (LeakSanitizer would see) */
    }
    ok_arena_free(arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_is_aligned_and_kept),
        cmocka_unit_test(test_calloc_zeroes),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_cleanups_run_on_reset_and_free),
        cmocka_unit_test(test_large_allocations),
    };
    return cmocka_run_group_tests_name("core_arena", tests, NULL, NULL);
}
