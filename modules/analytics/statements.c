/*
 * statements.c - every SQL statement of the analytics worker.
 *
 * The statistics read sql/040's facts (analytics_current: folded facts and
 * the deltas not yet folded), never the messages: $1 the caller, $2 the roles
 * allowing analytics.read, $3..$4 the period's first and last days, $5 one
 * organisation's id, $6 territory ids, $7 rubric ids (slice.c). Each comes
 * twice: for all rubrics (the facts' rubric 0; $7 is NULL) and for some
 * (statistics.c picks).
 */
#include "analytics.h"

/* clang-format off */

/* What the caller may see: the organisations where $1 holds one of the roles
 * $2, and, for the moderation organisations among them, their territory and
 * those below it (whatever organisation answers there). */
#define SCOPE                                                                                      \
    "roles AS (SELECT o.id, o.territory_id, o.is_moderation FROM staff_roles s"                    \
    "   JOIN organisations o ON o.id = s.organisation_id"                                          \
    "   WHERE s.user_id = $1 AND s.role = ANY ($2::text[])),"                                      \
    " covered AS (SELECT DISTINCT t.id FROM territories t JOIN roles r"                            \
    "   ON r.is_moderation AND territory_within(t.id, r.territory_id))"

/* Facts f of the scope and the slice; rubrics: ALL_RUBRICS or SOME_RUBRICS. */
#define SLICE(rubrics)                                                                             \
    "(f.organisation_id IN (SELECT id FROM roles WHERE NOT is_moderation)"                         \
    "   OR f.territory_id IN (SELECT id FROM covered))"                                            \
    " AND ($5::bigint IS NULL OR f.organisation_id = $5)"                                          \
    " AND ($6::bigint[] IS NULL OR f.territory_id = ANY ($6)) AND " rubrics
#define ALL_RUBRICS "f.rubric_id = 0 AND $7::bigint[] IS NULL"
#define SOME_RUBRICS "f.rubric_id = ANY ($7::bigint[])"

/* Facts f covering the days first..last (dates) once: the months wholly
 * inside from the monthly rows, the days around them from the daily ones
 * (sql/040). Three ranges of one index each, as UNION ALL (sql/042: one
 * condition with OR made the planner scan a bitmap of the table instead of
 * the covering index, three times slower); the conditions cond apply to
 * each. When first and last share a month, MONTHS_FROM is past last: no
 * month, and the second range of days is empty. */
#define MONTHS_FROM(first) "(date_trunc('month', (" first ") - 1) + interval '1 month')::date"
#define MONTHS_END(last) "date_trunc('month', (" last ") + 1)::date"
#define SPAN_ROWS_OF(table, first, last, cond)                                                     \
    "(SELECT * FROM " table " f WHERE f.span = 'm' AND f.day >= " MONTHS_FROM(first)               \
    "   AND f.day < " MONTHS_END(last) " AND " cond                                                \
    " UNION ALL SELECT * FROM " table " f WHERE f.span = 'd'"                                      \
    "   AND f.day >= " first " AND f.day < least(" MONTHS_FROM(first) ", " last " + 1)"            \
    "   AND " cond                                                                                 \
    " UNION ALL SELECT * FROM " table " f WHERE f.span = 'd'"                                      \
    "   AND f.day >= greatest(" first ", " MONTHS_FROM(first) ", " MONTHS_END(last) ")"            \
    "   AND f.day <= " last " AND " cond ") f"
#define SPAN_ROWS(first, last, cond) SPAN_ROWS_OF("analytics_current", first, last, cond)

/* The facts of the period $3..$4 (and the previous one of the same length). */
#define FACTS(rubrics)                                                                             \
    "f AS (SELECT f.organisation_id, f.measure, f.value, f.count"                                  \
    "   FROM " SPAN_ROWS("$3::date", "$4::date", SLICE(rubrics)) ")"

/* The areas (sql/047) a caller's figures sum when every role he holds is in
 * a moderation organisation and he names no organisation or territory: the
 * territories of those organisations that are not below another one's;
 * none otherwise (then the facts are read). */
