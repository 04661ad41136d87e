-- 086_poll_tallies.sql - a poll's counts without a queue on the poll's row,
-- as 085 did for votings. Before, every response added 1 to
-- polls.respondents and to each chosen option's poll_options.votes: every
-- response to a poll waited for the one before it to COMMIT, and a
-- publicised poll takes its responses in peaks. The counters are now split
-- into 64 slots per poll and option (option_id 0 counts the respondents); a
-- response adds to its citizen's slot (user_id % 64), rows locked in
-- ascending option order (no deadlock). Results sum at most 64 rows per
-- option along the primary key, exact at every COMMIT.
CREATE TABLE poll_tallies (
    poll_id    bigint NOT NULL REFERENCES polls,
    option_id  bigint NOT NULL, -- 0: the respondents
    slot       smallint NOT NULL CHECK (slot BETWEEN 0 AND 63),
    votes      bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (poll_id, option_id, slot)
) WITH (fillfactor = 50); -- room on each page for HOT updates of the counters

INSERT INTO poll_tallies (poll_id, option_id, slot, votes)
SELECT id, 0, 0, respondents FROM polls WHERE respondents > 0;
INSERT INTO poll_tallies (poll_id, option_id, slot, votes)
SELECT q.poll_id, o.id, 0, o.votes FROM poll_options o JOIN poll_questions q ON q.id = o.question_id
WHERE o.votes > 0;

-- the single-row counters are gone, so nothing reads a number that stopped moving
ALTER TABLE polls DROP COLUMN respondents;
ALTER TABLE poll_options DROP COLUMN votes;

-- A poll's counts: (poll_id, option_id, votes), option 0 the respondents.
CREATE VIEW poll_counts AS
SELECT poll_id, option_id, sum(votes)::bigint AS votes FROM poll_tallies
GROUP BY poll_id, option_id;
