-- 046_heatmap_cells.sql - the heat maps' cells counted in advance
-- (modules/analytics/heatmap.c), so that a request sums the few rows of the
-- cells in its box instead of counting every message there (sql/043 counted
-- a million index entries for a city-wide box: 0.8-2 s).
--
-- DESIGN
-- A cell of level L is a square of 45 / 2^L degrees (an eighth of a map
-- tile at zoom L), numbered (ix, iy) = (floor(longitude / size),
-- floor(latitude / size)); as sizes halve exactly, the cell of level L-1
-- holding a cell is (ix >> 1, iy >> 1). Levels 0..15 (15: about 150 m x
-- 90 m at 55 degrees north) are kept; a finer cell is counted from the
-- messages as before (its box is small).
--  * heatmap_public_cells: published messages (not in moderation, not
--    rejected) per (level, ix, iy, rubric, status), each also under rubric 0
--    (all rubrics) and status '' (all published statuses): the public map
--    reads one row per cell, or one per rubric of a requested tree.
--  * heatmap_staff_cells: every message per (level, span, day, ix, iy,
--    organisation, territory), the day it was CREATED, as analytics_facts
--    (sql/040): span 'd' per day and span 'm' per month (day = its first),
--    so that a period reads whole months and the days around them. All
--    rubrics together: a staff map with ?rubric= counts the messages.
--  * heatmap_area_cells: the staff cells summed per territory and every
--    territory above it (the area), for a moderation organisation's map (its
--    territory and below, whatever organisation answers: one row per cell,
--    day and area instead of one per organisation and territory in the
--    cell; statements.c: AREAS decides who reads them, as sql/047 for the
--    statistics).
-- Statement-level triggers on messages append each change (-1 for the old
-- key, +1 for the new; at level 15) to heatmap_deltas in the transition's
-- own transaction; `otklikctl tick` folds them into every level
-- (heatmap_rollup, called by analytics_rollup) and readers read the cells
-- and the unfolded deltas together: exact at commit, as the statistics.

CREATE TABLE heatmap_public_cells (
    level      smallint NOT NULL,
    ix         integer NOT NULL,
    iy         integer NOT NULL,
    rubric_id  bigint NOT NULL,  -- 0: all rubrics
    status     text NOT NULL,    -- '': every published status
    count      bigint NOT NULL,
    PRIMARY KEY (level, rubric_id, status, ix, iy) INCLUDE (count)
);

CREATE TABLE heatmap_staff_cells (
    level            smallint NOT NULL,
    span             "char" NOT NULL CHECK (span IN ('d', 'm')),
    day              date NOT NULL,
    ix               integer NOT NULL,
    iy               integer NOT NULL,
    organisation_id  bigint NOT NULL,  -- 0: not routed yet
    territory_id     bigint NOT NULL,
    count            bigint NOT NULL,
    PRIMARY KEY (level, span, day, ix, iy, organisation_id, territory_id) INCLUDE (count)
);

CREATE TABLE heatmap_deltas (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    day              date NOT NULL,
    ix               integer NOT NULL,  -- at heatmap_top_level()
    iy               integer NOT NULL,
    organisation_id  bigint NOT NULL,
    territory_id     bigint NOT NULL,
    rubric_id        bigint NOT NULL,
    status           text NOT NULL,
    count            bigint NOT NULL
);

-- The finest level kept.
CREATE FUNCTION heatmap_top_level() RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT 15 $$;