#define AREAS                                                                                      \
    "areas AS (SELECT DISTINCT r.territory_id AS id FROM roles r WHERE r.is_moderation"            \
    "   AND NOT EXISTS (SELECT 1 FROM roles o WHERE o.is_moderation"                               \
    "     AND o.territory_id <> r.territory_id AND territory_within(r.territory_id, o.territory_id))"\
    "   AND $5::bigint IS NULL AND $6::bigint[] IS NULL"                                           \
    "   AND NOT EXISTS (SELECT 1 FROM roles WHERE NOT is_moderation))"
#define AREA_SLICE(rubrics) "f.territory_id IN (SELECT id FROM areas) AND " rubrics
#define NO_AREAS "NOT EXISTS (SELECT 1 FROM areas)"

/* FACTS, or the same from the areas when there are some (organisation 0). */
#define FACTS_OR_AREAS(rubrics)                                                                    \
    "f AS (SELECT f.organisation_id, f.measure, f.value, f.count"                                  \
    "   FROM " SPAN_ROWS("$3::date", "$4::date", SLICE(rubrics)) " WHERE " NO_AREAS               \
    " UNION ALL SELECT 0, f.measure, f.value, f.count FROM "                                       \
    SPAN_ROWS_OF("analytics_area_current", "$3::date", "$4::date", AREA_SLICE(rubrics)) ")"
#define PREVIOUS_FIRST "$3::date - ($4::date - $3::date + 1)"
#define PREVIOUS_LAST "$3::date - 1"

/* The hour (since the epoch) before which an open message's deadline has
 * passed: overdue is counted to the hour (sql/040: open_due). */
#define NOW_HOUR "floor(extract(epoch FROM otklik_now()) / 3600)"

/* A share, to four decimals; NULL with nothing to share. */
#define SHARE(part, whole)                                                                         \
    "CASE WHEN (" whole ") > 0 THEN round((" part ")::numeric / (" whole "), 4) END"

/* A measure's total in the period (from totals). */
#define TOTAL(measure) "coalesce((SELECT n FROM totals WHERE measure = '" measure "'), 0)"

#define OPEN_STATUSES                                                                              \
    "('status_moderation', 'status_registered', 'status_in_progress', 'status_approval',"          \
    " 'status_redirect_approval', 'status_returned')"

/* The received of each rubric (not 0) from first to last. */
#define RUBRICS_RECEIVED(first, last, rubrics)                                                     \
    "SELECT f.rubric_id, sum(f.count) AS n FROM "                                                  \
    SPAN_ROWS(first, last, "f.measure = 'received' AND f.rubric_id <> 0 AND " SLICE(rubrics))      \
    " GROUP BY 1"

