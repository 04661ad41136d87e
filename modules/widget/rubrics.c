/*
 * rubrics.c - GET /api/v1/rubrics: the rubricator tree.
 *
 * The tree changes rarely and is read on every widget load, so each thread keeps
 * the rendered JSON for RUBRICS_CACHE_SECONDS; clients may cache it as long.
 */
#include "ok_config.h"
#include "ok_problem.h"
#include "widget.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define RUBRICS_CACHE_SECONDS 30

typedef struct rubrics_cache {
    char *body;
    size_t length;
    long long loaded_at;
} rubrics_cache;

static pthread_key_t rubrics_cache_key;
static pthread_once_t rubrics_cache_once = PTHREAD_ONCE_INIT;

static void rubrics_cache_free(void *cache)
{
    free(((rubrics_cache *)cache)->body);
    free(cache);
}

static void rubrics_cache_key_create(void)
{
    pthread_key_create(&rubrics_cache_key, rubrics_cache_free);
}

/* This thread's cache, freed when the thread ends; NULL if out of memory. */
static rubrics_cache *rubrics_thread_cache(void)
{
    pthread_once(&rubrics_cache_once, rubrics_cache_key_create);
    rubrics_cache *cache = pthread_getspecific(rubrics_cache_key);
    if (cache == NULL) {
        cache = calloc(1, sizeof(*cache));
        if (cache != NULL)
            pthread_setspecific(rubrics_cache_key, cache);
    }
    return cache;
}

static int rubrics_load(ok_request *req, rubrics_cache *cache)
{
    const char *all[] = {"{}"};
    PGresult *result = ok_db_query(req, "rubrics_tree", 1, all);
    if (result == NULL)
        return -1;
    char *body = ok_arena_printf(req->arena, "{\"items\":%s,\"next_cursor\":null}",
                                 PQgetvalue(result, 0, 0));
    char *copy = strdup(body);
    if (copy == NULL)
        return -1;
    free(cache->body);
    cache->body = copy;
    cache->length = strlen(copy);
    cache->loaded_at = ok_config_now();
    return 0;
}

void rubrics_list(ok_request *req)
{
    rubrics_cache *cache = rubrics_thread_cache();
    if (cache == NULL) {
        ok_problem(req, 503, "The server is out of memory; please try again shortly.");
        return;
    }
    if (cache->body == NULL || ok_config_now() - cache->loaded_at >= RUBRICS_CACHE_SECONDS) {
        if (rubrics_load(req, cache) != 0 && cache->body == NULL) {
            ok_db_reply_failure(req);
            return;
        }
    }
    ok_http_respond(req, 200, "application/json; charset=utf-8", cache->body, cache->length);
    ok_http_header(req, "Cache-Control", "public, max-age=30");
}
