-- data.sql - the benchmark's data set, on top of the demo data:
-- :citizens citizens, :messages messages across the demo organisations in every
-- status, and :ballots ballots in one open voting, with counters consistent.
-- Live sessions only for the citizens the benchmark drives (:sessions each of
-- the first, the first not to have voted, and the last; all when :sessions is
-- :citizens), so a national data set does not carry 20 million sessions.
-- psql -v citizens=100000 -v messages=1000000 -v ballots=1000000 -v sessions=100000 -f bench/data.sql
\set ON_ERROR_STOP on
BEGIN;
-- the secondary indexes of the big tables (those that back no constraint) are
-- built once after the rows, not row by row: the GIN indexes of users' names
-- and of messages' words above all (national size: 20 million citizens, 10
-- million messages); their definitions are restored as they were
SET LOCAL maintenance_work_mem = '1GB';
CREATE TEMP TABLE bench_indexes AS
SELECT i.indexname, i.indexdef FROM pg_indexes i
WHERE i.schemaname = 'public' AND i.tablename IN ('users', 'sessions', 'messages', 'ballots')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname);
DO $$ DECLARE i record; BEGIN
  FOR i IN SELECT indexname FROM bench_indexes LOOP EXECUTE format('DROP INDEX %I', i.indexname); END LOOP;
END $$;

INSERT INTO users (esia_oid, name, territory_id)
SELECT 'bench-' || g, 'Житель ' || g, (SELECT id FROM territories WHERE code = '99-demograd')
FROM generate_series(1, :citizens) g;

CREATE TEMP TABLE bench_users AS
SELECT row_number() OVER (ORDER BY id) AS n, id FROM users WHERE esia_oid LIKE 'bench-%';
CREATE UNIQUE INDEX ON bench_users (n);

-- one live session per driven citizen: md5('bench' || id) is its jti
INSERT INTO sessions (id, user_id, kind, expires_at)
SELECT md5('bench' || id), id, 'operator', otklik_now() + interval '1 day'
FROM bench_users WHERE n <= :sessions OR (n > :ballots AND n <= :ballots + :sessions)
   OR n > :citizens - :sessions;
CREATE TEMP TABLE bench_orgs AS
SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, territory_id FROM organisations WHERE NOT is_moderation;

INSERT INTO messages (author_id, rubric_id, text, status, territory_id, organisation_id, created_at,
                      due_at, answered_at, answer, answer_round)
SELECT u.id,
       (SELECT id FROM rubrics WHERE code = 'roads-potholes'),
       'Сообщение для нагрузочного теста номер ' || g || ': яма во дворе дома ' || (g % 300),
       s.status,
       o.territory_id,
       CASE WHEN s.status = 'moderation' THEN NULL ELSE o.id END,
       now() - make_interval(secs => g % 5000000),
       CASE WHEN s.status = 'moderation' THEN NULL
            ELSE now() - make_interval(secs => g % 5000000) + interval '10 days' END,
       CASE WHEN s.status IN ('answered', 'closed') THEN now() - interval '1 day' END,
       CASE WHEN s.status IN ('answered', 'closed') THEN 'Ответ' END,
       CASE WHEN s.status IN ('answered', 'closed') THEN 1 ELSE 0 END
FROM generate_series(1, :messages) g
JOIN bench_users u ON u.n = 1 + g % :citizens
JOIN bench_orgs o ON o.n = g % (SELECT count(*) FROM bench_orgs)
JOIN (VALUES (0, 'moderation'), (1, 'registered'), (2, 'in_progress'), (3, 'approval'),
             (4, 'answered'), (5, 'closed'), (6, 'closed'), (7, 'rejected')) AS s (k, status)
  ON s.k = g % 8;

-- the voting of the benchmark: open, 5 projects, up to 3 choices
INSERT INTO votings (organisation_id, territory_id, title, opens_at, closes_at, max_choices)
SELECT id, territory_id, 'Бюджет для нагрузочного теста', now() - interval '1 day', now() + interval '30 days', 3
FROM organisations WHERE code = 'demo-admin';
INSERT INTO voting_projects (voting_id, title, cost_rubles, position)
SELECT (SELECT max(id) FROM votings), 'Проект ' || g, 100000 * g, g FROM generate_series(1, 5) g;

-- ballots by the first :ballots citizens (cycling if there are fewer)
INSERT INTO ballots (voting_id, user_id, project_ids)
SELECT (SELECT max(id) FROM votings), u.id,
       (SELECT array_agg(p.id ORDER BY p.id) FROM voting_projects p
        WHERE p.voting_id = (SELECT max(id) FROM votings) AND (p.position + u.n) % 3 = 0)
FROM bench_users u WHERE u.n <= :ballots
ON CONFLICT DO NOTHING;
-- their counters, spread over the slots as the ballots would have spread them (sql/085)
INSERT INTO voting_tallies (voting_id, project_id, slot, votes)
SELECT b.voting_id, p, b.user_id % 64, count(*)
FROM ballots b, unnest(array_prepend(0::bigint, b.project_ids)) p
WHERE b.voting_id = (SELECT max(id) FROM votings) GROUP BY 1, 2, 3;
DO $$ DECLARE i record; BEGIN
  FOR i IN SELECT indexdef FROM bench_indexes LOOP EXECUTE i.indexdef; END LOOP;
END $$;
COMMIT;
ANALYZE;