#define SUMMARY_SQL(rubrics, rubric_trees)                                                         \
    "WITH " SCOPE "," AREAS "," FACTS_OR_AREAS(rubrics) ","                                        \
    " cur AS (SELECT measure, value, sum(count)::bigint AS n FROM f GROUP BY 1, 2),"               \
    " totals AS (SELECT measure, sum(n) AS n FROM cur GROUP BY 1),"                                \
    " overdue AS (SELECT coalesce(sum(n), 0) AS n FROM cur"                                        \
    "   WHERE measure = 'open_due' AND value < " NOW_HOUR "),"                                     \
    " tta AS (SELECT array_agg(value) AS v, array_agg(n) AS c, coalesce(sum(n), 0) AS n"           \
    "   FROM cur WHERE measure = 'tta'),"                                                          \
    " rated AS (SELECT array_agg(value) AS v, array_agg(n) AS c FROM cur WHERE measure = 'rating'),"\
    " now_r AS (" RUBRICS_RECEIVED("$3::date", "$4::date", rubric_trees) "),"                      \
    " before_r AS (" RUBRICS_RECEIVED(PREVIOUS_FIRST, PREVIOUS_LAST, rubric_trees) ")"             \
    " SELECT json_build_object('from', $3::date, 'to', $4::date,"                                  \
    " 'received', " TOTAL("received") ","                                                          \
    " 'by_status', (SELECT json_object_agg(s, coalesce((SELECT n FROM totals"                      \
    "   WHERE measure = 'status_' || s), 0) ORDER BY k) FROM unnest(ARRAY['moderation',"           \
    "   'registered', 'rejected', 'in_progress', 'approval', 'redirect_approval', 'answered',"     \
    "   'returned', 'closed']) WITH ORDINALITY AS x (s, k)),"                                      \
    " 'open', (SELECT coalesce(sum(n), 0) FROM totals WHERE measure IN " OPEN_STATUSES "),"        \
    " 'overdue', json_build_object('count', overdue.n,"                                            \
    "   'share', " SHARE("overdue.n", TOTAL("received")) "),"                                      \
    " 'accepted', " TOTAL("accepted") ", 'rejected', " TOTAL("rejected") ","                       \
    " 'redirected', " TOTAL("redirected") ", 'closed', " TOTAL("closed") ","                       \
    " 'answered', " TOTAL("answered") ", 'answered_on_time', " TOTAL("answered_on_time") ","       \
    " 'on_time_share', " SHARE(TOTAL("answered_on_time"), TOTAL("answered")) ","                   \
    " 'time_to_answer', json_build_object('answers', tta.n,"                                       \
    "   'median_minutes', analytics_percentile(tta.v, tta.c, 0.5),"                                \
    "   'p90_minutes', analytics_percentile(tta.v, tta.c, 0.9)),"                                  \
    " 'satisfaction', json_build_object('ratings', " TOTAL("rating") ","                           \
    "   'median', analytics_percentile(rated.v, rated.c, 0.5),"                                    \
    "   'distribution', (SELECT json_object_agg(score, coalesce((SELECT n FROM cur"                \
    "     WHERE measure = 'rating' AND value = score), 0) ORDER BY score)"                         \
    "     FROM generate_series(1, 5) score)),"                                                     \
    " 'reworks', " TOTAL("reworked") ","                                                           \
    " 'rework_rate', " SHARE(TOTAL("reworked"), TOTAL("answered")) ","                             \
    " 'top_rubrics', (SELECT coalesce(json_agg(json_build_object('rubric_id', r.id,"               \
    "   'title', r.title, 'received', c.now, 'previous', c.before, 'change', c.now - c.before,"    \
    "   'change_percent', CASE WHEN c.before > 0"                                                  \
    "     THEN round(100.0 * (c.now - c.before) / c.before, 1) END)"                               \
    "   ORDER BY c.now DESC, r.id), '[]') FROM (SELECT n.rubric_id, n.n AS now,"                   \
    "     coalesce(b.n, 0) AS before FROM now_r n LEFT JOIN before_r b USING (rubric_id)"          \
    "     WHERE n.n > 0 ORDER BY n.n DESC, n.rubric_id LIMIT 10) c"                                \
    "   JOIN rubrics r ON r.id = c.rubric_id))"                                                    \
    " FROM overdue, tta, rated"

/* Per day of the period: counts of what happened that day (and received:
 * sent that day), from the daily rows. */
#define DAY_SUM(measure) "coalesce(sum(count) FILTER (WHERE measure = '" measure "'), 0)"
#define SERIES_ROWS(table, cond)                                                                   \
    "SELECT f.day, f.measure, f.count FROM " table " f WHERE f.span = 'd'"                         \
    "   AND f.day BETWEEN $3::date AND $4::date"                                                   \
    "   AND f.measure IN ('received', 'accepted', 'rejected', 'answered', 'answered_on_time',"     \
    "     'reworked', 'closed', 'rating') AND " cond
#define SERIES_SQL(rubrics)                                                                        \
    "WITH " SCOPE "," AREAS ","                                                                    \
    " d AS (SELECT f.day, " DAY_SUM("received") " AS received, " DAY_SUM("accepted") " AS accepted," \
    "   " DAY_SUM("rejected") " AS rejected, " DAY_SUM("answered") " AS answered,"                 \
    "   " DAY_SUM("answered_on_time") " AS answered_on_time, " DAY_SUM("reworked") " AS reworked," \
    "   " DAY_SUM("closed") " AS closed, " DAY_SUM("rating") " AS ratings"                         \
    "   FROM (" SERIES_ROWS("analytics_current", SLICE(rubrics) " AND " NO_AREAS)                   \
    "   UNION ALL " SERIES_ROWS("analytics_area_current", AREA_SLICE(rubrics)) ") f"               \
    "   GROUP BY f.day)"                                                                           \
    " SELECT json_build_object('from', $3::date, 'to', $4::date,"                                  \
    " 'days', json_agg(json_build_object('day', g.day::date,"                                      \
    "   'received', coalesce(d.received, 0), 'accepted', coalesce(d.accepted, 0),"                 \
    "   'rejected', coalesce(d.rejected, 0), 'answered', coalesce(d.answered, 0),"                 \
    "   'answered_on_time', coalesce(d.answered_on_time, 0),"                                      \
    "   'reworked', coalesce(d.reworked, 0), 'closed', coalesce(d.closed, 0),"                     \
    "   'ratings', coalesce(d.ratings, 0)) ORDER BY g.day))"                                       \
    " FROM generate_series($3::date, $4::date, interval '1 day') g (day)"                          \
    " LEFT JOIN d ON d.day = g.day::date"

