/*
 * ok_arena.h - per-request memory.
 *
 * Every request gets one arena; everything a handler allocates comes from it and
 * is released at once when the request ends (ok_arena_reset). Non-memory
 * resources (PGresult, json_t, ...) are registered as cleanups and released at
 * the same moment, so no handler ever calls free() by hand.
 *
 * Allocation never returns NULL: on exhaustion the process aborts, as h2o does.
 * Building with -DOK_ARENA_MALLOC sends every allocation to malloc so that
 * AddressSanitizer sees each overrun.
 */
#ifndef OK_ARENA_H
#define OK_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct ok_arena ok_arena;
typedef void ok_arena_cleanup_fn(void *object);

/* Creates an empty arena; free it with ok_arena_free. */
ok_arena *ok_arena_new(void);
/* Runs the cleanups (last registered first) and releases all memory. */
void ok_arena_free(ok_arena *arena);
/* Runs the cleanups and forgets all allocations, keeping the first block. */
void ok_arena_reset(ok_arena *arena);

/* Returns size bytes aligned for any type, owned by the arena. */
void *ok_arena_alloc(ok_arena *arena, size_t size);
/* Like ok_arena_alloc, zero-filled. */
void *ok_arena_calloc(ok_arena *arena, size_t count, size_t size);
/* Copies a NUL-terminated string (NULL stays NULL). */
char *ok_arena_strdup(ok_arena *arena, const char *s);
/* Copies length bytes and appends a NUL. */
char *ok_arena_strndup(ok_arena *arena, const char *s, size_t length);
/* vprintf into arena memory (ap is left for the caller's va_end). */
char *ok_arena_vprintf(ok_arena *arena, const char *format, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* printf into arena memory. */
char *ok_arena_printf(ok_arena *arena, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
/* Calls fn(object) when the arena is reset or freed. */
void ok_arena_cleanup_add(ok_arena *arena, ok_arena_cleanup_fn *fn, void *object);

#endif
