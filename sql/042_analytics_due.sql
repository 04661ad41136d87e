-- 042_analytics_due.sql - fewer fact rows to read: a passed deadline is
-- kept as "passed", not as its hour.
--
-- WHY (EXPLAIN ANALYZE on bench/analytics.sql with 300 000 messages): the
-- region's summary for a year read 63 000 fact rows, a third of them
-- 'open_due' rows - one per organisation, day or month, and DEADLINE HOUR
-- (sql/040: value = the deadline's hour since the epoch), so nearly one per
-- open message. Readers only ask whether that hour is below the current one
-- (statements.c: NOW_HOUR). Once it is, the hour no longer matters: the fold
-- (analytics_rollup, every `otklikctl tick`) now keeps every passed deadline
-- under value 0, which is below any current hour, so readers need no change;
-- only deadlines still ahead (recent open messages) keep their hour. A
-- deadline that passes between two ticks is still exact: its row (facts, or
-- a delta not folded yet) keeps its hour until the next fold, and the hour
-- is then below NOW_HOUR anyway. A message closing after its deadline passed
-- appends -1 at the hour (sql/040's trigger); the fold moves that to 0 too,
-- where its +1 already is.
-- Assumes otklik_now() does not move backwards (a test clock moved back
-- would count a folded deadline as passed).

-- the facts whose deadline hour may have passed since the last fold
CREATE INDEX analytics_facts_due ON analytics_facts (value) WHERE measure = 'open_due' AND value > 0;

-- The value a count is kept under: a passed deadline's is 0.
CREATE FUNCTION analytics_folded_value(measure text, value integer, now_hour integer)
RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN measure = 'open_due' AND value < now_hour THEN 0 ELSE value END
$$;

CREATE FUNCTION analytics_now_hour() RETURNS integer
LANGUAGE sql STABLE AS $$ SELECT floor(extract(epoch FROM otklik_now()) / 3600)::integer $$;

-- Folds the deltas into the facts (otklikctl tick), after moving the facts
-- whose deadline passed since the last fold to 0; the deltas folded. Rows
-- that reach 0 stay (a later +1 finds them); analytics_rebuild drops them.
CREATE OR REPLACE FUNCTION analytics_rollup() RETURNS bigint
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
    WITH moved AS (DELETE FROM analytics_deltas RETURNING *),
    grouped AS (SELECT s.span, s.day, m.organisation_id, m.territory_id, s.rubric_id, m.measure,
                       analytics_folded_value(m.measure, m.value, now_hour), sum(m.count) AS count
                FROM moved m, analytics_spans(m.day, m.rubric_id) s GROUP BY 1, 2, 3, 4, 5, 6, 7),
    upserted AS (INSERT INTO analytics_facts AS f
                     (span, day, organisation_id, territory_id, rubric_id, measure, value, count)
                 SELECT * FROM grouped
                 ON CONFLICT (span, day, organisation_id, territory_id, rubric_id, measure, value)
                 DO UPDATE SET count = f.count + excluded.count)
    SELECT count(*) INTO folded FROM moved;
    RETURN folded;
END
$$;

-- The rebuild (sql/040) as it was, then the same fold of passed deadlines.
ALTER FUNCTION analytics_rebuild() RENAME TO analytics_rebuild_hours;
CREATE FUNCTION analytics_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM analytics_rebuild_hours();
    PERFORM analytics_rollup();
    DELETE FROM analytics_facts WHERE count = 0;
END
$$;

SELECT analytics_rebuild();

-- The per-day series (modules/analytics: SERIES_SQL) reads a year of daily
-- rows of all rubrics but only these measures: without the time-to-answer
-- buckets and deadlines beside them in the index, it reads a fifth as much.
CREATE INDEX analytics_facts_series ON analytics_facts (day)
    INCLUDE (organisation_id, territory_id, measure, count)
    WHERE span = 'd' AND rubric_id = 0
      AND measure IN ('received', 'accepted', 'rejected', 'answered', 'answered_on_time',
                      'reworked', 'closed', 'rating');