/* Per organisation (routed messages only), the most overdue first. */
#define ORG_ARRAY(measure, column) "array_agg(" column ") FILTER (WHERE measure = '" measure "')"
#define ORGS_SQL(rubrics)                                                                          \
    "WITH " SCOPE "," FACTS(rubrics) ","                                                           \
    " o AS (SELECT organisation_id, " DAY_SUM("received") " AS received,"                          \
    "   coalesce(sum(count) FILTER (WHERE measure IN " OPEN_STATUSES "), 0) AS open,"              \
    "   coalesce(sum(count) FILTER (WHERE measure = 'open_due' AND value < " NOW_HOUR "), 0)"      \
    "     AS overdue,"                                                                             \
    "   " DAY_SUM("answered") " AS answered, " DAY_SUM("answered_on_time") " AS on_time,"          \
    "   " DAY_SUM("reworked") " AS reworked, " DAY_SUM("rating") " AS ratings,"                    \
    "   analytics_percentile(" ORG_ARRAY("tta", "value") ", " ORG_ARRAY("tta", "count") ", 0.5)"   \
    "     AS median_minutes,"                                                                      \
    "   analytics_percentile(" ORG_ARRAY("tta", "value") ", " ORG_ARRAY("tta", "count") ", 0.9)"   \
    "     AS p90_minutes,"                                                                         \
    "   analytics_percentile(" ORG_ARRAY("rating", "value") ", " ORG_ARRAY("rating", "count")      \
    "     , 0.5) AS rating_median"                                                                \
    "   FROM (SELECT organisation_id, measure, value, sum(count)::bigint AS count FROM f"            \
    "     WHERE organisation_id <> 0 GROUP BY 1, 2, 3) f GROUP BY 1)"                              \
    " SELECT json_build_object('from', $3::date, 'to', $4::date,"                                  \
    " 'items', coalesce(json_agg(json_build_object('org', g.code, 'name', g.name,"                 \
    "   'received', o.received, 'open', o.open, 'overdue', o.overdue,"                             \
    "   'overdue_share', " SHARE("o.overdue", "o.received") ","                                    \
    "   'answered', o.answered, 'answered_on_time', o.on_time,"                                    \
    "   'on_time_share', " SHARE("o.on_time", "o.answered") ","                                    \
    "   'median_minutes', o.median_minutes, 'p90_minutes', o.p90_minutes,"                        \
    "   'ratings', o.ratings, 'rating_median', o.rating_median,"                                   \
    "   'reworks', o.reworked, 'rework_rate', " SHARE("o.reworked", "o.answered") ")"              \
    "   ORDER BY o.overdue DESC, g.code), '[]'))"                                                  \
    " FROM o JOIN organisations g ON g.id = o.organisation_id"

/* The heat maps (heatmap.c): messages f with a location inside the box
 * west, south, east, north (parameters w..n, through sql/043's index),
 * counted in square cells of size c (degrees) as a GeoJSON
 * FeatureCollection. ST_SnapToGrid to the cells' centres (a grid of size c
 * offset by half a cell), each cell drawn as the square around it. */
