-- 040_analytics.sql - the analytics' aggregates (modules/analytics): daily
-- facts per organisation, territory and rubric, kept up to date in the
-- transaction of every change, so that no request scans the messages.
--
-- DESIGN
-- analytics_facts holds counts keyed by (span, day, organisation, territory,
-- rubric, measure, value); day is a UTC date. Each count is kept four times:
-- per day (span 'd') and per month (span 'm', day = the month's first), each
-- per rubric and for all rubrics together (rubric 0). A reader takes whole
-- months from the monthly rows and the days around them from the daily ones,
-- and all rubrics from rubric 0 unless it asks for some: what a request
-- reads is bounded by months x organisations x measures, not by the number
-- of messages (analytics_spans; modules/analytics/statements.c: SPAN).
-- Two kinds of measure:
--  * a message's state, keyed by the day it was CREATED and its current
--    organisation (0 before routing), territory and rubric: 'received' (one
--    per message), 'status_<status>' (its status now) and 'open_due' (an open
--    message with a deadline, value = the deadline's hour since the epoch, so
--    that "overdue now" is the sum of the values below the current hour);
--    a transition moves the message's row (-1 on the old key, +1 on the new);
--  * an event, keyed by the day it HAPPENED and the message's organisation,
--    territory and rubric at that moment: 'accepted', 'rejected', 'redirected',
--    'answered', 'answered_on_time' (the answer came by due_at), 'tta' (the
--    first answer's time to answer from sending, value = its bucket in
--    minutes, analytics_tta_bucket), 'reworked', 'closed', 'rating' (value =
--    the score).
--
-- Statement-level triggers (transition tables) on messages, message_events
-- and message_ratings append the changes as rows of analytics_deltas in the
-- transition's own transaction: a figure is exact and fresh as soon as the
-- transition commits (readers read facts and deltas together,
-- analytics_current). Appending, not updating a shared counter, keeps
-- transitions of one organisation and day from queueing on one row's lock (or
-- deadlocking when a redirect touches two). `otklikctl tick` folds the deltas
-- into analytics_facts (analytics_rollup), so the deltas stay a minute's
-- worth. A bulk statement (a tick closing 10 000 messages, a load) appends its
-- changes already grouped: one row per key, not per message.
--
-- analytics_rebuild() recomputes everything from the messages and their
-- events (after a bulk load with triggers off, or to check the triggers: the
-- integration tests compare both). It can only approximate one thing: whether
-- an answer given before a rework was on time, as due_at then is no longer
-- stored; it uses due_at as it is now.
--
-- A hook for channels (modules/channels adds messages.channel): add a
-- channel column to both tables' keys and to analytics_state's callers;
-- heat maps and the rating read messages' locations and territories' bounds
-- and need none of this.

CREATE TABLE analytics_facts (
    span             "char" NOT NULL CHECK (span IN ('d', 'm')),
    day              date NOT NULL,
    organisation_id  bigint NOT NULL,  -- 0: not routed to an organisation yet
    territory_id     bigint NOT NULL,
    rubric_id        bigint NOT NULL,
    measure          text NOT NULL,
    value            integer NOT NULL,
    count            bigint NOT NULL,
    PRIMARY KEY (span, day, organisation_id, territory_id, rubric_id, measure, value)
);
-- all rubrics over a period (covering: read without the table once vacuumed);
-- an organisation's; the rubrics' received (trends)
CREATE INDEX analytics_facts_all_rubrics ON analytics_facts (span, day)
    INCLUDE (organisation_id, territory_id, measure, value, count) WHERE rubric_id = 0;
CREATE INDEX analytics_facts_organisation ON analytics_facts (organisation_id, span, day);
CREATE INDEX analytics_facts_received ON analytics_facts (span, day)
    INCLUDE (organisation_id, territory_id, rubric_id, count)
    WHERE measure = 'received' AND rubric_id <> 0;

CREATE TABLE analytics_deltas (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    day              date NOT NULL,
    organisation_id  bigint NOT NULL,
    territory_id     bigint NOT NULL,
    rubric_id        bigint NOT NULL,
    measure          text NOT NULL,
    value            integer NOT NULL,
    count            bigint NOT NULL
);

-- The four rows a count of day and rubric is kept under (see DESIGN).
CREATE FUNCTION analytics_spans(day date, rubric_id bigint)
RETURNS TABLE (span "char", day date, rubric_id bigint)
LANGUAGE sql IMMUTABLE AS $$
    SELECT s.span, CASE WHEN s.span = 'm' THEN date_trunc('month', day)::date ELSE day END, r.id
    FROM (VALUES ('d'::"char"), ('m'::"char")) s (span), (VALUES (rubric_id), (0)) r (id)
$$;

-- What readers read: the folded facts and the deltas not yet folded.
CREATE VIEW analytics_current AS
    SELECT span, day, organisation_id, territory_id, rubric_id, measure, value, count
    FROM analytics_facts
    UNION ALL
    SELECT s.span, s.day, d.organisation_id, d.territory_id, s.rubric_id, d.measure, d.value, d.count
    FROM analytics_deltas d, analytics_spans(d.day, d.rubric_id) s;

