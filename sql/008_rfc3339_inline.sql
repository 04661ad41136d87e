-- 008_rfc3339_inline.sql - otklik_rfc3339 was declared IMMUTABLE, but to_char
-- is only STABLE, so PostgreSQL would not inline it and ran it through the SQL
-- function executor on every call: four times slower, and every list writes
-- two or three times a row. STABLE is the truth and lets it inline.
ALTER FUNCTION otklik_rfc3339(timestamptz) STABLE;