#define HEATMAP_POINT "otklik_message_point(f.longitude, f.latitude)"
#define HEATMAP_CELLS(w, s, e, n, c, cond, having)                                                 \
    "cells AS (SELECT ST_SnapToGrid(" HEATMAP_POINT ", " c "::float8 / 2, " c "::float8 / 2, "     \
    c "::float8, " c "::float8) AS centre, count(*) AS n FROM messages f"                         \
    " WHERE f.latitude IS NOT NULL AND f.longitude IS NOT NULL AND " HEATMAP_POINT                 \
    "   && ST_MakeEnvelope(" w ", " s ", " e ", " n ", 4326) AND " cond                            \
    " GROUP BY 1" having ")"                                                                        \
    " SELECT json_build_object('type', 'FeatureCollection', 'cell_degrees', " c "::float8,"        \
    " 'features', coalesce(json_agg(json_build_object('type', 'Feature',"                          \
    "   'geometry', ST_AsGeoJSON(ST_Expand(centre, " c "::float8 / 2), 7)::json,"                  \
    "   'properties', json_build_object('count', n))"                                              \
    "   ORDER BY ST_Y(centre), ST_X(centre)), '[]'))"                                              \
    " FROM cells"

/* Staff: the messages of the slice (SLICE over messages as f), created in
 * the period $3..$4; the box $8..$11, the cell $12. */
#define HEATMAP_STAFF_SQL                                                                          \
    "WITH " SCOPE ","                                                                              \
    HEATMAP_CELLS("$8::float8", "$9::float8", "$10::float8", "$11::float8", "$12",                 \
                  "analytics_day(f.created_at) BETWEEN $3::date AND $4::date AND "                 \
                  SLICE("($7::bigint[] IS NULL OR f.rubric_id = ANY ($7::bigint[]))"), "")

/* Anyone: published messages (past moderation, not rejected) of the rubric
 * tree $6 and the status $7 if given; the box $1..$4, the cell $5; no cell
 * of fewer than 3 messages. */
#define HEATMAP_PUBLIC_SQL                                                                         \
    "WITH " HEATMAP_CELLS("$1::float8", "$2::float8", "$3::float8", "$4::float8", "$5",            \
                          "f.status NOT IN ('moderation', 'rejected')"                             \
                          " AND ($6::bigint[] IS NULL OR f.rubric_id = ANY ($6::bigint[]))"        \
                          " AND ($7::text IS NULL OR f.status = $7)",                              \
                          " HAVING count(*) >= 3")

/* The heat maps from sql/046's cells counted in advance, at level l (cells
 * of size c = 45 / 2^l degrees, numbered floor(degree / c)): the cells
 * meeting the box w, s, e, n of the rows f of table (with level, ix, iy,
 * count) matching cond, as HEATMAP_CELLS answers them (whole cells). */
#define CELL_RANGE(w, e, l) "f.ix BETWEEN heatmap_index(" w ", " l ") AND heatmap_index(" e ", " l ")"
#define CELLS_IN_BOX(w, s, e, n, l)                                                                \
    "f.level = " l " AND " CELL_RANGE(w, e, l) " AND f.iy BETWEEN heatmap_index(" s ", " l ")"     \
    " AND heatmap_index(" n ", " l ")"
#define HEATMAP_COUNTED(rows, c, having)                                                           \
    "cells AS (SELECT f.ix, f.iy, sum(f.count) AS n FROM " rows " GROUP BY 1, 2 " having ")"        \
    " SELECT json_build_object('type', 'FeatureCollection', 'cell_degrees', " c "::float8,"        \
    " 'features', coalesce(json_agg(json_build_object('type', 'Feature',"                          \
    "   'geometry', ST_AsGeoJSON(ST_MakeEnvelope(ix * " c "::float8, iy * " c "::float8,"           \
    "     (ix + 1) * " c "::float8, (iy + 1) * " c "::float8, 4326), 7)::json,"                    \
    "   'properties', json_build_object('count', n)) ORDER BY iy, ix), '[]'))"                     \
    " FROM cells"

/* Staff, all rubrics ($7 NULL), at level $13: the period's months and days,
 * from the areas' cells (sql/046: heatmap_area_cells) when AREAS has some. */
#define STAFF_BOX CELLS_IN_BOX("$8::float8", "$9::float8", "$10::float8", "$11::float8", "$13::integer")
#define HEATMAP_STAFF_CELLS_SQL                                                                    \
    "WITH " SCOPE "," AREAS ","                                                                    \
    HEATMAP_COUNTED("(SELECT f.ix, f.iy, f.count FROM "                                            \
                    SPAN_ROWS_OF("heatmap_staff_current", "$3::date", "$4::date",                  \
                                 STAFF_BOX " AND " SLICE("$7::bigint[] IS NULL"))                  \
                    " WHERE " NO_AREAS " UNION ALL SELECT f.ix, f.iy, f.count FROM "               \
                    SPAN_ROWS_OF("heatmap_area_current", "$3::date", "$4::date",                   \
                                 STAFF_BOX " AND f.territory_id IN (SELECT id FROM areas)") ") f", \
                    "$12", "HAVING sum(f.count) > 0")

