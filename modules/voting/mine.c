/*
 * mine.c - the citizen's own participation for the personal cabinet: ballots,
 * poll responses, and discussion comments in every status (moderation,
 * published, rejected with the reason's code and title). Keyset-paged, newest
 * first: ballots and responses by their voting's or poll's id, comments by id.
 */
#include "ok_auth.h"
#include "ok_page.h"
#include "voting.h"

/* Answers one page of statement ($1 the caller, $2 cursor, $3 limit). */
static void mine_reply(ok_request *req, const char *statement)
{
    long limit;
    long long cursor;
    if (ok_auth_require_user(req) != 0 || ok_page_or_reply(req, 20, 100, &limit, &cursor) != 0)
        return;
    const char *params[] = {ok_arena_printf(req->arena, "%lld", req->user->id),
                            ok_arena_printf(req->arena, "%lld", cursor),
                            ok_arena_printf(req->arena, "%ld", limit)};
    PGresult *rows = ok_db_query(req, statement, 3, params);
    if (rows == NULL) {
        ok_db_reply_failure(req);
        return;
    }
    ok_page_reply(req, rows, limit);
}

void my_ballots(ok_request *req)
{
    mine_reply(req, "my_ballots");
}

void my_poll_responses(ok_request *req)
{
    mine_reply(req, "my_poll_responses");
}

void my_comments(ok_request *req)
{
    mine_reply(req, "my_comments");
}
