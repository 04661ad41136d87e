-- 011_message_search.sql - the staff's full-text search (GET
-- /api/v1/staff/messages?q=) over a message's text and address, by Russian
-- stems ("светофор" finds "светофоры" and "светофора"). The words are a stored
-- column, computed once when the row is written rather than for every row a
-- search reads, and the GIN index finds the rows that hold a word. The list
-- filters on the column along its per-organisation indexes when the word is
-- common, and starts from this index when it is rare (a plan made for the
-- values, modules/cabinet/statements.c).
ALTER TABLE messages ADD COLUMN search tsvector GENERATED ALWAYS AS
    (to_tsvector('russian', text || ' ' || coalesce(address, ''))) STORED;
CREATE INDEX messages_search ON messages USING gin (search);

-- The rubric and date filters of the same list read a rare rubric, or a
-- range of dates, of an organisation along these (then sort the page), where
-- walking the organisation's newest and filtering would read all of it; the
-- plan, made for the values, picks. A territory has none: an organisation's
-- messages mostly lie in its own territory, and the walk finds them.
CREATE INDEX messages_organisation_rubric ON messages (organisation_id, rubric_id);
CREATE INDEX messages_organisation_created ON messages (organisation_id, created_at);