/* Anyone, at level $8: the rubric tree $6 (or all rubrics: 0) and the
 * status $7 (or every published one: ''); no cell of fewer than 3. */
#define HEATMAP_PUBLIC_CELLS_SQL                                                                   \
    "WITH " HEATMAP_COUNTED("heatmap_public_current f WHERE "                                      \
                            CELLS_IN_BOX("$1::float8", "$2::float8", "$3::float8", "$4::float8",   \
                                         "$8::integer")                                            \
                            " AND f.status = coalesce($7::text, '')"                               \
                            " AND CASE WHEN $6::bigint[] IS NULL THEN f.rubric_id = 0"             \
                            "   ELSE f.rubric_id = ANY ($6::bigint[]) END", "$5",                 \
                            "HAVING sum(f.count) >= 3")

/* The boundaries the caller's map draws (heatmap.c): of the territories
 * his organisations are in and those the moderation ones cover, as a
 * GeoJSON FeatureCollection with their codes and names. */
#define BOUNDARIES_SQL                                                                             \
    "WITH " SCOPE " SELECT json_build_object('type', 'FeatureCollection',"                        \
    " 'features', coalesce(json_agg(json_build_object('type', 'Feature',"                          \
    "   'geometry', ST_AsGeoJSON(t.boundary, 6)::json,"                                            \
    "   'properties', json_build_object('code', t.code, 'name', t.name)) ORDER BY t.code), '[]'))" \
    " FROM territories t WHERE t.boundary IS NOT NULL"                                              \
    "   AND (t.id IN (SELECT id FROM covered) OR t.id IN (SELECT territory_id FROM roles))"

/* The staff list's messages as CSV (export.c), for the settings
 * otklik.export (a JSON object, export_settings): the caller's organisations
 * where he holds one of the roles (and the moderation queues of the
 * territories the moderation ones among them cover), as the staff list
 * (modules/cabinet) reads them, with its filters; newest first. Every text
 * cell goes through otklik_csv_cell (sql/041). */
static const char export_copy_sql[] =
    "COPY (WITH p AS (SELECT current_setting('otklik.export')::jsonb AS j),"
    " x AS (SELECT (j->>'user')::bigint AS user_id, (j->>'roles')::text[] AS roles,"
    "   (j->>'org')::bigint AS org, j->>'status' AS status,"
    "   coalesce((j->>'overdue')::boolean, false) AS overdue,"
    "   coalesce((j->>'mine')::boolean, false) AS mine, j->>'q' AS q,"
    "   (j->>'rubric_ids')::bigint[] AS rubric_ids,"
    "   (j->>'territory_ids')::bigint[] AS territory_ids,"
    "   (j->>'due_within_days')::integer AS due_days, (j->>'from')::timestamptz AS t_from,"
    "   (j->>'to')::timestamptz AS t_to, (j->>'assignee')::bigint AS assignee FROM p),"
    " scope AS (SELECT DISTINCT s.organisation_id FROM staff_roles s, x"
    "   WHERE s.user_id = x.user_id AND s.role = ANY (x.roles)"
    "     AND (x.org IS NULL OR s.organisation_id = x.org)),"
    " queue AS (SELECT DISTINCT t.id FROM territories t JOIN organisations o"
    "   ON o.id IN (SELECT organisation_id FROM scope) AND o.is_moderation"
    "   WHERE territory_within(t.id, o.territory_id))"
    " SELECT m.id, otklik_rfc3339(m.created_at) AS created_at, m.status,"
    "  o.code AS organisation, otklik_csv_cell(r.title) AS rubric,"
    "  otklik_csv_cell(t.name) AS territory, otklik_csv_cell(m.address) AS address,"
    "  otklik_csv_cell(m.text) AS text, otklik_rfc3339(m.due_at) AS due_at,"
    "  coalesce(m.status NOT IN ('answered', 'closed', 'rejected') AND m.due_at < otklik_now(),"
    "   false) AS overdue,"
    "  otklik_rfc3339(m.answered_at) AS answered_at,"
    "  (SELECT score FROM message_ratings g WHERE g.message_id = m.id"
    "    AND g.answer_round = m.answer_round) AS rating"
    " FROM x, messages m LEFT JOIN organisations o ON o.id = m.organisation_id"
    " JOIN rubrics r ON r.id = m.rubric_id JOIN territories t ON t.id = m.territory_id"
    " WHERE (m.organisation_id IN (SELECT organisation_id FROM scope)"
    "     OR (m.status = 'moderation' AND m.territory_id IN (SELECT id FROM queue)"
    "       AND NOT x.mine AND NOT x.overdue AND x.due_days IS NULL AND x.assignee IS NULL))"
    "  AND (x.status IS NULL OR m.status = x.status)"
    "  AND (NOT x.mine OR m.assignee_id = x.user_id)"
    "  AND (NOT x.overdue OR (m.status NOT IN ('answered', 'closed', 'rejected')"
    "    AND m.due_at < otklik_now()))"
    "  AND (x.q IS NULL OR m.search @@ websearch_to_tsquery('russian', x.q))"
    "  AND (x.rubric_ids IS NULL OR m.rubric_id = ANY (x.rubric_ids))"
    "  AND (x.territory_ids IS NULL OR m.territory_id = ANY (x.territory_ids))"
    "  AND (x.t_from IS NULL OR m.created_at >= x.t_from)"
    "  AND (x.t_to IS NULL OR m.created_at < x.t_to)"
    "  AND (x.assignee IS NULL OR m.assignee_id = x.assignee)"
    "  AND (x.due_days IS NULL OR (m.status NOT IN ('answered', 'closed', 'rejected')"
    "    AND m.due_at >= otklik_now() AND m.due_at < otklik_now() + make_interval(days =>"
    "    x.due_days)))"
    " ORDER BY m.id DESC) TO STDOUT WITH (FORMAT csv, HEADER)";