-- The cell index of a coordinate (degrees) at level.
CREATE FUNCTION heatmap_index(degrees double precision, level integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT floor(degrees / (45.0 / 2 ^ level))::integer $$;

-- Published: what the public map shows (sql/043's public condition).
CREATE FUNCTION heatmap_published(status text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT status NOT IN ('moderation', 'rejected') $$;

-- The rows of changed messages (transition tables), grouped, at the top level.
CREATE FUNCTION heatmap_messages_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO heatmap_deltas (day, ix, iy, organisation_id, territory_id, rubric_id, status, count)
    SELECT analytics_day(n.created_at), heatmap_index(n.longitude, heatmap_top_level()),
           heatmap_index(n.latitude, heatmap_top_level()), coalesce(n.organisation_id, 0),
           n.territory_id, n.rubric_id, n.status, count(*)
    FROM new_messages n WHERE n.latitude IS NOT NULL AND n.longitude IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7;
    RETURN NULL;
END
$$;
CREATE TRIGGER heatmap_messages_inserted AFTER INSERT ON messages
    REFERENCING NEW TABLE AS new_messages
    FOR EACH STATEMENT EXECUTE FUNCTION heatmap_messages_inserted();

CREATE FUNCTION heatmap_messages_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO heatmap_deltas (day, ix, iy, organisation_id, territory_id, rubric_id, status, count)
    SELECT day, ix, iy, organisation_id, territory_id, rubric_id, status, sum(sign)
    FROM (SELECT analytics_day(n.created_at) AS day, heatmap_index(n.longitude, heatmap_top_level()) AS ix,
                 heatmap_index(n.latitude, heatmap_top_level()) AS iy,
                 coalesce(n.organisation_id, 0) AS organisation_id, n.territory_id, n.rubric_id,
                 n.status, 1 AS sign
          FROM new_messages n WHERE n.latitude IS NOT NULL AND n.longitude IS NOT NULL
          UNION ALL
          SELECT analytics_day(o.created_at), heatmap_index(o.longitude, heatmap_top_level()),
                 heatmap_index(o.latitude, heatmap_top_level()), coalesce(o.organisation_id, 0),
                 o.territory_id, o.rubric_id, o.status, -1
          FROM old_messages o WHERE o.latitude IS NOT NULL AND o.longitude IS NOT NULL) moved
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(sign) <> 0;
    RETURN NULL;
END
$$;
CREATE TRIGGER heatmap_messages_updated AFTER UPDATE ON messages
    REFERENCING OLD TABLE AS old_messages NEW TABLE AS new_messages
    FOR EACH STATEMENT EXECUTE FUNCTION heatmap_messages_updated();

CREATE FUNCTION heatmap_messages_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO heatmap_deltas (day, ix, iy, organisation_id, territory_id, rubric_id, status, count)
    SELECT analytics_day(o.created_at), heatmap_index(o.longitude, heatmap_top_level()),
           heatmap_index(o.latitude, heatmap_top_level()), coalesce(o.organisation_id, 0),
           o.territory_id, o.rubric_id, o.status, -count(*)
    FROM old_messages o WHERE o.latitude IS NOT NULL AND o.longitude IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7;
    RETURN NULL;
END
$$;
CREATE TRIGGER heatmap_messages_deleted AFTER DELETE ON messages
    REFERENCING OLD TABLE AS old_messages
    FOR EACH STATEMENT EXECUTE FUNCTION heatmap_messages_deleted();

-- (see DESIGN)
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

-- What readers read: the folded cells and the deltas not yet folded, at
-- every level (the deltas are a minute's worth).
CREATE VIEW heatmap_public_current AS
    SELECT level, ix, iy, rubric_id, status, count FROM heatmap_public_cells
    UNION ALL
    SELECT l.level::smallint, d.ix >> (heatmap_top_level() - l.level), d.iy >> (heatmap_top_level() - l.level),
           r.id, s.status, d.count
    FROM heatmap_deltas d, generate_series(0, heatmap_top_level()) l (level),
         LATERAL (VALUES (d.rubric_id), (0)) r (id), LATERAL (VALUES (d.status), ('')) s (status)
    WHERE heatmap_published(d.status);

CREATE VIEW heatmap_staff_current AS
    SELECT level, span, day, ix, iy, organisation_id, territory_id, count FROM heatmap_staff_cells
    UNION ALL
    SELECT l.level::smallint, s.span, CASE WHEN s.span = 'm' THEN date_trunc('month', d.day)::date ELSE d.day END,
           d.ix >> (heatmap_top_level() - l.level), d.iy >> (heatmap_top_level() - l.level),
           d.organisation_id, d.territory_id, d.count
    FROM heatmap_deltas d, generate_series(0, heatmap_top_level()) l (level),
         (VALUES ('d'::"char"), ('m'::"char")) s (span);

-- Adds rows of the top level (day, ix, iy, organisation, territory, rubric,
-- status, count: the temporary table heatmap_new) to every level's cells.
CREATE FUNCTION heatmap_add() RETURNS void
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

-- Folds the deltas into the cells (otklikctl tick, through
-- analytics_rollup); the deltas folded. Cells that reach 0 stay.
CREATE FUNCTION heatmap_rollup() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    folded bigint;
BEGIN
    CREATE TEMP TABLE heatmap_new ON COMMIT DROP AS
    WITH moved AS (DELETE FROM heatmap_deltas RETURNING *)
    SELECT day, ix, iy, organisation_id, territory_id, rubric_id, status, sum(count) AS count,
           count(*) AS deltas
    FROM moved GROUP BY 1, 2, 3, 4, 5, 6, 7;
    SELECT coalesce(sum(deltas), 0) INTO folded FROM heatmap_new;
    PERFORM heatmap_add();
    DROP TABLE heatmap_new;
    RETURN folded;
END
$$;

-- Recomputes every cell from the messages (after a bulk load with triggers
-- off; the tests compare it with what the triggers kept).
CREATE FUNCTION heatmap_rebuild() RETURNS void
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

-- The tick's fold keeps the cells too.
ALTER FUNCTION analytics_rollup() RENAME TO analytics_rollup_facts;
CREATE FUNCTION analytics_rollup() RETURNS bigint
LANGUAGE sql AS $$ SELECT analytics_rollup_facts() + heatmap_rollup() $$;

-- analytics_rebuild() calls heatmap_rebuild() too: sql/047.

SELECT heatmap_rebuild();
