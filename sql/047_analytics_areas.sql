-- 047_analytics_areas.sql - the facts of sql/040 summed per territory and
-- every territory above it, for the callers who see whole territories.
--
-- WHY (EXPLAIN (ANALYZE, BUFFERS) on bench/analytics.sql, 300 000 messages):
-- the region moderator's summary for a year read 47 000 fact rows - every
-- (organisation, territory) pair of the region times ~70 measures and
-- values (the time-to-answer buckets most of them) per month, and per day
-- in the partial months - and spent 20 of its 31 ms grouping them. A
-- moderation organisation sees everything in its territory and below
-- (statements.c: SCOPE), whatever organisation answers: its figures are
-- the sums of one row per area instead of one per pair.
--
-- analytics_area_facts holds the same counts as analytics_facts keyed by
-- (span, day, area, rubric, measure, value), where area is the fact's
-- territory and each territory above it (territory_and_above). The tick's
-- fold fills it from the same deltas in the same statement; readers read it
-- with the unfolded deltas (analytics_area_current), so it is as fresh as
-- the facts. Only for a caller whose every analytics role is in a
-- moderation organisation, without ?org= or ?territory= (statements.c:
-- AREAS); the others read the facts as before. A territory moved under
-- another parent keeps its old areas until analytics_rebuild().

CREATE TABLE analytics_area_facts (
    span         "char" NOT NULL,
    day          date NOT NULL,
    territory_id bigint NOT NULL,  -- the area: the fact's territory or one above it
    rubric_id    bigint NOT NULL,
    measure      text NOT NULL,
    value        integer NOT NULL,
    count        bigint NOT NULL,
    -- a reader asks for one area and rubric (or a few) over a range of days
    PRIMARY KEY (territory_id, rubric_id, span, day, measure, value) INCLUDE (count)
);

CREATE VIEW analytics_area_current AS
    SELECT span, day, territory_id, rubric_id, measure, value, count FROM analytics_area_facts
    UNION ALL
    SELECT s.span, s.day, a.id, s.rubric_id, d.measure, d.value, d.count
    FROM analytics_deltas d, analytics_spans(d.day, d.rubric_id) s, territory_and_above(d.territory_id) a (id);

-- sql/042's fold, its deltas added to the areas too in the same statement
-- (so no delta committed meanwhile reaches one table and not the other).
CREATE OR REPLACE FUNCTION analytics_rollup_facts() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    folded bigint;
    now_hour integer := analytics_now_hour();
BEGIN
    WITH passed AS (DELETE FROM analytics_facts
                    WHERE measure = 'open_due' AND value > 0 AND value < now_hour RETURNING *)
    INSERT INTO analytics_facts AS f
        (span, day, organisation_id, territory_id, rubric_id, measure, value, count)
    SELECT span, day, organisation_id, territory_id, rubric_id, measure, 0, sum(count)
    FROM passed GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (span, day, organisation_id, territory_id, rubric_id, measure, value)
    DO UPDATE SET count = f.count + excluded.count;
    WITH passed AS (DELETE FROM analytics_area_facts
                    WHERE measure = 'open_due' AND value > 0 AND value < now_hour RETURNING *)
    INSERT INTO analytics_area_facts AS f (span, day, territory_id, rubric_id, measure, value, count)
    SELECT span, day, territory_id, rubric_id, measure, 0, sum(count)
    FROM passed GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (territory_id, rubric_id, span, day, measure, value)
    DO UPDATE SET count = f.count + excluded.count;
    WITH moved AS (DELETE FROM analytics_deltas RETURNING *),
    grouped AS (SELECT s.span, s.day, m.organisation_id, m.territory_id, s.rubric_id, m.measure,
                       analytics_folded_value(m.measure, m.value, now_hour) AS value, sum(m.count) AS count
                FROM moved m, analytics_spans(m.day, m.rubric_id) s GROUP BY 1, 2, 3, 4, 5, 6, 7),
    upserted AS (INSERT INTO analytics_facts AS f
                     (span, day, organisation_id, territory_id, rubric_id, measure, value, count)
                 SELECT * FROM grouped
                 ON CONFLICT (span, day, organisation_id, territory_id, rubric_id, measure, value)
                 DO UPDATE SET count = f.count + excluded.count),
    areas AS (INSERT INTO analytics_area_facts AS f
                  (span, day, territory_id, rubric_id, measure, value, count)
              SELECT g.span, g.day, a.id, g.rubric_id, g.measure, g.value, sum(g.count)
              FROM grouped g, territory_and_above(g.territory_id) a (id) GROUP BY 1, 2, 3, 4, 5, 6
              ON CONFLICT (territory_id, rubric_id, span, day, measure, value)
              DO UPDATE SET count = f.count + excluded.count)
    SELECT count(*) INTO folded FROM moved;
    RETURN folded;
END
$$;

-- The areas recomputed from the facts.
CREATE FUNCTION analytics_area_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE analytics_area_facts IN EXCLUSIVE MODE;
    TRUNCATE analytics_area_facts;
    INSERT INTO analytics_area_facts (span, day, territory_id, rubric_id, measure, value, count)
    SELECT f.span, f.day, a.area, f.rubric_id, f.measure, f.value, sum(f.count)
    FROM analytics_facts f
    JOIN (SELECT t.id, up.id AS area FROM territories t, territory_and_above(t.id) up (id)) a
      ON a.id = f.territory_id
    GROUP BY 1, 2, 3, 4, 5, 6
    ORDER BY 1, 2;
END
$$;

CREATE OR REPLACE FUNCTION analytics_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM analytics_rebuild_hours();
    PERFORM analytics_rollup_facts();
    DELETE FROM analytics_facts WHERE count = 0;
    PERFORM analytics_area_rebuild();
    PERFORM heatmap_rebuild();
END
$$;

SELECT analytics_area_rebuild();