-- The UTC day of a time.
CREATE FUNCTION analytics_day(t timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE AS $$ SELECT (t AT TIME ZONE 'UTC')::date $$;

-- The bucket of a time to answer, in whole minutes, rounded down to the
-- bucket's width: 5 minutes below an hour, 30 minutes below 6 hours, an hour
-- below a day, 6 hours below a week, a day below 60 days, then a week (about
-- 120 buckets: few rows per organisation and month). Medians and
-- percentiles are exact to that width (analytics_percentile).
CREATE FUNCTION analytics_tta_bucket(elapsed interval) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN m < 60 THEN m - m % 5
                WHEN m < 360 THEN m - m % 30
                WHEN m < 1440 THEN m - m % 60
                WHEN m < 10080 THEN m - m % 360
                WHEN m < 86400 THEN m - m % 1440
                ELSE m - m % 10080 END
    FROM (SELECT greatest(0, floor(extract(epoch FROM elapsed) / 60))::integer AS m) x
$$;

-- A message's state measures (see DESIGN): received, its status, and its
-- deadline while open.
CREATE FUNCTION analytics_state(status text, due_at timestamptz)
RETURNS TABLE (measure text, value integer)
LANGUAGE sql IMMUTABLE AS $$
    SELECT 'received', 0
    UNION ALL SELECT 'status_' || status, 0
    UNION ALL SELECT 'open_due', floor(extract(epoch FROM due_at) / 3600)::integer
        WHERE due_at IS NOT NULL
          AND status NOT IN ('moderation', 'answered', 'closed', 'rejected')
$$;

-- An event's measures: the transition from -> to at time at, of a message
-- created at created_at, due at due_at, whose answer round is now round.
CREATE FUNCTION analytics_event(from_status text, to_status text, at timestamptz,
                                created_at timestamptz, due_at timestamptz, round integer)
RETURNS TABLE (measure text, value integer)
LANGUAGE sql IMMUTABLE AS $$
    SELECT 'accepted', 0 WHERE from_status = 'moderation' AND to_status = 'registered'
    UNION ALL SELECT 'rejected', 0 WHERE to_status = 'rejected'
    UNION ALL SELECT 'redirected', 0
        WHERE from_status = 'redirect_approval' AND to_status = 'registered'
    UNION ALL SELECT 'answered', 0 WHERE to_status = 'answered'
    UNION ALL SELECT 'answered_on_time', 0 WHERE to_status = 'answered' AND at <= due_at
    UNION ALL SELECT 'tta', analytics_tta_bucket(at - created_at)
        WHERE to_status = 'answered' AND round = 1
    UNION ALL SELECT 'reworked', 0 WHERE from_status = 'answered' AND to_status = 'returned'
    UNION ALL SELECT 'closed', 0 WHERE to_status = 'closed'
$$;

CREATE FUNCTION analytics_messages_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO analytics_deltas (day, organisation_id, territory_id, rubric_id, measure, value, count)
    SELECT analytics_day(n.created_at), coalesce(n.organisation_id, 0), n.territory_id,
           n.rubric_id, s.measure, s.value, count(*)
    FROM new_messages n, analytics_state(n.status, n.due_at) s
    GROUP BY 1, 2, 3, 4, 5, 6;
    RETURN NULL;
END
$$;
CREATE TRIGGER analytics_messages_inserted AFTER INSERT ON messages
    REFERENCING NEW TABLE AS new_messages
    FOR EACH STATEMENT EXECUTE FUNCTION analytics_messages_inserted();

-- A change moves the message's state rows: -1 for the old, +1 for the new;
-- what did not change cancels out (an update of the draft appends nothing).
CREATE FUNCTION analytics_messages_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO analytics_deltas (day, organisation_id, territory_id, rubric_id, measure, value, count)
    SELECT day, organisation_id, territory_id, rubric_id, measure, value, sum(sign)
    FROM (SELECT analytics_day(n.created_at) AS day, coalesce(n.organisation_id, 0) AS organisation_id,
                 n.territory_id, n.rubric_id, s.measure, s.value, 1 AS sign
          FROM new_messages n, analytics_state(n.status, n.due_at) s
          UNION ALL
          SELECT analytics_day(o.created_at), coalesce(o.organisation_id, 0), o.territory_id,
                 o.rubric_id, s.measure, s.value, -1
          FROM old_messages o, analytics_state(o.status, o.due_at) s) moved
    GROUP BY 1, 2, 3, 4, 5, 6
    HAVING sum(sign) <> 0;
    RETURN NULL;
END
$$;
CREATE TRIGGER analytics_messages_updated AFTER UPDATE ON messages
    REFERENCING OLD TABLE AS old_messages NEW TABLE AS new_messages
    FOR EACH STATEMENT EXECUTE FUNCTION analytics_messages_updated();

-- Events are read with their message as the transition left it (the
-- transition updates the message first, in the same transaction).
CREATE FUNCTION analytics_events_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO analytics_deltas (day, organisation_id, territory_id, rubric_id, measure, value, count)
    SELECT analytics_day(e.created_at), coalesce(m.organisation_id, 0), m.territory_id,
           m.rubric_id, x.measure, x.value, count(*)
    FROM new_events e JOIN messages m ON m.id = e.message_id,
         analytics_event(e.from_status, e.to_status, e.created_at, m.created_at, m.due_at,
                         m.answer_round) x
    GROUP BY 1, 2, 3, 4, 5, 6;
    RETURN NULL;
END
$$;
CREATE TRIGGER analytics_events_inserted AFTER INSERT ON message_events
    REFERENCING NEW TABLE AS new_events
    FOR EACH STATEMENT EXECUTE FUNCTION analytics_events_inserted();

CREATE FUNCTION analytics_ratings_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO analytics_deltas (day, organisation_id, territory_id, rubric_id, measure, value, count)
    SELECT analytics_day(r.created_at), coalesce(m.organisation_id, 0), m.territory_id,
           m.rubric_id, 'rating', r.score, count(*)
    FROM new_ratings r JOIN messages m ON m.id = r.message_id
    GROUP BY 1, 2, 3, 4, 5, 6;
    RETURN NULL;
END
$$;
CREATE TRIGGER analytics_ratings_inserted AFTER INSERT ON message_ratings
    REFERENCING NEW TABLE AS new_ratings
    FOR EACH STATEMENT EXECUTE FUNCTION analytics_ratings_inserted();

-- Folds the deltas into the facts (otklikctl tick); the deltas folded. Rows
-- that reach 0 stay (a later +1 finds them); analytics_rebuild drops them.
CREATE FUNCTION analytics_rollup() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    folded bigint;
BEGIN
    WITH moved AS (DELETE FROM analytics_deltas RETURNING *),
    grouped AS (SELECT s.span, s.day, m.organisation_id, m.territory_id, s.rubric_id, m.measure,
                       m.value, sum(m.count) AS count
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

-- Recomputes every fact from the messages, their events and ratings.
CREATE FUNCTION analytics_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE analytics_facts, analytics_deltas IN EXCLUSIVE MODE;
    DELETE FROM analytics_deltas;
    TRUNCATE analytics_facts;
    CREATE TEMP TABLE analytics_counted ON COMMIT DROP AS
    SELECT analytics_day(m.created_at) AS day, coalesce(m.organisation_id, 0) AS organisation_id,
           m.territory_id, m.rubric_id, s.measure, s.value, count(*) AS count
    FROM messages m, analytics_state(m.status, m.due_at) s
    GROUP BY 1, 2, 3, 4, 5, 6
    -- events: each with the message as it is now; the first answer's round is 1
    UNION ALL
    SELECT analytics_day(e.created_at), coalesce(m.organisation_id, 0), m.territory_id,
           m.rubric_id, x.measure, x.value, count(*)
    FROM (SELECT e.*, CASE WHEN e.to_status = 'answered' THEN
                 count(*) FILTER (WHERE e.to_status = 'answered')
                   OVER (PARTITION BY e.message_id ORDER BY e.id) END AS round
          FROM message_events e) e
    JOIN messages m ON m.id = e.message_id,
         analytics_event(e.from_status, e.to_status, e.created_at, m.created_at, m.due_at,
                         e.round::integer) x
    GROUP BY 1, 2, 3, 4, 5, 6
    UNION ALL
    SELECT analytics_day(r.created_at), coalesce(m.organisation_id, 0), m.territory_id,
           m.rubric_id, 'rating', r.score, count(*)
    FROM message_ratings r JOIN messages m ON m.id = r.message_id
    GROUP BY 1, 2, 3, 4, 5, 6;
    INSERT INTO analytics_facts (span, day, organisation_id, territory_id, rubric_id, measure, value, count)
    SELECT s.span, s.day, c.organisation_id, c.territory_id, s.rubric_id, c.measure, c.value, sum(c.count)
    FROM analytics_counted c, analytics_spans(c.day, c.rubric_id) s
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    ORDER BY 1, 2; -- a period's rows together on disk, as folding appends them
    DROP TABLE analytics_counted;
END
$$;

-- The p-quantile (0..1) of a distribution given as values with their counts
-- (a value may come more than once), interpolated between the two nearest
-- ranks as percentile_cont does; NULL when empty.
CREATE FUNCTION analytics_percentile(vals integer[], counts bigint[], p double precision)
RETURNS double precision
LANGUAGE sql IMMUTABLE AS $$
    WITH d AS (SELECT v, sum(c) OVER (ORDER BY v) AS upto
               FROM unnest(vals, counts) AS u (v, c) WHERE c > 0),
    k AS (SELECT total, p * (total - 1) AS pos, floor(p * (total - 1))::bigint AS lo
          FROM (SELECT max(upto) AS total FROM d) t WHERE total > 0)
    SELECT a.v + (k.pos - k.lo) * (b.v - a.v) FROM k,
        LATERAL (SELECT min(v) AS v FROM d WHERE upto > k.lo) a,
        LATERAL (SELECT min(v) AS v FROM d WHERE upto > least(k.lo + 1, k.total - 1)) b
$$;

SELECT analytics_rebuild();