/* The region rating (rating.c, sql/045) of the month $1 (its first day):
 * a territory's score, rank and their change since the month before (s:
 * rating_scores of the month, p: of the month before). */
#define RATING_PREVIOUS "($1::date - interval '1 month')::date"
#define RATING_SCORE_FIELDS                                                                        \
    "'score', s.score, 'rank', s.rank, 'peers', s.peers, 'measured', s.measured,"                 \
    " 'previous_score', p.score, 'previous_rank', p.rank,"                                         \
    " 'score_change', round((s.score - p.score)::numeric, 2), 'rank_change', p.rank - s.rank"
#define RATING_PERIODS                                                                             \
    "'period', to_char($1::date, 'YYYY-MM'), 'previous', to_char(" RATING_PREVIOUS ", 'YYYY-MM')"

/* $2 kind or NULL, $3 a region's code or NULL: regions first, then each
 * region's municipalities by rank. */
#define RATING_LIST_SQL                                                                            \
    "WITH r AS (SELECT t.id, t.code, t.name, t.kind, g.code AS region FROM territories t"           \
    "   LEFT JOIN territories g ON g.id = t.parent_id AND t.kind = 'municipality'"                 \
    "   WHERE t.kind IN ('region', 'municipality') AND ($2::text IS NULL OR t.kind = $2)"           \
    "   AND ($3::text IS NULL OR t.code = $3 OR g.code = $3))"                                    \
    " SELECT json_build_object(" RATING_PERIODS ","                                                \
    " 'computed_at', (SELECT otklik_rfc3339(max(computed_at)) FROM rating_scores"                 \
    "   WHERE period = $1::date),"                                                                 \
    " 'indicators', (SELECT json_agg(json_build_object('key', key, 'better', better)"             \
    "   ORDER BY position) FROM rating_indicators),"                                               \
    " 'items', coalesce((SELECT json_agg(json_build_object('territory', r.code, 'name', r.name,"   \
    "   'kind', r.kind, 'region', r.region, " RATING_SCORE_FIELDS ")"                              \
    "   ORDER BY r.kind = 'municipality', r.region, s.rank, r.code)"                               \
    "   FROM r JOIN rating_scores s ON s.period = $1::date AND s.territory_id = r.id"             \
    "   LEFT JOIN rating_scores p ON p.period = " RATING_PREVIOUS " AND p.territory_id = r.id),"    \
    "   '[]'))"

