-- 048_heatmap_areas.sql - the staff heat map's cells (sql/046) summed per
-- territory and every territory above it, as sql/047 does for the
-- statistics: a moderation organisation's map (its territory and below,
-- whatever organisation answers) sums one row per cell, day and area
-- instead of one per (organisation, territory) pair in the cell
-- (statements.c: AREAS decides who reads them).

CREATE TABLE heatmap_area_cells (
    territory_id  bigint NOT NULL,  -- the area: the message's territory or one above it
    level         smallint NOT NULL,
    span          "char" NOT NULL,
    day           date NOT NULL,
    ix            integer NOT NULL,
    iy            integer NOT NULL,
    count         bigint NOT NULL,
    PRIMARY KEY (territory_id, level, span, day, ix, iy) INCLUDE (count)
);

-- What readers read: the area cells and the unfolded deltas under each area.
CREATE VIEW heatmap_area_current AS
    SELECT territory_id, level, span, day, ix, iy, count FROM heatmap_area_cells
    UNION ALL
    SELECT a.id, l.level::smallint, s.span,
           CASE WHEN s.span = 'm' THEN date_trunc('month', d.day)::date ELSE d.day END,
           d.ix >> (heatmap_top_level() - l.level), d.iy >> (heatmap_top_level() - l.level), d.count
    FROM heatmap_deltas d, generate_series(0, heatmap_top_level()) l (level),
         (VALUES ('d'::"char"), ('m'::"char")) s (span), territory_and_above(d.territory_id) a (id);

-- sql/046's heatmap_add, the areas added too.
CREATE OR REPLACE FUNCTION heatmap_add() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO heatmap_public_cells AS c (level, ix, iy, rubric_id, status, count)
    SELECT l.level, n.ix >> (heatmap_top_level() - l.level), n.iy >> (heatmap_top_level() - l.level),
           r.id, s.status, sum(n.count)
    FROM heatmap_new n, generate_series(0, heatmap_top_level()) l (level),
         LATERAL (VALUES (n.rubric_id), (0)) r (id), LATERAL (VALUES (n.status), ('')) s (status)
    WHERE heatmap_published(n.status)
    GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (level, rubric_id, status, ix, iy) DO UPDATE SET count = c.count + excluded.count;
    CREATE TEMP TABLE heatmap_staff_new ON COMMIT DROP AS
    SELECT l.level::smallint AS level, s.span,
           CASE WHEN s.span = 'm' THEN date_trunc('month', n.day)::date ELSE n.day END AS day,
           n.ix >> (heatmap_top_level() - l.level) AS ix, n.iy >> (heatmap_top_level() - l.level) AS iy,
           n.organisation_id, n.territory_id, sum(n.count) AS count
    FROM heatmap_new n, generate_series(0, heatmap_top_level()) l (level),
         (VALUES ('d'::"char"), ('m'::"char")) s (span)
    GROUP BY 1, 2, 3, 4, 5, 6, 7;
    INSERT INTO heatmap_staff_cells AS c (level, span, day, ix, iy, organisation_id, territory_id, count)
    SELECT * FROM heatmap_staff_new
    ON CONFLICT (level, span, day, ix, iy, organisation_id, territory_id)
    DO UPDATE SET count = c.count + excluded.count;
    INSERT INTO heatmap_area_cells AS c (territory_id, level, span, day, ix, iy, count)
    SELECT a.area, n.level, n.span, n.day, n.ix, n.iy, sum(n.count)
    FROM heatmap_staff_new n
    JOIN (SELECT t.id, up.id AS area FROM territories t, territory_and_above(t.id) up (id)) a
      ON a.id = n.territory_id
    GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (territory_id, level, span, day, ix, iy) DO UPDATE SET count = c.count + excluded.count;
    DROP TABLE heatmap_staff_new;
END
$$;

CREATE OR REPLACE FUNCTION heatmap_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE heatmap_public_cells, heatmap_staff_cells, heatmap_area_cells, heatmap_deltas
        IN EXCLUSIVE MODE;
    DELETE FROM heatmap_deltas;
    TRUNCATE heatmap_public_cells, heatmap_staff_cells, heatmap_area_cells;
    CREATE TEMP TABLE heatmap_new ON COMMIT DROP AS
    SELECT analytics_day(m.created_at) AS day, heatmap_index(m.longitude, heatmap_top_level()) AS ix,
           heatmap_index(m.latitude, heatmap_top_level()) AS iy,
           coalesce(m.organisation_id, 0) AS organisation_id, m.territory_id, m.rubric_id, m.status,
           count(*) AS count
    FROM messages m WHERE m.latitude IS NOT NULL AND m.longitude IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7;
    PERFORM heatmap_add();
    DROP TABLE heatmap_new;
END
$$;

SELECT heatmap_rebuild();
