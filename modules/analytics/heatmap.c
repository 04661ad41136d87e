/*
 * heatmap.c - GET /api/v1/analytics/heatmap (staff: the messages they may
 * see, with the statistics' slice: slice.c) and GET /api/v1/public/heatmap
 * (anyone: published messages, ?rubric= and ?status= only; a cell of fewer
 * than 3 messages is left out: statements.c): the messages with a
 * location inside ?bbox=west,south,east,north (degrees, WGS 84) counted in
 * square cells, as a GeoJSON FeatureCollection: summed from the cells
 * sql/046 counts in advance down to HEATMAP_COUNTED_LEVEL (staff: without
 * ?rubric=), else counted by PostGIS from the messages (statements.c:
 * HEATMAP).
 *
 * A cell is an eighth of a web map tile's width at ?zoom= (0..20; about 32
 * pixels), in degrees both ways; when the box would hold more than
 * HEATMAP_MAX_CELLS of them, the cell is doubled until it holds fewer (the
 * answer says which: cell_degrees), so a whole country at street zoom costs
 * no more than at its own zoom. GET /api/v1/analytics/boundaries gives the
 * staff's map the territories' boundaries to draw under the cells, and GET
 * /api/v1/public/map the maps' tile layer (OTKLIK_MAP_TILES_URL; null: none).
 */
#include "analytics.h"
#include "ok_config.h"
#include "ok_filters.h"
#include "ok_problem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* HEATMAP_COUNTED_LEVEL: the finest level whose cells sql/046 counts in
 * advance (heatmap_top_level()); a finer one is counted from the messages. */
enum { HEATMAP_MAX_CELLS = 4096, HEATMAP_MAX_ZOOM = 20, HEATMAP_COUNTED_LEVEL = 15 };

/* cell: its size in degrees, 45 / 2^level. */
typedef struct heatmap_box {
    double west, south, east, north, cell;
    int level;
} heatmap_box;

/* One of bbox's four numbers, finite, from *text; advances past a comma. */
static int heatmap_number(const char **text, double *out, int last)
{
    char *end;
    *out = strtod(*text, &end);
    if (end == *text || !isfinite(*out) || (last ? *end != '\0' : *end != ','))
        return -1;
    *text = end + (last ? 0 : 1);
    return 0;
}

static int heatmap_parse_box(const char *text, heatmap_box *box)
{
    if (text == NULL || strlen(text) > 128 || heatmap_number(&text, &box->west, 0) != 0 ||
        heatmap_number(&text, &box->south, 0) != 0 || heatmap_number(&text, &box->east, 0) != 0 ||
        heatmap_number(&text, &box->north, 1) != 0)
        return -1;
    if (box->west < -180 || box->east > 180 || box->south < -90 || box->north > 90 ||
        box->west >= box->east || box->south >= box->north)
        return -1;
    return 0;
}

static int heatmap_parse_zoom(const char *text, long *zoom)
{
    char *end;
    if (text == NULL || text[0] == '\0' || strlen(text) > 2)
        return -1;
    *zoom = strtol(text, &end, 10);
    return *end == '\0' && *zoom >= 0 && *zoom <= HEATMAP_MAX_ZOOM ? 0 : -1;
}

/* The cell's level: zoom's, made coarser while the box holds too many. */
static void heatmap_cell(heatmap_box *box, long zoom)
{
    box->level = (int)zoom;
    box->cell = 360.0 / ldexp(1.0, (int)zoom) / 8.0;
    while (ceil((box->east - box->west) / box->cell) * ceil((box->north - box->south) / box->cell) >
           HEATMAP_MAX_CELLS) {
        box->cell *= 2;
        box->level--;
    }
}

