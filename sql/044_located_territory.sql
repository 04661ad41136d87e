-- 044_located_territory.sql - a message with a location is moderated in the
-- smallest territory whose boundary contains it (modules/widget:
-- messages_context), before the widget's organisation's territory and the
-- author's own.

CREATE INDEX territories_boundary ON territories USING gist (boundary) WHERE boundary IS NOT NULL;

-- The smallest territory (by area) whose boundary covers the point
-- (longitude, latitude); NULL when none does or the point is NULL.
CREATE FUNCTION territory_at(longitude double precision, latitude double precision)
RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT id FROM territories
    WHERE boundary IS NOT NULL AND ST_Covers(boundary, otklik_message_point(longitude, latitude))
    ORDER BY ST_Area(boundary), id LIMIT 1
$$;
