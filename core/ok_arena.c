/*
 * ok_arena.c - bump allocation over chained blocks, big allocations on their own
 * list, and a cleanup list; see ok_arena.h.
 */
#include "ok_arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OK_ARENA_BLOCK_SIZE (16 * 1024)
#define OK_ARENA_ALIGN (_Alignof(max_align_t))

typedef struct ok_arena_block {
    struct ok_arena_block *next;
    size_t used;
    size_t size;
    _Alignas(max_align_t) unsigned char data[];
} ok_arena_block;

typedef struct ok_arena_large {
    struct ok_arena_large *next;
    _Alignas(max_align_t) unsigned char data[];
} ok_arena_large;

typedef struct ok_arena_cleanup {
    struct ok_arena_cleanup *next;
    ok_arena_cleanup_fn *fn;
    void *object;
} ok_arena_cleanup;

struct ok_arena {
    ok_arena_block *blocks; /* the current block first; the last one is kept on reset */
    ok_arena_large *large;
    ok_arena_cleanup *cleanups;
};

static void *ok_arena_xmalloc(size_t size)
{
    void *p = malloc(size);
    if (p == NULL) {
        fputs("{\"level\":\"fatal\",\"msg\":\"out of memory\"}\n", stderr);
        abort();
    }
    return p;
}

static ok_arena_block *ok_arena_block_new(size_t size)
{
    ok_arena_block *block = ok_arena_xmalloc(sizeof(*block) + size);
    block->next = NULL;
    block->used = 0;
    block->size = size;
    return block;
}

ok_arena *ok_arena_new(void)
{
    ok_arena *arena = ok_arena_xmalloc(sizeof(*arena));
    arena->blocks = ok_arena_block_new(OK_ARENA_BLOCK_SIZE);
    arena->large = NULL;
    arena->cleanups = NULL;
    return arena;
}

static void ok_arena_release(ok_arena *arena, int keep_first)
{
    while (arena->cleanups != NULL) {
        ok_arena_cleanup *c = arena->cleanups;
        arena->cleanups = c->next; /* the record itself lives in the arena */
        c->fn(c->object);
    }
    while (arena->large != NULL) {
        ok_arena_large *l = arena->large;
        arena->large = l->next;
        free(l);
    }
    ok_arena_block *block = arena->blocks;
    while (block != NULL && (block->next != NULL || !keep_first)) {
        ok_arena_block *next = block->next;
        free(block);
        block = next;
    }
    arena->blocks = block;
    if (block != NULL)
        block->used = 0;
}

void ok_arena_reset(ok_arena *arena)
{
    ok_arena_release(arena, 1);
}

void ok_arena_free(ok_arena *arena)
{
    if (arena == NULL)
        return;
    ok_arena_release(arena, 0);
    free(arena);
}

void *ok_arena_alloc(ok_arena *arena, size_t size)
{
    if (size == 0)
        size = 1;
#ifdef OK_ARENA_MALLOC
    const int large = 1;
#else
    const int large = size > OK_ARENA_BLOCK_SIZE / 4;
#endif
    if (large) {
        if (size > SIZE_MAX - sizeof(ok_arena_large))
            abort();
        ok_arena_large *l = ok_arena_xmalloc(sizeof(*l) + size);
        l->next = arena->large;
        arena->large = l;
        return l->data;
    }
    size_t rounded = (size + OK_ARENA_ALIGN - 1) & ~(OK_ARENA_ALIGN - 1);
    ok_arena_block *block = arena->blocks;
    if (block->size - block->used < rounded) {
        block = ok_arena_block_new(OK_ARENA_BLOCK_SIZE);
        block->next = arena->blocks;
        arena->blocks = block;
    }
    void *p = block->data + block->used;
    block->used += rounded;
    return p;
}

void *ok_arena_calloc(ok_arena *arena, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        abort();
    void *p = ok_arena_alloc(arena, count * size);
    memset(p, 0, count * size);
    return p;
}

char *ok_arena_strndup(ok_arena *arena, const char *s, size_t length)
{
    char *copy = ok_arena_alloc(arena, length + 1);
    memcpy(copy, s, length);
    copy[length] = '\0';
    return copy;
}

char *ok_arena_strdup(ok_arena *arena, const char *s)
{
    return s == NULL ? NULL : ok_arena_strndup(arena, s, strlen(s));
}

char *ok_arena_vprintf(ok_arena *arena, const char *format, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int length = vsnprintf(NULL, 0, format, ap);
    if (length < 0)
        abort();
    char *s = ok_arena_alloc(arena, (size_t)length + 1);
    vsnprintf(s, (size_t)length + 1, format, again);
    va_end(again);
    return s;
}

char *ok_arena_printf(ok_arena *arena, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    char *s = ok_arena_vprintf(arena, format, ap);
    va_end(ap);
    return s;
}

void ok_arena_cleanup_add(ok_arena *arena, ok_arena_cleanup_fn *fn, void *object)
{
    ok_arena_cleanup *c = ok_arena_alloc(arena, sizeof(*c));
    c->fn = fn;
    c->object = object;
    c->next = arena->cleanups;
    arena->cleanups = c;
}