/* $2 the territory's code; no row when it is not a region or municipality.
 * Values and changes to four decimals. */
#define RATING_ROUND(x) "round((" x ")::numeric, 4)"
#define RATING_TERRITORY_SQL                                                                       \
    "SELECT json_build_object('territory', t.code, 'name', t.name, 'kind', t.kind,"                \
    " 'population', t.population, " RATING_PERIODS ","                                             \
    " 'computed_at', otklik_rfc3339(s.computed_at), " RATING_SCORE_FIELDS ","                      \
    " 'indicators', (SELECT json_agg(json_build_object('key', i.key, 'better', i.better,"          \
    "   'value', " RATING_ROUND("v.value") ", 'score', " RATING_ROUND("v.score") ","               \
    "   'previous_value', " RATING_ROUND("w.value") ","                                            \
    "   'change', " RATING_ROUND("v.value - w.value") ") ORDER BY i.position)"                     \
    "   FROM rating_indicators i"                                                                  \
    "   LEFT JOIN rating_values v ON v.period = $1::date AND v.territory_id = t.id"                \
    "     AND v.indicator = i.key"                                                                 \
    "   LEFT JOIN rating_values w ON w.period = " RATING_PREVIOUS " AND w.territory_id = t.id"     \
    "     AND w.indicator = i.key))"                                                               \
    " FROM territories t"                                                                          \
    " LEFT JOIN rating_scores s ON s.period = $1::date AND s.territory_id = t.id"                 \
    " LEFT JOIN rating_scores p ON p.period = " RATING_PREVIOUS " AND p.territory_id = t.id"       \
    " WHERE t.code = $2 AND t.kind IN ('region', 'municipality')"

/* clang-format on */

const ok_db_statement analytics_statements[] = {
    /* The organisation with code $3 if the caller may see its figures. */
    {"analytics_org", "WITH " SCOPE " SELECT o.id FROM organisations o WHERE o.code = $3"
                      " AND (o.id IN (SELECT id FROM roles)"
                      "   OR o.territory_id IN (SELECT id FROM covered))"},
    /* Planned for their values: the slice picks the index (a range of days
     * of every organisation, or one organisation's). For all rubrics, and
     * for some ($7): the top rubrics then among them. */
    /* generic: its planning (~10 ms) cost more than a custom plan saved */
    {"analytics_summary", SUMMARY_SQL(ALL_RUBRICS, "$7::bigint[] IS NULL"), OK_DB_PLAN_GENERIC},
    {"analytics_summary_rubrics", SUMMARY_SQL(SOME_RUBRICS, SOME_RUBRICS), OK_DB_PLAN_CUSTOM},
    {"analytics_series", SERIES_SQL(ALL_RUBRICS), OK_DB_PLAN_CUSTOM},
    {"analytics_series_rubrics", SERIES_SQL(SOME_RUBRICS), OK_DB_PLAN_CUSTOM},
    {"analytics_orgs", ORGS_SQL(ALL_RUBRICS), OK_DB_PLAN_CUSTOM},
    {"analytics_orgs_rubrics", ORGS_SQL(SOME_RUBRICS), OK_DB_PLAN_CUSTOM},
    /* heatmap.c */
    {"analytics_heatmap", HEATMAP_STAFF_SQL, OK_DB_PLAN_CUSTOM},
    {"public_heatmap", HEATMAP_PUBLIC_SQL, OK_DB_PLAN_CUSTOM},
    {"analytics_heatmap_cells", HEATMAP_STAFF_CELLS_SQL, OK_DB_PLAN_CUSTOM},
    {"public_heatmap_cells", HEATMAP_PUBLIC_CELLS_SQL, OK_DB_PLAN_CUSTOM},
    {"analytics_boundaries", BOUNDARIES_SQL},
    /* rating.c */
    {"rating_list", RATING_LIST_SQL},
    {"rating_territory", RATING_TERRITORY_SQL},
    /* export.c: the export's parameters, for this transaction only, then the
     * COPY (run as it is, never prepared) */
    {"export_settings", "SELECT set_config('otklik.export', $1, true)"},
    {"export_messages_csv", export_copy_sql},
};
const size_t analytics_statement_count =
    sizeof(analytics_statements) / sizeof(analytics_statements[0]);
