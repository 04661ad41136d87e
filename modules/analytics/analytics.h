/*
 * analytics.h - the analytics worker: statistics of messages for a period and
 * a slice (sql/040's facts), and the staff's exports. Long reads with their
 * own statement_timeout (OTKLIK_ANALYTICS_STATEMENT_TIMEOUT_MS), apart from
 * intake and the cabinet.
 */
#ifndef ANALYTICS_H
#define ANALYTICS_H

#include "ok_db.h"
#include "ok_http.h"

extern const ok_db_statement analytics_statements[];
extern const size_t analytics_statement_count;

/* The statistics' parameters ($1..$7 of the statistics' statements): the
 * caller, the roles allowing analytics.read, the period's first and last
 * days, one organisation's id, territory ids and rubric ids (NULL: any). */
enum { SLICE_PARAMS = 7 };
typedef struct slice {
    const char *values[SLICE_PARAMS];
} slice;

/* slice.c: reads ?from=&to=&org=&territory=&rubric=&channel= for the caller
 * (who must hold analytics.read somewhere: 403). 0, or -1 having answered
 * 401, 403, 404 (an organisation not among the caller's) or 422. */
int slice_read_or_reply(ok_request *req, slice *out);

/* statistics.c */
void analytics_summary(ok_request *req);
void analytics_series(ok_request *req);
void analytics_orgs(ok_request *req);

/* heatmap.c: GET /api/v1/analytics/heatmap, GET /api/v1/public/heatmap */
void analytics_heatmap(ok_request *req);
void public_heatmap(ok_request *req);
void analytics_boundaries(ok_request *req); /* GET /api/v1/analytics/boundaries */
void public_map(ok_request *req);           /* GET /api/v1/public/map */

/* report.c: GET /api/v1/analytics/report.xlsx */
void analytics_report_xlsx(ok_request *req);

/* rating.c: GET /api/v1/rating, GET /api/v1/rating/{territory} */
void rating_list(ok_request *req);
void rating_territory(ok_request *req);

/* export.c: GET /api/v1/staff/messages.csv */
void export_messages_csv(ok_request *req);

#endif
