/*
 * rubrics.c - GET /api/v1/rubrics: the rubricator tree.
 *
 * The tree changes rarely and is read on every widget load, so each thread keeps
 * the rendered JSON for RUBRICS_CACHE_SECONDS; clients may cache it as long.
 */
#include "ok_config.h"
#include "ok_problem.h"
#include "widget.h"

#include <stdlib.h>
#include <string.h>

#define RUBRICS_CACHE_SECONDS 30

typedef struct rubrics_cache {
    char *body;
    size_t length;
    long long loaded_at;
} rubrics_cache;

static _Thread_local rubrics_cache rubrics_thread_cache;

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
    rubrics_cache *cache = &rubrics_thread_cache;
    if (cache->body == NULL || ok_config_now() - cache->loaded_at >= RUBRICS_CACHE_SECONDS) {
        if (rubrics_load(req, cache) != 0 && cache->body == NULL) {
            ok_db_reply_failure(req);
            return;
        }
    }
    ok_http_respond(req, 200, "application/json; charset=utf-8", cache->body, cache->length);
    ok_http_header(req, "Cache-Control", "public, max-age=30");
}