/* ?bbox= and ?zoom= into box; -1 having answered 422. */
static int heatmap_box_or_reply(ok_request *req, heatmap_box *box)
{
    long zoom = 0;
    json_t *errors = json_array();
    if (heatmap_parse_box(ok_http_query(req, "bbox"), box) != 0)
        json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "bbox", "code", "type"));
    if (heatmap_parse_zoom(ok_http_query(req, "zoom"), &zoom) != 0)
        json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "zoom", "code", "type"));
    if (json_array_size(errors) > 0) {
        ok_problem_validation_new(req, errors);
        return -1;
    }
    json_decref(errors);
    heatmap_cell(box, zoom);
    return 0;
}

/* The box's five parameters as text, from values[0]. */
static void heatmap_box_values(ok_request *req, const heatmap_box *box, const char **values)
{
    const double numbers[] = {box->west, box->south, box->east, box->north, box->cell};
    for (int i = 0; i < 5; i++)
        values[i] = ok_arena_printf(req->arena, "%.17g", numbers[i]);
}

void analytics_heatmap(ok_request *req)
{
    slice s;
    heatmap_box box;
    if (slice_read_or_reply(req, &s) != 0 || heatmap_box_or_reply(req, &box) != 0)
        return;
    const char *values[SLICE_PARAMS + 6];
    memcpy(values, s.values, sizeof(s.values));
    heatmap_box_values(req, &box, values + SLICE_PARAMS);
    values[SLICE_PARAMS + 5] = ok_arena_printf(req->arena, "%d", box.level);
    /* the cells are counted for all rubrics together */
    if (box.level <= HEATMAP_COUNTED_LEVEL && s.values[6] == NULL)
        ok_db_reply_json(req, "analytics_heatmap_cells", SLICE_PARAMS + 6, values);
    else
        ok_db_reply_json(req, "analytics_heatmap", SLICE_PARAMS + 5, values);
}

/* GET /api/v1/analytics/boundaries: the territories' boundaries the
 * caller's heat map is drawn over when there are no map tiles. */
void analytics_boundaries(ok_request *req)
{
    slice s;
    if (slice_read_or_reply(req, &s) == 0)
        ok_db_reply_json(req, "analytics_boundaries", 2, s.values);
}

/* ?rubric= (an id: its tree) and ?status= (a published one) for the public. */
static int heatmap_public_filters_or_reply(ok_request *req, const char **rubric_ids,
                                           const char **status)
{
    ok_filters names = {0};
    names.rubric = ok_http_query(req, "rubric");
    *rubric_ids = NULL;
    if (ok_filters_status_or_reply(req, status) != 0)
        return -1;
    if (*status != NULL &&
        (strcmp(*status, "moderation") == 0 || strcmp(*status, "rejected") == 0)) {
        ok_problem(req, 400, "The public heat map shows published messages only.");
        return -1;
    }
    if (names.rubric != NULL && (names.rubric[0] == '\0' || strlen(names.rubric) > 18 ||
                                 strspn(names.rubric, "0123456789") != strlen(names.rubric))) {
        ok_problem_field(req, "rubric", "type", "rubric must be a rubric's id.");
        return -1;
    }
    if (names.rubric != NULL && ok_filters_lookup_or_reply(req, &names) != 0)
        return -1;
    *rubric_ids = names.rubric_ids;
    return 0;
}

void public_heatmap(ok_request *req)
{
    heatmap_box box;
    const char *values[8];
    if (heatmap_box_or_reply(req, &box) != 0 ||
        heatmap_public_filters_or_reply(req, &values[5], &values[6]) != 0)
        return;
    heatmap_box_values(req, &box, values);
    values[7] = ok_arena_printf(req->arena, "%d", box.level);
    if (box.level <= HEATMAP_COUNTED_LEVEL)
        ok_db_reply_json(req, "public_heatmap_cells", 8, values);
    else
        ok_db_reply_json(req, "public_heatmap", 7, values);
}

void public_map(ok_request *req)
{
    const char *tiles = ok_config_text("OTKLIK_MAP_TILES_URL");
    ok_http_header(req, "Cache-Control", "public, max-age=300");
    ok_http_respond_json_new(
        req, 200,
        json_pack("{s:o}", "tiles_url",
                  tiles != NULL && tiles[0] ? json_string(tiles) : json_null()));
}
