/*
 * ok_page.h - keyset-paginated lists: ?limit=N&cursor=C -> {"items": [...],
 * "next_cursor": C|null}. A cursor is the id of the last item of the page.
 */
#ifndef OK_PAGE_H
#define OK_PAGE_H

#include "ok_db.h"

/* ?limit= (1..max, fallback when absent) and ?cursor= (a positive id, 0 when
 * absent); -1 after answering 400. */
int ok_page_or_reply(ok_request *req, long fallback, long max, long *limit, long long *cursor);

/* Answers 200 {items, next_cursor} from rows of (item JSON text, id); there is
 * a next page when the page is full. */
void ok_page_reply(ok_request *req, PGresult *rows, long limit);

/* ok_page_reply with more members after next_cursor: members is JSON text
 * such as "\"unread\":3" (NULL: none). */
void ok_page_reply_with(ok_request *req, PGresult *rows, long limit, const char *members);

#endif
