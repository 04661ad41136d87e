-- 045_rating.sql - the region rating (modules/analytics/rating.c): 24
-- indicators per region and municipality for each calendar month (UTC), each
-- normalised among its peers, an overall score, the ranking and the change
-- against the month before. Formulas: README.md, "The region rating".
--
-- DESIGN
-- rating_compute(month) computes a month's indicators from sql/040's monthly
-- facts (rubric 0: a few rows per organisation, territory and measure, never
-- the messages), the organisations, widgets and official accounts as they
-- are now, and the participation tables (votings, polls and discussions open
-- during the month: a few rows each), into rating_values and rating_scores,
-- replacing the month's rows in one transaction (readers see the old or the
-- new rating, never half). `otklikctl tick` calls rating_refresh(): the
-- current and the previous month every tick (a message of last month still
-- changes it), and one month of the 24 before that was never computed
-- (history fills itself in). Requests only read the two tables.
-- Peers: regions among all regions; municipalities among the municipalities
-- of the same region. A territory counts itself and everything below it.
--
-- Three more event measures for the facts (sql/040): 'moderated' (a message
-- leaving moderation: accepted or rejected), 'moderated_in_day' (of those,
-- within 24 hours of sending) and 'reworked_again' (a message returned for
-- rework the second time: it counts once however often it comes back).

ALTER TABLE territories ADD COLUMN population bigint CHECK (population > 0);

