-- data.sql - the benchmark's data set, on top of the demo data:
-- :citizens citizens, :messages messages across the demo organisations in every
-- status, and :ballots ballots in one open voting, with counters consistent.
-- psql -v citizens=100000 -v messages=1000000 -v ballots=1000000 -f bench/data.sql
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO users (esia_oid, name, territory_id)
SELECT 'bench-' || g, 'Житель ' || g, (SELECT id FROM territories WHERE code = '99-demograd')
FROM generate_series(1, :citizens) g;

-- one live session per bench citizen: md5('bench' || id) is its jti
INSERT INTO sessions (id, user_id, kind, expires_at)
SELECT md5('bench' || id), id, 'operator', otklik_now() + interval '1 day'
FROM users WHERE esia_oid LIKE 'bench-%';

CREATE TEMP TABLE bench_users AS
SELECT row_number() OVER (ORDER BY id) AS n, id FROM users WHERE esia_oid LIKE 'bench-%';
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
UPDATE voting_projects p SET votes = (SELECT count(*) FROM ballots b
  WHERE b.voting_id = p.voting_id AND p.id = ANY (b.project_ids))
WHERE p.voting_id = (SELECT max(id) FROM votings);
UPDATE votings SET voters = (SELECT count(*) FROM ballots WHERE voting_id = votings.id)
WHERE id = (SELECT max(id) FROM votings);
COMMIT;
ANALYZE;
