-- 041_exports.sql - the staff's exports (modules/analytics/export.c).

-- A CSV cell a spreadsheet will not take for a formula: text starting with
-- =, +, -, @, a tab or a carriage return gets a leading apostrophe (OWASP's
-- advice for CSV injection); Excel shows the text as it was.
CREATE FUNCTION otklik_csv_cell(t text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN left(t, 1) IN ('=', '+', '-', '@', E'\t', E'\r') THEN '''' || t ELSE t END
$$;
