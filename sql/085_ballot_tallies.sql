-- 085_ballot_tallies.sql - live results without a queue on the voting's row.
--
-- Before, every ballot added 1 to votings.voters and to each chosen project's
-- voting_projects.votes in its own transaction: every ballot of a voting
-- waited for the row lock the one before it held until COMMIT. The counters
-- are now split into 64 slots per voting and project (project_id 0 counts the
-- voters); a ballot adds to the slot of its citizen (user_id % 64), so two
-- ballots wait for each other only when their citizens share a slot, and then
-- only for the few rows they both touch, always locked in ascending project
-- order (no deadlock). Results sum at most 64 rows per project: one index
-- range scan, exact at every COMMIT (no fold, no staleness).
CREATE TABLE voting_tallies (
    voting_id   bigint NOT NULL REFERENCES votings,
    project_id  bigint NOT NULL, -- 0: the voters
    slot        smallint NOT NULL CHECK (slot BETWEEN 0 AND 63),
    votes       bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (voting_id, project_id, slot)
) WITH (fillfactor = 50); -- room on each page for HOT updates of the counters

INSERT INTO voting_tallies (voting_id, project_id, slot, votes)
SELECT id, 0, 0, voters FROM votings WHERE voters > 0;
INSERT INTO voting_tallies (voting_id, project_id, slot, votes)
SELECT voting_id, id, 0, votes FROM voting_projects WHERE votes > 0;

-- the single-row counters are gone, so nothing reads a number that stopped moving
ALTER TABLE votings DROP COLUMN voters;
ALTER TABLE voting_projects DROP COLUMN votes;

-- A voting's counts: (voting_id, project_id, votes), project 0 the voters.
CREATE VIEW voting_counts AS
SELECT voting_id, project_id, sum(votes)::bigint AS votes FROM voting_tallies
GROUP BY voting_id, project_id;