CREATE OR REPLACE FUNCTION analytics_event(from_status text, to_status text, at timestamptz,
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
    UNION ALL SELECT 'moderated', 0
        WHERE from_status = 'moderation' AND to_status IN ('registered', 'rejected')
    UNION ALL SELECT 'moderated_in_day', 0
        WHERE from_status = 'moderation' AND to_status IN ('registered', 'rejected')
          AND at - created_at <= interval '1 day'
    UNION ALL SELECT 'reworked_again', 0
        WHERE from_status = 'answered' AND to_status = 'returned' AND round = 2
$$;

-- The rebuild (sql/040) with the round of every event, not only of answers:
-- the answers up to it (a rework's round is the answers it follows).
CREATE OR REPLACE FUNCTION analytics_rebuild_hours() RETURNS void
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
    UNION ALL
    SELECT analytics_day(e.created_at), coalesce(m.organisation_id, 0), m.territory_id,
           m.rubric_id, x.measure, x.value, count(*)
    FROM (SELECT e.*, count(*) FILTER (WHERE e.to_status = 'answered')
                 OVER (PARTITION BY e.message_id ORDER BY e.id) AS round
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
    ORDER BY 1, 2;
    DROP TABLE analytics_counted;
END
$$;

-- The indicators, in the order pages show them; better: which way is good.
CREATE TABLE rating_indicators (
    key       text PRIMARY KEY,
    position  integer NOT NULL UNIQUE,
    better    text NOT NULL CHECK (better IN ('higher', 'lower'))
);
INSERT INTO rating_indicators (key, position, better) VALUES
    ('messages_per_10k', 1, 'higher'),
    ('orgs_connected_share', 2, 'higher'),
    ('moderated_within_day_share', 3, 'higher'),
    ('rejected_share', 4, 'lower'),
    ('resolved_share', 5, 'higher'),
    ('answered_on_time_share', 6, 'higher'),
    ('answer_median_minutes', 7, 'lower'),
    ('answer_p90_minutes', 8, 'lower'),
    ('satisfaction_median', 9, 'higher'),
    ('satisfied_share', 10, 'higher'),
    ('ratings_per_answer', 11, 'higher'),
    ('rework_share', 12, 'lower'),
    ('returned_twice_share', 13, 'lower'),
    ('overdue_share', 14, 'lower'),
    ('redirect_share', 15, 'lower'),
    ('votings_held', 16, 'higher'),
    ('voters_per_10k', 17, 'higher'),
    ('polls_held', 18, 'higher'),
    ('poll_responses', 19, 'higher'),
    ('discussions_held', 20, 'higher'),
    ('discussion_comments', 21, 'higher'),
    ('active_widget_share', 22, 'higher'),
    ('official_accounts_share', 23, 'higher'),
    ('posts_published', 24, 'higher');

-- A month's indicators: value NULL when there is nothing to measure (a share
-- of nothing, a median of no answers, per residents without a population);
-- score 0..1 among the peers (min-max, 1 the best; 1 for all when all are
-- equal), NULL with the value.
CREATE TABLE rating_values (
    period        date NOT NULL,  -- the month's first day
    territory_id  bigint NOT NULL REFERENCES territories ON DELETE CASCADE,
    indicator     text NOT NULL REFERENCES rating_indicators,
    value         double precision,
    score         double precision,
    PRIMARY KEY (period, territory_id, indicator)
);

-- A month's overall score (0..100: the mean of the measured indicators'
-- scores), rank among peers (ties share a rank), for each rated territory.
CREATE TABLE rating_scores (
    period        date NOT NULL,
    territory_id  bigint NOT NULL REFERENCES territories ON DELETE CASCADE,
    peer_group    bigint NOT NULL,  -- 0: the regions; else the municipalities' region
    score         double precision,
    rank          integer NOT NULL,
    peers         integer NOT NULL,
    measured      integer NOT NULL,  -- indicators with a value
    computed_at   timestamptz NOT NULL,
    PRIMARY KEY (period, territory_id)
);
CREATE INDEX rating_scores_rank ON rating_scores (period, peer_group, rank);

-- part / whole as a share; NULL when whole is 0 or NULL.
CREATE FUNCTION rating_share(part numeric, whole numeric) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN whole > 0 THEN (coalesce(part, 0) / whole)::double precision END
$$;

-- Computes the month of p_period; the territories rated. plpgsql: it reads
-- tables later migrations add (sql/070's accounts and posts).
CREATE FUNCTION rating_compute(p_period date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    first_day date := date_trunc('month', p_period)::date;
    t_from timestamptz := date_trunc('month', p_period)::timestamp AT TIME ZONE 'UTC';
    t_to timestamptz := (date_trunc('month', p_period) + interval '1 month')::timestamp AT TIME ZONE 'UTC';
    now_hour integer := analytics_now_hour();
    rated integer;
BEGIN
    DELETE FROM rating_values WHERE period = first_day;
    DELETE FROM rating_scores WHERE period = first_day;
    WITH RECURSIVE members (rated_id, id, depth) AS (
        SELECT id, id, 0 FROM territories WHERE kind IN ('region', 'municipality')
        UNION ALL
        SELECT m.rated_id, t.id, m.depth + 1 FROM territories t JOIN members m ON t.parent_id = m.id
        WHERE m.depth < 16
    ),
    rated AS (SELECT t.id, t.population,
                     CASE WHEN t.kind = 'region' THEN 0 ELSE coalesce(t.parent_id, -1) END AS peer_group
              FROM territories t WHERE t.kind IN ('region', 'municipality')),
    facts AS (SELECT f.territory_id, f.measure, f.value, sum(f.count) AS n
              FROM analytics_current f
              WHERE f.span = 'm' AND f.day = first_day AND f.rubric_id = 0
              GROUP BY 1, 2, 3),
    msg AS (SELECT m.rated_id AS id,
                   sum(n) FILTER (WHERE measure = 'received') AS received,
                   sum(n) FILTER (WHERE measure IN ('status_answered', 'status_closed')) AS resolved,
                   sum(n) FILTER (WHERE measure = 'open_due' AND value < now_hour) AS overdue,
                   sum(n) FILTER (WHERE measure = 'moderated') AS moderated,
                   sum(n) FILTER (WHERE measure = 'moderated_in_day') AS moderated_in_day,
                   sum(n) FILTER (WHERE measure = 'rejected') AS rejected,
                   sum(n) FILTER (WHERE measure = 'accepted') AS accepted,
                   sum(n) FILTER (WHERE measure = 'redirected') AS redirected,
                   sum(n) FILTER (WHERE measure = 'answered') AS answered,
                   sum(n) FILTER (WHERE measure = 'answered_on_time') AS on_time,
                   sum(n) FILTER (WHERE measure = 'reworked') AS reworked,
                   sum(n) FILTER (WHERE measure = 'reworked_again') AS reworked_again,
                   sum(n) FILTER (WHERE measure = 'rating') AS ratings,
                   sum(n) FILTER (WHERE measure = 'rating' AND value >= 4) AS satisfied,
                   analytics_percentile(array_agg(value) FILTER (WHERE measure = 'tta'),
                       array_agg(n::bigint) FILTER (WHERE measure = 'tta'), 0.5) AS tta_median,
                   analytics_percentile(array_agg(value) FILTER (WHERE measure = 'tta'),
                       array_agg(n::bigint) FILTER (WHERE measure = 'tta'), 0.9) AS tta_p90,
                   analytics_percentile(array_agg(value) FILTER (WHERE measure = 'rating'),
                       array_agg(n::bigint) FILTER (WHERE measure = 'rating'), 0.5) AS rating_median
            FROM members m JOIN facts f ON f.territory_id = m.id GROUP BY 1),
    orgs AS (SELECT m.rated_id AS id, count(*) AS orgs,
                    count(*) FILTER (WHERE EXISTS (SELECT 1 FROM staff_roles s
                                                   WHERE s.organisation_id = o.id)) AS connected,
                    count(*) FILTER (WHERE EXISTS (SELECT 1 FROM widgets w
                        WHERE w.organisation_id = o.id AND cardinality(w.allowed_origins) > 0))
                        AS with_widget,
                    count(*) FILTER (WHERE EXISTS (SELECT 1 FROM social_accounts a
                        WHERE a.organisation_id = o.id AND a.verified)) AS with_account,
                    sum((SELECT count(*) FROM social_accounts a JOIN account_posts p
                         ON p.account_id = a.id WHERE a.organisation_id = o.id
                         AND p.status = 'published' AND p.published_at >= t_from
                         AND p.published_at < t_to)) AS posts
             FROM members m JOIN organisations o ON o.territory_id = m.id AND o.is_active
             GROUP BY 1),
    votes AS (SELECT m.rated_id AS id, count(*) AS held,
                     sum((SELECT coalesce(sum(c.votes), 0) FROM voting_tallies c
                          WHERE c.voting_id = v.id AND c.project_id = 0)) AS voters
              FROM members m JOIN votings v ON v.territory_id = m.id
              WHERE v.opens_at < t_to AND v.closes_at > t_from GROUP BY 1),
    polled AS (SELECT m.rated_id AS id, count(*) AS held, sum((SELECT coalesce(sum(c.votes), 0) FROM poll_tallies c
                                  WHERE c.poll_id = p.id AND c.option_id = 0)) AS responses
               FROM members m JOIN polls p ON p.territory_id = m.id
               WHERE p.opens_at < t_to AND p.closes_at > t_from GROUP BY 1),
    discussed AS (SELECT m.rated_id AS id, count(*) AS held,
                         sum((SELECT count(*) FROM discussion_comments c
                              WHERE c.discussion_id = d.id AND c.status = 'published')) AS comments
                  FROM members m JOIN discussions d ON d.territory_id = m.id
                  WHERE d.opens_at < t_to AND d.closes_at > t_from GROUP BY 1),
    measured AS (
        SELECT r.id, r.peer_group, x.indicator, x.value
        FROM rated r
        LEFT JOIN msg ON msg.id = r.id LEFT JOIN orgs ON orgs.id = r.id
        LEFT JOIN votes ON votes.id = r.id LEFT JOIN polled ON polled.id = r.id
        LEFT JOIN discussed ON discussed.id = r.id,
        LATERAL (VALUES
            ('messages_per_10k', CASE WHEN r.population > 0
                THEN 10000.0 * coalesce(msg.received, 0) / r.population END),
            ('orgs_connected_share', rating_share(orgs.connected, orgs.orgs)),
            ('moderated_within_day_share', rating_share(msg.moderated_in_day, msg.moderated)),
            ('rejected_share', rating_share(msg.rejected, msg.moderated)),
            ('resolved_share', rating_share(msg.resolved, msg.received)),
            ('answered_on_time_share', rating_share(msg.on_time, msg.answered)),
            ('answer_median_minutes', msg.tta_median),
            ('answer_p90_minutes', msg.tta_p90),
            ('satisfaction_median', msg.rating_median),
            ('satisfied_share', rating_share(msg.satisfied, msg.ratings)),
            ('ratings_per_answer', rating_share(msg.ratings, msg.answered)),
            ('rework_share', rating_share(msg.reworked, msg.answered)),
            ('returned_twice_share', rating_share(msg.reworked_again, msg.answered)),
            ('overdue_share', rating_share(msg.overdue, msg.received)),
            ('redirect_share', rating_share(msg.redirected, msg.accepted)),
            ('votings_held', coalesce(votes.held, 0)::double precision),
            ('voters_per_10k', CASE WHEN r.population > 0
                THEN 10000.0 * coalesce(votes.voters, 0) / r.population END),
            ('polls_held', coalesce(polled.held, 0)::double precision),
            ('poll_responses', coalesce(polled.responses, 0)::double precision),
            ('discussions_held', coalesce(discussed.held, 0)::double precision),
            ('discussion_comments', coalesce(discussed.comments, 0)::double precision),
            ('active_widget_share', rating_share(orgs.with_widget, orgs.orgs)),
            ('official_accounts_share', rating_share(orgs.with_account, orgs.orgs)),
            ('posts_published', coalesce(orgs.posts, 0)::double precision)
        ) x (indicator, value)
    ),
    bounds AS (SELECT m.*, i.better,
                      min(m.value) OVER (PARTITION BY m.peer_group, m.indicator) AS lo,
                      max(m.value) OVER (PARTITION BY m.peer_group, m.indicator) AS hi
               FROM measured m JOIN rating_indicators i ON i.key = m.indicator)
    INSERT INTO rating_values (period, territory_id, indicator, value, score)
    SELECT first_day, id, indicator, value,
           CASE WHEN value IS NULL THEN NULL
                WHEN hi = lo THEN 1
                WHEN better = 'higher' THEN (value - lo) / (hi - lo)
                ELSE (hi - value) / (hi - lo) END
    FROM bounds;

    INSERT INTO rating_scores (period, territory_id, peer_group, score, rank, peers, measured, computed_at)
    SELECT first_day, s.territory_id, s.peer_group, s.score,
           rank() OVER (PARTITION BY s.peer_group ORDER BY s.score DESC NULLS LAST),
           count(*) OVER (PARTITION BY s.peer_group), s.measured, otklik_now()
    FROM (SELECT v.territory_id,
                 CASE WHEN t.kind = 'region' THEN 0 ELSE coalesce(t.parent_id, -1) END AS peer_group,
                 round((100 * avg(v.score))::numeric, 2)::double precision AS score,
                 count(v.value) AS measured
          FROM rating_values v JOIN territories t ON t.id = v.territory_id
          WHERE v.period = first_day GROUP BY 1, 2) s;
    GET DIAGNOSTICS rated = ROW_COUNT;
    RETURN rated;
END
$$;

-- The scheduler's job (otklikctl tick): this month and the previous one,
-- and the latest of the 24 months before them never computed; the
-- territories rated. One scheduler at a time (a second one skips).
CREATE FUNCTION rating_refresh() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    this_month date := date_trunc('month', otklik_now() AT TIME ZONE 'UTC')::date;
    missing date;
    rated integer;
BEGIN
    IF NOT pg_try_advisory_xact_lock(2045) THEN
        RETURN 0;
    END IF;
    rated := rating_compute(this_month) + rating_compute((this_month - interval '1 month')::date);
    SELECT m::date INTO missing
    FROM generate_series(this_month - interval '26 months', this_month - interval '2 months',
                         interval '1 month') m
    WHERE NOT EXISTS (SELECT 1 FROM rating_scores s WHERE s.period = m::date)
    ORDER BY m DESC LIMIT 1;
    IF missing IS NOT NULL THEN
        rated := rated + rating_compute(missing);
    END IF;
    RETURN rated;
END
$$;

-- the new measures for what is already there
SELECT analytics_rebuild();
