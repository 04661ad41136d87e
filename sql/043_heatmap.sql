-- 043_heatmap.sql - the heat maps' reads (modules/analytics/heatmap.c):
-- messages by their location, as a PostGIS point, through a GiST index of
-- the expression (no column to keep in step with latitude and longitude).

-- A message's location as a point (longitude, latitude; WGS 84), NULL
-- without one.
CREATE FUNCTION otklik_message_point(longitude double precision, latitude double precision)
RETURNS geometry
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ST_SetSRID(ST_MakePoint(longitude, latitude), 4326)
$$;

CREATE INDEX messages_location ON messages USING gist (otklik_message_point(longitude, latitude))
    WHERE latitude IS NOT NULL AND longitude IS NOT NULL;
